//! `Send`: validated here, committed (idempotently) by the committer, which answers `Sent` and
//! pushes to the other participants' sockets.

use tim_protocol::{req, ReqId};

use super::CmdResult;
use crate::store::{SendWrite, Write};
use crate::validate;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::Send) -> CmdResult {
    let message = r.message;
    let from = s.user()?;
    validate::outbound(&message)?;
    if message.online_user_only {
        return super::send_online::run(s, from, message).await;
    }
    s.submit(
        id,
        Write::Send(SendWrite {
            from,
            message,
            require_membership: true,
        }),
    )
    .await
}
