//! Revocation (issue 12, item 7): a REST kick ends the user's login state. UserSigs issued up
//! to the kick's second no longer log in, file tokens minted before it stop working on every
//! file endpoint, and both stay refused after a restart; what is issued afterwards works.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tim_protocol::{codes, req, usersig, Reply, Request, ServerFrame};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Logs `user` in on a new socket with `user_sig`: the socket and its file token, or the code.
async fn login(server: &TestServer, user: &str, user_sig: &str) -> Result<(Client, String), u32> {
    let mut c = server.client().await;
    c.user = user.into();
    let r = c
        .request(Request::Login(req::Login {
            user_id: user.into(),
            user_sig: user_sig.into(),
        }))
        .await;
    match r {
        Ok(Reply::Login { file_token, .. }) => Ok((c, file_token)),
        Ok(other) => panic!("unexpected {other:?}"),
        Err((code, _)) => Err(code),
    }
}

/// One HTTP request carrying the file token as uploads do; returns status and body.
async fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\
         x-tim-token: {token}\r\ncontent-type: application/json\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write");
    let _ = s.write_all(body).await;
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(WAIT, s.read_to_end(&mut raw))
        .await
        .expect("http timeout");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("http response");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    (status.expect("status"), body.to_owned())
}

const DATA: &[u8] = b"kept across a kick";

async fn start_upload(addr: SocketAddr, token: &str) -> (u16, String) {
    let body = json!({"size": DATA.len(), "name": "a.txt", "mime": "text/plain"}).to_string();
    let (status, body) = call(addr, "POST", "/files/uploads", token, &[], body.as_bytes()).await;
    let id = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["uploadID"].as_str().map(str::to_owned));
    (status, id.unwrap_or_default())
}

async fn put_chunk(addr: SocketAddr, token: &str, upload: &str) -> u16 {
    let hash: String = Sha256::digest(DATA)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = format!("/files/uploads/{upload}/0");
    let extra = [("x-chunk-sha256", hash.as_str())];
    call(addr, "PUT", &path, token, &extra, DATA).await.0
}

async fn complete(addr: SocketAddr, token: &str, upload: &str) -> (u16, String) {
    let path = format!("/files/uploads/{upload}/complete");
    let (status, body) = call(addr, "POST", &path, token, &[], b"").await;
    let id = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["fileID"].as_str().map(str::to_owned));
    (status, id.unwrap_or_default())
}

async fn download(addr: SocketAddr, token: &str, file: &str) -> u16 {
    http(addr, "GET", &format!("/files/{file}?tk={token}"), "")
        .await
        .0
}

#[tokio::test]
async fn a_kick_refuses_earlier_usersigs_and_file_tokens_even_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut server = TestServer::start_with(config(dir.path())).await;
    let addr = server.addr;
    let old_sig = usersig::generate(APP, KEY, "alice", 3600, now() - 5);
    let (mut alice, old_token) = login(&server, "alice", &old_sig).await.expect("login");
    let (status, upload) = start_upload(addr, &old_token).await;
    assert_eq!(status, 200);
    assert_eq!(put_chunk(addr, &old_token, &upload).await, 200);
    let (status, file) = complete(addr, &old_token, &upload).await;
    assert_eq!(status, 200);
    assert_eq!(download(addr, &old_token, &file).await, 200);
    let (_, pending) = start_upload(addr, &old_token).await;

    let r = server
        .rest("im_open_login_svc/kick", json!({"UserID": "alice"}))
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert!(matches!(
        alice.next_push().await,
        ServerFrame::Kicked { .. }
    ));

    // Before the kick: the sig no longer logs in, the token opens no file endpoint.
    assert_eq!(
        login(&server, "alice", &old_sig).await.err(),
        Some(codes::USERSIG_EXPIRED)
    );
    assert_eq!(start_upload(addr, &old_token).await.0, 401, "create");
    assert_eq!(put_chunk(addr, &old_token, &pending).await, 401, "chunk");
    assert_eq!(
        complete(addr, &old_token, &pending).await.0,
        401,
        "complete"
    );
    let path = format!("/files/uploads/{pending}");
    let status = call(addr, "GET", &path, &old_token, &[], b"").await.0;
    assert_eq!(status, 401, "status");
    assert_eq!(download(addr, &old_token, &file).await, 401, "download");

    // Issued after the kick's second: logs in, and its token works.
    let new_sig = usersig::generate(APP, KEY, "alice", 3600, now() + 1);
    let (_, new_token) = login(&server, "alice", &new_sig).await.expect("new sig");
    assert_eq!(download(addr, &new_token, &file).await, 200);
    assert_eq!(start_upload(addr, &new_token).await.0, 200);
    // Other users are untouched.
    let (_, bob_token) = login(&server, "bob", &sig("bob")).await.expect("bob");
    assert_eq!(start_upload(addr, &bob_token).await.0, 200);

    // The revocation is durable.
    server.stop().await;
    let server = TestServer::start_with(config(dir.path())).await;
    let addr = server.addr;
    assert_eq!(
        login(&server, "alice", &old_sig).await.err(),
        Some(codes::USERSIG_EXPIRED)
    );
    assert_eq!(download(addr, &old_token, &file).await, 401);
    assert_eq!(start_upload(addr, &old_token).await.0, 401);
    assert_eq!(download(addr, &new_token, &file).await, 200);
    login(&server, "alice", &new_sig).await.expect("new sig");
}

#[tokio::test]
async fn a_second_kick_ends_the_tokens_of_the_first_relogin() {
    let server = TestServer::start().await;
    let addr = server.addr;
    let kick = || server.rest("im_open_login_svc/kick", json!({"UserID": "alice"}));
    assert_eq!(
        kick().await["ActionStatus"],
        "OK",
        "kicking an unknown user"
    );
    let first = usersig::generate(APP, KEY, "alice", 3600, now() + 1);
    let (_, token) = login(&server, "alice", &first)
        .await
        .expect("after one kick");
    assert_eq!(start_upload(addr, &token).await.0, 200);
    // Possibly in the same second as that login: tokens go by generation, not by clock.
    kick().await;
    assert_eq!(start_upload(addr, &token).await.0, 401);
}
