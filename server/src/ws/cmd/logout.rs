//! `Logout`: the socket stops receiving pushes and needs a new `Login`.

use tim_protocol::Reply;

use crate::ws::session::{CmdResult, Session};

pub fn run(s: &mut Session) -> CmdResult {
    s.user()?;
    s.end();
    Ok(Some(Reply::Done))
}
