//! The requests, one module per command (as mini-redis's `cmd/`): [`dispatch`] matches a
//! [`Request`] to its command's `run`, and turns what it returns into the answer frame. Each
//! `run` checks its input and either answers at once (reads) or hands a write to the
//! committer, which answers after the commit. A command fails with a [`ReqError`].

pub mod conv_group;
pub mod conv_settings;
pub mod conversations;
pub mod delete;
pub mod delete_conversation;
pub mod group;
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
use tim_protocol::{codes, ClientFrame, ConvType, Reply, Request, ServerFrame};

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
        Request::Login(r) => login::run(s, id, r).await,
        Request::Logout => logout::run(s),
        Request::Ping => ping::run(),
        Request::Send(r) => send::run(s, id, r).await,
        Request::History(r) => history::run(s, r).await,
        Request::Conversations => conversations::run(s).await,
        Request::Read(r) => read::run(s, id, r).await,
        Request::Sync(r) => sync::run(s, r).await,
        Request::Hop(r) => hop::run(s, r).await,
        Request::Fetch(r) => hop::fetch(s, r).await,
        Request::Revoke(r) => revoke::run(s, id, r).await,
        Request::Modify(r) => modify::run(s, id, r).await,
        Request::Delete(r) => delete::run(s, id, r).await,
        Request::DeleteConversation(r) => delete_conversation::run(s, id, r).await,
        Request::Pin(r) => pin::run(s, id, r).await,
        Request::Import(r) => import::run(s, id, r).await,
        Request::ReadReceipt(r) => receipts::acknowledge(s, id, r).await,
        Request::ReceiptList(r) => receipts::list(s, r).await,
        Request::ReceiptMembers(r) => receipts::members(s, r).await,
        Request::ConvSettings(r) => conv_settings::run(s, id, r).await,
        Request::ConvGroup(r) => conv_group::run(s, id, r).await,
        r @ (Request::GroupCreate(_)
        | Request::GroupDismiss(_)
        | Request::GroupUpdate(_)
        | Request::GroupList(_)
        | Request::GroupSearch(_)
        | Request::GroupJoin(_)
        | Request::GroupQuit(_)
        | Request::GroupOwner(_)
        | Request::GroupAdd(_)
        | Request::GroupKick(_)
        | Request::GroupMembers(_)
        | Request::GroupMemberInfo(_)
        | Request::GroupMemberSet(_)
        | Request::GroupRole(_)
        | Request::GroupMute(_)
        | Request::GroupApps
        | Request::GroupAppHandle(_)
        | Request::GroupOnline(_)) => group::run(s, id, r).await,
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
    let (conv_type, peer) = validate::conversation_id(conversation_id)?;
    Ok(match conv_type {
        ConvType::System => Conv::System,
        ConvType::Group => Conv::Group(peer.to_owned()),
        _ => Conv::C2c(peer.to_owned()),
    })
}

/// Lets `user` open conversations with `peers` (C2C): free for peers this server knows (a
/// user row or an existing conversation with `user`, or online now); each unknown one spends
/// one of `user`'s unknown-peer tokens, all or none (`UNKNOWN_PEER_LIMIT` when short).
async fn admit_peers(s: &Session, user: &str, peers: &[&str]) -> Result<(), ReqError> {
    let quotas = &s.state.quotas;
    let mut candidates: Vec<String> = peers
        .iter()
        .filter(|p| **p != user && !quotas.is_known(p) && !s.state.hub.is_online(p))
        .map(|p| (*p).to_owned())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    if candidates.is_empty() {
        return Ok(());
    }
    let (who, asked) = (user.to_owned(), candidates.clone());
    let unknown = s
        .state
        .read(move |st| st.unknown_peers(&who, &asked))
        .await?;
    quotas.remember_known(candidates.into_iter().filter(|p| !unknown.contains(p)));
    if quotas.allow_unknown_peers(user, unknown.len() as u32) {
        return Ok(());
    }
    Err(ReqError::new(
        codes::UNKNOWN_PEER_LIMIT,
        format!(
            "{} unknown user(s): too many new conversations with users this server has never seen; retry later",
            unknown.len()
        ),
    ))
}
