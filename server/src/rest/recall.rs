//! `openim/admin_msgwithdraw` and `group_open_http_svc/group_msg_recall`: the administrator
//! revokes any message, whoever sent it and however old it is. Same transaction path and
//! deliveries as a sender's `Revoke`: every participant's sockets get the `Revoked` change.

use serde::Deserialize;
use serde_json::{json, Value};
use tim_protocol::codes;

use super::{fields, outcome, submit, RestError, RestResult};
use crate::state::AppState;
use crate::store::{Conv, RevokeWrite, Revoker, StoreError, Write};
use crate::validate;

/// Most sequences per `group_msg_recall`.
const MAX_RECALL: usize = 100;

#[derive(Deserialize)]
pub struct WithdrawC2c {
    #[serde(rename = "From_Account")]
    from: String,
    #[serde(rename = "To_Account")]
    to: String,
    /// As `openim/sendmsg` returns it: `<seq>_<random>_<time>`.
    #[serde(rename = "MsgKey")]
    key: String,
}

/// Parses a `MsgKey` into `(seq, random, time)`.
fn parse_key(key: &str) -> Option<(u64, u32, u64)> {
    let mut parts = key.split('_');
    let seq = parts.next()?.parse().ok()?;
    let random = parts.next()?.parse().ok()?;
    let time = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((seq, random, time))
}

pub async fn withdraw_c2c(state: &AppState, req: WithdrawC2c) -> RestResult {
    validate::id("From_Account", &req.from)?;
    validate::id("To_Account", &req.to)?;
    let (seq, random, time) = parse_key(&req.key).ok_or_else(|| {
        RestError::new(
            codes::INVALID_REQUEST,
            "MsgKey is not <seq>_<random>_<time>",
        )
    })?;
    let write = Write::Revoke(RevokeWrite {
        user: req.from,
        conv: Conv::C2c(req.to),
        seq,
        by: Revoker::Admin {
            key: Some((random, time)),
        },
    });
    outcome(submit(state, write, true).await?).await?;
    Ok(fields([]))
}

#[derive(Deserialize)]
struct MsgSeq {
    #[serde(rename = "MsgSeq")]
    seq: u64,
}

#[derive(Deserialize)]
pub struct RecallGroup {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "MsgSeqList")]
    seqs: Vec<MsgSeq>,
}

pub async fn recall_group(state: &AppState, req: RecallGroup) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    if req.seqs.is_empty() || req.seqs.len() > MAX_RECALL {
        return Err(RestError::new(
            codes::INVALID_REQUEST,
            format!("MsgSeqList must hold 1 to {MAX_RECALL} entries"),
        ));
    }
    // Submitted together, so they usually commit in one transaction; each has its own result.
    let mut pending = Vec::with_capacity(req.seqs.len());
    for MsgSeq { seq } in req.seqs {
        let write = Write::Revoke(RevokeWrite {
            user: state.config.admin.clone(),
            conv: Conv::Group(req.group_id.clone()),
            seq,
            by: Revoker::Admin { key: None },
        });
        pending.push((seq, submit(state, write, true).await?));
    }
    let mut list = Vec::with_capacity(pending.len());
    for (seq, rx) in pending {
        let code = match outcome(rx).await {
            Ok(_) => 0,
            Err(e) if e.code == StoreError::GroupNotFound.code() => return Err(e),
            Err(e) => e.code,
        };
        list.push(json!({"MsgSeq": seq, "RetCode": code}));
    }
    Ok(fields([("RecallRetList", Value::Array(list))]))
}
