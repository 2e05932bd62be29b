//! The group calls' option checks and the shapes of the member-changing calls' answers.

use super::*;

#[test]
fn bad_options_are_refused_at_once_and_the_instance_stays_usable() {
    let (_srv, mut c) = ready("alice");
    c.frame(ServerFrame::GroupChanged {
        group: group("work", GroupType::Work, "team"),
    });
    c.frame(ServerFrame::GroupChanged {
        group: group("live", GroupType::AvChatRoom, "live"),
    });
    let gref = |id: &str| req::GroupRef {
        group_id: id.into(),
    };
    let create = |name: &str| {
        Request::GroupCreate(req::GroupCreate {
            name: name.into(),
            ..Default::default()
        })
    };
    let users = |id: &str, n: usize| req::GroupUsers {
        group_id: id.into(),
        user_ids: (0..n).map(|i| ["u", &i.to_string()].concat()).collect(),
        reason: String::new(),
    };
    let cases = [
        (GroupMethod::Create, create(""), codes::INVALID_OPERATION),
        (
            GroupMethod::Create,
            create(&"n".repeat(31)),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::Create,
            Request::GroupCreate(req::GroupCreate {
                group_id: "bad\u{1}id".into(),
                name: "ok".into(),
                ..Default::default()
            }),
            codes::ILLEGAL_GROUP_ID,
        ),
        (
            GroupMethod::Create,
            Request::GroupCreate(req::GroupCreate {
                name: "ok".into(),
                introduction: "i".repeat(241),
                ..Default::default()
            }),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::Dismiss,
            Request::GroupDismiss(gref("")),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::Dismiss,
            Request::GroupDismiss(gref("work")),
            codes::CANNOT_DISMISS_WORK,
        ),
        (
            GroupMethod::Quit,
            Request::GroupQuit(gref(&"x".repeat(65))),
            codes::ILLEGAL_GROUP_ID,
        ),
        (
            GroupMethod::Owner,
            Request::GroupOwner(req::GroupOwner {
                group_id: "work".into(),
                new_owner_id: "alice".into(),
            }),
            codes::CANNOT_CHANGE_OWNER_TO_SELF,
        ),
        (
            GroupMethod::Owner,
            Request::GroupOwner(req::GroupOwner {
                group_id: "live".into(),
                new_owner_id: "bob".into(),
            }),
            codes::CANNOT_CHANGE_OWNER_IN_AVCHATROOM,
        ),
        (
            GroupMethod::Add,
            Request::GroupAdd(users("live", 1)),
            codes::CANNOT_ADD_MEMBER_IN_AVCHATROOM,
        ),
        (
            GroupMethod::Add,
            Request::GroupAdd(users("work", 0)),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::Add,
            Request::GroupAdd(users("work", 501)),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::Kick,
            Request::GroupKick(users("work", 0)),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::MemberProfile,
            Request::GroupMemberInfo(req::GroupMemberInfo {
                group_id: "work".into(),
                user_ids: (0..51).map(|i| i.to_string()).collect(),
            }),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::MemberSet,
            Request::GroupMemberSet(req::GroupMemberSet {
                group_id: "work".into(),
                name_card: Some("c".repeat(51)),
                ..Default::default()
            }),
            codes::INVALID_OPERATION,
        ),
        (
            GroupMethod::Update,
            Request::GroupUpdate(req::GroupUpdate {
                group_id: "work".into(),
                name: Some(String::new()),
                ..Default::default()
            }),
            codes::INVALID_OPERATION,
        ),
    ];
    for (i, (method, request, code)) in cases.into_iter().enumerate() {
        let op = c.cmd(call(method, request));
        let outs = c.drain();
        assert!(transmits(&outs).is_empty(), "case {i}: nothing sent");
        assert_eq!(c.code(op), Some(code), "case {i}");
    }
    // Still usable: a good call goes out and resolves.
    let (op, sent) = issue(&mut c, call(GroupMethod::Create, create("fine")));
    answer(
        &mut c,
        sent.id,
        Reply::GroupCreated {
            group: group("@TGS#5", GroupType::Work, "fine"),
            over_limit: Vec::new(),
        },
    );
    assert!(matches!(c.result(op), Some(Ok(_))));
    // A server refusal keeps its code.
    let (op, sent) = issue(
        &mut c,
        call(
            GroupMethod::Join,
            Request::GroupJoin(req::GroupJoin {
                group_id: "nope".into(),
                apply_message: String::new(),
            }),
        ),
    );
    c.frame(ServerFrame::Error {
        id: Some(sent.id),
        code: 10010,
        message: "no such group".into(),
    });
    assert_eq!(c.code(op), Some(10010));
}

#[test]
fn member_changes_resolve_in_tim_js_sdks_shapes_and_keep_the_list() {
    let (_srv, mut c) = ready("alice");
    c.frame(ServerFrame::GroupChanged {
        group: group("g1", GroupType::Public, "fans"),
    });
    let users = |ids: &[&str]| req::GroupUsers {
        group_id: "g1".into(),
        user_ids: ids.iter().map(|s| s.to_string()).collect(),
        reason: String::new(),
    };
    let mut bigger = group("g1", GroupType::Public, "fans");
    bigger.member_count = 3;
    let (op, sent) = issue(
        &mut c,
        call(GroupMethod::Add, Request::GroupAdd(users(&["bob", "zed"]))),
    );
    let outs = answer(
        &mut c,
        sent.id,
        Reply::GroupAdded {
            success: vec!["bob".into()],
            failure: vec!["zed".into()],
            existed: Vec::new(),
            over_limit: Vec::new(),
            group: bigger.clone(),
        },
    );
    assert_eq!(list_updates(&outs).len(), 1, "memberCount changed");
    let d = data(&c, op);
    let keys: Vec<&str> = d.0.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        vec![
            "group",
            "successUserIDList",
            "failureUserIDList",
            "existedUserIDList",
            "overLimitUserIDList"
        ]
    );
    assert_eq!(number(obj(&d, "group"), "memberCount"), 3.0);

    let (op, sent) = issue(
        &mut c,
        call(GroupMethod::Kick, Request::GroupKick(users(&["bob"]))),
    );
    answer(
        &mut c,
        sent.id,
        Reply::GroupKicked {
            user_ids: vec!["bob".into()],
            group: group("g1", GroupType::Public, "fans"),
        },
    );
    let d = data(&c, op);
    assert_eq!(
        d.get("userIDList"),
        Some(&Val::List(vec![Val::Str("bob".into())]))
    );

    // A name card of ours: {group, member}.
    let set = req::GroupMemberSet {
        group_id: "g1".into(),
        name_card: Some("boss".into()),
        ..Default::default()
    };
    let (op, sent) = issue(
        &mut c,
        call(GroupMethod::MemberSet, Request::GroupMemberSet(set)),
    );
    let mut mine = group("g1", GroupType::Public, "fans");
    mine.self_info.as_mut().unwrap().name_card = "boss".into();
    let outs = answer(
        &mut c,
        sent.id,
        Reply::GroupMember {
            group: mine,
            member: MemberInfo {
                user_id: "alice".into(),
                role: GroupRole::Owner,
                name_card: "boss".into(),
                ..MemberInfo::default()
            },
        },
    );
    assert_eq!(list_updates(&outs).len(), 1);
    let d = data(&c, op);
    assert_eq!(text(obj(&d, "member"), "nameCard"), "boss");
    assert_eq!(text(obj(obj(&d, "group"), "selfInfo"), "nameCard"), "boss");

    // getGroupProfile of a group the server does not list for us: 2603.
    let (op, sent) = issue(
        &mut c,
        call(
            GroupMethod::Profile,
            Request::GroupList(req::GroupList {
                group_ids: vec!["other".into()],
            }),
        ),
    );
    answer(&mut c, sent.id, Reply::Groups { groups: Vec::new() });
    assert_eq!(c.code(op), Some(codes::CANNOT_FIND_GROUP));
    // A join that waits for approval lists nothing.
    let (op, sent) = issue(
        &mut c,
        call(
            GroupMethod::Join,
            Request::GroupJoin(req::GroupJoin {
                group_id: "g9".into(),
                apply_message: "hi".into(),
            }),
        ),
    );
    let outs = answer(
        &mut c,
        sent.id,
        Reply::GroupJoined {
            status: tim_protocol::JoinStatus::WaitAdminApproval,
            group: None,
        },
    );
    assert!(list_updates(&outs).is_empty());
    let d = data(&c, op);
    assert_eq!(text(&d, "status"), "WaitAdminApproval");
    assert!(d.get("group").is_none());
}
