//! `Delete`: messages disappear for the requester only (history, sync, conversation list);
//! the user's other sockets get `Deleted` deliveries. Unknown sequences are ignored.

use tim_protocol::{codes, req, ReqId};

use super::{conv, CmdResult, ReqError};
use crate::store::Write;
use crate::ws::session::Session;

/// Most sequences per request.
pub const MAX_DELETE: usize = 100;

pub async fn run(s: &mut Session, id: ReqId, r: req::Delete) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    let seqs = r.seqs;
    if seqs.is_empty() || seqs.len() > MAX_DELETE {
        return Err(ReqError::new(
            codes::INVALID_REQUEST,
            format!("seqs must list 1 to {MAX_DELETE} messages"),
        ));
    }
    s.submit(id, Write::Delete { user, conv, seqs }).await
}
