//! Importing history (`Import` over the WebSocket: the importer's own view only; REST
//! `openim/importmsg`: everyone's) and batch sends (REST `openim/batchsendmsg`).

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, ConvType, Reply, Request};

fn dated(to: &str, id: &str, body: &str, time: u64) -> tim_protocol::OutboundMessage {
    let mut m = text(to, id, body);
    m.client_time = time;
    m
}

fn import(messages: Vec<tim_protocol::OutboundMessage>) -> Request {
    Request::Import(req::Import { messages })
}

#[tokio::test]
async fn a_client_import_keeps_its_time_and_is_shown_to_the_importer_only() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let batch = vec![
        dated("bob", "i2", "second", 1_600_000_200),
        dated("bob", "i1", "first", 1_600_000_100),
        dated("bob", "i3", "future", now() + 10_000),
    ];
    let stored = match alice.ok(import(batch.clone())).await {
        Reply::Imported { messages } => messages,
        other => panic!("unexpected {other:?}"),
    };
    // Sequences follow time; a future time is capped at now.
    let ids: Vec<(&str, u64)> = stored.iter().map(|m| (m.id.as_str(), m.seq)).collect();
    assert_eq!(ids, [("i1", 1), ("i2", 2), ("i3", 3)]);
    assert_eq!(
        (stored[0].time, stored[1].time),
        (1_600_000_100, 1_600_000_200)
    );
    assert!(stored[2].time <= now());
    // The importer sees them as history: listed, never unread, never delivered.
    assert_eq!(
        alice.history("C2Cbob", None, 15).await,
        (vec![1, 2, 3], true)
    );
    let convs = alice.conversations().await;
    assert_eq!(
        (convs[0].conversation_id.as_str(), convs[0].unread),
        ("C2Cbob", 0)
    );
    assert_eq!(convs[0].last_message.as_ref().map(|m| m.seq), Some(3));
    assert!(alice.sync_items(0).await.is_empty(), "nothing delivered");
    // The peer sees nothing of them.
    bob.expect_quiet().await;
    assert_eq!(bob.history("C2Calice", None, 15).await, (vec![], true));
    assert!(bob.conversations().await.is_empty());
    assert!(bob.sync_items(0).await.is_empty());
    let fetched = bob
        .ok(Request::Fetch(req::Fetch {
            conversation_id: "C2Calice".into(),
            seqs: vec![1, 2, 3],
        }))
        .await;
    assert!(matches!(fetched, Reply::History { messages, .. } if messages.is_empty()));
    // Idempotent.
    alice.ok(import(batch)).await;
    assert_eq!(alice.history("C2Cbob", None, 15).await.0, [1, 2, 3]);

    // Live traffic continues after the imported sequences and counts as usual; the peer's
    // pages skip the hidden ones and are still complete (no gap for the SDK to fill).
    alice.send(text("bob", "live", "now")).await;
    let (_, m, _) = push_of(bob.next_push().await);
    assert_eq!(m.seq, 4);
    assert_eq!(bob.history("C2Calice", None, 15).await, (vec![4], true));
    assert_eq!(bob.history("C2Calice", Some(4), 15).await, (vec![], true));
    let convs = bob.conversations().await;
    assert_eq!((convs.len(), convs[0].unread), (1, 1));
    assert_eq!(alice.history("C2Cbob", None, 15).await.0, [1, 2, 3, 4]);

    // Changes to a hidden message reach nobody else, and the peer cannot act on one.
    alice
        .ok(Request::Revoke(req::Revoke {
            conversation_id: "C2Cbob".into(),
            seq: 3,
        }))
        .await;
    bob.ok(Request::Delete(req::Delete {
        conversation_id: "C2Calice".into(),
        seqs: vec![1, 2],
    }))
    .await;
    bob.expect_quiet().await;
    let bob_items = bob.sync_items(0).await;
    assert_eq!(bob_items.len(), 1, "only the live message: {bob_items:?}");
    assert_eq!(alice.history("C2Cbob", None, 15).await.0, [1, 2, 3, 4]);
}

#[tokio::test]
async fn a_client_import_into_a_group_is_shown_to_the_importer_only() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G", "MemberList": admin_body_members(&["alice", "bob"])}),
        )
        .await;
    let _ = (alice.next_push().await, bob.next_push().await); // the join notices
    let seqs = |r: Reply| match r {
        Reply::Imported { messages } => messages.iter().map(|m| m.seq).collect::<Vec<_>>(),
        other => panic!("unexpected {other:?}"),
    };
    let group = vec![message(ConvType::Group, "g", "gi", "old news")];
    assert_eq!(seqs(alice.ok(import(group)).await), [1]);
    assert_eq!(alice.history("GROUPg", None, 15).await.0, [1]);
    bob.expect_quiet().await;
    assert_eq!(bob.history("GROUPg", None, 15).await, (vec![], true));
    let convs = bob.conversations().await;
    let g = convs.iter().find(|c| c.conversation_id == "GROUPg");
    assert!(g.is_some_and(|c| c.last_message.is_none() && c.unread == 0));
}

#[tokio::test]
async fn client_imports_are_refused_when_malformed_or_not_the_importers() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    assert_eq!(alice.err_code(import(vec![])).await, codes::INVALID_REQUEST);
    let mixed = vec![text("bob", "x1", "a"), text("carol", "x2", "b")];
    assert_eq!(alice.err_code(import(mixed)).await, codes::INVALID_REQUEST);
    server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G", "MemberList": admin_body_members(&["bob"])}),
        )
        .await;
    let group = vec![message(ConvType::Group, "g", "gx", "hi")];
    assert_eq!(alice.err_code(import(group)).await, codes::NOT_GROUP_MEMBER);
}

#[tokio::test]
async fn rest_importmsg_stores_history_silently() {
    let server = TestServer::start().await;
    let mut bob = server.login("bob").await;
    let body = json!({"SyncFromOldSystem": 1, "From_Account": "alice", "To_Account": "bob",
        "MsgRandom": 42, "MsgTimeStamp": 1_500_000_000u64,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "from the old system"}}]});
    let r = server.rest("openim/importmsg", body.clone()).await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let r = server.rest("openim/importmsg", body).await;
    assert_eq!(r["ActionStatus"], "OK", "a repeat is fine: {r}");
    bob.expect_quiet().await;
    let h = bob.messages("C2Calice").await;
    assert_eq!(h.len(), 1, "stored once");
    assert_eq!((h[0].from.as_str(), h[0].time), ("alice", 1_500_000_000));
    assert_eq!(bob.conversations().await[0].unread, 0);
    // The admin's import is everyone's history: the sender's too.
    let mut alice = server.login("alice").await;
    assert_eq!(alice.messages("C2Cbob").await, h);
    assert_eq!(alice.conversations().await[0].conversation_id, "C2Cbob");
    let bad = json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 1,
        "MsgTimeStamp": 1, "MsgBody": []});
    let r = server.rest("openim/importmsg", bad).await;
    assert_eq!(r["ActionStatus"], "FAIL", "{r}");
}

#[tokio::test]
async fn rest_batchsendmsg_reports_per_user_and_is_idempotent() {
    let server = TestServer::start().await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let body = json!({"From_Account": "alice", "To_Account": ["bob", "carol", "bob", "bad\u{1}user"],
        "MsgRandom": 7, "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "to all"}}]});
    let r = server.rest("openim/batchsendmsg", body.clone()).await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let errors = r["ErrorList"].as_array().expect("ErrorList");
    assert_eq!(errors.len(), 1, "{r}");
    assert_eq!(errors[0]["To_Account"], "bad\u{1}user");
    assert_eq!(errors[0]["ErrorCode"], codes::INVALID_REQUEST);
    for c in [&mut bob, &mut carol] {
        let (_, m, _) = push_of(c.next_push().await);
        assert_eq!((m.from.as_str(), m.seq), ("alice", 1));
    }
    bob.expect_quiet().await;
    // The same batch again (same MsgRandom, same second) sends nothing new.
    let r = server.rest("openim/batchsendmsg", body).await;
    assert_eq!(r["ActionStatus"], "OK");
    assert_eq!(bob.messages("C2Calice").await.len(), 1);
    assert_eq!(carol.messages("C2Calice").await.len(), 1);
    let empty = json!({"To_Account": [], "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "x"}}]});
    assert_eq!(
        server.rest("openim/batchsendmsg", empty).await["ActionStatus"],
        "FAIL"
    );
}
