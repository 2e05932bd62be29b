//! A client that sends faster than it reads is slowed down, never cut off: its answers hold
//! in-flight permits until written, so the server stops reading its requests instead of
//! overflowing the socket's queue (which would kill it and make the client retransmit
//! everything, again and again).

mod common;

use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use tim_protocol::{ClientFrame, Reply, Request, ServerFrame};
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
            let req = Request::Send {
                message: text("slow", &format!("fast-{id}"), &body),
            };
            let frame = serde_json::to_string(&ClientFrame { id: id + 100, req }).expect("encode");
            sink.send(WsMessage::Text(frame.into()))
                .await
                .expect("send");
        }
        sink
    });

    // Read nothing for a while: the server must hold its answers back, not drop the socket.
    tokio::time::sleep(Duration::from_secs(6)).await;
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
