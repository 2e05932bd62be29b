//! `im_open_login_svc`: `account_import` (profile used for messages' nick and avatar) and
//! `kick` (ends every session of a user with `Kicked`).

use serde::Deserialize;

use super::{commit, RestResult};
use crate::state::AppState;
use crate::store::Write;
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
            return Err(super::RestError::new(
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

pub fn kick(state: &AppState, req: Kick) -> RestResult {
    validate::id("UserID", &req.user_id)?;
    let n = state.hub.kick(&req.user_id, "REST_API_Kick");
    tracing::info!(user = %req.user_id, sockets = n, "kicked by REST API");
    Ok(Default::default())
}
