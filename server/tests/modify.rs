//! Modify: the sender edits content (same type) and cloudCustomData under optimistic
//! concurrency; every participant's other sockets get the `Modified` change.

mod common;

use common::*;
use tim_protocol::{codes, req, Change, Content, Reply, Request};

fn modify(seq: u64, version: u32, body: &str) -> Request {
    Request::Modify(req::Modify {
        conversation_id: "C2Cbob".into(),
        seq,
        version,
        content: Content::Text { text: body.into() },
        cloud_custom_data: format!("cc-{version}"),
    })
}

#[tokio::test]
async fn sender_modifies_and_everyone_hears() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut alice2 = server.login("alice").await;
    let mut bob = server.login("bob").await;
    alice.send(text("bob", "m-1", "helo")).await;
    push_of(bob.next_push().await);
    push_of(alice2.next_push().await);
    bob.close().await;

    let Reply::Updated { message, sync_seq } = alice.ok(modify(1, 0, "hello")).await else {
        panic!()
    };
    assert_eq!(sync_seq, 2);
    assert_eq!(
        (message.seq, message.version, message.content.clone()),
        (
            1,
            1,
            Content::Text {
                text: "hello".into()
            }
        )
    );
    assert_eq!(message.cloud_custom_data, "cc-0");
    let (s, m, change) = push_of(alice2.next_push().await);
    assert_eq!((s, change), (2, Change::Modified));
    assert_eq!(m, message);
    alice.expect_quiet().await;

    // Bob, back: the change is in his log, and history shows the new state.
    let mut bob = server.login("bob").await;
    let items = bob.sync_items(1).await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0].change, items[0].message.version),
        (Change::Modified, 1)
    );
    let h = bob.messages("C2Calice").await;
    assert_eq!(h[0], message);

    // Live pushes too.
    alice.ok(modify(1, 1, "hello!")).await;
    let (_, m, change) = push_of(bob.next_push().await);
    assert_eq!((m.version, change), (2, Change::Modified));
    assert_eq!(
        m.content,
        Content::Text {
            text: "hello!".into()
        }
    );
    push_of(alice2.next_push().await);

    // Refusals: a stale version, another type, someone else's, unknown, invalid content.
    assert_eq!(
        alice.err_code(modify(1, 1, "stale")).await,
        codes::MODIFY_CONFLICT
    );
    let custom = Request::Modify(req::Modify {
        conversation_id: "C2Cbob".into(),
        seq: 1,
        version: 2,
        content: Content::Custom {
            data: "d".into(),
            description: String::new(),
            extension: String::new(),
        },
        cloud_custom_data: String::new(),
    });
    assert_eq!(alice.err_code(custom).await, codes::MODIFY_TYPE_MISMATCH);
    let by_bob = Request::Modify(req::Modify {
        conversation_id: "C2Calice".into(),
        seq: 1,
        version: 2,
        content: Content::Text {
            text: "mine".into(),
        },
        cloud_custom_data: String::new(),
    });
    assert_eq!(bob.err_code(by_bob).await, codes::NOT_MESSAGE_SENDER);
    assert_eq!(
        alice.err_code(modify(9, 0, "nothing")).await,
        codes::MESSAGE_NOT_FOUND
    );
    assert_eq!(
        alice.err_code(modify(1, 2, "")).await,
        codes::INVALID_REQUEST
    );
    // A revoked message cannot be modified.
    alice
        .ok(Request::Revoke(req::Revoke {
            conversation_id: "C2Cbob".into(),
            seq: 1,
        }))
        .await;
    assert_eq!(
        alice.err_code(modify(1, 2, "after revoke")).await,
        codes::MESSAGE_NOT_FOUND
    );
    assert_eq!(bob.messages("C2Calice").await[0].version, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_modifies_of_one_version_one_wins() {
    let server = TestServer::start().await;
    let mut alice = Vec::new();
    for _ in 0..4 {
        alice.push(server.login("alice").await);
    }
    alice[0].send(text("bob", "race", "v0")).await;
    for round in 0..10u32 {
        // Every socket's modify is on the wire before any answer is read.
        let mut ids = Vec::new();
        for (i, c) in alice.iter_mut().enumerate() {
            ids.push(c.send_req(modify(1, round, &format!("r{round}-{i}"))).await);
        }
        let mut winners = Vec::new();
        for (i, (c, id)) in alice.iter_mut().zip(ids).enumerate() {
            match c.answer(id).await {
                Ok(Reply::Updated { message, .. }) => {
                    assert_eq!(message.version, round + 1);
                    winners.push(i);
                }
                Err((code, _)) => assert_eq!(code, codes::MODIFY_CONFLICT),
                Ok(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        let h = alice[0].messages("C2Cbob").await;
        assert_eq!(h[0].version, round + 1);
        assert_eq!(
            h[0].content,
            Content::Text {
                text: format!("r{round}-{}", winners[0])
            }
        );
    }
}
