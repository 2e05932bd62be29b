//! `Read`: moves the read position (a write, so it goes through the committer, which also
//! tells the user's other sockets with `ReadState`).

use tim_protocol::ReqId;

use super::{conv, CmdResult};
use crate::store::Write;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, conversation_id: String, seq: u64) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&conversation_id)?;
    s.submit(id, Write::Read { user, conv, seq }).await
}
