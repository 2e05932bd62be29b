//! `ConvSettings`: markConversation, setConversationCustomData, setMessageRemindType and
//! clearHistoryMessage, for the requester only; every socket of the user (the requester's
//! too, just before the answer) gets `ConversationSettings` for each conversation that changed.

use tim_protocol::{codes, req, ReqId};

use super::{admit_peers, conv, CmdResult, ReqError};
use crate::store::{Conv, SettingsWrite, Write};
use crate::validate;
use crate::ws::session::Session;

/// Most conversations per request (tim-js-sdk's own limit for markConversation).
pub const MAX_CONVERSATIONS: usize = 100;
/// The `MSG_REMIND_*` values.
const REMIND_TYPES: [&str; 3] = ["AcceptAndNotify", "AcceptNotNotify", "Discard"];

fn invalid(message: String) -> ReqError {
    ReqError::new(codes::INVALID_REQUEST, message)
}

pub async fn run(s: &mut Session, id: ReqId, r: req::ConvSettings) -> CmdResult {
    let user = s.user()?;
    if r.conversation_ids.is_empty() || r.conversation_ids.len() > MAX_CONVERSATIONS {
        return Err(invalid(format!(
            "conversation_ids must list 1 to {MAX_CONVERSATIONS} conversations"
        )));
    }
    if let Some(data) = &r.custom_data {
        validate::conv_custom_data(data)?;
    }
    if let Some(remind) = r.remind.as_deref().filter(|r| !REMIND_TYPES.contains(r)) {
        return Err(invalid(format!("unknown messageRemindType {remind:?}")));
    }
    let convs = r
        .conversation_ids
        .iter()
        .map(|c| conv(c))
        .collect::<Result<Vec<_>, _>>()?;
    // Settings create a C2C conversation's rows before its first message.
    let peers: Vec<&str> = convs
        .iter()
        .filter_map(|c| match c {
            Conv::C2c(peer) => Some(peer.as_str()),
            _ => None,
        })
        .collect();
    admit_peers(s, &user, &peers).await?;
    let write = SettingsWrite {
        user,
        convs,
        mark_set: r.mark_set,
        mark_clear: r.mark_clear,
        custom_data: r.custom_data,
        remind: r.remind,
        clear_history: r.clear_history,
    };
    s.submit(id, Write::ConvSettings(write)).await
}
