//! `Login`: verify the UserSig (and that no kick revoked it, `crate::epochs`), then let the
//! committer read the user's delivery cursor and register this socket in the same step, so no
//! push is lost or duplicated around login.

use tim_protocol::{codes, req, usersig, ReqId, ServerFrame};
use tokio::sync::oneshot;

use super::{CmdResult, ReqError};
use crate::committer::{Job, Reply};
use crate::hub::Outbound;
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
    let issued = usersig::verify_issued(
        &user_sig,
        config.sdk_app_id,
        &config.secret_key,
        &user_id,
        now_secs(),
    )?;
    let epochs = &s.state.epochs;
    if !epochs.admits_sig(&user_id, issued) {
        return Err(revoked());
    }
    let generation = epochs.get(&user_id).generation;
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
            file_token: crate::files::token::mint(
                &config.secret_key,
                &user_id,
                generation,
                now_secs(),
            ),
        },
    };
    if !s.state.committer.submit(job).await {
        return Err(ReqError::new(codes::INTERNAL, "server is shutting down"));
    }
    // Wait, so requests pipelined after Login see the session logged in. The committer has
    // answered unless it died with the job, in which case answer here.
    match done.await {
        Ok(true) if !epochs.admits_sig(&user_id, issued) => {
            // A kick committed after the check above, and its sweep of the user's sockets may
            // have missed this one, registered since: the kick wins.
            s.state.hub.unregister(&user_id, s.conn.id);
            s.conn.send_frame(&ServerFrame::Kicked {
                reason: crate::rest::KICK_REASON.into(),
            });
            s.conn.send(Outbound::Close(1000, "kicked"));
            Ok(None)
        }
        Ok(true) => {
            tracing::debug!(conn = s.conn.id, user = %user_id, "logged in");
            s.user = Some(user_id);
            Ok(None)
        }
        Ok(false) => Ok(None),
        Err(_) => Err(ReqError::new(codes::INTERNAL, "login was not completed")),
    }
}

fn revoked() -> ReqError {
    ReqError::new(
        codes::USERSIG_EXPIRED,
        "UserSig issued before the user was kicked: mint a new one",
    )
}
