//! Store-level tests: batch semantics that the integration tests cannot isolate.

use tim_protocol::{Content, ConvType, OutboundMessage};

use super::SqliteStore;
use crate::store::group::GroupOp;
use crate::store::{Conv, Outcome, SendWrite, Store, StoreError, Write};

pub(super) fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    (dir, store)
}

fn send(from: &str, conv_type: ConvType, to: &str, id: &str) -> Write {
    Write::Send(SendWrite {
        from: from.into(),
        message: OutboundMessage {
            random: 1,
            ..OutboundMessage::new(conv_type, to, id, Content::Text { text: id.into() })
        },
        require_membership: true,
    })
}

fn sent(o: &Result<Outcome, StoreError>) -> (u64, u64, bool) {
    match o {
        Ok(Outcome::Sent(s)) => (s.message.seq, s.sender_sync_seq, s.duplicate),
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_batch_one_transaction_failures_isolated() {
    let (_dir, store) = open();
    let batch = [
        send("a", ConvType::C2c, "b", "1"),
        send("b", ConvType::C2c, "a", "2"),
        send("a", ConvType::Group, "missing", "3"),
        send("a", ConvType::C2c, "b", "1"), // repeat inside the same batch
        send("a", ConvType::C2c, "c", "4"),
    ];
    let refs: Vec<&Write> = batch.iter().collect();
    let out = store.apply(&refs, 100).unwrap();
    assert_eq!(store.commits(), 1);
    assert_eq!(store.messages_committed(), 3);
    assert_eq!(sent(&out[0]), (1, 1, false));
    assert_eq!(sent(&out[1]), (2, 2, false));
    assert!(matches!(out[2], Err(StoreError::GroupNotFound)));
    assert_eq!(sent(&out[3]), (1, 1, true));
    assert_eq!(sent(&out[4]), (1, 3, false));

    let (msgs, complete) = store
        .history("b", &Conv::C2c("a".into()), None, 15)
        .unwrap();
    assert_eq!(
        msgs.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["1", "2"]
    );
    assert!(complete);
    let (items, complete) = store.sync("a", 0, 2).unwrap();
    assert_eq!((items.len(), complete), (2, false));
}

#[test]
fn conversation_list_orders_by_latest_delivery_and_join() {
    let (_dir, store) = open();
    let group = Write::Group(GroupOp::admin_create(
        "g".into(),
        tim_protocol::GroupType::Work,
        "G".into(),
        Some("a".into()),
        vec!["b".into()],
    ));
    let writes = [
        send("b", ConvType::C2c, "a", "x"),
        group,
        send("c", ConvType::C2c, "a", "y"),
    ];
    for w in &writes {
        store.apply(&[w], 1).unwrap().remove(0).unwrap();
    }
    let (list, sync_seq) = store.conversations("a").unwrap();
    let ids: Vec<_> = list.iter().map(|c| c.conversation_id.as_str()).collect();
    // Joining the group left a system notice (delivery 2) in "@TIM#SYSTEM".
    assert_eq!(ids, ["C2Cc", "@TIM#SYSTEM", "GROUPg", "C2Cb"]);
    assert_eq!(sync_seq, 3);
    assert_eq!(list[0].unread, 1);

    let read = Write::Read {
        user: "a".into(),
        conv: Conv::C2c("c".into()),
        seq: 10,
    };
    match store.apply(&[&read], 2).unwrap().remove(0).unwrap() {
        Outcome::Read(r) => assert_eq!((r.read_seq, r.unread, r.changed), (1, 0, true)),
        other => panic!("{other:?}"),
    }
    // Not a member: refused, and nothing written.
    let outsider = Write::Read {
        user: "z".into(),
        conv: Conv::Group("g".into()),
        seq: 1,
    };
    assert!(matches!(
        store.apply(&[&outsider], 3).unwrap()[0],
        Err(StoreError::NotGroupMember)
    ));
}

#[test]
fn two_modifies_of_one_version_in_one_batch_one_wins() {
    use crate::store::ModifyWrite;
    let (_dir, store) = open();
    store
        .apply(&[&send("a", ConvType::C2c, "b", "m")], 1)
        .unwrap()
        .remove(0)
        .unwrap();
    let edit = |text: &str| {
        Write::Modify(ModifyWrite {
            user: "a".into(),
            conv: Conv::C2c("b".into()),
            seq: 1,
            version: 0,
            content: Content::Text { text: text.into() },
            cloud_custom_data: String::new(),
        })
    };
    let (first, second) = (edit("one"), edit("two"));
    let out = store.apply(&[&first, &second], 2).unwrap();
    assert_eq!(store.commits(), 2);
    match &out[0] {
        Ok(Outcome::Updated(u)) => assert_eq!(u.message.version, 1),
        other => panic!("{other:?}"),
    }
    assert!(matches!(out[1], Err(StoreError::ModifyConflict(0))));
    let (msgs, _) = store
        .history("b", &Conv::C2c("a".into()), None, 15)
        .unwrap();
    assert_eq!(msgs[0].content, Content::Text { text: "one".into() });
}

#[test]
fn migrating_twice_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .apply(&[&send("a", ConvType::C2c, "b", "m")], 1)
        .unwrap()
        .remove(0)
        .unwrap();
}

/// Statements the write connection starts while applying `batch` (SQLite's statement trace).
fn statements_run(
    store: &SqliteStore,
    batch: &[&Write],
) -> (u64, Vec<Result<Outcome, StoreError>>) {
    use std::ffi::{c_int, c_uint, c_void};

    use rusqlite::ffi;

    unsafe extern "C" fn count(
        _: c_uint,
        ctx: *mut c_void,
        _: *mut c_void,
        _: *mut c_void,
    ) -> c_int {
        // SAFETY: `ctx` is the `u64` below, alive until the trace is removed.
        unsafe { *ctx.cast::<u64>() += 1 };
        0
    }
    let mut started = 0u64;
    let trace = |on: bool, ctx: *mut u64| {
        let conn = store.writer.lock().unwrap();
        let (mask, callback) = if on {
            (ffi::SQLITE_TRACE_STMT as c_uint, Some(count as _))
        } else {
            (0, None)
        };
        // SAFETY: the handle is live while the lock is held; the trace is removed below,
        // before `started` goes out of scope.
        unsafe { ffi::sqlite3_trace_v2(conn.handle(), mask, callback, ctx.cast()) };
    };
    trace(true, &mut started);
    let out = store.apply(batch, 1).unwrap();
    trace(false, std::ptr::null_mut());
    (started, out)
}

#[test]
fn group_delivery_costs_no_statement_per_member() {
    let (_dir, store) = open();
    let members: Vec<String> = (0..300).map(|i| format!("m{i}")).collect();
    let group = Write::Group(GroupOp::admin_create(
        "big".into(),
        tim_protocol::GroupType::Public,
        "Big".into(),
        Some("owner".into()),
        members.clone(),
    ));
    store.apply(&[&group], 1).unwrap().remove(0).unwrap();
    let discard = Write::ConvSettings(crate::store::SettingsWrite {
        user: "m7".into(),
        convs: vec![Conv::Group("big".into())],
        mark_set: 0,
        mark_clear: 0,
        custom_data: None,
        remind: Some(tim_protocol::REMIND_DISCARD.into()),
        clear_history: false,
    });
    store.apply(&[&discard], 1).unwrap().remove(0).unwrap();

    let message = send("m0", ConvType::Group, "big", "hello");
    let (started, mut out) = statements_run(&store, &[&message]);
    assert!(
        started < 40,
        "{started} statements for one message to 301 members"
    );
    let Ok(Outcome::Sent(sent)) = out.remove(0) else {
        panic!("not sent")
    };
    // Everyone but the member who discards the group's messages; each a new cursor (the
    // join notice was delivery 1).
    assert_eq!(sent.deliveries.len(), 300);
    assert!(sent
        .deliveries
        .iter()
        .all(|(user, seq)| user != "m7" && *seq == 2));
    assert_eq!(sent.sender_sync_seq, 2);
    let (items, _) = store.sync("m1", 1, 10).unwrap();
    assert_eq!(items.len(), 1);
    assert!(store.sync("m7", 1, 10).unwrap().0.is_empty());
    let (list, _) = store.conversations("m1").unwrap();
    assert_eq!(list[0].conversation_id, "GROUPbig");
}

#[test]
fn write_connection_keeps_savepoint_journals_in_memory() {
    let (_dir, store) = open();
    let conn = store.writer.lock().unwrap();
    // 2 = MEMORY: a temporary file costs a write system call per page each write touches.
    let temp_store: i64 = conn
        .query_row("PRAGMA temp_store", [], |r| r.get(0))
        .unwrap();
    assert_eq!(temp_store, 2);
    let cache_size: i64 = conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .unwrap();
    assert!(cache_size <= -16 * 1024, "cache of {cache_size}");
}

#[test]
fn c2c_message_statements() {
    let (_dir, store) = open();
    let first = send("a", ConvType::C2c, "b", "1");
    store.apply(&[&first], 1).unwrap().remove(0).unwrap();
    // Begin and commit (no savepoint: nothing in the batch is refused), the repeat check, the
    // pair's seq, the sender's nick, two deliveries (cursor, inbox row, list entry; the peer's
    // remind check), the row.
    let (started, out) = statements_run(&store, &[&send("b", ConvType::C2c, "a", "2")]);
    assert_eq!(sent(&out[0]), (2, 2, false));
    assert!(started <= 13, "{started} statements for one C2C message");
}

#[test]
fn a_users_open_uploads_are_counted_through_an_index() {
    let (_dir, store) = open();
    let conn = store.writer.lock().unwrap();
    // The quota check at every upload create: without the index it scans every upload.
    let plan: Vec<String> = conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            super::files::OPEN_UPLOADS
        ))
        .unwrap()
        .query_map(("u", 0), |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter()
            .any(|step| step.contains("uploads_open_by_user")),
        "{plan:?}"
    );
}

#[test]
fn the_wal_stays_bounded_while_the_writer_never_pauses() {
    let (dir, store) = open();
    // 4 pages of text each: 24 000 WAL frames in all, checkpointed while the writer goes on.
    let text = "x".repeat(12 * 1024);
    for batch in 0..60 {
        let writes: Vec<Write> = (0..100)
            .map(|i| {
                let id = format!("{batch}-{i}");
                let mut w = send("a", ConvType::C2c, &format!("peer{i}"), &id);
                if let Write::Send(s) = &mut w {
                    s.message.content = Content::Text { text: text.clone() };
                }
                w
            })
            .collect();
        let refs: Vec<&Write> = writes.iter().collect();
        for outcome in store.apply(&refs, 1).unwrap() {
            outcome.unwrap();
        }
    }
    let wal = std::fs::metadata(dir.path().join("tim.sqlite-wal"))
        .unwrap()
        .len();
    // The inline checkpoint's threshold, a batch beyond it, and slack.
    assert!(wal < 12_000 * 4096, "WAL of {} MiB", wal >> 20);
}

/// `EXPLAIN QUERY PLAN` details of `sql` with `params`.
pub(super) fn plan_of(
    store: &SqliteStore,
    sql: &str,
    params: impl rusqlite::Params,
) -> Vec<String> {
    let conn = store.writer.lock().unwrap();
    let plan = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap()
        .query_map(params, |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    plan
}

#[test]
fn member_pages_and_a_users_groups_are_index_ranges() {
    let (_dir, store) = open();
    // A member page is a range of the roster's key: no scan of the group, no sort.
    let plan = plan_of(&store, super::group_read::MEMBERS_PAGE, ("1", "", 10));
    assert!(
        plan.iter().all(|s| !s.contains("TEMP B-TREE"))
            && plan
                .iter()
                .any(|s| s.contains("SEARCH m USING PRIMARY KEY")),
        "{plan:?}"
    );
    let plan = plan_of(&store, super::group_read::USER_GROUPS, ["u"]);
    assert!(
        plan.iter().any(|s| s.contains("group_members_by_user")),
        "{plan:?}"
    );
}

#[test]
fn a_new_member_sees_no_earlier_message_as_unread_and_tips_never_count() {
    let (_dir, store) = open();
    let group = Write::Group(GroupOp::admin_create(
        "g".into(),
        tim_protocol::GroupType::Community,
        "G".into(),
        Some("a".into()),
        vec![],
    ));
    store.apply(&[&group], 1).unwrap().remove(0).unwrap();
    for i in 0..3 {
        let m = send("a", ConvType::Group, "g", &format!("m{i}"));
        store.apply(&[&m], 1).unwrap().remove(0).unwrap();
    }
    let join = |user: &str| {
        Write::Group(crate::store::group::GroupOp {
            actor: crate::store::group::Actor::User(user.into()),
            action: crate::store::group::GroupAction::Join(tim_protocol::req::GroupJoin {
                group_id: "g".into(),
                apply_message: String::new(),
            }),
            quiet: false,
        })
    };
    store.apply(&[&join("b")], 1).unwrap().remove(0).unwrap();
    let (convs, _) = store.conversations("b").unwrap();
    assert_eq!(
        (convs[0].conversation_id.as_str(), convs[0].unread),
        ("GROUPg", 0)
    );
    // c's join commits a tip after b's read position: still nothing unread for b.
    store.apply(&[&join("c")], 1).unwrap().remove(0).unwrap();
    let (convs, _) = store.conversations("b").unwrap();
    assert_eq!(convs[0].unread, 0, "a tip is never unread");
}

#[test]
fn migration_7_gives_a_version_6_rest_group_its_roster() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = rusqlite::Connection::open(dir.path().join("tim.sqlite")).unwrap();
        super::schema::build_version(&db, 6).unwrap();
        // What version 6's REST create_group wrote: the type as given ('Work' alias), the
        // members' user_convs rows; and a 'Meeting' one with a message.
        db.execute_batch(
            "INSERT INTO convs (conv_id, kind, a, b, last_seq) VALUES (1, 'G', 'team', '', 0),
                 (2, 'G', 'room', '', 1);
             INSERT INTO groups (group_id, conv_id, group_type, name, owner, created)
                 VALUES ('team', 1, 'Work', 'Team', 'alice', 100),
                        ('room', 2, 'Meeting', 'Room', NULL, 200);
             INSERT INTO user_convs (user_id, conv_id, read_seq, sort_key)
                 VALUES ('alice', 1, 0, 1), ('bob', 1, 0, 1), ('bob', 2, 0, 2);",
        )
        .unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    let groups = store.group_list("bob", &[]).unwrap();
    let seen: Vec<_> = groups
        .iter()
        .map(|g| {
            (
                g.group_id.as_str(),
                g.group_type,
                g.owner_id.as_str(),
                g.member_count,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("room", tim_protocol::GroupType::Meeting, "", 1),
            ("team", tim_protocol::GroupType::Work, "alice", 2)
        ]
    );
    let (members, _, complete) = store.group_members("bob", "team", "", 10).unwrap();
    let roles: Vec<_> = members
        .iter()
        .map(|m| (m.user_id.as_str(), m.role, m.join_time))
        .collect();
    assert_eq!(
        roles,
        [
            ("alice", tim_protocol::GroupRole::Owner, 100),
            ("bob", tim_protocol::GroupRole::Member, 100)
        ]
    );
    assert!(complete);
    // Stored canonically, and each type's defaults apply.
    let conn = store.writer.lock().unwrap();
    let types: Vec<String> = conn
        .prepare("SELECT group_type FROM groups ORDER BY group_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(types, ["ChatRoom", "Private"]);
    assert_eq!(groups[0].join_option, tim_protocol::JoinOption::FreeAccess);
    assert_eq!(groups[1].max_member_count, 200);
}

mod paging {
    use proptest::prelude::*;
    use tim_protocol::{req, GroupType};

    use super::open;
    use crate::store::group::{Actor, GroupAction, GroupOp};
    use crate::store::{Store, Write};

    fn admin(action: GroupAction) -> Write {
        Write::Group(GroupOp {
            actor: Actor::Admin,
            action,
            quiet: true,
        })
    }

    fn users(ids: Vec<String>) -> req::GroupUsers {
        req::GroupUsers {
            group_id: "g".into(),
            user_ids: ids,
            reason: String::new(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever joins and leaves between pages, a scan holds every member present
        /// throughout exactly once, in user-ID order.
        #[test]
        fn a_scan_holds_every_member_present_throughout_once(
            stable in prop::collection::btree_set(0u8..50, 1..25),
            churn in prop::collection::vec((0u8..50, any::<bool>(), any::<bool>()), 0..40),
            count in 1u32..6,
        ) {
            let (_dir, store) = open();
            let stable: Vec<String> = stable.iter().map(|n| format!("u{n:02}")).collect();
            let create = Write::Group(GroupOp::admin_create(
                "g".into(), GroupType::Meeting, "G".into(), Some("viewer".into()), stable.clone(),
            ));
            store.apply(&[&create], 1).unwrap().remove(0).unwrap();
            let mut churn = churn.into_iter();
            let (mut seen, mut cursor) = (Vec::new(), String::new());
            loop {
                let (page, next, complete) =
                    store.group_members("viewer", "g", &cursor, count).unwrap();
                prop_assert!(page.len() <= count as usize);
                seen.extend(page.into_iter().map(|m| m.user_id));
                if complete {
                    break;
                }
                cursor = next;
                // Others join or leave: IDs sorting just before or after a stable one.
                if let Some((n, join, before)) = churn.next() {
                    let id = match before {
                        true => format!("u{:02}~", n.saturating_sub(1)), // just before u{n}
                        false => format!("u{n:02}z"),                   // just after u{n}
                    };
                    let action = match join {
                        true => GroupAction::Add(users(vec![id])),
                        false => GroupAction::Kick(users(vec![id])),
                    };
                    store.apply(&[&admin(action)], 1).unwrap().remove(0).unwrap();
                }
            }
            let mut sorted = seen.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(&sorted, &seen);
            for s in stable.iter().chain(std::iter::once(&"viewer".to_owned())) {
                prop_assert!(seen.contains(s), "{} skipped", s);
            }
        }
    }
}
