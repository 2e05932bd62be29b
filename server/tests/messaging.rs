//! C2C messaging end to end: acks, pushes, idempotency, history paging, read state, sync.

mod common;

use common::*;
use tim_protocol::{codes, req, ConvType, Reply, Request, ServerFrame};

fn push_of(frame: ServerFrame) -> (u64, tim_protocol::Message) {
    match frame {
        ServerFrame::Push {
            sync_seq, message, ..
        } => (sync_seq, message),
        other => panic!("expected a push, got {other:?}"),
    }
}

#[tokio::test]
async fn c2c_send_acks_and_pushes_to_everyone_but_the_sender() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut alice2 = server.login("alice").await;
    let mut bob = server.login("bob").await;

    let (seq, sync) = alice.send(text("bob", "a-1", "hello bob")).await;
    assert_eq!((seq, sync), (1, 1));
    // The ack comes after the commit: another connection to the database already sees it.
    let db =
        rusqlite::Connection::open(server.dir.as_ref().unwrap().path().join("tim.sqlite")).unwrap();
    let committed: i64 = db
        .query_row(
            "SELECT count(*) FROM messages WHERE client_id = 'a-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(committed, 1);

    let (bob_sync, m) = push_of(bob.next_push().await);
    assert_eq!(bob_sync, 1);
    assert_eq!(
        (m.from.as_str(), m.to.as_str(), m.seq, m.id.as_str()),
        ("alice", "bob", 1, "a-1")
    );
    assert_eq!(
        m.content,
        tim_protocol::Content::Text {
            text: "hello bob".into()
        }
    );
    assert_eq!(m.conversation_id_for("bob"), "C2Calice");

    let (a2_sync, m2) = push_of(alice2.next_push().await);
    assert_eq!((a2_sync, m2.id.as_str()), (1, "a-1"));
    alice.expect_quiet().await;

    // Both sides share one conversation sequence.
    let (seq, sync) = bob.send(text("alice", "b-1", "hi alice")).await;
    assert_eq!((seq, sync), (2, 2));
    let (s, m) = push_of(alice.next_push().await);
    assert_eq!((s, m.seq, m.from.as_str()), (2, 2, "bob"));
    let (s, _) = push_of(alice2.next_push().await);
    assert_eq!(s, 2);
    bob.expect_quiet().await;
}

#[tokio::test]
async fn resend_with_same_id_is_idempotent() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let first = alice.send(text("bob", "dup-1", "once")).await;
    push_of(bob.next_push().await);
    let again = alice.send(text("bob", "dup-1", "once")).await;
    assert_eq!(first, again);
    bob.expect_quiet().await;
    let (seqs, _) = bob.history("C2Calice", None, 15).await;
    assert_eq!(seqs, vec![1]);
    // The same id for another conversation is refused, not answered with the old message.
    assert_eq!(
        alice
            .err_code(Request::Send(req::Send {
                message: text("carol", "dup-1", "once")
            }))
            .await,
        codes::INVALID_REQUEST
    );
    // A new id is a new message.
    assert_eq!(alice.send(text("bob", "dup-2", "twice")).await, (2, 2));
}

#[tokio::test]
async fn a_send_whose_ack_is_lost_is_stored_once_and_resent_idempotently() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut alice2 = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let (status, _, _) = http(
        server.addr,
        "POST",
        "/debug/drop-after-send?userID=alice",
        "",
    )
    .await;
    assert_eq!(status, 200);
    // Committed and delivered, but the sender's socket dies instead of answering.
    alice
        .send_req(Request::Send(req::Send {
            message: text("bob", "lost-ack", "once"),
        }))
        .await;
    assert!(alice.read_frame().await.is_none(), "socket killed");
    push_of(bob.next_push().await);
    push_of(alice2.next_push().await);
    // The resend on a new socket is answered with the stored copy, delivered to nobody again.
    let mut again = server.login("alice").await;
    assert_eq!(again.send(text("bob", "lost-ack", "once")).await, (1, 1));
    bob.expect_quiet().await;
    alice2.expect_quiet().await;
    assert_eq!(bob.history("C2Calice", None, 15).await.0, vec![1]);
}

#[tokio::test]
async fn history_pages_40_as_15_15_10() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.client().await;
    bob.login("bob").await;
    for i in 0..40 {
        alice
            .send(text("bob", &format!("h-{i}"), &format!("msg {i}")))
            .await;
    }
    for (client, conv) in [(&mut bob, "C2Calice"), (&mut alice, "C2Cbob")] {
        let (p1, c1) = client.history(conv, None, 15).await;
        assert_eq!(p1, (26..=40).collect::<Vec<_>>());
        assert!(!c1);
        let (p2, c2) = client.history(conv, Some(26), 15).await;
        assert_eq!(p2, (11..=25).collect::<Vec<_>>());
        assert!(!c2);
        let (p3, c3) = client.history(conv, Some(11), 15).await;
        assert_eq!(p3, (1..=10).collect::<Vec<_>>());
        assert!(c3);
    }
    // The page size is capped at 15; an empty conversation is complete.
    let (big, _) = bob.history("C2Calice", None, 100).await;
    assert_eq!(big.len(), 15);
    let (none, done) = bob.history("C2Cnobody", None, 15).await;
    assert!(none.is_empty() && done);
    // 45 messages: the third page is full and complete.
    for i in 40..45 {
        alice.send(text("bob", &format!("h-{i}"), "more")).await;
    }
    let (p3, c3) = bob.history("C2Calice", Some(16), 15).await;
    assert_eq!((p3.len(), c3), (15, true));
}

#[tokio::test]
async fn conversations_unread_and_read_state() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut carol = server.login("carol").await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    for i in 0..5 {
        alice
            .send(text("bob", &format!("a{i}"), "from alice"))
            .await;
    }
    carol.send(text("bob", "c0", "from carol")).await;
    bob.send(text("alice", "b0", "reply")).await; // own messages are never unread

    let Reply::Conversations {
        conversations,
        sync_seq,
        ..
    } = bob.ok(Request::Conversations).await
    else {
        panic!()
    };
    assert_eq!(sync_seq, 7);
    let ids: Vec<_> = conversations
        .iter()
        .map(|c| c.conversation_id.as_str())
        .collect();
    assert_eq!(ids, ["C2Calice", "C2Ccarol"], "most recent first");
    assert_eq!(conversations[0].unread, 5);
    assert_eq!(
        conversations[0]
            .last_message
            .as_ref()
            .map(|m| m.id.as_str()),
        Some("b0")
    );
    assert_eq!(conversations[1].unread, 1);
    assert_eq!(conversations[0].conv_type, ConvType::C2c);
    assert_eq!(conversations[0].peer, "alice");

    // Drain bob2's pushes so the ReadState is next.
    for _ in 0..7 {
        assert!(matches!(bob2.next_push().await, ServerFrame::Push { .. }));
    }
    let r = bob
        .ok(Request::Read(req::Read {
            conversation_id: "C2Calice".into(),
            seq: 3,
        }))
        .await;
    assert_eq!(
        r,
        Reply::Read {
            conversation_id: "C2Calice".into(),
            read_seq: 3,
            unread: 2
        }
    );
    assert_eq!(
        bob2.next_push().await,
        ServerFrame::ReadState {
            conversation_id: "C2Calice".into(),
            read_seq: 3,
            unread: 2
        }
    );
    // Reading backwards changes nothing; beyond the end clamps to the latest.
    let r = bob
        .ok(Request::Read(req::Read {
            conversation_id: "C2Calice".into(),
            seq: 1,
        }))
        .await;
    assert_eq!(
        r,
        Reply::Read {
            conversation_id: "C2Calice".into(),
            read_seq: 3,
            unread: 2
        }
    );
    let r = bob
        .ok(Request::Read(req::Read {
            conversation_id: "C2Calice".into(),
            seq: 999,
        }))
        .await;
    assert_eq!(
        r,
        Reply::Read {
            conversation_id: "C2Calice".into(),
            read_seq: 6,
            unread: 0
        }
    );
    assert!(matches!(
        bob2.next_push().await,
        ServerFrame::ReadState {
            read_seq: 6,
            unread: 0,
            ..
        }
    ));
    // Bob's own socket got the 6 incoming pushes but no ReadState for its own reads.
    let frames: Vec<_> = bob.pending.drain(..).collect();
    assert!(
        frames.len() == 6 && frames.iter().all(|f| matches!(f, ServerFrame::Push { .. })),
        "{frames:?}"
    );
    bob.expect_quiet().await;

    // Alice's view: bob's reply is unread for her.
    let Reply::Conversations { conversations, .. } = alice.ok(Request::Conversations).await else {
        panic!()
    };
    assert_eq!(conversations.len(), 1);
    assert_eq!(
        (conversations[0].peer.as_str(), conversations[0].unread),
        ("bob", 1)
    );
    assert_eq!(
        alice
            .err_code(Request::Read(req::Read {
                conversation_id: "bogus".into(),
                seq: 1
            }))
            .await,
        codes::INVALID_REQUEST
    );
}

#[tokio::test]
async fn sync_after_disconnect_returns_exactly_the_missed_deliveries() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    alice.send(text("bob", "before", "seen live")).await;
    let (cursor, _) = push_of(bob.next_push().await);
    bob.close().await;

    for i in 0..5 {
        alice
            .send(text("bob", &format!("missed-{i}"), "while away"))
            .await;
    }
    let mut bob = server.client().await;
    assert_eq!(bob.login("bob").await, cursor + 5);

    let Reply::Sync { items, complete } = bob
        .ok(Request::Sync(req::Sync {
            since: cursor,
            limit: 100,
        }))
        .await
    else {
        panic!()
    };
    assert!(complete);
    let got: Vec<_> = items
        .iter()
        .map(|i| (i.sync_seq, i.message.id.clone()))
        .collect();
    let want: Vec<_> = (0..5)
        .map(|i| (cursor + 1 + i, format!("missed-{i}")))
        .collect();
    assert_eq!(got, want);

    // Paged: limit 2 leaves the rest for the next call.
    let Reply::Sync { items, complete } = bob
        .ok(Request::Sync(req::Sync {
            since: cursor,
            limit: 2,
        }))
        .await
    else {
        panic!()
    };
    assert_eq!((items.len(), complete), (2, false));
    let Reply::Sync { items, complete } = bob
        .ok(Request::Sync(req::Sync {
            since: cursor + 5,
            limit: 2,
        }))
        .await
    else {
        panic!()
    };
    assert!(items.is_empty() && complete);
    // The sender's own deliveries are in its log too (for its other devices).
    let Reply::Sync { items, .. } = alice
        .ok(Request::Sync(req::Sync {
            since: 0,
            limit: 100,
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(items.len(), 6);
}
