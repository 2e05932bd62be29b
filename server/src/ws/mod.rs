//! The WebSocket endpoint: upgrade, then one task per connection ([`connection`]) that reads
//! frames ([`codec`]), runs each request of its [`session`] through [`cmd::dispatch`] (one file
//! per command in [`cmd`]) and writes whatever is queued on its outbound channel.

mod cmd;
mod codec;
mod connection;
mod session;

use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use tim_protocol::MAX_FRAME_BYTES;

use crate::state::AppState;

/// Frames up to this size reach the codec, which answers "too large" above
/// [`MAX_FRAME_BYTES`]; beyond it the WebSocket layer drops the connection. Generous so that
/// an oversized request (an older SDK's 200 KiB message) fails with an answer instead of a
/// drop the client would retry after every reconnect; buffers grow only as bytes arrive.
const TRANSPORT_LIMIT: usize = MAX_FRAME_BYTES * 16;

/// Read and write buffers of a socket: tungstenite's default 128 KiB read buffer, zero-filled
/// at the first frame, made an idle session cost ~133 kB; frames are small, and a large one
/// grows the buffer for as long as it needs.
const SOCKET_BUFFER: usize = 4 * 1024;

/// `GET /ws`.
pub async fn upgrade(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(TRANSPORT_LIMIT)
        .max_frame_size(TRANSPORT_LIMIT)
        .on_failed_upgrade(|e| tracing::debug!("websocket upgrade failed: {e}"))
        .on_upgrade(move |socket| {
            // Tracked so shutdown can wait for it: axum's graceful shutdown does not.
            let tracker = state.sockets.clone();
            tracker.track_future(connection::serve(state, socket))
        })
}
