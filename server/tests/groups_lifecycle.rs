//! IM groups over real sockets: create, join, quit, dismiss; the tips every other member's
//! sockets receive live and by `Sync` after a reconnect (never unread); the notices in the
//! system conversation; `GroupChanged` / `GroupLeft` on every session. Frames are read in the
//! committer's order for each socket (notices, tips, then views), so nothing waits on time.

mod common;

use common::*;
use tim_protocol::{
    codes, req, Content, ConvType, GroupInfo, GroupRole, GroupType, JoinOption, JoinStatus, Reply,
    Request, ServerFrame, TipKind,
};

/// A tip push: (operation, users, operator).
fn tip_of(frame: ServerFrame) -> (TipKind, Vec<String>, String) {
    let (_, m, _) = push_of(frame);
    assert_eq!(m.conv_type, ConvType::Group);
    match m.content {
        Content::GroupTip {
            operation,
            user_ids,
            operator_id,
            ..
        } => (operation, user_ids, operator_id),
        other => panic!("not a tip: {other:?}"),
    }
}

/// A notice push: (operationType, operator).
fn notice_of(frame: ServerFrame) -> (u32, String) {
    let (_, m, _) = push_of(frame);
    assert_eq!(m.conv_type, ConvType::System);
    match m.content {
        Content::GroupSystemNotice {
            operation_type,
            operator_id,
            ..
        } => (operation_type, operator_id),
        other => panic!("not a notice: {other:?}"),
    }
}

fn changed_of(frame: ServerFrame) -> GroupInfo {
    match frame {
        ServerFrame::GroupChanged { group } => group,
        other => panic!("expected GroupChanged, got {other:?}"),
    }
}

fn left_of(frame: ServerFrame) -> String {
    match frame {
        ServerFrame::GroupLeft { group_id } => group_id,
        other => panic!("expected GroupLeft, got {other:?}"),
    }
}

fn create(id: &str, t: GroupType, members: &[&str]) -> Request {
    Request::GroupCreate(req::GroupCreate {
        group_id: id.into(),
        group_type: t,
        name: "Team".into(),
        members: members
            .iter()
            .map(|m| tim_protocol::NewMember {
                user_id: (*m).into(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

fn gref(id: &str) -> req::GroupRef {
    req::GroupRef {
        group_id: id.into(),
    }
}

#[tokio::test]
async fn create_join_quit_dismiss_reach_every_session() {
    let server = TestServer::start().await;
    let mut a1 = server.login("alice").await;
    let mut a2 = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;

    let mut spec = create("g1", GroupType::Public, &["bob"]);
    if let Request::GroupCreate(r) = &mut spec {
        r.join_option = Some(JoinOption::FreeAccess);
    }
    let Reply::GroupCreated { group, over_limit } = a1.ok(spec).await else {
        panic!()
    };
    assert_eq!((group.owner_id.as_str(), group.member_count), ("alice", 2));
    assert_eq!(group.self_info.map(|s| s.role), Some(GroupRole::Owner));
    assert!(over_limit.is_empty());
    // The requester: its view only; its other session: notice 6 too; the member: notice 7.
    assert_eq!(changed_of(a1.next_push().await).member_count, 2);
    assert_eq!(notice_of(a2.next_push().await), (6, "alice".into()));
    assert_eq!(changed_of(a2.next_push().await).group_id, "g1");
    assert_eq!(notice_of(bob.next_push().await), (7, "alice".into()));
    let seen = changed_of(bob.next_push().await);
    assert_eq!(seen.self_info.map(|s| s.role), Some(GroupRole::Member));

    // Carol joins a free group: every member's every socket gets tip Join and the new view.
    let Reply::GroupJoined { status, group } = carol
        .ok(Request::GroupJoin(req::GroupJoin {
            group_id: "g1".into(),
            apply_message: String::new(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(status, JoinStatus::JoinedSuccess);
    assert_eq!(group.map(|g| g.member_count), Some(3));
    for c in [&mut a1, &mut a2, &mut bob, &mut carol] {
        let tip = tip_of(c.next_push().await);
        assert_eq!(tip, (TipKind::Join, vec!["carol".into()], "carol".into()));
        assert_eq!(changed_of(c.next_push().await).member_count, 3);
    }
    let again = carol
        .ok(Request::GroupJoin(req::GroupJoin {
            group_id: "g1".into(),
            apply_message: String::new(),
        }))
        .await;
    assert!(matches!(
        again,
        Reply::GroupJoined {
            status: JoinStatus::AlreadyInGroup,
            ..
        }
    ));

    // Bob quits: the others get tip Quit; bob's socket GroupLeft (its notice 8 is in sync).
    assert_eq!(bob.ok(Request::GroupQuit(gref("g1"))).await, Reply::Done);
    assert_eq!(left_of(bob.next_push().await), "g1");
    for c in [&mut a1, &mut a2, &mut carol] {
        let tip = tip_of(c.next_push().await);
        assert_eq!(tip, (TipKind::Quit, vec!["bob".into()], "bob".into()));
        assert_eq!(changed_of(c.next_push().await).member_count, 2);
    }
    let notices: Vec<u32> = bob
        .messages(tim_protocol::SYSTEM_CONVERSATION_ID)
        .await
        .into_iter()
        .filter_map(|m| match m.content {
            Content::GroupSystemNotice { operation_type, .. } => Some(operation_type),
            _ => None,
        })
        .collect();
    assert_eq!(notices, [7, 8]);
    // No longer a member: no sending, no history.
    let send = Request::Send(req::Send {
        message: message(ConvType::Group, "g1", "late", "hi"),
    });
    assert_eq!(bob.err_code(send).await, codes::NOT_GROUP_MEMBER);
    let history = Request::History(req::History {
        conversation_id: "GROUPg1".into(),
        before_seq: None,
        count: 15,
    });
    assert_eq!(bob.err_code(history).await, codes::NOT_GROUP_MEMBER);
    assert_eq!(
        bob.err_code(Request::GroupList(req::GroupList {
            group_ids: vec!["g1".into()]
        }))
        .await,
        codes::NOT_GROUP_MEMBER
    );

    // The owner of a Public group cannot quit; it dismisses.
    let code = a1.err_code(Request::GroupQuit(gref("g1"))).await;
    assert_eq!(code, codes::GROUP_OWNER_CANNOT_QUIT);
    assert_eq!(a1.ok(Request::GroupDismiss(gref("g1"))).await, Reply::Done);
    assert_eq!(left_of(a1.next_push().await), "g1");
    assert_eq!(notice_of(a2.next_push().await), (5, "alice".into()));
    assert_eq!(left_of(a2.next_push().await), "g1");
    assert_eq!(notice_of(carol.next_push().await), (5, "alice".into()));
    assert_eq!(left_of(carol.next_push().await), "g1");
    let Reply::Groups { groups } = carol
        .ok(Request::GroupList(req::GroupList::default()))
        .await
    else {
        panic!()
    };
    assert!(groups.is_empty());
    let code = carol
        .err_code(Request::GroupList(req::GroupList {
            group_ids: vec!["g1".into()],
        }))
        .await;
    assert_eq!(code, codes::GROUP_NOT_FOUND);
    // The ID is free again.
    let Reply::GroupCreated { group, .. } = a1.ok(create("g1", GroupType::Work, &[])).await else {
        panic!()
    };
    assert_eq!((group.group_type, group.member_count), (GroupType::Work, 1));
}

#[tokio::test]
async fn tips_reach_offline_members_by_sync_and_are_never_unread() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut spec = create("room", GroupType::Community, &["bob"]);
    if let Request::GroupCreate(r) = &mut spec {
        r.name = "Room".into();
    }
    alice.ok(spec).await;
    for i in 0..3 {
        alice
            .send(message(ConvType::Group, "room", &format!("m{i}"), "hi"))
            .await;
    }
    let bob_login = bob.sync_items(0).await.last().map_or(0, |i| i.sync_seq);
    bob.close().await;

    // While bob is away: carol joins (history before her join is not unread to her), quits,
    // dave joins.
    let mut carol = server.login("carol").await;
    carol
        .ok(Request::GroupJoin(req::GroupJoin {
            group_id: "room".into(),
            apply_message: String::new(),
        }))
        .await;
    let convs = carol.conversations().await;
    let room = convs
        .iter()
        .find(|c| c.conversation_id == "GROUProom")
        .expect("listed");
    assert_eq!(room.unread, 0, "history before the join is not unread");
    carol.ok(Request::GroupQuit(gref("room"))).await;
    let mut dave = server.login("dave").await;
    dave.ok(Request::GroupJoin(req::GroupJoin {
        group_id: "room".into(),
        apply_message: String::new(),
    }))
    .await;

    // Bob comes back: sync replays the tips in order; they are in history; none is unread.
    let mut bob = server.login("bob").await;
    let tips: Vec<(TipKind, Vec<String>)> = bob
        .sync_items(bob_login)
        .await
        .into_iter()
        .filter_map(|i| match i.message.content {
            Content::GroupTip {
                operation,
                user_ids,
                ..
            } => Some((operation, user_ids)),
            _ => None,
        })
        .collect();
    assert_eq!(
        tips,
        [
            (TipKind::Join, vec!["carol".to_string()]),
            (TipKind::Quit, vec!["carol".to_string()]),
            (TipKind::Join, vec!["dave".to_string()]),
        ]
    );
    let convs = bob.conversations().await;
    let room = convs
        .iter()
        .find(|c| c.conversation_id == "GROUProom")
        .expect("listed");
    assert_eq!(room.unread, 3, "the three messages, not the tips");
    let history = bob.messages("GROUProom").await;
    assert_eq!(history.len(), 6);
    assert_eq!(history[3].from, tim_protocol::SYSTEM_CONVERSATION_ID);
    // Nobody sends a tip.
    let forged = tim_protocol::OutboundMessage::new(
        ConvType::Group,
        "room",
        "forged",
        Content::GroupTip {
            operator_id: "bob".into(),
            operation: TipKind::Kick,
            user_ids: vec!["alice".into()],
            member_num: 0,
            group_id: "room".into(),
            group_name: String::new(),
            profile: vec![],
            members: vec![],
        },
    );
    let code = bob
        .err_code(Request::Send(req::Send { message: forged }))
        .await;
    assert_eq!(code, codes::INVALID_REQUEST);
    bob.expect_quiet().await;
}

#[tokio::test]
async fn meeting_joins_and_quits_commit_no_tip() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    alice.ok(create("m", GroupType::Meeting, &[])).await;
    assert_eq!(changed_of(alice.next_push().await).member_count, 1);
    let join = Request::GroupJoin(req::GroupJoin {
        group_id: "m".into(),
        apply_message: String::new(),
    });
    bob.ok(join).await;
    // The view changes (one more member), but the history gets nothing.
    assert_eq!(changed_of(alice.next_push().await).member_count, 2);
    assert_eq!(changed_of(bob.next_push().await).member_count, 2);
    bob.ok(Request::GroupQuit(gref("m"))).await;
    assert_eq!(changed_of(alice.next_push().await).member_count, 1);
    alice.expect_quiet().await;
    assert!(alice.messages("GROUPm").await.is_empty());
}
