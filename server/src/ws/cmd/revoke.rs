//! `Revoke`: the sender takes back a message within the server's revoke window. The committer
//! checks sender and window in the transaction, answers `Updated` and delivers the `Revoked`
//! change to every participant (pushed to all their sockets but this one).

use tim_protocol::{req, ReqId};

use super::{conv, CmdResult};
use crate::store::{RevokeWrite, Revoker, Write};
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::Revoke) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    let window = s.state.config.revoke_window.as_secs();
    s.submit(
        id,
        Write::Revoke(RevokeWrite {
            user,
            conv,
            seq: r.seq,
            by: Revoker::Sender { window },
        }),
    )
    .await
}
