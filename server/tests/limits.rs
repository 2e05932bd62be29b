//! Connection hardening over real sockets: header and body read timeouts, the connection cap,
//! the per-user session cap, and the memory an idle logged-in socket costs.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, ClientFrame, Reply, Request, ServerFrame};
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

fn status_of(raw: &[u8]) -> Option<u16> {
    let line = raw.split(|b| *b == b'\r').next()?;
    std::str::from_utf8(line)
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
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

/// A WebSocket client with no buffers of its own (tungstenite's would dwarf the server's
/// share): the upgrade by hand, then one login frame and its answer.
async fn bare_login(addr: SocketAddr, user: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "GET /ws HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    while !got.ends_with(b"\r\n\r\n") {
        got.push(s.read_u8().await.unwrap());
    }
    assert_eq!(status_of(&got), Some(101));
    let login = ClientFrame {
        id: 1,
        req: Request::Login(req::Login {
            user_id: user.into(),
            user_sig: sig(user),
        }),
    };
    let payload = serde_json::to_vec(&login).unwrap();
    // A final text frame, masked with a zero key (the payload goes as is).
    let mut frame = vec![0x81];
    match u8::try_from(payload.len()) {
        Ok(n) if n < 126 => frame.push(0x80 | n),
        _ => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&u16::try_from(payload.len()).unwrap().to_be_bytes());
        }
    }
    frame.extend_from_slice(&[0; 4]);
    frame.extend_from_slice(&payload);
    s.write_all(&frame).await.unwrap();
    let mut head = [0u8; 2];
    s.read_exact(&mut head).await.unwrap();
    let len = match head[1] {
        126 => usize::from(s.read_u16().await.unwrap()),
        n => usize::from(n),
    };
    let mut answer = vec![0; len];
    s.read_exact(&mut answer).await.unwrap();
    let answer: ServerFrame = serde_json::from_slice(&answer).unwrap();
    assert!(
        matches!(answer, ServerFrame::Ok { id: 1, .. }),
        "{answer:?}"
    );
    s
}

fn rss_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .unwrap();
    kb * 1024
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn idle_logged_in_sockets_cost_little_memory_and_give_it_back_when_closed() {
    const SOCKETS: usize = 1000;
    let server = TestServer::start_tweaked(|c| c.trim_interval = SHORT).await;
    let _warm = bare_login(server.addr, "warm").await;
    let before = rss_bytes();
    let users: Vec<String> = (0..SOCKETS).map(|i| format!("m{i}")).collect();
    let logins = users.iter().map(|user| bare_login(server.addr, user));
    let sockets = futures_util::future::join_all(logins).await;
    let grown = rss_bytes().saturating_sub(before);
    let per_socket = grown / SOCKETS;
    eprintln!("{per_socket} bytes of RSS per idle logged-in socket (server and bare client)");
    // 128 KiB read buffers cost ~133 kB each.
    assert!(per_socket < 40 * 1024, "{per_socket} bytes per socket");

    drop(sockets);
    server.wait_stats(|s| s["openSockets"] == 1).await;
    // glibc keeps freed memory unless trimmed.
    poll_until(WAIT, || async {
        let rss = rss_bytes().saturating_sub(before);
        if rss < grown / 3 {
            Ok(())
        } else {
            Err(format!(
                "{rss} of {grown} bytes still held after the sockets closed"
            ))
        }
    })
    .await;
}
