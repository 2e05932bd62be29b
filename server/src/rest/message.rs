//! `openim/sendmsg` and `group_open_http_svc/send_group_msg`: a backend sends a message, which
//! goes through the same commit path and pushes as a WebSocket send.

use serde::Deserialize;
use serde_json::Value;
use tim_protocol::{codes, Content, ConvType, Message, OutboundMessage};

use super::{commit, fields, RestError, RestResult};
use crate::state::AppState;
use crate::store::{Outcome, SendWrite, Write};
use crate::time::now_secs;
use crate::validate;

/// One `MsgBody` element: `{MsgType, MsgContent}`.
#[derive(Deserialize)]
pub struct Elem {
    #[serde(rename = "MsgType")]
    msg_type: String,
    #[serde(rename = "MsgContent")]
    content: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ElemFields {
    #[serde(rename = "Text")]
    text: Option<String>,
    #[serde(rename = "Data")]
    data: String,
    #[serde(rename = "Desc")]
    desc: String,
    #[serde(rename = "Ext")]
    ext: String,
    #[serde(rename = "Index")]
    index: i64,
    #[serde(rename = "Latitude")]
    latitude: f64,
    #[serde(rename = "Longitude")]
    longitude: f64,
}

/// Tencent's `MsgBody` → our content. One element per message for now.
fn content(body: Vec<Elem>) -> Result<Content, RestError> {
    let mut body = body.into_iter();
    let (Some(elem), None) = (body.next(), body.next()) else {
        return Err(RestError::new(
            codes::INVALID_REQUEST,
            "MsgBody must hold exactly one element",
        ));
    };
    let f: ElemFields = serde_json::from_value(elem.content)
        .map_err(|e| RestError::new(codes::INVALID_REQUEST, format!("invalid MsgContent: {e}")))?;
    Ok(match elem.msg_type.as_str() {
        "TIMTextElem" => Content::Text {
            text: f.text.unwrap_or_default(),
        },
        "TIMCustomElem" => Content::Custom {
            data: f.data,
            description: f.desc,
            extension: f.ext,
        },
        "TIMFaceElem" => Content::Face {
            index: f.index,
            data: f.data,
        },
        "TIMLocationElem" => Content::Location {
            description: f.desc,
            longitude: f.longitude,
            latitude: f.latitude,
        },
        other => {
            return Err(RestError::new(
                codes::INVALID_REQUEST,
                format!("unsupported MsgType {other:?}"),
            ))
        }
    })
}

/// Builds and validates the message. Its ID (unique per sender) is derived from the target,
/// the second and the random, so a retry with the same `MsgRandom` to the same target in the
/// same second is deduplicated, as Tencent does.
pub(super) fn outbound(
    conv_type: ConvType,
    to: String,
    random: Option<u32>,
    body: Vec<Elem>,
    cloud: String,
) -> Result<OutboundMessage, RestError> {
    let now = now_secs();
    let random = random.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    });
    let id = format!("rest-{}{to}-{now}-{random}", conv_type.as_str());
    let message = OutboundMessage {
        random,
        client_time: now,
        cloud_custom_data: cloud,
        ..OutboundMessage::new(conv_type, &to, &id, content(body)?)
    };
    validate::outbound(&message)?;
    Ok(message)
}

async fn send(
    state: &AppState,
    from: String,
    message: OutboundMessage,
    require_membership: bool,
    push_sender: bool,
) -> Result<Message, RestError> {
    validate::id("From_Account", &from)?;
    let write = Write::Send(SendWrite {
        from,
        message,
        require_membership,
    });
    match commit(state, write, push_sender).await? {
        Outcome::Sent(sent) => Ok(sent.message),
        _ => Err(RestError::new(codes::INTERNAL, "unexpected outcome")),
    }
}

#[derive(Deserialize)]
pub struct SendC2c {
    /// 1 (default): also push to the sender's own sockets; 2: don't.
    #[serde(rename = "SyncOtherMachine")]
    sync_other_machine: Option<u8>,
    #[serde(rename = "From_Account")]
    from: Option<String>,
    #[serde(rename = "To_Account")]
    to: String,
    #[serde(rename = "MsgRandom")]
    random: Option<u32>,
    #[serde(rename = "MsgBody")]
    body: Vec<Elem>,
    #[serde(rename = "CloudCustomData", default)]
    cloud_custom_data: String,
}

pub async fn send_c2c(state: &AppState, req: SendC2c) -> RestResult {
    let from = req.from.unwrap_or_else(|| state.config.admin.clone());
    let message = outbound(
        ConvType::C2c,
        req.to,
        req.random,
        req.body,
        req.cloud_custom_data,
    )?;
    let push_sender = req.sync_other_machine != Some(2);
    let m = send(state, from, message, false, push_sender).await?;
    let key = format!("{}_{}_{}", m.seq, m.random, m.time);
    Ok(fields([
        ("MsgTime", m.time.into()),
        ("MsgKey", key.into()),
        ("MsgSeq", m.seq.into()),
    ]))
}

#[derive(Deserialize)]
pub struct SendGroup {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "From_Account")]
    from: Option<String>,
    #[serde(rename = "Random")]
    random: Option<u32>,
    #[serde(rename = "MsgBody")]
    body: Vec<Elem>,
    #[serde(rename = "CloudCustomData", default)]
    cloud_custom_data: String,
}

pub async fn send_group(state: &AppState, req: SendGroup) -> RestResult {
    // The administrator may post to any group as itself; as a named user, only as a member.
    let (from, require_membership) = match req.from {
        Some(f) if f != state.config.admin => (f, true),
        _ => (state.config.admin.clone(), false),
    };
    let message = outbound(
        ConvType::Group,
        req.group_id,
        req.random,
        req.body,
        req.cloud_custom_data,
    )?;
    let m = send(state, from, message, require_membership, true).await?;
    Ok(fields([
        ("MsgTime", m.time.into()),
        ("MsgSeq", m.seq.into()),
    ]))
}
