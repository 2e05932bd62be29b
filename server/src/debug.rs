//! Test and demo helpers, mounted only with `--debug-endpoints`: socket counts (to check that
//! clients close what they open) and the server's clock, forced drops (to test reconnects) and UserSig minting (the
//! demo page logs in with it). Uploads: per-chunk write counts, accepted bytes, an injected
//! fault, a cleanup sweep at a given clock, and a plain sink (the upload bench's baseline).
//! Backpressure: the in-flight requests and queued frames of a user's sockets. A silent WebSocket stands in for a
//! server that is not tim-server (the SDK's first login must give up on it in seconds).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::extract::{Path, Query, State, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::StreamExt;
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
        .route("/debug/backlog", get(backlog))
        .route("/debug/drop", post(drop_user))
        .route("/debug/drop-after-send", post(drop_after_send))
        .route("/debug/usersig", get(mint))
        .route("/debug/silent-ws", get(silent_ws))
        .route("/debug/uploads", get(uploads))
        .route("/debug/uploads/{id}", get(upload))
        .route("/debug/upload-fault", post(upload_fault))
        .route("/debug/upload-sweep", post(upload_sweep))
        .route(
            "/debug/sink",
            post(sink).layer(axum::extract::DefaultBodyLimit::disable()),
        )
}

/// `GET /debug/silent-ws`: accepts a WebSocket, reads until the client leaves, answers nothing.
async fn silent_ws(ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(|mut socket| async move { while let Some(Ok(_)) = socket.recv().await {} })
}

type DebugResult = Result<Json<Value>, (StatusCode, Json<Value>)>;

fn failed(e: impl std::fmt::Display) -> (StatusCode, Json<Value>) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({"error": e.to_string()})),
    )
}

async fn uploads(State(state): State<AppState>) -> DebugResult {
    let sessions = state.files.open_sessions().await.map_err(failed)?;
    Ok(Json(
        json!({"sessions": sessions, "chunkBytes": state.files.stats.chunk_bytes()}),
    ))
}

async fn upload(State(state): State<AppState>, Path(id): Path<String>) -> DebugResult {
    let Some(u) = state.files.upload(&id).await.map_err(failed)? else {
        return Err((
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such upload"})),
        ));
    };
    Ok(Json(json!({
        "chunkWrites": state.files.stats.writes(&u.id, u.chunks()),
        "complete": u.file_id.is_some(),
    })))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fault {
    #[serde(default)]
    after_chunks: u64,
    #[serde(default)]
    fail_next: u64,
}

async fn upload_fault(State(state): State<AppState>, Json(f): Json<Fault>) -> Json<Value> {
    state.files.stats.set_fault(f.after_chunks, f.fail_next);
    Json(json!({"afterChunks": f.after_chunks, "failNext": f.fail_next}))
}

#[derive(serde::Deserialize)]
struct SweepAt {
    /// The clock the sweep reads, in seconds since the epoch (default: the real one).
    #[serde(default)]
    now: Option<u64>,
}

/// `POST /debug/upload-sweep {"now": secs}`: one cleanup sweep now, as if the clock read
/// `now`, so that tests expire uploads without waiting out the TTL.
async fn upload_sweep(State(state): State<AppState>, Json(at): Json<SweepAt>) -> DebugResult {
    let now = at.now.unwrap_or_else(now_secs);
    let deleted = crate::files::cleanup::sweep_at(&state.files, now)
        .await
        .map_err(failed)?;
    Ok(Json(json!({"deleted": deleted})))
}

/// Names concurrent sink files apart.
static SINKS: AtomicU64 = AtomicU64::new(0);

/// Streams the body to a temp file under the data dir, then deletes it.
async fn sink(State(state): State<AppState>, body: Body) -> DebugResult {
    use tokio::io::AsyncWriteExt;
    let path = state.files.uploads_dir().join(format!(
        "sink-{}.tmp",
        SINKS.fetch_add(1, Ordering::Relaxed)
    ));
    let mut file = tokio::io::BufWriter::with_capacity(
        1 << 20,
        tokio::fs::File::create(&path).await.map_err(failed)?,
    );
    let mut size = 0u64;
    let mut stream = body.into_data_stream();
    let result = async {
        while let Some(frame) = stream.next().await {
            let frame = frame.map_err(failed)?;
            size += frame.len() as u64;
            file.write_all(&frame).await.map_err(failed)?;
        }
        file.flush().await.map_err(failed)
    }
    .await;
    drop(file);
    let _ = tokio::fs::remove_file(&path).await;
    result?;
    Ok(Json(json!({"size": size})))
}

async fn stats(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "openSockets": state.open_sockets.load(Ordering::SeqCst),
        "loggedIn": state.hub.logged_in(),
        "commits": state.store.commits(),
        "messages": state.store.messages_committed(),
        // The server's clock (seconds), which stamps message times and decides the revoke
        // window: tests wait on it instead of sleeping.
        "now": now_secs(),
    }))
}

/// `GET /debug/backlog?userID=`: per socket of the user, the requests read and not yet
/// answered on the wire (at `hub::MAX_IN_FLIGHT` the server has stopped reading it) and the
/// frames queued for its writer (answers held back while the client does not read).
async fn backlog(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let user = user_param(&q)?;
    let sockets: Vec<Value> = state
        .hub
        .backlog(&user)
        .into_iter()
        .map(|(in_flight, queued)| json!({"inFlight": in_flight, "queued": queued}))
        .collect();
    Ok(Json(json!({ "sockets": sockets })))
}

fn user_param(q: &HashMap<String, String>) -> Result<String, (StatusCode, Json<Value>)> {
    let user = q.get("userID").cloned().unwrap_or_default();
    validate::id("userID", &user)
        .map_err(|e| (StatusCode::BAD_REQUEST, Json(json!({"error": e.message}))))?;
    Ok(user)
}

/// Drops `userID`'s sockets; with `holdMs`, refuses its logins that long (offline for a while).
async fn drop_user(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let user = user_param(&q)?;
    let hold: u64 = q.get("holdMs").and_then(|v| v.parse().ok()).unwrap_or(0);
    {
        let mut f = state.hub.faults.lock().unwrap_or_else(|p| p.into_inner());
        let until = std::time::Instant::now() + std::time::Duration::from_millis(hold);
        f.held.insert(user.clone(), until);
    }
    Ok(Json(json!({"dropped": state.hub.drop_user(&user)})))
}

/// `userID`'s next committed send kills its socket instead of being answered (a lost ack).
async fn drop_after_send(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let user = user_param(&q)?;
    let mut f = state.hub.faults.lock().unwrap_or_else(|p| p.into_inner());
    f.drop_after_send.insert(user);
    Ok(Json(json!({})))
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
