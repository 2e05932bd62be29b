//! `Import` (`importMessageList`, seed 002's `TIMMsgImportMsgList`): the requester's own
//! messages into its own view of one conversation, committed as one write. Only the importer
//! is ever shown them (see `Write::Import`): a client cannot rewrite a peer's history; the
//! admin's REST `openim/importmsg` imports into everyone's.

use tim_protocol::{codes, req, OutboundMessage, ReqId};

use super::{CmdResult, ReqError};
use crate::store::Write;
use crate::validate;
use crate::ws::session::Session;

/// Most messages one import may hold.
pub const MAX_IMPORT: usize = 100;

/// Checks a batch to import: 1 to [`MAX_IMPORT`] valid messages of one conversation.
pub fn check(messages: &[OutboundMessage]) -> Result<(), ReqError> {
    let Some(first) = messages.first() else {
        return Err(ReqError::new(codes::INVALID_REQUEST, "nothing to import"));
    };
    if messages.len() > MAX_IMPORT {
        return Err(ReqError::new(
            codes::INVALID_REQUEST,
            format!("at most {MAX_IMPORT} messages per import"),
        ));
    }
    for m in messages {
        validate::outbound(m)?;
        if m.conv_type != first.conv_type || m.to != first.to || m.online_user_only {
            return Err(ReqError::new(
                codes::INVALID_REQUEST,
                "imported messages must be stored messages of one conversation",
            ));
        }
    }
    Ok(())
}

pub async fn run(s: &mut Session, id: ReqId, r: req::Import) -> CmdResult {
    let messages = r.messages;
    let from = s.user()?;
    check(&messages)?;
    s.submit(
        id,
        Write::Import {
            from,
            messages,
            private: true,
        },
    )
    .await
}
