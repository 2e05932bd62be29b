//! The admin REST API in Tencent Cloud Chat's shape:
//! `POST /v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json`
//! with a JSON body, answered (HTTP 200 even on failure, as Tencent does) with
//! `{"ActionStatus": "OK"|"FAIL", "ErrorCode": n, "ErrorInfo": "...", ...}`.
//! Only the configured administrator, with a valid UserSig, may call it.

mod account;
mod group;
mod group_admin;
mod group_mute;
mod import;
mod message;
mod recall;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tim_protocol::{codes, usersig};
use tokio::sync::oneshot;

use crate::committer::{Job, Reply};
use crate::state::AppState;
use crate::store::{Outcome, StoreError, Write};
use crate::time::now_secs;
use crate::validate::Invalid;

/// The `Kicked` reason of a REST kick (tim-js-sdk's `KICKED_OUT_REST_API`).
pub const KICK_REASON: &str = "REST_API_Kick";

/// A failed call: `ErrorCode` and `ErrorInfo`.
#[derive(Debug)]
pub struct RestError {
    code: u32,
    info: String,
}

impl RestError {
    fn new(code: u32, info: impl Into<String>) -> RestError {
        RestError {
            code,
            info: info.into(),
        }
    }

    fn internal() -> RestError {
        RestError::new(codes::INTERNAL, "server is shutting down")
    }
}

impl From<StoreError> for RestError {
    fn from(e: StoreError) -> Self {
        RestError::new(e.code(), e.to_string())
    }
}

impl From<Invalid> for RestError {
    fn from(e: Invalid) -> Self {
        RestError::new(e.code, e.message)
    }
}

/// The fields a successful call adds to the envelope.
type Fields = Map<String, Value>;
type RestResult = Result<Fields, RestError>;

/// `POST /v4/{service}/{command}`.
pub async fn handle(
    State(state): State<AppState>,
    Path((service, command)): Path<(String, String)>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Bytes,
) -> Json<Value> {
    let result = match query {
        Ok(Query(q)) => match authorize(&state, &q) {
            Ok(()) => dispatch(&state, &service, &command, &body).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(RestError::new(codes::INVALID_REQUEST, e.body_text())),
    };
    Json(envelope(result))
}

fn envelope(result: RestResult) -> Value {
    let mut out = Map::new();
    match result {
        Ok(fields) => {
            out.insert("ActionStatus".into(), "OK".into());
            out.insert("ErrorCode".into(), 0.into());
            out.insert("ErrorInfo".into(), "".into());
            out.extend(fields);
        }
        Err(e) => {
            out.insert("ActionStatus".into(), "FAIL".into());
            out.insert("ErrorCode".into(), e.code.into());
            out.insert("ErrorInfo".into(), e.info.into());
        }
    }
    Value::Object(out)
}

fn authorize(state: &AppState, q: &HashMap<String, String>) -> Result<(), RestError> {
    let config = &state.config;
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    if get("sdkappid").parse::<u64>().ok() != Some(config.sdk_app_id) {
        return Err(RestError::new(
            codes::SDKAPPID_MISMATCH,
            "sdkappid does not match this server",
        ));
    }
    let identifier = get("identifier");
    if identifier != config.admin {
        return Err(RestError::new(
            codes::ADMIN_REQUIRED,
            "identifier is not an administrator",
        ));
    }
    usersig::verify(
        get("usersig"),
        config.sdk_app_id,
        &config.secret_key,
        identifier,
        now_secs(),
    )
    .map_err(|e| RestError::new(e.code(), e.to_string()))
}

async fn dispatch(state: &AppState, service: &str, command: &str, body: &[u8]) -> RestResult {
    match (service, command) {
        ("im_open_login_svc", "account_import") => account::import(state, parse(body)?).await,
        ("im_open_login_svc", "kick") => account::kick(state, parse(body)?).await,
        ("openim", "sendmsg") => message::send_c2c(state, parse(body)?).await,
        ("openim", "importmsg") => import::import_c2c(state, parse(body)?).await,
        ("openim", "batchsendmsg") => import::batch_send(state, parse(body)?).await,
        ("group_open_http_svc", "send_group_msg") => message::send_group(state, parse(body)?).await,
        ("openim", "admin_msgwithdraw") => recall::withdraw_c2c(state, parse(body)?).await,
        ("group_open_http_svc", "group_msg_recall") => {
            recall::recall_group(state, parse(body)?).await
        }
        ("group_open_http_svc", "create_group") => group::create(state, parse(body)?).await,
        ("group_open_http_svc", "add_group_member") => {
            group::add_members(state, parse(body)?).await
        }
        ("group_open_http_svc", "destroy_group") => group_admin::destroy(state, parse(body)?).await,
        ("group_open_http_svc", "delete_group_member") => {
            group_admin::delete_members(state, parse(body)?).await
        }
        ("group_open_http_svc", "get_group_info") => {
            group_admin::get_info(state, parse(body)?).await
        }
        ("group_open_http_svc", "modify_group_base_info") => {
            group_admin::modify_base(state, parse(body)?).await
        }
        ("group_open_http_svc", "change_group_owner") => {
            group_admin::change_owner(state, parse(body)?).await
        }
        ("group_open_http_svc", "get_joined_group_list") => {
            group_admin::joined_list(state, parse(body)?).await
        }
        ("group_open_http_svc", "get_group_member_info") => {
            group_admin::member_info(state, parse(body)?).await
        }
        ("group_open_http_svc", "modify_group_member_info") => {
            group_admin::modify_member(state, parse(body)?).await
        }
        ("group_open_http_svc", "forbid_send_msg") => group_mute::forbid(state, parse(body)?).await,
        ("group_open_http_svc", "get_group_muted_account") => {
            group_mute::muted(state, parse(body)?).await
        }
        ("group_open_http_svc", "get_online_member_num") => {
            group_mute::online(state, parse(body)?).await
        }
        _ => Err(RestError::new(
            codes::UNKNOWN_COMMAND,
            format!("unknown command {service}/{command}"),
        )),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, RestError> {
    serde_json::from_slice(body)
        .map_err(|e| RestError::new(codes::INVALID_REQUEST, format!("invalid body: {e}")))
}

/// A submitted write's outcome, to await.
type Pending = oneshot::Receiver<Result<Outcome, StoreError>>;

/// Queues a write on the same path as WebSocket writes, without waiting for it (writes
/// submitted together can share one transaction).
async fn submit(state: &AppState, write: Write, push_sender: bool) -> Result<Pending, RestError> {
    let (tx, rx) = oneshot::channel();
    let job = Job {
        write,
        reply: Reply::Http { tx, push_sender },
    };
    if !state.committer.submit(job).await {
        return Err(RestError::internal());
    }
    Ok(rx)
}

/// The outcome of a submitted write.
async fn outcome(pending: Pending) -> Result<Outcome, RestError> {
    Ok(pending.await.map_err(|_| RestError::internal())??)
}

/// Commits a write through the same path as WebSocket writes and waits for the outcome.
async fn commit(state: &AppState, write: Write, push_sender: bool) -> Result<Outcome, RestError> {
    outcome(submit(state, write, push_sender).await?).await
}

/// The one `Member_Account` entry shape of Tencent's member lists.
#[derive(serde::Deserialize)]
struct Member {
    #[serde(rename = "Member_Account")]
    account: String,
}

fn fields<const N: usize>(pairs: [(&str, Value); N]) -> Fields {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
