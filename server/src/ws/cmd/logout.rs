//! `Logout`: the socket stops receiving pushes and needs a new `Login`.

use tim_protocol::Reply;

use super::CmdResult;
use crate::ws::session::Session;

pub fn run(s: &mut Session) -> CmdResult {
    s.user()?;
    s.end();
    Ok(Some(Reply::Done))
}
