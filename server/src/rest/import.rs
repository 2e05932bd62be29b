//! `openim/importmsg` (history migration into a C2C conversation) and `openim/batchsendmsg`
//! (one message to many users, each delivery independent and reported per user).

use serde::Deserialize;
use serde_json::{json, Value};
use tim_protocol::{codes, ConvType, OutboundMessage};

use super::message::{outbound, Elem};
use super::{fields, outcome, submit, RestError, RestResult};
use crate::state::AppState;
use crate::store::{Outcome, SendWrite, Write};
use crate::time::now_secs;
use crate::validate;

#[derive(Deserialize)]
pub struct ImportMsg {
    /// 1: imported as history (no unread); 2: the same here (no callbacks exist to skip).
    #[serde(rename = "SyncFromOldSystem")]
    _sync_from_old_system: Option<u8>,
    #[serde(rename = "From_Account")]
    from: String,
    #[serde(rename = "To_Account")]
    to: String,
    #[serde(rename = "MsgRandom")]
    random: u32,
    #[serde(rename = "MsgTimeStamp")]
    time: u64,
    #[serde(rename = "MsgBody")]
    body: Vec<Elem>,
    #[serde(rename = "CloudCustomData", default)]
    cloud_custom_data: String,
}

/// Stores the message at its own `MsgTimeStamp` without delivering, pushing or counting it
/// unread. A repeat (same accounts, time and random) is stored once.
pub async fn import_c2c(state: &AppState, req: ImportMsg) -> RestResult {
    validate::id("From_Account", &req.from)?;
    let mut message = outbound(
        ConvType::C2c,
        req.to,
        Some(req.random),
        req.body,
        req.cloud_custom_data,
    )?;
    message.id = format!("import-{}-{}-{}", message.to, req.time, req.random);
    message.client_time = req.time;
    let write = Write::Import {
        from: req.from,
        messages: vec![message],
        private: false,
    };
    match outcome(submit(state, write, false).await?).await? {
        Outcome::Imported(_) => Ok(fields([])),
        _ => Err(RestError::new(codes::INTERNAL, "unexpected outcome")),
    }
}

#[derive(Deserialize)]
pub struct BatchSend {
    #[serde(rename = "SyncOtherMachine")]
    sync_other_machine: Option<u8>,
    #[serde(rename = "From_Account")]
    from: Option<String>,
    #[serde(rename = "To_Account")]
    to: Vec<String>,
    #[serde(rename = "MsgRandom")]
    random: Option<u32>,
    #[serde(rename = "MsgBody")]
    body: Vec<Elem>,
    #[serde(rename = "CloudCustomData", default)]
    cloud_custom_data: String,
}

/// Most recipients of one batch (Tencent's limit).
const MAX_BATCH: usize = 500;

/// Sends to every `To_Account` (duplicates once); answers `ErrorList` with
/// `{To_Account, ErrorCode, ErrorInfo}` per failed recipient. Each copy's ID derives from the
/// sender, recipient and `MsgRandom`, so a retry with the same `MsgRandom` delivers nothing
/// twice (pass a fresh `MsgRandom` per distinct batch; without one, every call is new).
pub async fn batch_send(state: &AppState, req: BatchSend) -> RestResult {
    let from = req.from.unwrap_or_else(|| state.config.admin.clone());
    validate::id("From_Account", &from)?;
    let mut users = req.to;
    users.sort();
    users.dedup();
    if users.is_empty() || users.len() > MAX_BATCH {
        return Err(RestError::new(
            codes::INVALID_REQUEST,
            format!("To_Account must list 1 to {MAX_BATCH} users"),
        ));
    }
    let random = req.random.unwrap_or_else(rand32);
    let template = outbound(
        ConvType::C2c,
        from.clone(),
        Some(random),
        req.body,
        req.cloud_custom_data,
    )?;
    let push_sender = req.sync_other_machine != Some(2);
    let batch = match req.random {
        Some(r) => format!("{r}"),
        None => format!("{}-{random}", now_secs()),
    };
    let mut pending = Vec::with_capacity(users.len());
    let mut errors = Vec::new();
    for user in users {
        let message = OutboundMessage {
            id: format!("batch-{user}-{batch}"),
            to: user.clone(),
            ..template.clone()
        };
        if let Err(e) = validate::outbound(&message) {
            errors.push(json!({"To_Account": user, "ErrorCode": e.code, "ErrorInfo": e.message}));
            continue;
        }
        let write = Write::Send(SendWrite {
            from: from.clone(),
            message,
            require_membership: false,
        });
        pending.push((user, submit(state, write, push_sender).await?));
    }
    let mut key = Value::Null;
    for (user, rx) in pending {
        match outcome(rx).await {
            Ok(Outcome::Sent(sent)) => {
                let m = sent.message;
                key = format!("{}_{}_{}", m.seq, m.random, m.time).into();
            }
            Ok(_) => errors.push(json!({"To_Account": user, "ErrorCode": codes::INTERNAL})),
            Err(e) => {
                errors.push(json!({"To_Account": user, "ErrorCode": e.code, "ErrorInfo": e.info}))
            }
        }
    }
    Ok(fields([
        ("MsgKey", key),
        ("ErrorList", Value::Array(errors)),
    ]))
}

fn rand32() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}
