//! Store-level tests: batch semantics that the integration tests cannot isolate.

use tim_protocol::{Content, ConvType, OutboundMessage};

use super::SqliteStore;
use crate::store::{Conv, NewGroup, Outcome, SendWrite, Store, StoreError, Write};

fn open() -> (tempfile::TempDir, SqliteStore) {
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
    let group = Write::CreateGroup(NewGroup {
        group_id: "g".into(),
        group_type: "Work".into(),
        name: "G".into(),
        owner: Some("a".into()),
        members: vec!["b".into()],
    });
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
