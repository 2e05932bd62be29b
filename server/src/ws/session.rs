//! A connection's session: who is logged in, and the dispatch of each request to its command.
//! Every request yields exactly one answer: returned here, or queued by the committer for
//! writes (so the answer follows the commit).

use tim_protocol::usersig::UserSigError;
use tim_protocol::{codes, ClientFrame, Reply, ReqId, Request, ServerFrame};
use tokio::sync::OwnedSemaphorePermit;

use super::cmd;
use crate::committer::{Job, Reply as JobReply};
use crate::hub::ConnHandle;
use crate::state::AppState;
use crate::store::StoreError;
use crate::validate::Invalid;

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

/// What a command produced: an answer now, or one the committer will send.
pub type CmdResult = Result<Option<Reply>, ReqError>;

/// Per-connection session state.
pub struct Session {
    pub state: AppState,
    pub conn: ConnHandle,
    pub user: Option<String>,
    /// The in-flight permit of the request being handled; a write hands it to the committer,
    /// otherwise it travels with the answer returned by `handle`. A mutex (never contended)
    /// because `submit` takes `&self` across an await in a `Send` future.
    permit: std::sync::Mutex<Option<OwnedSemaphorePermit>>,
}

impl Session {
    pub fn new(state: AppState, conn: ConnHandle) -> Session {
        Session {
            state,
            conn,
            user: None,
            permit: std::sync::Mutex::new(None),
        }
    }

    /// The logged-in user, or `NOT_LOGGED_IN`.
    pub fn user(&self) -> Result<String, ReqError> {
        self.user
            .clone()
            .ok_or_else(|| ReqError::new(codes::NOT_LOGGED_IN, "log in first"))
    }

    /// Hands a write to the committer, which answers request `req` after the commit.
    pub async fn submit(&self, req: ReqId, write: crate::store::Write) -> CmdResult {
        let job = Job {
            write,
            reply: JobReply::Conn {
                conn: self.conn.clone(),
                req,
                permit: self.take_permit(),
            },
        };
        if self.state.committer.submit(job).await {
            Ok(None)
        } else {
            Err(ReqError::new(codes::INTERNAL, "server is shutting down"))
        }
    }

    /// Runs one request; `Some` is the answer to send now.
    /// The current request's permit, if no write has taken it.
    pub fn take_permit(&self) -> Option<OwnedSemaphorePermit> {
        self.permit.lock().ok().and_then(|mut p| p.take())
    }

    /// Runs one request holding `permit`; `Some` is the answer to send now (with
    /// [`Session::take_permit`]), `None` means the committer answers after the commit.
    pub async fn handle(
        &mut self,
        frame: ClientFrame,
        permit: Option<OwnedSemaphorePermit>,
    ) -> Option<ServerFrame> {
        if let Ok(mut slot) = self.permit.lock() {
            *slot = permit;
        }
        let id = frame.id;
        let result = match frame.req {
            Request::Login { user_id, user_sig } => {
                cmd::login::run(self, id, user_id, user_sig).await
            }
            Request::Logout => cmd::logout::run(self),
            Request::Ping => Ok(Some(Reply::Pong {
                server_time: crate::time::now_secs(),
            })),
            Request::Send { message } => cmd::send::run(self, id, message).await,
            Request::History {
                conversation_id,
                before_seq,
                count,
            } => cmd::history::run(self, conversation_id, before_seq, count).await,
            Request::Conversations => cmd::conversations::run(self).await,
            Request::Read {
                conversation_id,
                seq,
            } => cmd::read::run(self, id, conversation_id, seq).await,
            Request::Sync { since, limit } => cmd::sync::run(self, since, limit).await,
            Request::Hop {
                conversation_id,
                seq,
                time,
                newer,
                count,
            } => cmd::hop::run(self, conversation_id, (seq, time), newer, count).await,
            Request::Fetch {
                conversation_id,
                seqs,
            } => cmd::hop::fetch(self, conversation_id, seqs).await,
            Request::Revoke {
                conversation_id,
                seq,
            } => cmd::revoke::run(self, id, conversation_id, seq).await,
            Request::Modify {
                conversation_id,
                seq,
                version,
                content,
                cloud_custom_data,
            } => {
                let edit = cmd::modify::Edit {
                    seq,
                    version,
                    content,
                    cloud_custom_data,
                };
                cmd::modify::run(self, id, conversation_id, edit).await
            }
            Request::Delete {
                conversation_id,
                seqs,
            } => cmd::delete::run(self, id, conversation_id, seqs).await,
            Request::DeleteConversation { conversation_id } => {
                cmd::delete_conversation::run(self, id, conversation_id).await
            }
            Request::Pin {
                conversation_id,
                pinned,
            } => cmd::pin::run(self, id, conversation_id, pinned).await,
            Request::Import { messages } => cmd::import::run(self, id, messages).await,
            Request::ReadReceipt {
                conversation_id,
                seqs,
            } => cmd::receipts::acknowledge(self, id, conversation_id, seqs).await,
            Request::ReceiptList {
                conversation_id,
                seqs,
            } => cmd::receipts::list(self, conversation_id, seqs).await,
            Request::ReceiptMembers {
                conversation_id,
                seq,
                read,
                cursor,
                count,
            } => {
                let page = cmd::receipts::Page {
                    seq,
                    read,
                    cursor,
                    count,
                };
                cmd::receipts::members(self, conversation_id, page).await
            }
            Request::ConvSettings {
                conversation_ids,
                mark_set,
                mark_clear,
                custom_data,
                remind,
                clear_history,
            } => {
                let settings = cmd::conv_settings::Settings {
                    conversation_ids,
                    mark_set,
                    mark_clear,
                    custom_data,
                    remind,
                    clear_history,
                };
                cmd::conv_settings::run(self, id, settings).await
            }
            Request::ConvGroup {
                action,
                name,
                new_name,
                conversation_ids,
            } => {
                let write = crate::store::GroupWrite {
                    user: String::new(),
                    action,
                    name,
                    new_name,
                    conversation_ids,
                };
                cmd::conv_group::run(self, id, write).await
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

    /// The connection is gone: stop routing pushes to it.
    pub fn end(&mut self) {
        if let Some(user) = self.user.take() {
            self.state.hub.unregister(&user, self.conn.id);
        }
    }
}
