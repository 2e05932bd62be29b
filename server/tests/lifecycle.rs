//! Server lifecycle: durability across restarts, socket accounting, forced drops, graceful
//! shutdown with open sockets, debug endpoints gating and static files.

mod common;

use std::time::Duration;

use common::*;
use tim_protocol::{req, Reply, Request, ServerFrame};

#[tokio::test]
async fn history_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = TestServer::start_with(config(dir.path())).await;
    let mut alice = server.login("alice").await;
    for i in 0..20 {
        alice
            .send(text("bob", &format!("d{i}"), &format!("durable {i}")))
            .await;
    }
    drop(alice);
    server.stop().await;

    let server = TestServer::start_with(config(dir.path())).await;
    let mut bob = server.client().await;
    assert_eq!(bob.login("bob").await, 20);
    let (p1, _) = bob.history("C2Calice", None, 15).await;
    let (p2, done) = bob.history("C2Calice", Some(6), 15).await;
    assert_eq!(p1, (6..=20).collect::<Vec<_>>());
    assert_eq!((p2, done), ((1..=5).collect::<Vec<_>>(), true));
    // Sequences continue; idempotency survives too.
    let mut alice = server.login("alice").await;
    assert_eq!(alice.send(text("bob", "d0", "durable 0")).await, (1, 1));
    assert_eq!(
        alice.send(text("bob", "d20", "after restart")).await,
        (21, 21)
    );
}

#[tokio::test]
async fn debug_stats_count_sockets_and_drop_closes_them() {
    let server = TestServer::start().await;
    let s = server.stats().await;
    assert_eq!(
        (s["openSockets"].as_u64(), s["loggedIn"].as_u64()),
        (Some(0), Some(0))
    );
    let anon = server.client().await;
    let bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    let alice = server.login("alice").await;
    server
        .wait_stats(|s| s["openSockets"] == 4 && s["loggedIn"] == 3)
        .await;

    anon.close().await;
    server
        .wait_stats(|s| s["openSockets"] == 3 && s["loggedIn"] == 3)
        .await;
    drop(alice); // abrupt: no close handshake
    server
        .wait_stats(|s| s["openSockets"] == 2 && s["loggedIn"] == 2)
        .await;

    let (status, _, body) = http(server.addr, "POST", "/debug/drop?userID=bob", "").await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["dropped"],
        2
    );
    // Dropped without a Kicked frame.
    assert!(bob2.read_frame().await.is_none());
    drop(bob);
    server
        .wait_stats(|s| s["openSockets"] == 0 && s["loggedIn"] == 0)
        .await;

    let (status, _, body) = http(server.addr, "GET", "/debug/usersig?userID=carol", "").await;
    assert_eq!(status, 200);
    let sig: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut carol = server.client().await;
    carol
        .ok(Request::Login(req::Login {
            user_id: "carol".into(),
            user_sig: sig["userSig"].as_str().unwrap().into(),
        }))
        .await;
    let (status, _, _) = http(server.addr, "GET", "/debug/usersig", "").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn debug_endpoints_are_off_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path());
    c.debug_endpoints = false;
    let server = TestServer::start_with(c).await;
    for (method, path) in [
        ("GET", "/debug/stats"),
        ("POST", "/debug/drop?userID=x"),
        ("GET", "/debug/usersig?userID=x"),
    ] {
        let (status, _, _) = http(server.addr, method, path, "").await;
        assert!(status == 404 || status == 405, "{path} -> {status}");
    }
}

#[tokio::test]
async fn shutdown_closes_websockets_and_returns() {
    let mut server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut anon = server.client().await;
    let started = tokio::time::Instant::now();
    server.stop().await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(alice.read_frame().await.is_none());
    assert!(anon.read_frame().await.is_none());
}

#[tokio::test]
async fn serves_static_files_with_wasm_mime() {
    let server = TestServer::start().await;
    let dir = server.dir.as_ref().unwrap().path();
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("www/index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(dir.join("pkg/tim_sdk_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let (status, _, body) = http(server.addr, "GET", "/", "").await;
    assert_eq!((status, body.as_str()), (200, "<h1>demo</h1>"));
    let (status, head, _) = http(server.addr, "GET", "/pkg/tim_sdk_bg.wasm", "").await;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/wasm"),
        "{head}"
    );
    let (status, _, _) = http(server.addr, "GET", "/missing.html", "").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn pushes_follow_kicked_users_only_until_the_kick() {
    // A kicked user's new login works and receives pushes again.
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    server
        .rest(
            "im_open_login_svc/kick",
            serde_json::json!({"UserID": "bob"}),
        )
        .await;
    assert!(matches!(
        bob.read_frame().await,
        Some(ServerFrame::Kicked { .. })
    ));
    // With a UserSig issued after the kick's second (earlier ones are revoked).
    let mut bob = server.client().await;
    let fresh = tim_protocol::usersig::generate(APP, KEY, "bob", 3600, now() + 1);
    bob.ok(Request::Login(req::Login {
        user_id: "bob".into(),
        user_sig: fresh,
    }))
    .await;
    alice.send(text("bob", "k1", "welcome back")).await;
    assert!(matches!(bob.next_push().await, ServerFrame::Push { .. }));
    assert!(matches!(bob.ok(Request::Ping).await, Reply::Pong { .. }));
}
