//! `Login`: verify the UserSig, then let the committer read the user's delivery cursor and
//! register this socket in the same step, so no push is lost or duplicated around login.

use tim_protocol::{codes, req, usersig, ReqId};
use tokio::sync::oneshot;

use super::{CmdResult, ReqError};
use crate::committer::{Job, Reply};
use crate::store::Write;
use crate::time::now_secs;
use crate::validate;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::Login) -> CmdResult {
    let req::Login { user_id, user_sig } = r;
    if s.user.as_ref().is_some_and(|u| *u != user_id) {
        return Err(ReqError::new(
            codes::ALREADY_LOGGED_IN,
            "this connection is logged in as another user",
        ));
    }
    validate::id("userID", &user_id)?;
    if s.state.hub.held(&user_id) {
        return Err(ReqError::new(codes::INTERNAL, "login held (debug)"));
    }
    let config = &s.state.config;
    usersig::verify(
        &user_sig,
        config.sdk_app_id,
        &config.secret_key,
        &user_id,
        now_secs(),
    )?;
    if !s.state.hub.claim_session(&user_id, s.conn.id) {
        return Err(ReqError::new(
            codes::SESSION_LIMIT,
            "too many sessions of this user",
        ));
    }

    let (ack, done) = oneshot::channel();
    let job = Job {
        write: Write::Cursor {
            user: user_id.clone(),
        },
        reply: Reply::Login {
            conn: s.conn.clone(),
            req: id,
            ack,
            file_token: crate::files::token::mint(&config.secret_key, &user_id, now_secs()),
        },
    };
    if !s.state.committer.submit(job).await {
        return Err(ReqError::new(codes::INTERNAL, "server is shutting down"));
    }
    // Wait, so requests pipelined after Login see the session logged in. The committer has
    // answered unless it died with the job, in which case answer here.
    match done.await {
        Ok(true) => {
            tracing::debug!(conn = s.conn.id, user = %user_id, "logged in");
            s.user = Some(user_id);
            Ok(None)
        }
        Ok(false) => Ok(None),
        Err(_) => Err(ReqError::new(codes::INTERNAL, "login was not completed")),
    }
}
