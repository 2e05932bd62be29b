//! `im_open_login_svc`: `account_import` (profile used for messages' nick and avatar) and
//! `kick` (revokes the user's UserSigs and file tokens issued so far, see `crate::epochs`, and
//! ends every session of the user with `Kicked`).

use serde::Deserialize;

use super::{commit, RestError, RestResult, KICK_REASON};
use crate::state::AppState;
use crate::store::{Outcome, Write};
use crate::validate;

/// Longest nickname or avatar URL kept.
const MAX_PROFILE_FIELD: usize = 1024;

#[derive(Deserialize)]
pub struct Import {
    #[serde(rename = "UserID", alias = "Identifier")]
    user_id: String,
    #[serde(rename = "Nick")]
    nick: Option<String>,
    #[serde(rename = "FaceUrl")]
    face_url: Option<String>,
}

pub async fn import(state: &AppState, req: Import) -> RestResult {
    validate::id("UserID", &req.user_id)?;
    for f in [&req.nick, &req.face_url].into_iter().flatten() {
        if f.len() > MAX_PROFILE_FIELD {
            return Err(RestError::new(
                tim_protocol::codes::INVALID_REQUEST,
                "Nick or FaceUrl too long",
            ));
        }
    }
    commit(
        state,
        Write::Profile {
            user: req.user_id,
            nick: req.nick,
            avatar: req.face_url,
        },
        true,
    )
    .await?;
    Ok(Default::default())
}

#[derive(Deserialize)]
pub struct Kick {
    #[serde(rename = "UserID", alias = "Identifier")]
    user_id: String,
}

/// Revokes the user's login state: records the kick (durably, before answering), after which
/// UserSigs issued up to this second and every file token minted so far are refused, then
/// closes the user's sockets with `Kicked`.
pub async fn kick(state: &AppState, req: Kick) -> RestResult {
    validate::id("UserID", &req.user_id)?;
    let write = Write::Kick {
        user: req.user_id.clone(),
    };
    let Outcome::Kicked(epoch) = commit(state, write, false).await? else {
        return Err(RestError::internal());
    };
    // The epoch first: a login registering meanwhile either sees it or is swept below.
    state.epochs.set(&req.user_id, epoch);
    let n = state.hub.kick(&req.user_id, KICK_REASON);
    tracing::info!(user = %req.user_id, sockets = n, "kicked by REST API");
    Ok(Default::default())
}
