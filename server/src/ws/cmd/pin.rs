//! `Pin`: pins or unpins a conversation for the requester (pinned ones list first); the
//! user's other sockets get `ConversationState`.

use tim_protocol::{req, ReqId};

use super::{conv, CmdResult};
use crate::store::Write;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::Pin) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    let write = Write::ConvState {
        user,
        conv,
        hidden: None,
        pinned: Some(r.pinned),
    };
    s.submit(id, write).await
}
