//! Importing history (`Import` over the WebSocket, REST `openim/importmsg`) and batch sends
//! (REST `openim/batchsendmsg`).

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, ConvType, Reply, Request};

fn dated(to: &str, id: &str, body: &str, time: u64) -> tim_protocol::OutboundMessage {
    let mut m = text(to, id, body);
    m.client_time = time;
    m
}

#[tokio::test]
async fn imported_messages_keep_their_time_and_are_never_delivered_or_unread() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let batch = vec![
        dated("bob", "i2", "second", 1_600_000_200),
        dated("bob", "i1", "first", 1_600_000_100),
        dated("bob", "i3", "future", now() + 10_000),
    ];
    let stored = match alice
        .ok(Request::Import(req::Import {
            messages: batch.clone(),
        }))
        .await
    {
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
    bob.expect_quiet().await;
    assert_eq!(bob.history("C2Calice", None, 15).await.0, [1, 2, 3]);
    let convs = bob.conversations().await;
    assert_eq!(
        (convs[0].conversation_id.as_str(), convs[0].unread),
        ("C2Calice", 0)
    );
    assert!(bob.sync_items(0).await.is_empty(), "nothing delivered");
    // Idempotent.
    alice
        .ok(Request::Import(req::Import { messages: batch }))
        .await;
    assert_eq!(bob.history("C2Calice", None, 15).await.0, [1, 2, 3]);
    // Live traffic continues after the imported sequences and counts as usual.
    alice.send(text("bob", "live", "now")).await;
    let (_, m, _) = push_of(bob.next_push().await);
    assert_eq!(m.seq, 4);
    assert_eq!(bob.conversations().await[0].unread, 1);

    // Refusals: empty, mixed conversations, a group the importer is not in.
    assert_eq!(
        alice
            .err_code(Request::Import(req::Import { messages: vec![] }))
            .await,
        codes::INVALID_REQUEST
    );
    let mixed = vec![text("bob", "x1", "a"), text("carol", "x2", "b")];
    assert_eq!(
        alice
            .err_code(Request::Import(req::Import { messages: mixed }))
            .await,
        codes::INVALID_REQUEST
    );
    server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G", "MemberList": admin_body_members(&["bob"])}),
        )
        .await;
    let group = vec![message(ConvType::Group, "g", "gx", "hi")];
    assert_eq!(
        alice
            .err_code(Request::Import(req::Import { messages: group }))
            .await,
        codes::NOT_GROUP_MEMBER
    );
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
