//! `Read`: moves the read position (a write, so it goes through the committer, which also
//! tells the user's other sockets with `ReadState`).

use tim_protocol::{req, ReqId};

use super::{conv, CmdResult};
use crate::store::Write;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::Read) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    s.submit(
        id,
        Write::Read {
            user,
            conv,
            seq: r.seq,
        },
    )
    .await
}
