//! A client that sends faster than it reads is slowed down, never cut off: its answers hold
//! in-flight permits until written, so the server stops reading its requests instead of
//! overflowing the socket's queue (which would kill it and make the client retransmit
//! everything, again and again).

mod common;

use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tim_protocol::{req, ClientFrame, Reply, Request, ServerFrame};
use tim_server::hub::MAX_IN_FLIGHT;
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Far more than the socket's outbound queue, and large enough (with the text echoed in each
/// answer) that the kernel's socket buffers cannot absorb the answers either.
const SENDS: u32 = 6_000;
const TEXT_BYTES: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_read_is_throttled_not_dropped() {
    let server = TestServer::start().await;
    let client = server.login("fast").await;
    let (mut sink, mut stream) = client.ws.split();
    let body = "x".repeat(TEXT_BYTES);

    let sender = tokio::spawn(async move {
        for id in 1..=SENDS {
            let req = Request::Send(req::Send {
                message: text("slow", &format!("fast-{id}"), &body),
            });
            let frame = serde_json::to_string(&ClientFrame { id: id + 100, req }).expect("encode");
            sink.send(WsMessage::Text(frame.into()))
                .await
                .expect("send");
        }
        sink
    });

    // Read nothing until the server holds back a full window of answers (and so has stopped
    // reading): it must throttle, not drop the socket.
    let held = wait_until_throttled(&server, "fast").await;
    let stats = server.stats().await;
    assert_eq!(stats["openSockets"], 1, "held back, not dropped: {stats}");
    let committed = stats["messages"].as_u64().expect("messages");
    assert!(
        committed < u64::from(SENDS),
        "the server stopped reading: {committed} of {SENDS} committed ({held})"
    );
    let mut acked = 0;
    while acked < SENDS {
        let msg = tokio::time::timeout(Duration::from_secs(30), stream.next())
            .await
            .expect("answers keep coming");
        match msg {
            Some(Ok(WsMessage::Text(t))) => {
                match serde_json::from_str::<ServerFrame>(t.as_str()).expect("frame") {
                    ServerFrame::Ok {
                        data: Reply::Sent { message, .. },
                        ..
                    } => {
                        acked += 1;
                        assert_eq!(message.seq, u64::from(acked), "acks in order, none lost");
                    }
                    other => panic!("unexpected frame {other:?}"),
                }
            }
            Some(Ok(_)) => {}
            other => panic!("socket ended after {acked} answers: {other:?}"),
        }
    }
    let _sink = sender.await.expect("sender finished");
    let stats = server.stats().await;
    assert_eq!(
        stats["openSockets"], 1,
        "the fast client is still connected"
    );
}

/// Polls `/debug/backlog` (at most a minute) until `user`'s socket has all its in-flight
/// permits taken and their answers wait in its outbound queue: the server has stopped reading
/// requests and holds back the answers the client does not read.
async fn wait_until_throttled(server: &TestServer, user: &str) -> Value {
    let path = format!("/debug/backlog?userID={user}");
    poll_until(Duration::from_secs(60), || async {
        let (status, _, body) = http(server.addr, "GET", &path, "").await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).expect("json");
        let sockets = v["sockets"].as_array().expect("sockets");
        assert_eq!(sockets.len(), 1, "{user}'s socket is still there: {v}");
        let (in_flight, queued) = (&sockets[0]["inFlight"], &sockets[0]["queued"]);
        // All permits taken (one may be held by the reader for its next read, one answer may
        // be in the writer's hands), the rest of the answers queued unwritten.
        let held = queued
            .as_u64()
            .is_some_and(|q| q + 2 >= MAX_IN_FLIGHT as u64);
        if *in_flight == MAX_IN_FLIGHT && held {
            Ok(sockets[0].clone())
        } else {
            Err(format!("never throttled: {v}"))
        }
    })
    .await
}
