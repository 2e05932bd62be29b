//! One module per request. Each `run` checks its input and either answers (reads) or hands a
//! write to the committer, which answers after the commit.

pub mod conv_group;
pub mod conv_settings;
pub mod conversations;
pub mod delete;
pub mod delete_conversation;
pub mod history;
pub mod hop;
pub mod import;
pub mod login;
pub mod logout;
pub mod modify;
pub mod pin;
pub mod read;
pub mod receipts;
pub mod revoke;
pub mod send;
pub mod send_online;
pub mod sync;

use tim_protocol::{codes, parse_conversation_id, ConvType};

use super::session::ReqError;
use crate::store::Conv;
use crate::validate;

/// Parses a conversation ID as the requester names it.
fn conv(conversation_id: &str) -> Result<Conv, ReqError> {
    let (conv_type, peer) = parse_conversation_id(conversation_id).ok_or_else(|| {
        ReqError::new(
            codes::INVALID_REQUEST,
            "conversationID must be C2C<userID> or GROUP<groupID>",
        )
    })?;
    if conv_type == ConvType::System {
        return Ok(Conv::System);
    }
    validate::id("conversation peer", peer)?;
    Ok(match conv_type {
        ConvType::Group => Conv::Group(peer.to_owned()),
        _ => Conv::C2c(peer.to_owned()),
    })
}
