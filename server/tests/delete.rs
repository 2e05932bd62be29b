//! Delete: messages disappear for the deleter (every socket of theirs), not for the peer.

mod common;

use common::*;
use tim_protocol::{codes, req, Change, Request};

fn delete(conv: &str, seqs: &[u64]) -> Request {
    Request::Delete(req::Delete {
        conversation_id: conv.into(),
        seqs: seqs.to_vec(),
    })
}

#[tokio::test]
async fn delete_is_for_the_deleter_only() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    for i in 1..=3 {
        alice.send(text("bob", &format!("d-{i}"), "x")).await;
    }
    for _ in 0..3 {
        push_of(bob.next_push().await);
        push_of(bob2.next_push().await);
    }

    // Unknown sequences are ignored.
    assert_eq!(
        bob.ok(delete("C2Calice", &[2, 3, 99])).await,
        tim_protocol::Reply::Done
    );
    for (seq, sync_seq) in [(2, 4), (3, 5)] {
        let (s, m, change) = push_of(bob2.next_push().await);
        assert_eq!((s, m.seq, change), (sync_seq, seq, Change::Deleted));
    }
    bob.expect_quiet().await;
    alice.expect_quiet().await;

    let seqs = |ms: Vec<tim_protocol::Message>| ms.iter().map(|m| m.seq).collect::<Vec<_>>();
    assert_eq!(seqs(bob.messages("C2Calice").await), [1]);
    assert_eq!(seqs(alice.messages("C2Cbob").await), [1, 2, 3]);
    let (page, complete) = bob.history("C2Calice", Some(3), 15).await;
    assert_eq!((page, complete), (vec![1], true));

    // The conversation list follows: last message and unread count.
    let convs = bob.conversations().await;
    assert_eq!(convs[0].last_message.as_ref().map(|m| m.seq), Some(1));
    assert_eq!(convs[0].unread, 1);
    let convs = alice.conversations().await;
    assert_eq!(convs[0].last_message.as_ref().map(|m| m.seq), Some(3));

    // Sync: the deleted messages' deliveries are gone, the deletions are there.
    let items = bob.sync_items(0).await;
    let got: Vec<_> = items
        .iter()
        .map(|i| (i.sync_seq, i.message.seq, i.change))
        .collect();
    assert_eq!(
        got,
        [
            (1, 1, Change::New),
            (4, 2, Change::Deleted),
            (5, 3, Change::Deleted)
        ]
    );
    assert_eq!(alice.sync_items(0).await.len(), 3);

    // Deleting again changes nothing; empty lists and bad IDs are refused.
    bob.ok(delete("C2Calice", &[2])).await;
    bob2.expect_quiet().await;
    assert_eq!(
        bob.err_code(delete("C2Calice", &[])).await,
        codes::INVALID_REQUEST
    );
    assert_eq!(
        bob.err_code(delete("x", &[1])).await,
        codes::INVALID_REQUEST
    );
    // A conversation without messages: nothing to delete.
    bob.ok(delete("C2Cnobody", &[1])).await;

    // A message its sender deleted can no longer be revoked or modified by them.
    alice.ok(delete("C2Cbob", &[3])).await;
    assert_eq!(
        alice
            .err_code(Request::Revoke(req::Revoke {
                conversation_id: "C2Cbob".into(),
                seq: 3
            }))
            .await,
        codes::MESSAGE_NOT_FOUND
    );
    // New messages after a delete are unaffected.
    alice.send(text("bob", "d-4", "y")).await;
    assert_eq!(seqs(bob.messages("C2Calice").await), [1, 4]);

    // Deleting a revoked message does not reveal its content to the deleter's sockets.
    alice
        .ok(Request::Revoke(req::Revoke {
            conversation_id: "C2Cbob".into(),
            seq: 4,
        }))
        .await;
    for change in [Change::New, Change::Revoked] {
        assert_eq!(push_of(bob2.next_push().await).2, change);
    }
    bob.ok(delete("C2Calice", &[4])).await;
    let (_, m, change) = push_of(bob2.next_push().await);
    assert_eq!((m.seq, m.revoked, change), (4, true, Change::Deleted));
    assert_eq!(
        m.content,
        tim_protocol::Content::Text {
            text: String::new()
        }
    );
    let last = bob.sync_items(0).await.pop().unwrap();
    assert_eq!(last.change, Change::Deleted);
    assert_eq!(last.message.content, m.content);
}
