//! Cache records as plain JS objects, built and read field by field like the wire codec (no
//! serde in the wasm). Messages and conversations keep the wire shape, so the codec's own
//! readers decode them and a protocol change fails to compile here too.

use js_sys::{Array, Object};
use tim_protocol::{ConvSettings, ConversationInfo, Message, OutboundMessage};
use wasm_bindgen::{JsCast, JsValue};

use super::super::codec::{self, content_js, outbound_js, Bad};
use crate::core::cache::{OutboxEntry, SeqRanges};
use crate::web::js::object::{set, set_bool, set_num, set_str};
use crate::web::js::read::{boolean, field, string, strings, uint};

/// The primary key of a message: `[conversationID, seq]`.
pub(super) fn message_key(conv: &str, seq: u64) -> JsValue {
    Array::of2(&JsValue::from_str(conv), &JsValue::from_f64(seq as f64)).into()
}

/// A message in the wire shape.
fn message_js(m: &Message) -> Object {
    let o = Object::new();
    set_str(&o, "id", &m.id);
    set_str(&o, "conv_type", m.conv_type.as_str());
    set_str(&o, "from", &m.from);
    set_str(&o, "to", &m.to);
    set_num(&o, "seq", m.seq as f64);
    set_num(&o, "time", m.time as f64);
    set_num(&o, "random", m.random.into());
    set_num(&o, "client_time", m.client_time as f64);
    set_str(&o, "priority", &m.priority);
    set(&o, "content", &content_js(&m.content));
    set_str(&o, "cloud_custom_data", &m.cloud_custom_data);
    let at: Array = m
        .at_user_list
        .iter()
        .map(|u| JsValue::from_str(u))
        .collect();
    set(&o, "at_user_list", &at);
    set_str(&o, "nick", &m.nick);
    set_str(&o, "avatar", &m.avatar);
    set_bool(&o, "revoked", m.revoked);
    set_num(&o, "version", m.version.into());
    set_bool(&o, "need_read_receipt", m.need_read_receipt);
    o
}

/// A message record: `{c, s, t, m}` (conversation, seq, server time for eviction, message);
/// `idb.js` hands back `m` alone.
pub(super) fn message_record(conv: &str, m: &Message) -> Object {
    let o = Object::new();
    set_str(&o, "c", conv);
    set_num(&o, "s", m.seq as f64);
    set_num(&o, "t", m.time as f64);
    set(&o, "m", &message_js(m));
    o
}

/// A conversation record: the wire shape, keyed by `conversation_id`.
pub(super) fn conversation_record(c: &ConversationInfo) -> Object {
    let o = Object::new();
    set_str(&o, "conversation_id", &c.conversation_id);
    set_str(&o, "conv_type", c.conv_type.as_str());
    set_str(&o, "peer", &c.peer);
    set_num(&o, "read_seq", c.read_seq as f64);
    set_num(&o, "unread", c.unread.into());
    let last = c
        .last_message
        .as_ref()
        .map_or(JsValue::NULL, |m| message_js(m).into());
    set(&o, "last_message", &last);
    set_str(&o, "group_name", &c.group_name);
    set_num(&o, "peer_read_seq", c.peer_read_seq as f64);
    set_bool(&o, "pinned", c.pinned);
    let ConvSettings {
        marks,
        custom_data,
        remind,
        cleared_seq,
    } = &c.settings;
    let st = Object::new();
    set_num(&st, "marks", (*marks).into());
    set_str(&st, "custom_data", custom_data);
    set_str(&st, "remind", remind);
    set_num(&st, "cleared_seq", *cleared_seq as f64);
    set(&o, "settings", &st);
    o
}

pub(super) fn conversation_of(record: &JsValue) -> Result<ConversationInfo, Bad> {
    codec::conversation(record)
}

/// A ranges record is `{c, r: [lo, hi, lo, hi, ...]}` (written by `idb.js`).
pub(super) fn ranges_of(record: &JsValue) -> SeqRanges {
    SeqRanges::from_pairs(ranges_of_flat(&field(record, "r")))
}

/// `[lo, hi, lo, hi, ...]` as pairs, skipping what is not a seq (anything else: none).
pub(super) fn ranges_of_flat(flat: &JsValue) -> Vec<(u64, u64)> {
    let mut pairs = Vec::new();
    if !js_sys::Array::is_array(flat) {
        return pairs;
    }
    let mut lo = None;
    for v in flat.unchecked_ref::<Array>().iter() {
        if let Some(n) = v.as_f64().filter(|n| *n >= 0.0).map(|n| n as u64) {
            match lo.take() {
                None => lo = Some(n),
                Some(lo) => pairs.push((lo, n)),
            }
        }
    }
    pairs
}

/// An outbox record: `{pos, c, m}` with `m` in the wire shape of a submitted message.
pub(super) fn outbox_record(e: &OutboxEntry) -> Object {
    let o = Object::new();
    set_num(&o, "pos", e.pos as f64);
    set_str(&o, "c", &e.conversation_id);
    set(&o, "m", &outbound_js(&e.message));
    o
}

pub(super) fn outbox_of(record: &JsValue) -> Result<OutboxEntry, Bad> {
    let m = field(record, "m");
    let text = |key| string(&m, key).unwrap_or_default();
    let message = OutboundMessage {
        id: string(&m, "id").ok_or("id")?,
        conv_type: string(&m, "conv_type")
            .as_deref()
            .and_then(tim_protocol::ConvType::parse)
            .ok_or("conv_type")?,
        to: text("to"),
        random: uint(&m, "random").unwrap_or(0) as u32,
        client_time: uint(&m, "client_time").unwrap_or(0),
        priority: string(&m, "priority").unwrap_or_else(|| "Normal".to_owned()),
        content: codec::content(&field(&m, "content"))?,
        cloud_custom_data: text("cloud_custom_data"),
        at_user_list: strings(&m, "at_user_list").unwrap_or_default(),
        need_read_receipt: boolean(&m, "need_read_receipt").unwrap_or(false),
        online_user_only: boolean(&m, "online_user_only").unwrap_or(false),
        offline_push_info: text("offline_push_info"),
    };
    Ok(OutboxEntry {
        pos: uint(record, "pos").ok_or("pos")?,
        conversation_id: string(record, "c").ok_or("c")?,
        message,
    })
}
