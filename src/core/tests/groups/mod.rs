//! IM groups in the core: the list kept from answers and pushes (GROUP_LIST_UPDATED when it
//! changes), re-read at every (re)login, the calls' shapes and option checks, group tips with
//! tim-js-sdk's web numbers (never unread), and getGroupMemberList's offset mapped to the
//! server's cursor. The server's side is hand-fed (the fake server has no groups).

use tim_protocol::{
    req, Change, ClientFrame, Content, ConvType, GroupInfo, GroupRole, GroupType, MemberInfo,
    Message, Reply, Request, SelfInfo, ServerFrame, TipKind,
};

use super::harness::*;
use crate::core::*;

mod calls;

fn group(id: &str, t: GroupType, name: &str) -> GroupInfo {
    GroupInfo {
        group_id: id.into(),
        group_type: t,
        name: name.into(),
        owner_id: "alice".into(),
        create_time: 1_700_000_000,
        member_count: 2,
        max_member_count: 200,
        self_info: Some(SelfInfo {
            role: GroupRole::Owner,
            join_time: 1_700_000_000,
            name_card: String::new(),
        }),
        ..GroupInfo::default()
    }
}

fn call(method: GroupMethod, request: Request) -> Command {
    Command::Group {
        method,
        request,
        offset: 0,
    }
}

/// Issues `command`; returns its op and the one request it transmitted.
fn issue(c: &mut Client, command: Command) -> (OpId, ClientFrame) {
    let op = c.cmd(command);
    let outs = c.drain();
    (op, only_transmit(&outs))
}

fn answer(c: &mut Client, id: u32, data: Reply) -> Vec<Output> {
    c.frame(ServerFrame::Ok { id, data })
}

fn data(c: &Client, op: OpId) -> Fields {
    match c.result(op) {
        Some(Ok(Response::Fields(f))) => f.clone(),
        other => panic!("call {op}: {other:?}"),
    }
}

fn obj<'a>(f: &'a Fields, key: &str) -> &'a Fields {
    match f.get(key) {
        Some(Val::Obj(o)) => o,
        other => panic!("{key}: {other:?}"),
    }
}

fn text<'a>(f: &'a Fields, key: &str) -> &'a str {
    match f.get(key) {
        Some(Val::Str(s)) => s,
        other => panic!("{key}: {other:?}"),
    }
}

fn number(f: &Fields, key: &str) -> f64 {
    match f.get(key) {
        Some(Val::Num(n)) => *n,
        other => panic!("{key}: {other:?}"),
    }
}

/// The group IDs of every GROUP_LIST_UPDATED in `outs`.
fn list_updates(outs: &[Output]) -> Vec<Vec<String>> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Event(Event::GroupListUpdated(list)) => {
                Some(list.iter().map(|g| text(g, "groupID").to_owned()).collect())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn answers_and_pushes_keep_the_list_and_announce_its_changes() {
    let (_srv, mut c) = ready("alice");
    let create = req::GroupCreate {
        group_type: GroupType::Public,
        name: "fans".into(),
        ..Default::default()
    };
    let (op, sent) = issue(
        &mut c,
        call(GroupMethod::Create, Request::GroupCreate(create)),
    );
    assert!(matches!(sent.req, Request::GroupCreate(_)));
    let g1 = group("@TGS#1", GroupType::Public, "fans");
    let outs = answer(
        &mut c,
        sent.id,
        Reply::GroupCreated {
            group: g1.clone(),
            over_limit: vec!["zed".into()],
        },
    );
    assert_eq!(list_updates(&outs), vec![vec!["@TGS#1".to_owned()]]);
    let d = data(&c, op);
    let g = obj(&d, "group");
    assert_eq!(text(g, "groupID"), "@TGS#1");
    assert_eq!(text(g, "type"), "Public");
    assert_eq!(text(obj(g, "selfInfo"), "role"), "Owner");
    assert_eq!(number(g, "nextMessageSeq"), 1.0);
    assert_eq!(
        d.get("overLimitUserIDList"),
        Some(&Val::List(vec![Val::Str("zed".into())]))
    );

    // A push of the same group changes nothing; a renamed one is announced whole.
    let same = c.frame(ServerFrame::GroupChanged { group: g1.clone() });
    assert!(list_updates(&same).is_empty());
    let g2 = group("@TGS#2", GroupType::Work, "team");
    let outs = c.frame(ServerFrame::GroupChanged { group: g2 });
    assert_eq!(
        list_updates(&outs),
        vec![vec!["@TGS#1".to_owned(), "@TGS#2".to_owned()]]
    );
    // A search result (not a member) never joins the list.
    let mut stranger = group("@TGS#9", GroupType::Public, "other");
    stranger.self_info = None;
    let (op, sent) = issue(
        &mut c,
        call(
            GroupMethod::Search,
            Request::GroupSearch(req::GroupRef {
                group_id: "@TGS#9".into(),
            }),
        ),
    );
    let outs = answer(&mut c, sent.id, Reply::Group { group: stranger });
    assert!(list_updates(&outs).is_empty());
    assert_eq!(text(obj(&data(&c, op), "group"), "groupID"), "@TGS#9");

    // Left (kicked, quit elsewhere, dismissed): dropped.
    let outs = c.frame(ServerFrame::GroupLeft {
        group_id: "@TGS#2".into(),
    });
    assert_eq!(list_updates(&outs), vec![vec!["@TGS#1".to_owned()]]);
    // quitGroup resolves {groupID} and drops it too.
    let (op, sent) = issue(
        &mut c,
        call(
            GroupMethod::Quit,
            Request::GroupQuit(req::GroupRef {
                group_id: "@TGS#1".into(),
            }),
        ),
    );
    let outs = answer(&mut c, sent.id, Reply::Done);
    assert_eq!(list_updates(&outs), vec![Vec::<String>::new()]);
    assert_eq!(text(&data(&c, op), "groupID"), "@TGS#1");
}

#[test]
fn the_group_conversation_shows_the_listed_profile() {
    let (_srv, mut c) = ready("alice");
    c.frame(ServerFrame::GroupChanged {
        group: group("g1", GroupType::Public, "fans"),
    });
    let tip = tip_message("g1", TipKind::Join, 1);
    c.frame(tip);
    let list = c.conversation_list();
    let conv = list
        .iter()
        .find(|v| v.conversation_id == "GROUPg1")
        .expect("listed");
    let profile = conv.group_profile.as_ref().expect("groupProfile");
    assert_eq!(text(profile, "name"), "fans");
    assert_eq!(text(profile, "type"), "Public");
    assert_eq!(text(profile, "ownerID"), "alice");
    // A rename reaches the conversation list.
    c.clear_log();
    c.frame(ServerFrame::GroupChanged {
        group: group("g1", GroupType::Public, "fans club"),
    });
    let list = c.last_list().expect("CONVERSATION_LIST_UPDATED");
    let conv = list
        .iter()
        .find(|v| v.conversation_id == "GROUPg1")
        .unwrap();
    assert_eq!(
        text(conv.group_profile.as_ref().unwrap(), "name"),
        "fans club"
    );
}

fn tip_message(group: &str, operation: TipKind, sync_seq: u64) -> ServerFrame {
    let message = Message {
        id: ["tip-", &sync_seq.to_string()].concat(),
        conv_type: ConvType::Group,
        from: "carol".into(),
        to: group.into(),
        seq: sync_seq,
        time: 1_700_000_100,
        random: 7,
        client_time: 1_700_000_100,
        priority: "Normal".into(),
        content: Content::GroupTip {
            operator_id: "carol".into(),
            operation,
            user_ids: vec!["carol".into()],
            member_num: 3,
            group_id: group.into(),
            group_name: "fans".into(),
            profile: vec![tim_protocol::ProfileChange {
                key: "name".into(),
                value: "fans club".into(),
            }],
            members: Vec::new(),
        },
        cloud_custom_data: String::new(),
        at_user_list: Vec::new(),
        nick: String::new(),
        avatar: String::new(),
        revoked: false,
        version: 0,
        need_read_receipt: false,
        offline_push_info: String::new(),
    };
    ServerFrame::Push {
        sync_seq,
        message,
        change: Change::New,
    }
}

#[test]
fn tips_arrive_as_messages_with_web_numbers_and_are_never_unread() {
    let (_srv, mut c) = ready("alice");
    let kinds = [
        (TipKind::Join, 1.0),
        (TipKind::Invite, 1.0),
        (TipKind::Quit, 2.0),
        (TipKind::Kick, 3.0),
        (TipKind::SetAdmin, 4.0),
        (TipKind::CancelAdmin, 5.0),
        (TipKind::Profile, 6.0),
        (TipKind::MemberProfile, 7.0),
    ];
    for (i, (kind, web)) in kinds.into_iter().enumerate() {
        c.clear_log();
        c.frame(tip_message("g1", kind, i as u64 + 1));
        let got = c.received();
        assert_eq!(got.len(), 1, "{kind:?}: MESSAGE_RECEIVED");
        assert_eq!(got[0].msg_type, "TIMGroupTipElem");
        assert_eq!(got[0].conversation_id, "GROUPg1");
        let payload = got[0].payload.rich.as_deref().expect("tip payload");
        assert_eq!(number(payload, "operationType"), web, "{kind:?}");
        assert_eq!(text(payload, "operatorID"), "carol");
        assert_eq!(number(payload, "memberNum"), 3.0);
        assert_eq!(
            payload.get("userIDList"),
            Some(&Val::List(vec![Val::Str("carol".into())]))
        );
        assert_eq!(text(obj(payload, "groupProfile"), "groupID"), "g1");
        assert_eq!(text(obj(payload, "newGroupProfile"), "name"), "fans club");
    }
    let list = c.conversation_list();
    let conv = list
        .iter()
        .find(|v| v.conversation_id == "GROUPg1")
        .unwrap();
    assert_eq!(conv.unread_count, 0, "tips are never unread");
    let last = conv.last_message.as_ref().expect("the last tip");
    assert_eq!(last.msg_type, "TIMGroupTipElem");
    assert_eq!(last.message_for_show, "carol changed members' profiles");
    assert_eq!(c.core.total_unread(), 0);
}

#[test]
fn member_pages_map_offsets_to_the_server_cursor() {
    let (_srv, mut c) = ready("alice");
    let page = |count, offset| Command::Group {
        method: GroupMethod::Members,
        request: Request::GroupMembers(req::GroupMembers {
            group_id: "g1".into(),
            cursor: "ignored".into(),
            count,
        }),
        offset,
    };
    let member = |id: &str| MemberInfo {
        user_id: id.into(),
        join_time: 5,
        ..MemberInfo::default()
    };
    let (op, sent) = issue(&mut c, page(2, 0));
    let Request::GroupMembers(r) = &sent.req else {
        panic!("{sent:?}")
    };
    assert_eq!(
        (r.cursor.as_str(), r.count),
        ("", 2),
        "offset 0: the first page"
    );
    answer(
        &mut c,
        sent.id,
        Reply::GroupMembers {
            members: vec![member("a"), member("b")],
            cursor: "b".into(),
            complete: false,
        },
    );
    let d = data(&c, op);
    assert_eq!(number(&d, "offset"), 2.0);
    let Some(Val::List(list)) = d.get("memberList") else {
        panic!("{d:?}")
    };
    let Val::Obj(first) = &list[0] else { panic!() };
    assert_eq!(text(first, "userID"), "a");
    assert_eq!(text(first, "role"), "Member");

    // The offset handed out continues after the cursor that came with it.
    let (op, sent) = issue(&mut c, page(0, 2));
    let Request::GroupMembers(r) = &sent.req else {
        panic!()
    };
    assert_eq!(
        (r.cursor.as_str(), r.count),
        ("b", 15),
        "count 0: the default page"
    );
    answer(
        &mut c,
        sent.id,
        Reply::GroupMembers {
            members: vec![member("c")],
            cursor: String::new(),
            complete: true,
        },
    );
    assert_eq!(number(&data(&c, op), "offset"), 0.0, "0: no more pages");

    // An offset never handed out starts over; a count above 100 is capped.
    let (_, sent) = issue(&mut c, page(500, 7));
    let Request::GroupMembers(r) = &sent.req else {
        panic!()
    };
    assert_eq!((r.cursor.as_str(), r.count), ("", 100));
}

/// Hand-driven: answers the login, an empty catch-up when `sync`, the conversations, and
/// returns the group-list request that follows them.
fn through_conversations(c: &mut Client, sync: bool) -> ClientFrame {
    let login = only_transmit(&c.connected());
    let outs = answer(
        c,
        login.id,
        Reply::Login {
            user_id: "alice".into(),
            server_time: 1,
            sync_seq: 0,
            file_token: String::new(),
        },
    );
    let mut next = only_transmit(&outs);
    if sync {
        let outs = answer(
            c,
            next.id,
            Reply::Sync {
                items: Vec::new(),
                complete: true,
            },
        );
        next = only_transmit(&outs);
    }
    assert_eq!(next.req, Request::Conversations);
    let outs = answer(
        c,
        next.id,
        Reply::Conversations {
            conversations: Vec::new(),
            sync_seq: 0,
            groups: Vec::new(),
        },
    );
    let t = transmits(&outs);
    let list = t.last().expect("the group list is read").clone();
    assert_eq!(list.req, Request::GroupList(Default::default()));
    list
}

#[test]
fn every_login_rereads_the_list() {
    let mut c = Client::new(cfg());
    c.cmd(Command::Login {
        user_id: "alice".into(),
        user_sig: "sig".into(),
    });
    c.drain();
    let list = through_conversations(&mut c, false);
    // The first read is announced even when empty (an app waits for it).
    let outs = answer(&mut c, list.id, Reply::Groups { groups: Vec::new() });
    assert_eq!(list_updates(&outs), vec![Vec::<String>::new()]);

    // Reconnect: the list is read again, and what changed meanwhile is announced.
    c.core.handle_disconnected(c.now);
    c.drain();
    let at = c.core.poll_timeout().expect("a reconnect timer");
    c.now = at;
    c.core.handle_timeout(at);
    c.drain();
    let list = through_conversations(&mut c, true);
    let g = group("g7", GroupType::Meeting, "meet");
    let outs = answer(
        &mut c,
        list.id,
        Reply::Groups {
            groups: vec![g.clone()],
        },
    );
    assert_eq!(list_updates(&outs), vec![vec!["g7".to_owned()]]);

    // A server without groups answers with an error: the session goes on as before.
    c.core.handle_disconnected(c.now);
    c.drain();
    let at = c.core.poll_timeout().unwrap();
    c.now = at;
    c.core.handle_timeout(at);
    c.drain();
    let list = through_conversations(&mut c, true);
    let outs = c.frame(ServerFrame::Error {
        id: Some(list.id),
        code: 60000,
        message: "not yet".into(),
    });
    assert!(list_updates(&outs).is_empty());
    assert!(!outs.iter().any(|o| matches!(o, Output::Disconnect)));
    // getGroupList reads it from the server and resolves {groupList, isSyncCompleted}.
    let (op, sent) = issue(
        &mut c,
        call(GroupMethod::List, Request::GroupList(Default::default())),
    );
    answer(&mut c, sent.id, Reply::Groups { groups: vec![g] });
    let d = data(&c, op);
    assert_eq!(d.get("isSyncCompleted"), Some(&Val::Bool(true)));
    let Some(Val::List(groups)) = d.get("groupList") else {
        panic!()
    };
    assert_eq!(groups.len(), 1);
}
