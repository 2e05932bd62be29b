//! IM-group membership over real sockets: addGroupMember / deleteGroupMember /
//! changeGroupOwner / member settings with what each member receives, admins and member
//! limits, and the refusals (permissions and bad input) with their codes, the connection
//! staying usable. Member paging is in `groups_paging.rs`.

mod common;

use common::*;
use tim_protocol::{
    codes, req, Content, CustomField, GroupInfo, GroupRole, GroupType, JoinOption, JoinStatus,
    MemberInfo, Reply, Request, ServerFrame, TipKind,
};

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

fn users(group_id: &str, ids: &[&str]) -> req::GroupUsers {
    req::GroupUsers {
        group_id: group_id.into(),
        user_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
        reason: String::new(),
    }
}

fn tip_of(frame: ServerFrame) -> (TipKind, Vec<String>, Vec<(String, String)>) {
    let (_, m, _) = push_of(frame);
    match m.content {
        Content::GroupTip {
            operation,
            user_ids,
            profile,
            ..
        } => (
            operation,
            user_ids,
            profile.into_iter().map(|p| (p.key, p.value)).collect(),
        ),
        other => panic!("not a tip: {other:?}"),
    }
}

fn notice_type(frame: ServerFrame) -> u32 {
    match push_of(frame).1.content {
        Content::GroupSystemNotice { operation_type, .. } => operation_type,
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

async fn member_of(c: &mut Client, group: &str, user: &str) -> MemberInfo {
    match c
        .ok(Request::GroupMemberInfo(req::GroupMemberInfo {
            group_id: group.into(),
            user_ids: vec![user.into()],
        }))
        .await
    {
        Reply::GroupMembers { mut members, .. } => members.pop().expect("a member"),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn add_kick_transfer_and_member_settings() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    alice.ok(create("p", GroupType::Public, &[])).await;
    drain(&mut alice).await;

    let Reply::GroupAdded {
        success,
        failure,
        existed,
        over_limit,
        group,
    } = alice
        .ok(Request::GroupAdd(users(
            "p",
            &["bob", "carol", "alice", "ghost"],
        )))
        .await
    else {
        panic!()
    };
    assert_eq!(success, ["bob", "carol"]);
    assert_eq!(
        (failure, existed),
        (vec!["ghost".to_owned()], vec!["alice".to_owned()])
    );
    assert!(over_limit.is_empty());
    assert_eq!(group.member_count, 3);
    assert_eq!(notice_type(bob.next_push().await), 7);
    assert_eq!(tip_of(bob.next_push().await).0, TipKind::Invite);
    assert_eq!(changed_of(bob.next_push().await).member_count, 3);
    drain(&mut alice).await;
    drain(&mut carol).await;

    // Plain members of a Public group neither add nor remove nor edit the profile.
    let code = carol
        .err_code(Request::GroupAdd(users("p", &["alice"])))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    let code = carol
        .err_code(Request::GroupKick(users("p", &["bob"])))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    let update = Request::GroupUpdate(req::GroupUpdate {
        group_id: "p".into(),
        name: Some("Mine".into()),
        ..Default::default()
    });
    assert_eq!(
        carol.err_code(update.clone()).await,
        codes::NOT_GROUP_MEMBER
    );

    // The owner edits it: tip Profile with the change, everyone's view.
    let Reply::Group { group } = alice.ok(update).await else {
        panic!()
    };
    assert_eq!((group.name.as_str(), group.info_seq), ("Mine", 1));
    for c in [&mut bob, &mut carol] {
        let (kind, _, profile) = tip_of(c.next_push().await);
        assert_eq!(
            (kind, profile),
            (TipKind::Profile, vec![("name".into(), "Mine".into())])
        );
        assert_eq!(changed_of(c.next_push().await).name, "Mine");
    }
    drain(&mut alice).await;

    // Transfer to bob: alice becomes a member; changing to the owner again is 2621.
    let owner = |to: &str| {
        Request::GroupOwner(req::GroupOwner {
            group_id: "p".into(),
            new_owner_id: to.into(),
        })
    };
    assert_eq!(
        alice.err_code(owner("ghost")).await,
        codes::GROUP_INVALID_PARAMETER
    );
    let Reply::Group { group } = alice.ok(owner("bob")).await else {
        panic!()
    };
    assert_eq!(group.owner_id, "bob");
    assert_eq!(group.self_info.map(|s| s.role), Some(GroupRole::Member));
    let (kind, _, profile) = tip_of(carol.next_push().await);
    assert_eq!(
        (kind, profile),
        (TipKind::Profile, vec![("ownerID".into(), "bob".into())])
    );
    assert_eq!(
        bob.err_code(owner("bob")).await,
        codes::GROUP_CANNOT_CHANGE_OWNER_TO_SELF
    );
    assert_eq!(
        alice.err_code(owner("carol")).await,
        codes::NOT_GROUP_MEMBER
    );
    drain(&mut alice).await;
    drain(&mut bob).await;
    drain(&mut carol).await;

    // Bob (owner) removes carol: notice 4 and GroupLeft to her, tip Kick to the others.
    let Reply::GroupKicked { user_ids, group } = bob
        .ok(Request::GroupKick(users("p", &["carol", "nobody"])))
        .await
    else {
        panic!()
    };
    assert_eq!(
        (user_ids, group.member_count),
        (vec!["carol".to_owned()], 2)
    );
    assert_eq!(notice_type(carol.next_push().await), 4);
    assert!(
        matches!(carol.next_push().await, ServerFrame::GroupLeft { group_id } if group_id == "p")
    );
    assert_eq!(tip_of(alice.next_push().await).1, ["carol"]);
    assert_eq!(changed_of(alice.next_push().await).member_count, 2);
    let code = carol
        .err_code(Request::GroupMembers(req::GroupMembers {
            group_id: "p".into(),
            cursor: String::new(),
            count: 10,
        }))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    drain(&mut bob).await;

    // Name cards and custom fields: one's own, or the owner's on others; not a member's on
    // the owner.
    let set = |user: &str, card: &str| {
        Request::GroupMemberSet(req::GroupMemberSet {
            group_id: "p".into(),
            user_id: user.into(),
            name_card: Some(card.into()),
            custom: Some(vec![CustomField {
                key: "level".into(),
                value: "3".into(),
            }]),
        })
    };
    let Reply::GroupMember { member, group } = alice.ok(set("", "Al")).await else {
        panic!()
    };
    assert_eq!((member.name_card.as_str(), member.custom.len()), ("Al", 1));
    assert_eq!(group.self_info.map(|s| s.name_card), Some("Al".into()));
    assert_eq!(
        changed_of(alice.next_push().await)
            .self_info
            .map(|s| s.name_card),
        Some("Al".into())
    );
    bob.expect_quiet().await; // only alice's own view changed
    bob.ok(set("alice", "Alice")).await;
    assert_eq!(member_of(&mut bob, "p", "alice").await.name_card, "Alice");
    assert_eq!(
        alice.err_code(set("bob", "B")).await,
        codes::NOT_GROUP_MEMBER
    );
}

#[tokio::test]
async fn refusals_and_bad_input_are_answered_and_the_connection_keeps_working() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    alice.ok(create("w", GroupType::Work, &["bob"])).await;
    alice.ok(create("p", GroupType::Public, &["bob"])).await;
    let mut closed = create("d", GroupType::Public, &[]);
    if let Request::GroupCreate(r) = &mut closed {
        r.join_option = Some(JoinOption::DisableApply);
    }
    alice.ok(closed).await;
    let join = |id: &str| {
        Request::GroupJoin(req::GroupJoin {
            group_id: id.into(),
            apply_message: String::new(),
        })
    };
    let gref = |id: &str| req::GroupRef {
        group_id: id.into(),
    };

    // Group rules.
    assert_eq!(carol.err_code(join("w")).await, codes::NOT_GROUP_MEMBER);
    assert_eq!(carol.err_code(join("d")).await, codes::NOT_GROUP_MEMBER);
    assert_eq!(carol.err_code(join("nope")).await, codes::GROUP_NOT_FOUND);
    assert!(matches!(
        carol.ok(join("p")).await,
        Reply::GroupJoined {
            status: JoinStatus::WaitAdminApproval,
            group: None
        }
    ));
    assert_eq!(
        carol.err_code(Request::GroupSearch(gref("w"))).await,
        codes::GROUP_NOT_FOUND
    );
    let Reply::Group { group } = carol.ok(Request::GroupSearch(gref("p"))).await else {
        panic!()
    };
    assert_eq!((group.member_count, group.self_info), (2, None));
    let list = |ids: &[&str]| {
        Request::GroupList(req::GroupList {
            group_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
        })
    };
    assert_eq!(carol.err_code(list(&["p"])).await, codes::NOT_GROUP_MEMBER);
    assert_eq!(
        carol.err_code(list(&["nope"])).await,
        codes::GROUP_NOT_FOUND
    );
    assert_eq!(
        bob.err_code(Request::GroupDismiss(gref("w"))).await,
        codes::GROUP_CANNOT_DISMISS_WORK
    );
    assert_eq!(
        alice.err_code(Request::GroupDismiss(gref("w"))).await,
        codes::GROUP_CANNOT_DISMISS_WORK
    );
    assert_eq!(
        bob.err_code(Request::GroupDismiss(gref("p"))).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        carol.err_code(Request::GroupQuit(gref("p"))).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        alice.err_code(create("p", GroupType::Public, &[])).await,
        codes::GROUP_ALREADY_EXISTS
    );
    // In a Work group any member adds, and edits the profile, but never mutes everyone.
    bob.ok(Request::GroupAdd(users("w", &["carol"]))).await;
    let rename = req::GroupUpdate {
        group_id: "w".into(),
        name: Some("Ours".into()),
        ..Default::default()
    };
    bob.ok(Request::GroupUpdate(rename.clone())).await;
    let mute = req::GroupUpdate {
        mute_all: Some(true),
        ..rename
    };
    assert_eq!(
        alice.err_code(Request::GroupUpdate(mute)).await,
        codes::GROUP_INVALID_PARAMETER
    );
    // The owner of a Work group may leave it ownerless.
    alice.ok(Request::GroupQuit(gref("w"))).await;
    let Reply::Groups { groups } = bob.ok(list(&["w"])).await else {
        panic!()
    };
    assert_eq!(
        (groups[0].owner_id.as_str(), groups[0].member_count),
        ("", 2)
    );

    // Bad input: each answered with 10004, nothing stored.
    let bad = |f: fn(&mut req::GroupCreate)| {
        let mut r = req::GroupCreate {
            name: "ok".into(),
            ..Default::default()
        };
        f(&mut r);
        Request::GroupCreate(r)
    };
    let cases = [
        bad(|r| r.name = "x".repeat(31)),
        bad(|r| r.name.clear()),
        bad(|r| r.group_id = "@TGS#mine".into()),
        bad(|r| r.group_id = "a\u{7}b".into()),
        bad(|r| r.group_type = GroupType::AvChatRoom),
        bad(|r| r.max_member_count = Some(201)),
        bad(|r| r.introduction = "i".repeat(241)),
        bad(|r| {
            r.members = (0..501)
                .map(|i| tim_protocol::NewMember {
                    user_id: format!("u{i}"),
                    ..Default::default()
                })
                .collect()
        }),
        bad(|r| {
            r.custom = vec![
                CustomField {
                    key: "k".into(),
                    value: "1".into(),
                };
                2
            ]
        }),
        bad(|r| r.support_topic = true),
        Request::GroupUpdate(req::GroupUpdate {
            group_id: "p".into(),
            ..Default::default()
        }),
        Request::GroupAdd(users("p", &[])),
        Request::GroupKick(users("p", &["alice"])),
        Request::GroupMemberSet(req::GroupMemberSet {
            group_id: "p".into(),
            name_card: Some("n".repeat(51)),
            ..Default::default()
        }),
        Request::GroupMemberInfo(req::GroupMemberInfo {
            group_id: "p".into(),
            user_ids: (0..51).map(|i| format!("u{i}")).collect(),
        }),
        Request::GroupDismiss(gref("")),
    ];
    for case in cases {
        assert_eq!(
            alice.err_code(case.clone()).await,
            codes::GROUP_INVALID_PARAMETER,
            "{case:?}"
        );
    }
    // A frame that does not decode (wrong type) is answered too.
    drain(&mut alice).await;
    alice
        .send_text(r#"{"id":900,"req":{"op":"group_join","group_id":7}}"#.into())
        .await;
    assert!(matches!(
        alice.next_push().await,
        ServerFrame::Error { code, .. } if code == codes::FRAME_MALFORMED
    ));
    alice.expect_quiet().await;
    let Reply::Groups { groups } = alice.ok(list(&[])).await else {
        panic!()
    };
    let ids: Vec<&str> = groups.iter().map(|g| g.group_id.as_str()).collect();
    assert_eq!(ids, ["d", "p"]);
}

#[tokio::test]
async fn admins_limits_and_full_groups() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    server.login("carol").await;
    let mut dave = server.login("dave").await;
    // Created with bob as admin, room for three: dave is over the limit.
    let mut spec = create("p", GroupType::Public, &["bob", "carol", "dave"]);
    if let Request::GroupCreate(r) = &mut spec {
        r.members[0].role = GroupRole::Admin;
        r.max_member_count = Some(3);
        r.join_option = Some(JoinOption::FreeAccess);
    }
    let Reply::GroupCreated { group, over_limit } = alice.ok(spec).await else {
        panic!()
    };
    assert_eq!(
        (group.member_count, over_limit),
        (3, vec!["dave".to_owned()])
    );
    let code = dave
        .err_code(Request::GroupJoin(req::GroupJoin {
            group_id: "p".into(),
            apply_message: String::new(),
        }))
        .await;
    assert_eq!(code, codes::GROUP_FULL);
    let Reply::GroupAdded { over_limit, .. } =
        alice.ok(Request::GroupAdd(users("p", &["dave"]))).await
    else {
        panic!()
    };
    assert_eq!(over_limit, ["dave"]);
    // The admin edits the profile and removes a member, never the owner.
    bob.ok(Request::GroupUpdate(req::GroupUpdate {
        group_id: "p".into(),
        notification: Some("Be nice".into()),
        ..Default::default()
    }))
    .await;
    let code = bob
        .err_code(Request::GroupKick(users("p", &["alice"])))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    bob.ok(Request::GroupKick(users("p", &["carol"]))).await;
    // An admin cannot dismiss; the owner can.
    dave.expect_quiet().await; // never a member: told nothing
    let code = bob
        .err_code(Request::GroupDismiss(req::GroupRef {
            group_id: "p".into(),
        }))
        .await;
    assert_eq!(code, codes::NOT_GROUP_MEMBER);
    alice
        .ok(Request::GroupDismiss(req::GroupRef {
            group_id: "p".into(),
        }))
        .await;
}
