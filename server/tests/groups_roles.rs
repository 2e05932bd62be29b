//! Roles and mutes over real sockets: setGroupMemberRole (tips SetAdmin/CancelAdmin to every
//! member, notices 9/10 and the new view to every session of the target), the refusals with
//! their codes, setGroupMemberMuteTime (tip MemberProfile; a muted member's send refused
//! 10017 until unmuted) and muteAllMembers (plain members refused, the owner and admins not).

mod common;

use common::*;
use tim_protocol::{
    codes, req, Content, ConvType, GroupInfo, GroupRole, GroupType, MemberChange, NewMember, Reply,
    Request, ServerFrame, TipKind,
};

/// A group owned by the requester with these members and roles.
fn create(id: &str, t: GroupType, members: &[(&str, GroupRole)]) -> Request {
    Request::GroupCreate(req::GroupCreate {
        group_id: id.into(),
        group_type: t,
        name: "Team".into(),
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

fn set_role(group: &str, user: &str, role: GroupRole) -> Request {
    Request::GroupRole(req::GroupSetRole {
        group_id: group.into(),
        user_id: user.into(),
        role,
    })
}

fn mute(group: &str, user: &str, mute_time: u64) -> Request {
    Request::GroupMute(req::GroupMute {
        group_id: group.into(),
        user_id: user.into(),
        mute_time,
    })
}

fn send(group: &str, id: &str) -> Request {
    Request::Send(req::Send {
        message: message(ConvType::Group, group, id, "hi"),
    })
}

/// A tip's kind, users and member changes; panics on any other frame.
fn tip_of(frame: ServerFrame) -> (TipKind, Vec<String>, Vec<MemberChange>) {
    match push_of(frame).1.content {
        Content::GroupTip {
            operation,
            user_ids,
            members,
            ..
        } => (operation, user_ids, members),
        other => panic!("not a tip: {other:?}"),
    }
}

/// A notice's type and operator; panics on any other frame.
fn notice_of(frame: ServerFrame) -> (u32, String) {
    match push_of(frame).1.content {
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

/// Reads everything queued on `c` up to a ping's answer.
async fn drain(c: &mut Client) -> Vec<ServerFrame> {
    let id = c.send_req(Request::Ping).await;
    let mut frames = Vec::new();
    loop {
        match c.next_push().await {
            ServerFrame::Ok { id: got, .. } if got == id => return frames,
            f => frames.push(f),
        }
    }
}

#[tokio::test]
async fn the_owner_sets_and_revokes_admins_and_every_session_of_the_target_hears() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut b1 = server.login("bob").await;
    let mut b2 = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let members = [("bob", GroupRole::Member), ("carol", GroupRole::Member)];
    alice.ok(create("p", GroupType::Public, &members)).await;
    for c in [&mut alice, &mut b1, &mut b2, &mut carol] {
        drain(c).await;
    }

    let Reply::GroupMember { member, group } =
        alice.ok(set_role("p", "bob", GroupRole::Admin)).await
    else {
        panic!()
    };
    assert_eq!(
        (member.user_id.as_str(), member.role),
        ("bob", GroupRole::Admin)
    );
    assert_eq!(group.self_info.map(|s| s.role), Some(GroupRole::Owner));
    for b in [&mut b1, &mut b2] {
        assert_eq!(notice_of(b.next_push().await), (9, "alice".into()));
        assert_eq!(
            tip_of(b.next_push().await),
            (TipKind::SetAdmin, vec!["bob".into()], vec![])
        );
        let view = changed_of(b.next_push().await);
        assert_eq!(view.self_info.map(|s| s.role), Some(GroupRole::Admin));
        b.expect_quiet().await;
    }
    // Everyone else: the tip only (their own views did not change).
    for c in [&mut alice, &mut carol] {
        assert_eq!(tip_of(c.next_push().await).0, TipKind::SetAdmin);
        c.expect_quiet().await;
    }
    // Setting the role bob has already: nothing to tell.
    alice.ok(set_role("p", "bob", GroupRole::Admin)).await;
    alice.expect_quiet().await;
    b1.expect_quiet().await;

    // Refusals: only the owner sets roles; not oneself, not the owner role, not outsiders,
    // not in Work groups.
    let code = b1.err_code(set_role("p", "carol", GroupRole::Admin)).await;
    assert_eq!(code, codes::GROUP_NOT_OWNER);
    let code = carol
        .err_code(set_role("p", "bob", GroupRole::Member))
        .await;
    assert_eq!(code, codes::GROUP_NOT_OWNER);
    let code = alice
        .err_code(set_role("p", "alice", GroupRole::Member))
        .await;
    assert_eq!(code, codes::GROUP_CANNOT_SET_SELF_ROLE);
    let code = alice
        .err_code(set_role("p", "carol", GroupRole::Owner))
        .await;
    assert_eq!(code, codes::GROUP_INVALID_MEMBER_ROLE);
    let code = alice
        .err_code(set_role("p", "erin", GroupRole::Admin))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    let code = alice
        .err_code(set_role("nope", "bob", GroupRole::Admin))
        .await;
    assert_eq!(code, codes::GROUP_NOT_FOUND);
    alice.ok(create("w", GroupType::Work, &members)).await;
    let code = alice.err_code(set_role("w", "bob", GroupRole::Admin)).await;
    assert_eq!(code, codes::GROUP_CANNOT_SET_ROLE_HERE);
    for c in [&mut alice, &mut b1, &mut b2, &mut carol] {
        drain(c).await;
    }

    // Revoked: notice 10, tip CancelAdmin, and bob's view says Member again.
    alice.ok(set_role("p", "bob", GroupRole::Member)).await;
    for b in [&mut b1, &mut b2] {
        assert_eq!(notice_of(b.next_push().await), (10, "alice".into()));
        assert_eq!(tip_of(b.next_push().await).0, TipKind::CancelAdmin);
        let view = changed_of(b.next_push().await);
        assert_eq!(view.self_info.map(|s| s.role), Some(GroupRole::Member));
    }
    assert_eq!(tip_of(carol.next_push().await).0, TipKind::CancelAdmin);
    // Bob, a member again, may no longer act as an admin.
    let code = b1.err_code(mute("p", "carol", 60)).await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
}

#[tokio::test]
async fn a_muted_member_cannot_send_until_unmuted() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let mut dan = server.login("dan").await;
    let members = [
        ("bob", GroupRole::Admin),
        ("carol", GroupRole::Member),
        ("dan", GroupRole::Member),
    ];
    alice.ok(create("p", GroupType::Public, &members)).await;
    alice.ok(create("w", GroupType::Work, &members)).await;
    for c in [&mut alice, &mut bob, &mut carol, &mut dan] {
        drain(c).await;
    }

    // Refusals: members mute nobody, admins not the owner or themselves, Work groups have
    // no mute, a mute time over 32 bits is invalid.
    assert_eq!(
        carol.err_code(mute("p", "dan", 60)).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        bob.err_code(mute("p", "alice", 60)).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        bob.err_code(mute("p", "bob", 60)).await,
        codes::GROUP_CANNOT_MUTE_SELF
    );
    assert_eq!(
        bob.err_code(mute("w", "carol", 60)).await,
        codes::GROUP_INVALID_PARAMETER
    );
    let code = bob
        .err_code(mute("p", "carol", u64::from(u32::MAX) + 1))
        .await;
    assert_eq!(code, codes::GROUP_INVALID_PARAMETER);
    assert_eq!(
        bob.err_code(mute("p", "erin", 60)).await,
        codes::NOT_GROUP_MEMBER
    );

    // The admin mutes carol for a minute: every member gets tip MemberProfile.
    let before = now();
    let Reply::GroupMember { member, .. } = bob.ok(mute("p", "carol", 60)).await else {
        panic!()
    };
    assert!((before + 60..=now() + 60).contains(&member.mute_until));
    let change = MemberChange {
        user_id: "carol".into(),
        mute_time: 60,
    };
    for c in [&mut alice, &mut bob, &mut carol, &mut dan] {
        let tip = tip_of(c.next_push().await);
        assert_eq!(
            tip,
            (
                TipKind::MemberProfile,
                vec!["carol".into()],
                vec![change.clone()]
            )
        );
        c.expect_quiet().await;
    }
    assert_eq!(
        carol.err_code(send("p", "m1")).await,
        codes::GROUP_MEMBER_MUTED
    );
    // Online-only messages (typing, signaling) are refused alike, though never stored.
    let mut online = message(ConvType::Group, "p", "o1", "typing");
    online.online_user_only = true;
    let code = carol
        .err_code(Request::Send(req::Send { message: online }))
        .await;
    assert_eq!(code, codes::GROUP_MEMBER_MUTED);
    // Others still send; carol's refusal stored nothing.
    dan.ok(send("p", "d1")).await;
    let history = alice.messages("GROUPp").await;
    assert!(history.iter().all(|m| m.from != "carol"));

    // Unmuted (mute time 0): tip with mute_time 0, and carol sends again.
    let Reply::GroupMember { member, .. } = alice.ok(mute("p", "carol", 0)).await else {
        panic!()
    };
    assert_eq!(member.mute_until, 0);
    drain(&mut carol).await;
    carol.ok(send("p", "m2")).await;
}

#[tokio::test]
async fn mute_all_refuses_plain_members_but_not_the_owner_or_admins() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let members = [("bob", GroupRole::Admin), ("carol", GroupRole::Member)];
    alice.ok(create("p", GroupType::Meeting, &members)).await;
    let update = |on: bool| {
        Request::GroupUpdate(req::GroupUpdate {
            group_id: "p".into(),
            mute_all: Some(on),
            ..Default::default()
        })
    };
    bob.ok(update(true)).await;
    assert_eq!(
        carol.err_code(send("p", "c1")).await,
        codes::GROUP_MEMBER_MUTED
    );
    alice.ok(send("p", "a1")).await;
    bob.ok(send("p", "b1")).await;
    // A plain member may not lift it either (profile changes are for the owner and admins).
    assert_eq!(carol.err_code(update(false)).await, codes::NOT_GROUP_MEMBER);
    alice.ok(update(false)).await;
    carol.ok(send("p", "c2")).await;
}

/// A member offline during role and mute changes finds the notice and the tips by sync when it
/// connects (they are stored deliveries like messages).
#[tokio::test]
async fn an_offline_member_syncs_its_role_notice_and_the_tips() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let members = [("dan", GroupRole::Member), ("erin", GroupRole::Member)];
    alice.ok(create("p", GroupType::Public, &members)).await;
    alice.ok(set_role("p", "dan", GroupRole::Admin)).await;
    alice.ok(mute("p", "erin", 30)).await;

    let mut dan = server.login("dan").await;
    let seen: Vec<String> = dan
        .sync_items(0)
        .await
        .into_iter()
        .map(|i| match i.message.content {
            Content::GroupSystemNotice { operation_type, .. } => format!("notice {operation_type}"),
            Content::GroupTip { operation, .. } => format!("tip {operation:?}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        seen,
        ["notice 7", "notice 9", "tip SetAdmin", "tip MemberProfile"]
    );
    let mut erin = server.login("erin").await;
    assert_eq!(
        erin.err_code(send("p", "e1")).await,
        codes::GROUP_MEMBER_MUTED
    );
}
