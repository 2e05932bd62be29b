//! A connection's session: who is logged in, the in-flight permit of the request being run,
//! and the way a write reaches the committer. The requests themselves are run by
//! [`cmd::dispatch`]. Every request yields exactly one answer: returned by `handle`, or
//! queued by the committer for writes (so the answer follows the commit).

use tim_protocol::{codes, ClientFrame, ReqId, ServerFrame};
use tokio::sync::OwnedSemaphorePermit;

use super::cmd::{self, CmdResult, ReqError};
use crate::committer::{Job, Reply as JobReply};
use crate::hub::ConnHandle;
use crate::state::AppState;

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
        cmd::dispatch(self, frame).await
    }

    /// The connection is gone: stop routing pushes to it.
    pub fn end(&mut self) {
        if let Some(user) = self.user.take() {
            self.state.hub.unregister(&user, self.conn.id);
        }
    }
}
