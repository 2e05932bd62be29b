//! `Ping`: the heartbeat, answered at once with the server's time (no login needed).

use tim_protocol::Reply;

use super::CmdResult;

pub fn run() -> CmdResult {
    Ok(Some(Reply::Pong {
        server_time: crate::time::now_secs(),
    }))
}
