//! The requests, one module per command (as mini-redis's `cmd/`): [`dispatch`] matches a
//! [`Request`] to its command's `run`, and turns what it returns into the answer frame. Each
//! `run` checks its input and either answers at once (reads) or hands a write to the
//! committer, which answers after the commit. A command fails with a [`ReqError`].

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
pub mod ping;
pub mod read;
pub mod receipts;
pub mod revoke;
pub mod send;
pub mod send_online;
pub mod sync;

use tim_protocol::usersig::UserSigError;
use tim_protocol::{
    codes, parse_conversation_id, ClientFrame, ConvType, Reply, Request, ServerFrame,
};

use super::session::Session;
use crate::store::{Conv, StoreError};
use crate::validate::{self, Invalid};

/// A failed request: code and reason.
#[derive(Debug)]
pub struct ReqError {
    pub code: u32,
    pub message: String,
}

impl ReqError {
    pub fn new(code: u32, message: impl Into<String>) -> ReqError {
        ReqError {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ReqError {
    fn from(e: StoreError) -> Self {
        ReqError::new(e.code(), e.to_string())
    }
}

impl From<Invalid> for ReqError {
    fn from(e: Invalid) -> Self {
        ReqError::new(e.code, e.message)
    }
}

impl From<UserSigError> for ReqError {
    fn from(e: UserSigError) -> Self {
        ReqError::new(e.code(), e.to_string())
    }
}

/// What a command produced: an answer now, or `None` when the committer will send it.
pub type CmdResult = Result<Option<Reply>, ReqError>;

/// Runs one request of session `s`. `Some` is the frame to send now; `None` means the
/// committer answers after the commit.
pub async fn dispatch(s: &mut Session, frame: ClientFrame) -> Option<ServerFrame> {
    let id = frame.id;
    let result = match frame.req {
        Request::Login { user_id, user_sig } => login::run(s, id, user_id, user_sig).await,
        Request::Logout => logout::run(s),
        Request::Ping => ping::run(),
        Request::Send { message } => send::run(s, id, message).await,
        Request::History {
            conversation_id,
            before_seq,
            count,
        } => history::run(s, conversation_id, before_seq, count).await,
        Request::Conversations => conversations::run(s).await,
        Request::Read {
            conversation_id,
            seq,
        } => read::run(s, id, conversation_id, seq).await,
        Request::Sync { since, limit } => sync::run(s, since, limit).await,
        Request::Hop {
            conversation_id,
            seq,
            time,
            newer,
            count,
        } => {
            let ask = hop::Ask {
                seq,
                time,
                newer,
                count,
            };
            hop::run(s, conversation_id, ask).await
        }
        Request::Fetch {
            conversation_id,
            seqs,
        } => hop::fetch(s, conversation_id, seqs).await,
        Request::Revoke {
            conversation_id,
            seq,
        } => revoke::run(s, id, conversation_id, seq).await,
        Request::Modify {
            conversation_id,
            seq,
            version,
            content,
            cloud_custom_data,
        } => {
            let edit = modify::Edit {
                seq,
                version,
                content,
                cloud_custom_data,
            };
            modify::run(s, id, conversation_id, edit).await
        }
        Request::Delete {
            conversation_id,
            seqs,
        } => delete::run(s, id, conversation_id, seqs).await,
        Request::DeleteConversation { conversation_id } => {
            delete_conversation::run(s, id, conversation_id).await
        }
        Request::Pin {
            conversation_id,
            pinned,
        } => pin::run(s, id, conversation_id, pinned).await,
        Request::Import { messages } => import::run(s, id, messages).await,
        Request::ReadReceipt {
            conversation_id,
            seqs,
        } => receipts::acknowledge(s, id, conversation_id, seqs).await,
        Request::ReceiptList {
            conversation_id,
            seqs,
        } => receipts::list(s, conversation_id, seqs).await,
        Request::ReceiptMembers {
            conversation_id,
            seq,
            read,
            cursor,
            count,
        } => {
            let page = receipts::Page {
                seq,
                read,
                cursor,
                count,
            };
            receipts::members(s, conversation_id, page).await
        }
        Request::ConvSettings {
            conversation_ids,
            mark_set,
            mark_clear,
            custom_data,
            remind,
            clear_history,
        } => {
            let settings = conv_settings::Settings {
                conversation_ids,
                mark_set,
                mark_clear,
                custom_data,
                remind,
                clear_history,
            };
            conv_settings::run(s, id, settings).await
        }
        Request::ConvGroup {
            action,
            name,
            new_name,
            conversation_ids,
        } => {
            let change = conv_group::Change {
                action,
                name,
                new_name,
                conversation_ids,
            };
            conv_group::run(s, id, change).await
        }
    };
    match result {
        Ok(Some(data)) => Some(ServerFrame::Ok { id, data }),
        Ok(None) => None,
        Err(e) => Some(ServerFrame::Error {
            id: Some(id),
            code: e.code,
            message: e.message,
        }),
    }
}

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
