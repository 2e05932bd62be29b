//! Revoke: by the sender within the window, by the administrator at any time; the change
//! reaches every participant's other sockets live and offline sockets by Sync.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, Change, Content, ConvType, Reply, Request};

fn revoke(conv: &str, seq: u64) -> Request {
    Request::Revoke(req::Revoke {
        conversation_id: conv.into(),
        seq,
    })
}

fn blank() -> Content {
    Content::Text {
        text: String::new(),
    }
}

#[tokio::test]
async fn sender_revokes_within_the_window() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut alice2 = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut bob_offline = server.login("bob").await;

    let mut m = text("bob", "r-1", "oops");
    m.cloud_custom_data = "meta".into();
    alice.send(m).await;
    push_of(bob.next_push().await);
    push_of(alice2.next_push().await);
    let (cursor, _, _) = push_of(bob_offline.next_push().await);
    bob_offline.close().await;

    let Reply::Updated { message, sync_seq } = alice.ok(revoke("C2Cbob", 1)).await else {
        panic!()
    };
    assert!(message.revoked);
    assert_eq!(message.seq, 1);
    // The sender keeps the content.
    assert_eq!(
        message.content,
        Content::Text {
            text: "oops".into()
        }
    );
    assert_eq!(sync_seq, 2);

    // The peer and the sender's other socket, not the requesting one.
    let (s, m, change) = push_of(bob.next_push().await);
    assert_eq!((s, m.seq, m.revoked, change), (2, 1, true, Change::Revoked));
    assert_eq!(m.content, blank(), "content is kept for the sender only");
    assert_eq!(m.cloud_custom_data, "");
    let (s, m, change) = push_of(alice2.next_push().await);
    assert_eq!((s, m.revoked, change), (2, true, Change::Revoked));
    assert_eq!(
        m.content,
        Content::Text {
            text: "oops".into()
        }
    );
    alice.expect_quiet().await;

    // History flags it rather than removing it.
    let h = bob.messages("C2Calice").await;
    assert_eq!(h.len(), 1);
    assert!(h[0].revoked);
    assert_eq!(h[0].content, blank());
    let h = alice.messages("C2Cbob").await;
    assert!(h[0].revoked);
    assert_eq!(
        h[0].content,
        Content::Text {
            text: "oops".into()
        }
    );
    let convs = bob.conversations().await;
    assert!(convs[0].last_message.as_ref().unwrap().revoked);

    // Revoking again is idempotent: the same answer, nothing delivered.
    let again = alice.ok(revoke("C2Cbob", 1)).await;
    assert_eq!(
        again,
        Reply::Updated {
            message: message.clone(),
            sync_seq: 2
        }
    );
    bob.expect_quiet().await;
    alice2.expect_quiet().await;

    // A socket that was away learns it by Sync, as a Revoked change.
    let mut bob_back = server.client().await;
    assert_eq!(bob_back.login("bob").await, cursor + 1);
    let items = bob_back.sync_items(cursor).await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0].sync_seq, items[0].change, items[0].message.revoked),
        (cursor + 1, Change::Revoked, true)
    );
    // The original delivery, replayed from the start, shows the message as it is now.
    let all = bob_back.sync_items(0).await;
    let changes: Vec<_> = all.iter().map(|i| i.change).collect();
    assert_eq!(changes, [Change::New, Change::Revoked]);

    // Unknown messages and conversations.
    assert_eq!(
        alice.err_code(revoke("C2Cbob", 99)).await,
        codes::MESSAGE_NOT_FOUND
    );
    assert_eq!(
        alice.err_code(revoke("C2Cnobody", 1)).await,
        codes::MESSAGE_NOT_FOUND
    );
    assert_eq!(
        alice.err_code(revoke("bogus", 1)).await,
        codes::INVALID_REQUEST
    );
}

#[tokio::test]
async fn only_the_sender_may_revoke() {
    let server = TestServer::start().await;
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G",
                   "MemberList": admin_body_members(&["alice", "bob", "carol"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK");
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let mut dave = server.login("dave").await;

    alice.send(text("bob", "c-1", "mine")).await;
    push_of(bob.next_push().await);
    assert_eq!(
        bob.err_code(revoke("C2Calice", 1)).await,
        codes::NOT_MESSAGE_SENDER
    );

    alice
        .send(message(ConvType::Group, "g", "g-1", "to all"))
        .await;
    push_of(bob.next_push().await);
    push_of(carol.next_push().await);
    assert_eq!(
        carol.err_code(revoke("GROUPg", 1)).await,
        codes::NOT_MESSAGE_SENDER
    );
    assert_eq!(
        dave.err_code(revoke("GROUPg", 1)).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        dave.err_code(revoke("GROUPmissing", 1)).await,
        codes::GROUP_NOT_FOUND
    );
    // Nothing changed; the sender may.
    assert!(!bob.messages("C2Calice").await[0].revoked);
    let Reply::Updated { message, .. } = alice.ok(revoke("GROUPg", 1)).await else {
        panic!()
    };
    assert!(message.revoked);
    for member in [&mut bob, &mut carol] {
        let (_, m, change) = push_of(member.next_push().await);
        assert_eq!((m.seq, m.revoked, change), (1, true, Change::Revoked));
    }
    alice.expect_quiet().await;
    dave.expect_quiet().await;
}

#[tokio::test]
async fn revoke_after_the_window_fails_but_admin_withdraw_works() {
    let server = TestServer::start_tweaked(|c| c.revoke_window = Duration::from_secs(1)).await;
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G", "Owner_Account": "alice",
                   "MemberList": admin_body_members(&["bob"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK");
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;

    // Within the window (1 s): fine.
    alice.send(text("bob", "w-1", "quick")).await;
    alice.ok(revoke("C2Cbob", 1)).await;
    push_of(bob.next_push().await);
    push_of(bob.next_push().await);

    // Sent by alice through the REST API, to get Tencent's MsgKey.
    let sent = server
        .rest(
            "openim/sendmsg",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 5,
                   "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "late"}}]}),
        )
        .await;
    assert_eq!(sent["ActionStatus"], "OK");
    let key = sent["MsgKey"].as_str().unwrap().to_owned();
    alice
        .send(message(ConvType::Group, "g", "g-late", "group late"))
        .await;
    let mut latest = 0;
    for _ in 0..2 {
        let (_, m, _) = push_of(bob.next_push().await);
        latest = latest.max(m.time);
    }
    push_of(alice.next_push().await); // alice's own REST send (SyncOtherMachine default)

    // Past the window by the server's clock (which stamped those times): refused from then on.
    let window_end = latest + server.config.revoke_window.as_secs();
    poll_until(WAIT, || async {
        if now() > window_end {
            Ok(())
        } else {
            Err("the clock stands still".to_owned())
        }
    })
    .await;
    assert_eq!(
        alice.err_code(revoke("C2Cbob", 2)).await,
        codes::REVOKE_TIME_LIMIT
    );
    assert_eq!(
        alice.err_code(revoke("GROUPg", 1)).await,
        codes::REVOKE_TIME_LIMIT
    );
    // An already revoked message answers the same even after the window.
    let Reply::Updated { message, .. } = alice.ok(revoke("C2Cbob", 1)).await else {
        panic!()
    };
    assert!(message.revoked);
    bob.expect_quiet().await;

    // The administrator: any sender, any age. A wrong key is refused.
    let bad = server
        .rest(
            "openim/admin_msgwithdraw",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgKey": "2_6_1"}),
        )
        .await;
    assert_eq!(bad["ErrorCode"], codes::MESSAGE_NOT_FOUND);
    let bad = server
        .rest(
            "openim/admin_msgwithdraw",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgKey": "x"}),
        )
        .await;
    assert_eq!(bad["ErrorCode"], codes::INVALID_REQUEST);
    let ok = server
        .rest(
            "openim/admin_msgwithdraw",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgKey": key}),
        )
        .await;
    assert_eq!(ok["ActionStatus"], "OK", "{ok}");
    // Both participants' sockets hear of it (the requester is not a socket).
    for c in [&mut alice, &mut bob] {
        let (_, m, change) = push_of(c.next_push().await);
        assert_eq!((m.seq, m.revoked, change), (2, true, Change::Revoked));
    }
    assert!(bob.messages("C2Calice").await[1].revoked);

    let r = server
        .rest(
            "group_open_http_svc/group_msg_recall",
            json!({"GroupId": "g", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 7}]}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(
        r["RecallRetList"],
        json!([{"MsgSeq": 1, "RetCode": 0}, {"MsgSeq": 7, "RetCode": codes::MESSAGE_NOT_FOUND}])
    );
    for c in [&mut alice, &mut bob] {
        let (_, m, change) = push_of(c.next_push().await);
        assert_eq!(
            (m.conv_type, m.seq, m.revoked, change),
            (ConvType::Group, 1, true, Change::Revoked)
        );
    }
    let r = server
        .rest(
            "group_open_http_svc/group_msg_recall",
            json!({"GroupId": "nope", "MsgSeqList": [{"MsgSeq": 1}]}),
        )
        .await;
    assert_eq!(r["ErrorCode"], codes::GROUP_NOT_FOUND);
    let r = server
        .rest(
            "group_open_http_svc/group_msg_recall",
            json!({"GroupId": "g", "MsgSeqList": []}),
        )
        .await;
    assert_eq!(r["ErrorCode"], codes::INVALID_REQUEST);
    alice.expect_quiet().await;
    bob.expect_quiet().await;
}
