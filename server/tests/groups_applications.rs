//! Applications to join a group over real sockets: joinGroup on a group needing approval
//! (notice 1 to the owner and admins on every session; a repeat refreshes the pending one),
//! getGroupApplicationList (only pending ones, only of groups the requester manages),
//! handleGroupApplication (two admins at once: exactly one wins, the other gets 10024;
//! Agree: notice 2, tip Join, the new views; Reject: notice 3), and
//! getGroupOnlineMemberCount.

mod common;

use common::*;
use tim_protocol::{
    codes, req, Content, GroupApplication, GroupInfo, GroupRole, GroupType, JoinOption, JoinStatus,
    NewMember, Reply, Request, ServerFrame, TipKind,
};

fn create(id: &str, members: &[(&str, GroupRole)]) -> Request {
    Request::GroupCreate(req::GroupCreate {
        group_id: id.into(),
        group_type: GroupType::Public,
        name: format!("Group {id}"),
        join_option: Some(JoinOption::NeedPermission),
        members: members
            .iter()
            .map(|(m, role)| NewMember {
                user_id: (*m).into(),
                role: *role,
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

fn join(group: &str, note: &str) -> Request {
    Request::GroupJoin(req::GroupJoin {
        group_id: group.into(),
        apply_message: note.into(),
    })
}

fn handle(group: &str, applicant: &str, agree: bool) -> Request {
    Request::GroupAppHandle(req::GroupAppHandle {
        group_id: group.into(),
        applicant: applicant.into(),
        agree,
        handle_message: "ok".into(),
    })
}

async fn apps(c: &mut Client) -> Vec<GroupApplication> {
    match c.ok(Request::GroupApps).await {
        Reply::GroupApps { applications } => applications,
        other => panic!("unexpected {other:?}"),
    }
}

/// The (group, applicant, note) of each application.
fn summary(apps: &[GroupApplication]) -> Vec<(&str, &str, &str)> {
    apps.iter()
        .map(|a| (a.group_id.as_str(), a.applicant.as_str(), a.note.as_str()))
        .collect()
}

fn notice_of(frame: ServerFrame) -> (u32, String, String) {
    match push_of(frame).1.content {
        Content::GroupSystemNotice {
            operation_type,
            operator_id,
            group_id,
            ..
        } => (operation_type, operator_id, group_id),
        other => panic!("not a notice: {other:?}"),
    }
}

fn tip_of(frame: ServerFrame) -> (TipKind, Vec<String>) {
    match push_of(frame).1.content {
        Content::GroupTip {
            operation,
            user_ids,
            ..
        } => (operation, user_ids),
        other => panic!("not a tip: {other:?}"),
    }
}

fn changed_of(frame: ServerFrame) -> GroupInfo {
    match frame {
        ServerFrame::GroupChanged { group } => group,
        other => panic!("expected GroupChanged, got {other:?}"),
    }
}

async fn drain(c: &mut Client) {
    let id = c.send_req(Request::Ping).await;
    loop {
        if let ServerFrame::Ok { id: got, .. } = c.next_push().await {
            if got == id {
                return;
            }
        }
    }
}

#[tokio::test]
async fn the_first_admin_to_handle_an_application_wins() {
    let server = TestServer::start().await;
    let mut a1 = server.login("alice").await;
    let mut a2 = server.login("alice").await;
    let mut b1 = server.login("bob").await;
    let mut b2 = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let mut dan = server.login("dan").await;
    let mut erin = server.login("erin").await;
    let members = [
        ("bob", GroupRole::Admin),
        ("carol", GroupRole::Admin),
        ("dan", GroupRole::Member),
    ];
    a1.ok(create("p", &members)).await;
    for c in [&mut a1, &mut a2, &mut b1, &mut b2, &mut carol, &mut dan] {
        drain(c).await;
    }

    // Erin applies: the owner and the admins hear it on every session (notice 1, operator
    // the applicant); the plain member does not.
    let Reply::GroupJoined { status, group } = erin.ok(join("p", "let me in")).await else {
        panic!()
    };
    assert_eq!((status, group), (JoinStatus::WaitAdminApproval, None));
    for c in [&mut a1, &mut a2, &mut b1, &mut b2, &mut carol] {
        assert_eq!(
            notice_of(c.next_push().await),
            (1, "erin".into(), "p".into())
        );
    }
    dan.expect_quiet().await;
    // Applying again refreshes the note; no second application, no second notice.
    erin.ok(join("p", "please")).await;
    a1.expect_quiet().await;
    assert_eq!(summary(&apps(&mut a1).await), [("p", "erin", "please")]);
    assert_eq!(summary(&apps(&mut carol).await), [("p", "erin", "please")]);
    assert!(apps(&mut dan).await.is_empty());
    assert!(apps(&mut erin).await.is_empty());
    // A plain member cannot handle it.
    assert_eq!(
        dan.err_code(handle("p", "erin", true)).await,
        codes::NOT_GROUP_MEMBER
    );

    // Two admins agree at once: one wins, the other is told 10024.
    let bob_req = b1.send_req(handle("p", "erin", true)).await;
    let carol_req = carol.send_req(handle("p", "erin", true)).await;
    let (by_bob, by_carol) = (b1.answer(bob_req).await, carol.answer(carol_req).await);
    let outcomes = [&by_bob, &by_carol];
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    let loser = outcomes
        .iter()
        .find_map(|o| o.as_ref().err())
        .expect("a loser");
    assert_eq!(loser.0, codes::GROUP_APPLICATION_HANDLED);
    let winner = if by_bob.is_ok() { "bob" } else { "carol" };
    if let Ok(Reply::Group { group }) = &by_bob {
        assert_eq!(group.member_count, 5);
    }

    // Erin: notice 2 from the winner, tip Join, its view as a member.
    assert_eq!(
        notice_of(erin.next_push().await),
        (2, winner.into(), "p".into())
    );
    assert_eq!(
        tip_of(erin.next_push().await),
        (TipKind::Join, vec!["erin".into()])
    );
    let view = changed_of(erin.next_push().await);
    assert_eq!(view.self_info.map(|s| s.role), Some(GroupRole::Member));
    // Every other member's every session: tip Join and the new member count.
    for c in [&mut a1, &mut a2, &mut b1, &mut b2, &mut carol, &mut dan] {
        assert_eq!(tip_of(c.next_push().await).0, TipKind::Join);
        assert_eq!(changed_of(c.next_push().await).member_count, 5);
    }
    assert!(apps(&mut a1).await.is_empty());
    let again = erin.ok(join("p", "")).await;
    assert!(matches!(
        again,
        Reply::GroupJoined {
            status: JoinStatus::AlreadyInGroup,
            ..
        }
    ));
}

#[tokio::test]
async fn a_refused_applicant_is_told_and_lists_show_only_managed_groups() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut dan = server.login("dan").await;
    let mut fred = server.login("fred").await;
    let mut gina = server.login("gina").await;
    alice
        .ok(create(
            "p",
            &[("bob", GroupRole::Admin), ("dan", GroupRole::Member)],
        ))
        .await;
    dan.ok(create("q", &[("alice", GroupRole::Member)])).await;
    fred.ok(join("p", "hi")).await;
    gina.ok(join("p", "me too")).await;
    gina.ok(join("q", "and here")).await;
    // Alice owns p and is a plain member of q; dan the reverse.
    assert_eq!(
        summary(&apps(&mut alice).await),
        [("p", "fred", "hi"), ("p", "gina", "me too")]
    );
    assert_eq!(summary(&apps(&mut dan).await), [("q", "gina", "and here")]);
    let listed = apps(&mut alice).await;
    assert_eq!(listed[0].group_name, "Group p");
    assert_eq!(listed[0].application_type, 0);
    for c in [&mut alice, &mut bob, &mut fred] {
        drain(c).await;
    }

    // Refused: notice 3 to fred, who stays outside; the next handler gets 10024.
    let Reply::Group { group } = alice.ok(handle("p", "fred", false)).await else {
        panic!()
    };
    assert_eq!(group.member_count, 3);
    assert_eq!(
        notice_of(fred.next_push().await),
        (3, "alice".into(), "p".into())
    );
    fred.expect_quiet().await;
    bob.expect_quiet().await;
    let code = bob.err_code(handle("p", "fred", true)).await;
    assert_eq!(code, codes::GROUP_APPLICATION_HANDLED);
    let code = fred
        .err_code(Request::GroupList(req::GroupList {
            group_ids: vec!["p".into()],
        }))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    assert_eq!(summary(&apps(&mut bob).await), [("p", "gina", "me too")]);
    // No application at all: invalid; an unknown group: 10010.
    let code = alice.err_code(handle("p", "zoe", true)).await;
    assert_eq!(code, codes::GROUP_INVALID_PARAMETER);
    let code = alice.err_code(handle("nope", "fred", true)).await;
    assert_eq!(code, codes::GROUP_NOT_FOUND);

    // Fred applies again after the refusal: a fresh pending application, admins told again.
    fred.ok(join("p", "second try")).await;
    assert_eq!(
        notice_of(bob.next_push().await),
        (1, "fred".into(), "p".into())
    );
    assert_eq!(
        summary(&apps(&mut bob).await),
        [("p", "gina", "me too"), ("p", "fred", "second try")]
    );
    bob.ok(handle("p", "fred", true)).await;
    // Gina is added by the owner while her application is pending: it leaves the list, and
    // handling it now is too late.
    alice
        .ok(Request::GroupAdd(req::GroupUsers {
            group_id: "p".into(),
            user_ids: vec!["gina".into()],
            reason: String::new(),
        }))
        .await;
    assert!(apps(&mut bob).await.is_empty());
    let code = bob.err_code(handle("p", "gina", false)).await;
    assert_eq!(code, codes::GROUP_APPLICATION_HANDLED);
    let Reply::Groups { groups } = fred.ok(Request::GroupList(req::GroupList::default())).await
    else {
        panic!()
    };
    assert_eq!(
        groups
            .iter()
            .map(|g| g.group_id.as_str())
            .collect::<Vec<_>>(),
        ["p"]
    );
}

#[tokio::test]
async fn the_online_count_counts_members_with_a_socket() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let bob = server.login("bob").await;
    let mut erin = server.login("erin").await;
    // carol is a member who never connects.
    alice
        .ok(create(
            "p",
            &[("bob", GroupRole::Member), ("carol", GroupRole::Member)],
        ))
        .await;
    assert_eq!(count(&mut alice).await, 2);
    let code = erin
        .err_code(Request::GroupOnline(req::GroupRef {
            group_id: "p".into(),
        }))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    bob.close().await;
    let alice = std::sync::Arc::new(tokio::sync::Mutex::new(alice));
    poll_until(WAIT, || {
        let alice = alice.clone();
        async move {
            match count(&mut *alice.lock().await).await {
                1 => Ok(()),
                n => Err(format!("{n} online, expected 1 after bob left")),
            }
        }
    })
    .await;
}

async fn count(c: &mut Client) -> u32 {
    match c
        .ok(Request::GroupOnline(req::GroupRef {
            group_id: "p".into(),
        }))
        .await
    {
        Reply::GroupCount { count } => count,
        other => panic!("unexpected {other:?}"),
    }
}
