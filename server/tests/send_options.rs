//! `Send` options: `online_user_only` (connected sockets only, nothing stored) and the offline
//! push webhook (`--push-webhook`), checked with a local HTTP listener standing in for a push
//! provider.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use tim_protocol::{req, Change, ConvType, Reply, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A webhook listener: every POST body arrives on the channel; answers 200 (or never answers
/// when `hang`).
async fn webhook(hang: bool) -> (String, mpsc::UnboundedReceiver<Value>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/push", listener.local_addr().expect("addr"));
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                if hang {
                    // Accept, never read or answer: the connection stays open until the test
                    // ends.
                    std::future::pending::<()>().await;
                }
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len: usize = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            let body = &buf[end + 4..end + 4 + len];
                            assert!(text.starts_with("POST /push HTTP/1.1\r\n"), "{text}");
                            let _ = tx.send(serde_json::from_slice(body).expect("JSON body"));
                            break;
                        }
                    }
                }
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (url, rx)
}

async fn next_hook(rx: &mut mpsc::UnboundedReceiver<Value>) -> Value {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("webhook called in time")
        .expect("listener alive")
}

/// The webhook is called in commit order by one task: after a send that must not be pushed,
/// `client` sends `id` to `offline` (someone with no socket), and that must be the next call.
async fn next_hook_is(
    rx: &mut mpsc::UnboundedReceiver<Value>,
    client: &mut Client,
    offline: &str,
    id: &str,
) {
    client.send(text(offline, id, "follow-up")).await;
    let body = next_hook(rx).await;
    assert_eq!(
        (body["MsgID"].as_str(), body["To_Account"].as_str()),
        (Some(id), Some(offline)),
        "unexpected webhook call: {body}"
    );
}

fn with_push(to: &str, id: &str, info: &str) -> tim_protocol::OutboundMessage {
    let mut m = text(to, id, "hello");
    m.offline_push_info = info.into();
    m
}

#[tokio::test]
async fn offline_recipients_go_to_the_webhook() {
    let (url, mut hooks) = webhook(false).await;
    let server = TestServer::start_tweaked(|c| c.push_webhook = Some(url)).await;
    let mut alice = server.login("alice").await;

    // Bob is offline: one POST, with the offlinePushInfo as given.
    alice
        .send(with_push(
            "bob",
            "m1",
            r#"{"title":"T","description":"D","extension":"x"}"#,
        ))
        .await;
    let body = next_hook(&mut hooks).await;
    assert_eq!(body["To_Account"], "bob");
    assert_eq!(body["From_Account"], "alice");
    assert_eq!(body["ConversationID"], "C2Calice");
    assert_eq!(body["MsgID"], "m1");
    assert_eq!(body["MsgSeq"], 1);
    assert_eq!(body["Text"], "hello");
    assert_eq!(body["OfflinePushInfo"]["title"], "T");
    assert_eq!(body["OfflinePushInfo"]["extension"], "x");
    // Stored with the message.
    let stored = alice.messages("C2Cbob").await;
    assert!(stored[0].offline_push_info.contains(r#""title":"T""#));
    // A resend of the same ID is no new message: no second push.
    alice.send(with_push("bob", "m1", r#"{"title":"T"}"#)).await;
    // Without offlinePushInfo: pushed with defaults (null).
    alice.send(text("bob", "m2", "plain")).await;
    let body = next_hook(&mut hooks).await;
    assert_eq!(
        (body["MsgID"].as_str(), &body["OfflinePushInfo"]),
        (Some("m2"), &Value::Null)
    );
    // disablePush: stored, not pushed.
    alice
        .send(with_push("bob", "m3", r#"{"disablePush":true}"#))
        .await;
    next_hook_is(&mut hooks, &mut alice, "bob", "m3-after").await;

    // Bob online: nothing to push.
    let mut bob = server.login("bob").await;
    alice.send(with_push("bob", "m4", r#"{"title":"T"}"#)).await;
    let (_, m, _) = push_of(bob.next_push().await);
    assert_eq!(m.id, "m4");
    next_hook_is(&mut hooks, &mut alice, "carol", "m4-after").await;
    // Not a JSON object: refused.
    let code = alice
        .err_code(Request::Send(req::Send {
            message: with_push("bob", "m5", "[1]"),
        }))
        .await;
    assert_eq!(code, tim_protocol::codes::INVALID_REQUEST);
}

#[tokio::test]
async fn a_hanging_webhook_never_delays_the_ack() {
    let (url, _hooks) = webhook(true).await;
    let server = TestServer::start_tweaked(|c| c.push_webhook = Some(url)).await;
    let mut alice = server.login("alice").await;
    let started = Instant::now();
    for i in 0..5 {
        alice.send(with_push("bob", &format!("h{i}"), "{}")).await;
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_dead_webhook_is_logged_and_serving_goes_on() {
    // A port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let url = format!("http://127.0.0.1:{port}/push");
    let server = TestServer::start_tweaked(|c| c.push_webhook = Some(url)).await;
    let mut alice = server.login("alice").await;
    alice.send(text("bob", "d1", "one")).await;
    alice.send(text("bob", "d2", "two")).await;
    assert_eq!(alice.messages("C2Cbob").await.len(), 2);
}

#[tokio::test]
async fn online_user_only_reaches_connected_sockets_and_is_never_stored() {
    let (url, mut hooks) = webhook(false).await;
    let server = TestServer::start_tweaked(|c| c.push_webhook = Some(url)).await;
    server
        .rest(
            "group_open_http_svc/create_group",
            serde_json::json!({"Owner_Account": "alice", "Type": "Public", "GroupId": "g1", "Name": "G1",
                "MemberList": admin_body_members(&["bob", "carol"])}),
        )
        .await;
    let mut alice = server.login("alice").await;
    let mut alice2 = server.login("alice").await;
    let mut bob = server.login("bob").await;

    for (conv_type, to, id) in [(ConvType::C2c, "bob", "o1"), (ConvType::Group, "g1", "o2")] {
        let mut m = message(conv_type, to, id, "ephemeral");
        m.online_user_only = true;
        m.offline_push_info = r#"{"title":"never"}"#.into();
        match alice.ok(Request::Send(req::Send { message: m })).await {
            Reply::Sent { message, sync_seq } => assert_eq!((message.seq, sync_seq), (0, 0)),
            other => panic!("unexpected {other:?}"),
        }
        for c in [&mut bob, &mut alice2] {
            let (sync_seq, got, change) = push_of(c.next_push().await);
            assert_eq!(
                (sync_seq, got.seq, got.id.as_str(), change),
                (0, 0, id, Change::New)
            );
        }
    }
    // Nothing stored: no history, no unread, nothing to sync, no push for offline carol.
    assert!(bob.messages("C2Calice").await.is_empty());
    assert!(bob.messages("GROUPg1").await.is_empty());
    // (Only the group-creation notices of @TIM#SYSTEM are in the log.)
    let only_notices = |items: Vec<tim_protocol::SyncItem>| {
        items
            .iter()
            .all(|i| i.message.conv_type == ConvType::System)
    };
    assert!(only_notices(bob.sync_items(0).await));
    let convs = bob.conversations().await;
    assert!(convs
        .iter()
        .filter(|c| c.conv_type != ConvType::System)
        .all(|c| c.unread == 0));
    let mut carol = server.login("carol").await;
    assert!(carol.messages("GROUPg1").await.is_empty());
    assert!(only_notices(carol.sync_items(0).await));
    next_hook_is(&mut hooks, &mut alice, "erin", "o-after").await;
    // Group membership still applies.
    let mut m = message(ConvType::Group, "g1", "o3", "x");
    m.online_user_only = true;
    let mut dave = server.login("dave").await;
    let code = dave.err_code(Request::Send(req::Send { message: m })).await;
    assert_eq!(code, tim_protocol::codes::NOT_GROUP_MEMBER);
    carol.expect_quiet().await;
}
