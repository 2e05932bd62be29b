//! `DeleteConversation`: hides a conversation from the requester's list until its next
//! message (its history is kept); the user's other sockets get `ConversationState`.

use tim_protocol::{req, ReqId};

use super::{conv, CmdResult};
use crate::store::Write;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::DeleteConversation) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    let write = Write::ConvState {
        user,
        conv,
        hidden: Some(true),
        pinned: None,
    };
    s.submit(id, write).await
}
