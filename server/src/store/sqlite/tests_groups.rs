//! Store-level tests of groups step 2 (applications, mutes) that the socket tests cannot
//! isolate: migration 7 -> 8, two handlers of one application inside ONE batch (the
//! committer's common case, where only the store's conditional update decides), the muted
//! send leaving nothing behind, and the application list's query plan.

use tim_protocol::{codes, req, ConvType, JoinStatus, Reply};

use super::tests::{open, plan_of};
use super::SqliteStore;
use crate::store::group::{Actor, GroupAction, GroupOp};
use crate::store::{Outcome, Store, StoreError, Write};

fn op(user: &str, action: GroupAction) -> Write {
    Write::Group(GroupOp {
        actor: Actor::User(user.into()),
        action,
        quiet: false,
    })
}

fn join(user: &str, group: &str) -> Write {
    op(
        user,
        GroupAction::Join(req::GroupJoin {
            group_id: group.into(),
            apply_message: format!("{user} here"),
        }),
    )
}

fn handle(user: &str, applicant: &str, agree: bool) -> Write {
    op(
        user,
        GroupAction::AppHandle(req::GroupAppHandle {
            group_id: "g".into(),
            applicant: applicant.into(),
            agree,
            handle_message: String::new(),
        }),
    )
}

fn code(r: &Result<Outcome, StoreError>) -> u32 {
    match r {
        Ok(_) => 0,
        Err(e) => e.code(),
    }
}

/// A Public group "g" (applications need approval) owned by alice, bob its admin.
fn public_group(store: &SqliteStore) {
    let create = op(
        "alice",
        GroupAction::Create(crate::store::group::CreateGroup {
            spec: req::GroupCreate {
                group_id: "g".into(),
                group_type: tim_protocol::GroupType::Public,
                name: "G".into(),
                members: vec![tim_protocol::NewMember {
                    user_id: "bob".into(),
                    role: tim_protocol::GroupRole::Admin,
                    custom: vec![],
                }],
                ..Default::default()
            },
            owner: Some("alice".into()),
        }),
    );
    store.apply(&[&create], 1).unwrap().remove(0).unwrap();
}

#[test]
fn two_handlers_in_one_batch_one_wins() {
    let (_dir, store) = open();
    public_group(&store);
    let applied = store.apply(&[&join("erin", "g")], 2).unwrap().remove(0);
    assert!(matches!(
        applied,
        Ok(Outcome::Group(ref o)) if matches!(o.reply, Reply::GroupJoined {
            status: JoinStatus::WaitAdminApproval, ..
        })
    ));
    let out = store
        .apply(
            &[
                &handle("alice", "erin", true),
                &handle("bob", "erin", false),
            ],
            3,
        )
        .unwrap();
    assert_eq!(
        out.iter().map(code).collect::<Vec<_>>(),
        [0, codes::GROUP_APPLICATION_HANDLED]
    );
    let members: Vec<_> = store
        .group_members("alice", "g", "", 10)
        .unwrap()
        .0
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    assert_eq!(members, ["alice", "bob", "erin"]);
    assert!(store.group_apps("alice").unwrap().is_empty());
}

#[test]
fn a_refused_muted_send_in_a_batch_leaves_nothing_and_the_rest_commits() {
    let (_dir, store) = open();
    public_group(&store);
    let mute = op(
        "alice",
        GroupAction::Mute(req::GroupMute {
            group_id: "g".into(),
            user_id: "bob".into(),
            mute_time: 10,
        }),
    );
    store.apply(&[&mute], 100).unwrap().remove(0).unwrap();
    let send = |from: &str, id: &str| {
        Write::Send(crate::store::SendWrite {
            from: from.into(),
            message: tim_protocol::OutboundMessage::new(
                ConvType::Group,
                "g",
                id,
                tim_protocol::Content::Text { text: id.into() },
            ),
            require_membership: true,
        })
    };
    let out = store
        .apply(
            &[
                &send("alice", "a1"),
                &send("bob", "b1"),
                &send("alice", "a2"),
            ],
            105,
        )
        .unwrap();
    assert_eq!(
        out.iter().map(code).collect::<Vec<_>>(),
        [0, codes::GROUP_MEMBER_MUTED, 0]
    );
    // The mute ends at 110: from then on bob sends.
    let out = store.apply(&[&send("bob", "b2")], 110).unwrap();
    assert_eq!(code(&out[0]), 0);
}

#[test]
fn migration_8_adds_applications_to_a_version_7_database() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = rusqlite::Connection::open(dir.path().join("tim.sqlite")).unwrap();
        super::schema::build_version(&db, 7).unwrap();
        db.execute_batch(
            "INSERT INTO convs (conv_id, kind, a, b, last_seq) VALUES (1, 'G', 'g', '', 0);
             INSERT INTO groups (group_id, conv_id, group_type, name, owner, created)
                 VALUES ('g', 1, 'Public', 'G', 'alice', 100);
             INSERT INTO group_members (conv_id, user_id, role, join_time)
                 VALUES (1, 'alice', 'Owner', 100);
             INSERT INTO user_convs (user_id, conv_id, read_seq, sort_key)
                 VALUES ('alice', 1, 0, 1);",
        )
        .unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .apply(&[&join("erin", "g")], 200)
        .unwrap()
        .remove(0)
        .unwrap();
    let apps = store.group_apps("alice").unwrap();
    assert_eq!(
        apps.iter()
            .map(|a| (
                a.group_id.as_str(),
                a.applicant.as_str(),
                a.note.as_str(),
                a.time
            ))
            .collect::<Vec<_>>(),
        [("g", "erin", "erin here", 200)]
    );
}

#[test]
fn the_application_list_reads_through_indexes() {
    let (_dir, store) = open();
    let plan = plan_of(&store, super::group::PENDING_FOR, ("u", 10));
    assert!(
        plan.iter().any(|s| s.contains("group_members_by_user"))
            && plan.iter().any(|s| s.contains("group_apps_pending"))
            && !plan.iter().any(|s| s.starts_with("SCAN")),
        "{plan:?}"
    );
    let plan = plan_of(&store, super::group_read::USER_GROUPS, ["u"]);
    assert!(!plan.iter().any(|s| s.starts_with("SCAN")), "{plan:?}");
}
