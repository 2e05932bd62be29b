//! Connection hardening over real sockets: header and body read timeouts, the connection cap,
//! the per-user session cap, and the memory an idle logged-in socket costs.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, Reply, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SHORT: Duration = Duration::from_millis(200);

/// Reads until the server closes the connection (EOF or reset); what it sent meanwhile.
async fn read_until_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    tokio::time::timeout(WAIT, async {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server closes the connection");
    got
}

#[tokio::test]
async fn silent_and_slowloris_connections_are_closed_after_the_header_timeout() {
    let server = TestServer::start_tweaked(|c| c.header_timeout = SHORT).await;
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /debug/stats HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    read_until_closed(&mut silent).await;
    read_until_closed(&mut slow).await;
    // Everyone else is still served.
    let (status, _, _) = http(server.addr, "GET", "/debug/stats", "").await;
    assert_eq!(status, 200);
}

/// A logged-in user's file token.
async fn file_token(server: &TestServer, user: &str) -> (Client, String) {
    let mut ws = server.client().await;
    let reply = ws
        .ok(Request::Login(req::Login {
            user_id: user.into(),
            user_sig: sig(user),
        }))
        .await;
    let Reply::Login { file_token, .. } = reply else {
        panic!("unexpected {reply:?}");
    };
    (ws, file_token)
}

/// Sends a request head (with `content-length: len`) and the first `body` bytes of its body.
async fn start_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    len: usize,
    body: &[u8],
) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {len}\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    s
}

#[tokio::test]
async fn a_stalled_chunk_upload_is_answered_408_after_the_body_timeout() {
    let server = TestServer::start_tweaked(|c| c.body_timeout = SHORT).await;
    let (_ws, token) = file_token(&server, "alice").await;
    const CHUNK: usize = 4 * 1024 * 1024;
    let create = json!({"size": CHUNK, "name": "big.bin", "mime": "application/x-test"});
    let create = create.to_string();
    let mut s = start_request(
        server.addr,
        "POST",
        "/files/uploads",
        &[("x-tim-token", &token), ("connection", "close")],
        create.len(),
        create.as_bytes(),
    )
    .await;
    let raw = read_until_closed(&mut s).await;
    assert_eq!(
        status_of(&raw),
        Some(200),
        "{}",
        String::from_utf8_lossy(&raw)
    );
    let text = String::from_utf8_lossy(&raw);
    let upload: serde_json::Value = serde_json::from_str(&text[text.find('{').unwrap()..]).unwrap();
    let upload = upload["uploadID"].as_str().unwrap();

    // A 4 MiB chunk of which 1 MiB arrives, then nothing.
    let hash = "0".repeat(64);
    let mut put = start_request(
        server.addr,
        "PUT",
        &format!("/files/uploads/{upload}/0"),
        &[("x-tim-token", &token), ("x-chunk-sha256", &hash)],
        CHUNK,
        &vec![7u8; 1024 * 1024],
    )
    .await;
    let raw = read_until_closed(&mut put).await;
    assert_eq!(
        status_of(&raw),
        Some(408),
        "{}",
        String::from_utf8_lossy(&raw)
    );
}

#[tokio::test]
async fn connections_over_the_cap_get_503_and_a_closed_one_frees_its_slot() {
    let server = TestServer::start_tweaked(|c| c.max_connections = Some(2)).await;
    // An upgraded WebSocket keeps its slot, as does a connection that has sent nothing yet.
    let ws = server.login("alice").await;
    let _silent = TcpStream::connect(server.addr).await.unwrap();
    let mut over = start_request(server.addr, "GET", "/debug/stats", &[], 0, b"").await;
    let raw = read_until_closed(&mut over).await;
    assert_eq!(
        status_of(&raw),
        Some(503),
        "{}",
        String::from_utf8_lossy(&raw)
    );

    ws.close().await;
    poll_until(WAIT, || async {
        match http(server.addr, "GET", "/debug/stats", "").await.0 {
            200 => Ok(()),
            other => Err(format!("still {other} after the WebSocket closed")),
        }
    })
    .await;
}

#[tokio::test]
async fn a_login_beyond_the_per_user_session_cap_is_refused() {
    let server = TestServer::start_tweaked(|c| c.max_sessions_per_user = 2).await;
    let first = server.login("alice").await;
    let _second = server.login("alice").await;
    let mut third = server.client().await;
    let login = Request::Login(req::Login {
        user_id: "alice".into(),
        user_sig: sig("alice"),
    });
    assert_eq!(third.err_code(login.clone()).await, codes::SESSION_LIMIT);
    // The refused socket stays usable, other users are not affected.
    third.expect_quiet().await;
    let _bob = server.login("bob").await;

    // A closed session frees its slot.
    first.close().await;
    let addr = server.addr;
    poll_until(WAIT, || {
        let login = login.clone();
        async move {
            let mut again = Client::connect(addr).await;
            match again.request(login).await {
                Ok(_) => Ok(()),
                Err(e) => Err(format!("login still refused: {e:?}")),
            }
        }
    })
    .await;
}
