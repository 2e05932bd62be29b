//! `Send`: validated here, committed (idempotently) by the committer, which answers `Sent` and
//! pushes to the other participants' sockets. Each send spends one of the sender's message
//! tokens; a C2C send to a peer the server has never seen spends an unknown-peer token.

use tim_protocol::{codes, req, ConvType, ReqId};

use super::{CmdResult, ReqError};
use crate::store::{SendWrite, Write};
use crate::validate;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::Send) -> CmdResult {
    let message = r.message;
    let from = s.user()?;
    validate::outbound(&message)?;
    if !s.state.quotas.allow_message(&from) {
        return Err(ReqError::new(
            codes::MESSAGE_RATE_LIMIT,
            "too many messages: slow down and retry",
        ));
    }
    if message.online_user_only {
        return super::send_online::run(s, from, message).await;
    }
    if message.conv_type == ConvType::C2c {
        super::admit_peers(s, &from, &[&message.to]).await?;
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
