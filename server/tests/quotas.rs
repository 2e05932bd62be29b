//! Per-user quotas and fairness (issue 12, item 6): upload sessions in count and total size,
//! chunk PUTs in progress, messages per second, new conversations with unknown peers, and one
//! user's flood not holding up another user's send. Rates refill by a manual clock.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use futures_util::SinkExt;
use serde_json::{json, Value};
use tim_protocol::{codes, req, ClientFrame, Reply, Request};
use tim_server::hub::MAX_IN_FLIGHT;
use tim_server::quota::Clock;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Logs `user` in on a new socket; returns the socket and its file token.
async fn login_with_token(server: &TestServer, user: &str) -> (Client, String) {
    let mut ws = server.client().await;
    ws.user = user.into();
    let login = Request::Login(req::Login {
        user_id: user.into(),
        user_sig: sig(user),
    });
    match ws.ok(login).await {
        Reply::Login { file_token, .. } => (ws, file_token),
        other => panic!("unexpected {other:?}"),
    }
}

/// Writes an HTTP/1.1 request head (and `body`) on a fresh connection, without reading.
async fn open_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    content_length: usize,
    body: &[u8],
) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {content_length}\r\nConnection: close\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write head");
    s.write_all(body).await.expect("write body");
    s
}

/// One complete request: status and JSON body.
async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Value) {
    let s = open_request(addr, method, path, headers, body.len(), body).await;
    let (status, _, body) = read_response(s).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn create_upload(addr: SocketAddr, token: &str, size: u64) -> (u16, Value) {
    let body = json!({"size": size, "name": "f.bin", "mime": "application/x-test"}).to_string();
    let headers = [("x-tim-token", token), ("content-type", "application/json")];
    request(addr, "POST", "/files/uploads", &headers, body.as_bytes()).await
}

#[tokio::test]
async fn upload_sessions_are_capped_in_count_and_in_total_declared_size() {
    const MIB: u64 = 1 << 20;
    let server = TestServer::start_tweaked(|c| {
        c.limits.max_open_uploads = 3;
        c.limits.max_upload_bytes = 10 * MIB;
    })
    .await;
    let (_alice, token) = login_with_token(&server, "alice").await;
    let (_bob, bob_token) = login_with_token(&server, "bob").await;

    // Size: 6 + 4 MiB fit the 10 MiB, one byte more does not.
    assert_eq!(create_upload(server.addr, &token, 6 * MIB).await.0, 200);
    let (status, body) = create_upload(server.addr, &token, 4 * MIB + 1).await;
    assert_eq!(
        (status, &body["code"]),
        (429, &json!(codes::UPLOAD_QUOTA)),
        "{body}"
    );
    assert_eq!(create_upload(server.addr, &token, 4 * MIB).await.0, 200);
    // Count: a third session fits no more bytes; with room in bytes, a fourth is refused by count.
    let (status, _) = create_upload(server.addr, &token, 1).await;
    assert_eq!(status, 429, "10 MiB already declared");
    let (status, body) = create_upload(server.addr, &bob_token, 1).await;
    assert_eq!(status, 200, "the quota is per user: {body}");
    for _ in 0..2 {
        assert_eq!(create_upload(server.addr, &bob_token, 1).await.0, 200);
    }
    let (status, body) = create_upload(server.addr, &bob_token, 1).await;
    assert_eq!(
        (status, &body["code"]),
        (429, &json!(codes::UPLOAD_QUOTA)),
        "{body}"
    );
}

#[tokio::test]
async fn chunk_puts_in_progress_are_capped_per_user() {
    let server = TestServer::start_tweaked(|c| c.limits.max_chunk_puts = 2).await;
    let (_alice, token) = login_with_token(&server, "alice").await;
    let (status, body) = create_upload(server.addr, &token, 3 * 4 * 1024 * 1024).await;
    assert_eq!(status, 200, "{body}");
    let upload = body["uploadID"].as_str().expect("uploadID").to_owned();
    let hash = "0".repeat(64);
    let headers = [("x-tim-token", token.as_str()), ("x-chunk-sha256", &hash)];

    // Two chunk bodies that stall after their first bytes hold both places.
    let mut stalled = Vec::new();
    for idx in 0..2 {
        let path = format!("/files/uploads/{upload}/{idx}");
        stalled.push(open_request(server.addr, "PUT", &path, &headers, 4 << 20, b"partial").await);
    }
    // A third PUT (complete, with a wrong hash: 400 once admitted) is refused while they last.
    let probe = format!("/files/uploads/{upload}/2");
    let refused = poll_until(WAIT, || async {
        let (status, body) = request(server.addr, "PUT", &probe, &headers, b"x").await;
        match status {
            429 => Ok(body),
            other => Err(format!("third chunk PUT answered {other} {body}")),
        }
    })
    .await;
    assert_eq!(refused["code"], codes::OVER_FREQUENCY_LIMIT);

    // The stalled ones end: their places are free again.
    drop(stalled);
    poll_until(WAIT, || async {
        match request(server.addr, "PUT", &probe, &headers, b"x").await {
            (400, _) => Ok(()),
            (status, body) => Err(format!("still refused: {status} {body}")),
        }
    })
    .await;
}

#[tokio::test]
async fn messages_over_the_rate_are_refused_until_the_bucket_refills() {
    let clock = Clock::manual();
    let server = TestServer::start_tweaked(|c| {
        c.limits.msg_per_sec = 10;
        c.limits.msg_burst = 3;
        c.limits.clock = clock.clone();
    })
    .await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    for i in 0..3 {
        alice.send(text("bob", &format!("m{i}"), "hi")).await;
    }
    let over = Request::Send(req::Send {
        message: text("bob", "m3", "one too many"),
    });
    assert_eq!(
        alice.err_code(over.clone()).await,
        codes::MESSAGE_RATE_LIMIT
    );
    // Online-only messages count too; another user has a bucket of its own.
    let mut online = text("bob", "o1", "typing");
    online.online_user_only = true;
    let online = Request::Send(req::Send { message: online });
    assert_eq!(alice.err_code(online).await, codes::MESSAGE_RATE_LIMIT);
    bob.send(text("alice", "b0", "mine")).await;

    // 100 ms at 10 a second: one message more, then refused again.
    clock.advance(Duration::from_millis(100));
    alice.send(text("bob", "m3", "one too many")).await;
    assert_eq!(
        alice
            .err_code(Request::Send(req::Send {
                message: text("bob", "m4", "x")
            }))
            .await,
        codes::MESSAGE_RATE_LIMIT
    );
    let ids: Vec<String> = bob
        .messages("C2Calice")
        .await
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        ids,
        ["m0", "m1", "m2", "b0", "m3"],
        "refused sends stored nothing"
    );
}

#[tokio::test]
async fn new_conversations_with_unknown_peers_are_rate_limited() {
    let clock = Clock::manual();
    let server = TestServer::start_tweaked(|c| {
        c.limits.unknown_peers_per_min = 6;
        c.limits.unknown_peer_burst = 2;
        c.limits.clock = clock.clone();
    })
    .await;
    let mut mallory = server.login("mallory").await;
    let _online = server.login("online").await;
    // A user who has logged in once is known, online or not.
    server.login("away").await.close().await;
    server.wait_stats(|s| s["loggedIn"] == 2).await;
    mallory.send(text("ghost1", "g1", "hi")).await;
    mallory.send(text("ghost2", "g2", "hi")).await;
    let ghost3 = Request::Send(req::Send {
        message: text("ghost3", "g3", "hi"),
    });
    assert_eq!(
        mallory.err_code(ghost3.clone()).await,
        codes::UNKNOWN_PEER_LIMIT
    );
    // Pins and settings would create the rows too.
    let pin = Request::Pin(req::Pin {
        conversation_id: "C2Cghost4".into(),
        pinned: true,
    });
    assert_eq!(mallory.err_code(pin).await, codes::UNKNOWN_PEER_LIMIT);

    // Free: conversations that exist, online users, and users the server has seen.
    mallory.send(text("ghost1", "g1b", "again")).await;
    mallory.send(text("online", "o1", "hi")).await;
    mallory.send(text("away", "a1", "hi")).await;
    let mut other = server.login("other").await;
    other
        .send(text("ghost2", "x1", "ghost2 has a row now"))
        .await;
    let names: Vec<String> = mallory.conversation_ids().await;
    assert_eq!(names.len(), 4, "no row for ghost3 or ghost4: {names:?}");

    // 10 s at 6 a minute refill one.
    clock.advance(Duration::from_secs(10));
    mallory.send(text("ghost3", "g3", "hi")).await;
    let ghost5 = Request::Send(req::Send {
        message: text("ghost5", "g5", "hi"),
    });
    assert_eq!(mallory.err_code(ghost5).await, codes::UNKNOWN_PEER_LIMIT);
}

/// Flooder sockets, each with `WINDOW` sends pipelined: with the reader's permit for the
/// next frame, all of `MAX_IN_FLIGHT` taken once every one is read.
const FLOOD_SOCKETS: usize = 4;
const WINDOW: usize = MAX_IN_FLIGHT - 1;
const BATCH: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_user_does_not_hold_up_another_users_send() {
    let server = TestServer::start_tweaked(|c| {
        c.limits.msg_per_sec = 0; // the flood is admitted: this is about the committer
        c.limits.unknown_peers_per_min = 0;
        c.limits.commit_batch = BATCH;
    })
    .await;
    let mut bystander = server.login("bystander").await;
    let mut flood = Vec::new();
    for _ in 0..FLOOD_SOCKETS {
        flood.push(server.login("flood").await);
    }
    // Hold SQLite's write lock: the committer stalls on its first batch and everything else
    // waits in its queue, the whole flood before the bystander's send.
    let db = rusqlite::Connection::open(server.config.data_dir.join("tim.sqlite")).expect("db");
    db.execute_batch("BEGIN IMMEDIATE").expect("write lock");
    let mut flooders = Vec::new();
    for (s, mut ws) in flood.into_iter().enumerate() {
        for n in 0..WINDOW {
            let message = text("sink", &format!("f{s}-{n}"), "flood");
            let req = Request::Send(req::Send { message });
            let frame = serde_json::to_string(&ClientFrame { id: n as u32, req }).expect("encode");
            ws.ws
                .feed(WsMessage::Text(frame.into()))
                .await
                .expect("feed");
        }
        ws.ws.flush().await.expect("flush");
        flooders.push(tokio::spawn(async move {
            for n in 0..WINDOW {
                ws.answer(n as u32).await.expect("flood send acked");
            }
        }));
    }
    wait_all_read(&server, "flood", MAX_IN_FLIGHT).await;
    let sent = bystander
        .send_req(Request::Send(req::Send {
            message: text("sink", "b1", "me too"),
        }))
        .await;
    wait_all_read(&server, "bystander", 2).await;
    drop(db); // rolls back: the committer goes on

    assert!(
        bystander.answer(sent).await.is_ok(),
        "the bystander's send is acked"
    );
    for f in flooders {
        f.await.expect("flooder");
    }
    // Where the bystander's message landed among the flood, in the recipient's delivery log.
    let mut sink = server.login("sink").await;
    let (mut since, mut position) = (0, None);
    while position.is_none() {
        let items = match sink
            .ok(Request::Sync(req::Sync { since, limit: 100 }))
            .await
        {
            Reply::Sync { items, .. } => items,
            other => panic!("unexpected {other:?}"),
        };
        assert!(!items.is_empty(), "the bystander's message was delivered");
        let found = items.iter().position(|i| i.message.from == "bystander");
        position = found.map(|p| since as usize + p);
        since = items.last().expect("items").sync_seq;
    }
    // Round-robin: after the stalled batch, the next one takes one of each user's writes.
    let ahead = position.expect("position");
    assert!(
        ahead <= BATCH + 1,
        "{ahead} of {} flood messages were committed before the bystander's",
        FLOOD_SOCKETS * WINDOW
    );
}

/// Waits until every socket of `user` has `in_flight` requests read (answers unwritten).
async fn wait_all_read(server: &TestServer, user: &str, in_flight: usize) {
    let path = format!("/debug/backlog?userID={user}");
    poll_until(WAIT, || async {
        let (_, _, body) = http(server.addr, "GET", &path, "").await;
        let v: Value = serde_json::from_str(&body).expect("json");
        let sockets = v["sockets"].as_array().cloned().unwrap_or_default();
        let all = !sockets.is_empty() && sockets.iter().all(|s| s["inFlight"] == in_flight);
        all.then_some(()).ok_or(format!("{user}: {v}"))
    })
    .await;
}
