//! Test and demo helpers, mounted only with `--debug-endpoints`: socket counts (to check that
//! clients close what they open), forced drops (to test reconnects) and UserSig minting (the
//! demo page logs in with it).

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tim_protocol::usersig;

use crate::state::AppState;
use crate::time::now_secs;
use crate::validate;

/// Validity of UserSigs minted by `/debug/usersig`.
const DEBUG_SIG_SECS: u64 = 7 * 86_400;

/// The `/debug` routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/debug/stats", get(stats))
        .route("/debug/drop", post(drop_user))
        .route("/debug/usersig", get(mint))
}

async fn stats(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "openSockets": state.open_sockets.load(Ordering::SeqCst),
        "loggedIn": state.hub.logged_in(),
        "commits": state.store.commits(),
        "messages": state.store.messages_committed(),
    }))
}

fn user_param(q: &HashMap<String, String>) -> Result<String, (StatusCode, Json<Value>)> {
    let user = q.get("userID").cloned().unwrap_or_default();
    validate::id("userID", &user)
        .map_err(|e| (StatusCode::BAD_REQUEST, Json(json!({"error": e.message}))))?;
    Ok(user)
}

async fn drop_user(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let user = user_param(&q)?;
    Ok(Json(json!({"dropped": state.hub.drop_user(&user)})))
}

async fn mint(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let user = user_param(&q)?;
    let c = &state.config;
    Ok(Json(
        json!({"userSig": usersig::generate(c.sdk_app_id, &c.secret_key, &user, DEBUG_SIG_SECS, now_secs()), "sdkAppID": c.sdk_app_id}),
    ))
}
