//! One connection = a reader (this task: `select!` over shutdown, the connection's end signal,
//! the next inbound frame and the idle deadline) and a writer task that drains the outbound
//! channel. Every frame leaves through that channel, so replies and pushes go out in the
//! order they were queued, and a slow reader never holds up pushes.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::codec;
use super::session::Session;
use crate::hub::{ConnHandle, Outbound};
use crate::state::AppState;

/// Close code for "going away" (server shutdown).
const GOING_AWAY: u16 = 1001;
/// Close code for a normal close.
const NORMAL: u16 = 1000;
/// Close code for a policy violation (no login in time).
const POLICY: u16 = 1008;
/// How long a closing connection may take to write its close frame.
const FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// Serves one upgraded connection until it ends.
pub async fn serve(state: AppState, socket: WebSocket) {
    let _open = state.socket_guard();
    let (conn, rx) = ConnHandle::new(state.hub.next_id());
    let (sink, mut stream) = socket.split();
    let writer = tokio::spawn(write(sink, rx, conn.clone(), state.shutdown.clone()));
    let mut session = Session::new(state.clone(), conn.clone());
    let idle = state.config.idle_timeout;
    let opened = Instant::now();
    let mut deadline = opened + idle;
    let login_by = opened + state.config.login_timeout;
    tracing::debug!(conn = conn.id, "connection opened");

    // Whether the writer still has a goodbye to deliver (close frame) before the socket goes.
    let mut flush = false;
    loop {
        // No free permit: the client has MAX_IN_FLIGHT unanswered requests, so stop reading
        // until answers are written.
        let permit = tokio::select! {
            biased;
            _ = state.shutdown.cancelled() => {
                flush = true;
                break;
            }
            _ = conn.killed() => break,
            permit = conn.request_permit() => permit,
        };
        tokio::select! {
            biased;
            // The writer says goodbye on shutdown; here we only stop reading.
            _ = state.shutdown.cancelled() => {
                flush = true;
                break;
            }
            _ = conn.killed() => break,
            msg = stream.next() => match msg {
                Some(Ok(msg)) => {
                    deadline = Instant::now() + idle;
                    match msg {
                        Message::Text(text) => match codec::decode(text.as_str()) {
                            Ok(frame) => {
                                let reply = session.handle(frame, permit).await;
                                // Still here unless a write took it to the committer.
                                let permit = session.take_permit();
                                if let Some(reply) = reply {
                                    conn.send_answer(&reply, permit);
                                }
                            }
                            Err(error) => conn.send_answer(&error, permit),
                        },
                        Message::Binary(_) => conn.send_answer(&codec::binary_refused(), permit),
                        // Pings are answered by the WebSocket layer; a close is answered too
                        // and the stream then ends.
                        Message::Ping(_) | Message::Pong(_) | Message::Close(_) => {}
                    }
                }
                Some(Err(e)) => {
                    tracing::debug!(conn = conn.id, "connection error: {e}");
                    break;
                }
                None => break,
            },
            _ = tokio::time::sleep_until(deadline) => {
                conn.send(Outbound::Close(NORMAL, "idle"));
                flush = true;
                break;
            }
            _ = tokio::time::sleep_until(login_by), if session.user.is_none() => {
                conn.send(Outbound::Close(POLICY, "login timeout"));
                flush = true;
                break;
            }
        }
    }
    session.end();
    state.hub.release_session(conn.id);
    // Give the writer a moment to deliver the close frame; a peer that does not read is cut.
    if !flush
        || tokio::time::timeout(FLUSH_TIMEOUT, conn.killed())
            .await
            .is_err()
    {
        conn.kill();
    }
    let _ = writer.await;
    tracing::debug!(conn = conn.id, "connection closed");
}

/// Drains the outbound channel onto the socket until a close, a failed write, a kill or
/// shutdown; always leaves the connection killed so the reader stops too.
async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    mut rx: mpsc::Receiver<Outbound>,
    conn: ConnHandle,
    shutdown: CancellationToken,
) {
    loop {
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => {
                let _ = sink.send(close(GOING_AWAY, "server shutting down")).await;
                break;
            }
            _ = conn.killed() => break,
            out = rx.recv() => match out {
                Some(Outbound::Text(text, permit)) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                    drop(permit); // written: the reader may take another request
                }
                Some(Outbound::Close(code, reason)) => {
                    let _ = sink.send(close(code, reason)).await;
                    break;
                }
                None => break,
            },
        }
    }
    conn.kill();
}
