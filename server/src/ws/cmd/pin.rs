//! `Pin`: pins or unpins a conversation for the requester (pinned ones list first); the
//! user's other sockets get `ConversationState`.

use tim_protocol::{req, ReqId};

use super::{admit_peers, conv, CmdResult};
use crate::store::{Conv, Write};
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::Pin) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    // Pinning creates the conversation's rows before its first message.
    if let (Conv::C2c(peer), true) = (&conv, r.pinned) {
        admit_peers(s, &user, &[peer]).await?;
    }
    let write = Write::ConvState {
        user,
        conv,
        hidden: None,
        pinned: Some(r.pinned),
    };
    s.submit(id, write).await
}
