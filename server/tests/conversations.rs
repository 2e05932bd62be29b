//! Conversation-level state: C2C read receipts (`PeerRead`), hiding (`DeleteConversation`)
//! and pinning, each synced to the user's other sockets and reflected in `Conversations`.

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, ConvType, Reply, Request, ServerFrame};

fn read(conv: &str, seq: u64) -> Request {
    Request::Read(req::Read {
        conversation_id: conv.into(),
        seq,
    })
}

fn pin(conv: &str, pinned: bool) -> Request {
    Request::Pin(req::Pin {
        conversation_id: conv.into(),
        pinned,
    })
}

fn hide(conv: &str) -> Request {
    Request::DeleteConversation(req::DeleteConversation {
        conversation_id: conv.into(),
    })
}

#[tokio::test]
async fn c2c_read_sends_a_receipt_to_every_socket_of_the_peer() {
    let server = TestServer::start().await;
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G",
                   "MemberList": admin_body_members(&["alice", "bob"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK");
    let mut alice = server.login("alice").await;
    let mut alice2 = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    alice.send(text("bob", "p-1", "one")).await;
    alice.send(text("bob", "p-2", "two")).await;
    for _ in 0..2 {
        push_of(alice2.next_push().await);
        push_of(bob.next_push().await);
        push_of(bob2.next_push().await);
    }

    bob.ok(read("C2Calice", 2)).await;
    let receipt = ServerFrame::PeerRead {
        conversation_id: "C2Cbob".into(),
        read_seq: 2,
    };
    assert_eq!(alice.next_push().await, receipt);
    assert_eq!(alice2.next_push().await, receipt);
    assert!(matches!(
        bob2.next_push().await,
        ServerFrame::ReadState { read_seq: 2, .. }
    ));
    bob.expect_quiet().await;

    // Reconnecting clients catch up from the list.
    let convs = alice.conversations().await;
    assert_eq!((convs[0].peer_read_seq, convs[0].read_seq), (2, 0));
    let convs = bob.conversations().await;
    assert_eq!((convs[0].peer_read_seq, convs[0].read_seq), (0, 2));

    // No receipt when nothing moved, nor for groups.
    bob.ok(read("C2Calice", 1)).await;
    alice
        .send(message(ConvType::Group, "g", "g-1", "group"))
        .await;
    push_of(alice2.next_push().await);
    push_of(bob.next_push().await);
    push_of(bob2.next_push().await);
    bob.ok(read("GROUPg", 1)).await;
    assert!(matches!(
        bob2.next_push().await,
        ServerFrame::ReadState { .. }
    ));
    alice.expect_quiet().await;
    alice2.expect_quiet().await;

    // Receipts also work on a conversation the reader hid.
    alice.send(text("bob", "p-3", "three")).await;
    bob.ok(hide("C2Calice")).await;
    bob.ok(read("C2Calice", 3)).await;
    let (_, _, _) = push_of(alice2.next_push().await);
    assert_eq!(
        alice.next_push().await,
        ServerFrame::PeerRead {
            conversation_id: "C2Cbob".into(),
            read_seq: 3
        }
    );
}

#[tokio::test]
async fn delete_conversation_hides_it_until_the_next_message() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut carol = server.login("carol").await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    alice.send(text("bob", "h-1", "one")).await;
    alice.send(text("bob", "h-2", "two")).await;
    carol.send(text("bob", "h-3", "three")).await;
    for _ in 0..3 {
        push_of(bob.next_push().await);
        push_of(bob2.next_push().await);
    }
    assert_eq!(bob.conversation_ids().await, ["C2Ccarol", "C2Calice"]);

    assert_eq!(bob.ok(hide("C2Calice")).await, Reply::Done);
    assert_eq!(
        bob2.next_push().await,
        ServerFrame::ConversationState {
            conversation_id: "C2Calice".into(),
            hidden: true,
            pinned: false
        }
    );
    bob.expect_quiet().await;
    assert_eq!(bob.conversation_ids().await, ["C2Ccarol"]);
    assert_eq!(bob2.conversation_ids().await, ["C2Ccarol"]);
    // Only for bob; the messages are kept.
    assert_eq!(alice.conversation_ids().await, ["C2Cbob"]);
    assert_eq!(bob.history("C2Calice", None, 15).await.0, [1, 2]);
    // Hiding again or hiding an unknown conversation changes nothing.
    bob.ok(hide("C2Calice")).await;
    bob.ok(hide("C2Cnobody")).await;
    bob2.expect_quiet().await;

    // The next message shows it again, on top, with its full history.
    alice.send(text("bob", "h-4", "back")).await;
    push_of(bob.next_push().await);
    push_of(bob2.next_push().await);
    let convs = bob.conversations().await;
    assert_eq!(convs[0].conversation_id, "C2Calice");
    assert_eq!(convs[0].last_message.as_ref().map(|m| m.seq), Some(3));
    assert_eq!(convs.len(), 2);
    assert_eq!(bob.history("C2Calice", None, 15).await.0, [1, 2, 3]);

    // Groups too, and the group's membership is not affected.
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G",
                   "MemberList": admin_body_members(&["alice", "bob"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK");
    bob.ok(hide("GROUPg")).await;
    assert!(!bob.conversation_ids().await.contains(&"GROUPg".to_owned()));
    alice
        .send(message(ConvType::Group, "g", "g-1", "hi all"))
        .await;
    assert_eq!(bob.conversation_ids().await[0], "GROUPg");

    // Groups one is not in.
    assert_eq!(
        carol.err_code(hide("GROUPg")).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        carol.err_code(pin("GROUPg", true)).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        carol.err_code(pin("GROUPnone", true)).await,
        codes::GROUP_NOT_FOUND
    );
    assert_eq!(carol.err_code(hide("C2C")).await, codes::INVALID_REQUEST);
}

#[tokio::test]
async fn pinned_conversations_list_first() {
    let server = TestServer::start().await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    for peer in ["alice", "carol"] {
        let mut c = server.login(peer).await;
        c.send(text("bob", &format!("{peer}-1"), "hi")).await;
        c.close().await;
    }
    for _ in 0..2 {
        push_of(bob.next_push().await);
        push_of(bob2.next_push().await);
    }
    assert_eq!(bob.conversation_ids().await, ["C2Ccarol", "C2Calice"]);

    assert_eq!(bob.ok(pin("C2Calice", true)).await, Reply::Done);
    assert_eq!(
        bob2.next_push().await,
        ServerFrame::ConversationState {
            conversation_id: "C2Calice".into(),
            hidden: false,
            pinned: true
        }
    );
    bob.expect_quiet().await;
    let convs = bob.conversations().await;
    let state: Vec<_> = convs
        .iter()
        .map(|c| (c.conversation_id.as_str(), c.pinned))
        .collect();
    assert_eq!(state, [("C2Calice", true), ("C2Ccarol", false)]);

    // Newer messages elsewhere stay below the pinned one.
    let mut dave = server.login("dave").await;
    dave.send(text("bob", "dave-1", "hi")).await;
    push_of(bob.next_push().await);
    push_of(bob2.next_push().await);
    assert_eq!(
        bob.conversation_ids().await,
        ["C2Calice", "C2Cdave", "C2Ccarol"]
    );
    // Pinning twice is quiet; a conversation without messages can be pinned ahead of them.
    bob.ok(pin("C2Calice", true)).await;
    bob2.expect_quiet().await;
    bob.ok(pin("C2Czed", true)).await;
    assert!(matches!(
        bob2.next_push().await,
        ServerFrame::ConversationState { pinned: true, .. }
    ));
    assert_eq!(bob.conversation_ids().await.len(), 3);
    let mut zed = server.login("zed").await;
    zed.send(text("bob", "zed-1", "hi")).await;
    push_of(bob.next_push().await);
    push_of(bob2.next_push().await);
    assert_eq!(
        bob.conversation_ids().await,
        ["C2Czed", "C2Calice", "C2Cdave", "C2Ccarol"]
    );
    assert!(!zed.conversations().await[0].pinned, "pins are per user");

    // Unpinned: back to recency order.
    bob.ok(pin("C2Calice", false)).await;
    bob.ok(pin("C2Czed", false)).await;
    for _ in 0..2 {
        assert!(matches!(
            bob2.next_push().await,
            ServerFrame::ConversationState { pinned: false, .. }
        ));
    }
    assert_eq!(
        bob.conversation_ids().await,
        ["C2Czed", "C2Cdave", "C2Ccarol", "C2Calice"]
    );

    // A hidden pinned conversation reports both.
    bob.ok(pin("C2Ccarol", true)).await;
    bob.ok(hide("C2Ccarol")).await;
    bob2.next_push().await;
    assert_eq!(
        bob2.next_push().await,
        ServerFrame::ConversationState {
            conversation_id: "C2Ccarol".into(),
            hidden: true,
            pinned: true
        }
    );
}
