//! The wire codec, on the browser's own JSON: frames are encoded with serde-wasm-bindgen
//! (JSON-compatible mode) + `JSON.stringify` and decoded with `JSON.parse` + a field-by-field
//! reader ([`super::read`]). This keeps `serde_json` (about 15 KB gzip) and serde's
//! deserialization machinery out of the wasm. The decoder builds the protocol's own types, so
//! a change in `tim_protocol` fails to compile here rather than drifting silently; unknown
//! fields are ignored, missing required ones make the frame undecodable.

use js_sys::JSON;
use serde::Serialize;
use tim_protocol::{
    ClientFrame, Content, ConvType, ConversationInfo, Message, Reply, ServerFrame, SyncItem,
};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::read::{array, boolean, field, int, number, string, strings, uint};

/// Serializes any value to a plain JS value: objects (not Maps), numbers (not BigInts).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string, so incoming text never passes through wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_js(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// A frame as JSON text (a JS string).
pub fn encode(frame: &ClientFrame) -> Result<JsValue, JsValue> {
    let value = to_js(frame)?;
    Ok(JSON::stringify(&value)?.into())
}

/// Why a frame could not be decoded (for the log).
type Bad = &'static str;

fn need<T>(value: Option<T>, what: Bad) -> Result<T, Bad> {
    value.ok_or(what)
}

fn u32_of(value: &JsValue, key: &'static str) -> Result<u32, Bad> {
    need(uint(value, key).and_then(|n| u32::try_from(n).ok()), key)
}

fn u64_of(value: &JsValue, key: &'static str) -> Result<u64, Bad> {
    need(uint(value, key), key)
}

fn str_of(value: &JsValue, key: &'static str) -> Result<String, Bad> {
    need(string(value, key), key)
}

fn conv_type(value: &JsValue) -> Result<ConvType, Bad> {
    need(
        string(value, "conv_type")
            .as_deref()
            .and_then(ConvType::parse),
        "conv_type",
    )
}

fn content(value: &JsValue) -> Result<Content, Bad> {
    let p = field(value, "payload");
    let or_empty = |key| string(&p, key).unwrap_or_default();
    Ok(match string(value, "type").as_deref() {
        Some("TIMTextElem") => Content::Text {
            text: str_of(&p, "text")?,
        },
        Some("TIMCustomElem") => Content::Custom {
            data: or_empty("data"),
            description: or_empty("description"),
            extension: or_empty("extension"),
        },
        Some("TIMFaceElem") => Content::Face {
            index: need(int(&p, "index"), "index")?,
            data: or_empty("data"),
        },
        Some("TIMLocationElem") => Content::Location {
            description: or_empty("description"),
            longitude: need(number(&p, "longitude"), "longitude")?,
            latitude: need(number(&p, "latitude"), "latitude")?,
        },
        _ => return Err("content type"),
    })
}

fn message(value: &JsValue) -> Result<Message, Bad> {
    Ok(Message {
        id: str_of(value, "id")?,
        conv_type: conv_type(value)?,
        from: str_of(value, "from")?,
        to: str_of(value, "to")?,
        seq: u64_of(value, "seq")?,
        time: u64_of(value, "time")?,
        random: u32_of(value, "random")?,
        client_time: u64_of(value, "client_time")?,
        priority: string(value, "priority").unwrap_or_else(|| "Normal".to_owned()),
        content: content(&field(value, "content"))?,
        cloud_custom_data: string(value, "cloud_custom_data").unwrap_or_default(),
        at_user_list: strings(value, "at_user_list").unwrap_or_default(),
        nick: string(value, "nick").unwrap_or_default(),
        avatar: string(value, "avatar").unwrap_or_default(),
    })
}

fn messages(value: &JsValue, key: &'static str) -> Result<Vec<Message>, Bad> {
    need(array(value, key), key)?.iter().map(message).collect()
}

fn conversation(value: &JsValue) -> Result<ConversationInfo, Bad> {
    let last = field(value, "last_message");
    Ok(ConversationInfo {
        conversation_id: str_of(value, "conversation_id")?,
        conv_type: conv_type(value)?,
        peer: str_of(value, "peer")?,
        read_seq: u64_of(value, "read_seq")?,
        unread: u32_of(value, "unread")?,
        last_message: if last.is_null() || last.is_undefined() {
            None
        } else {
            Some(message(&last)?)
        },
        group_name: string(value, "group_name").unwrap_or_default(),
    })
}

fn sync_item(value: &JsValue) -> Result<SyncItem, Bad> {
    Ok(SyncItem {
        sync_seq: u64_of(value, "sync_seq")?,
        message: message(&field(value, "message"))?,
    })
}

fn complete(value: &JsValue) -> Result<bool, Bad> {
    need(boolean(value, "complete"), "complete")
}

fn reply(data: &JsValue) -> Result<Reply, Bad> {
    Ok(match string(data, "kind").as_deref() {
        Some("login") => Reply::Login {
            user_id: str_of(data, "user_id")?,
            server_time: u64_of(data, "server_time")?,
            sync_seq: u64_of(data, "sync_seq")?,
        },
        Some("pong") => Reply::Pong {
            server_time: u64_of(data, "server_time")?,
        },
        Some("sent") => Reply::Sent {
            message: message(&field(data, "message"))?,
            sync_seq: u64_of(data, "sync_seq")?,
        },
        Some("history") => Reply::History {
            messages: messages(data, "messages")?,
            complete: complete(data)?,
        },
        Some("conversations") => Reply::Conversations {
            conversations: need(array(data, "conversations"), "conversations")?
                .iter()
                .map(conversation)
                .collect::<Result<_, _>>()?,
            sync_seq: u64_of(data, "sync_seq")?,
        },
        Some("read") => Reply::Read {
            conversation_id: str_of(data, "conversation_id")?,
            read_seq: u64_of(data, "read_seq")?,
            unread: u32_of(data, "unread")?,
        },
        Some("sync") => Reply::Sync {
            items: need(array(data, "items"), "items")?
                .iter()
                .map(sync_item)
                .collect::<Result<_, _>>()?,
            complete: complete(data)?,
        },
        Some("done") => Reply::Done,
        _ => return Err("reply kind"),
    })
}

fn frame(value: &JsValue) -> Result<ServerFrame, Bad> {
    Ok(match string(value, "op").as_deref() {
        Some("ok") => ServerFrame::Ok {
            id: u32_of(value, "id")?,
            data: reply(&field(value, "data"))?,
        },
        Some("error") => ServerFrame::Error {
            id: uint(value, "id").and_then(|n| u32::try_from(n).ok()),
            code: u32_of(value, "code")?,
            message: string(value, "message").unwrap_or_default(),
        },
        Some("push") => ServerFrame::Push {
            sync_seq: u64_of(value, "sync_seq")?,
            message: message(&field(value, "message"))?,
        },
        Some("read_state") => ServerFrame::ReadState {
            conversation_id: str_of(value, "conversation_id")?,
            read_seq: u64_of(value, "read_seq")?,
            unread: u32_of(value, "unread")?,
        },
        Some("kicked") => ServerFrame::Kicked {
            reason: str_of(value, "reason")?,
        },
        _ => return Err("op"),
    })
}

/// A frame from JSON text. Any failure (bad JSON, unknown op, missing or mistyped field) is an
/// `Err` naming the problem, for logging.
pub fn decode(text: &JsValue) -> Result<ServerFrame, JsValue> {
    let value = parse_js(text)?;
    frame(&value).map_err(JsValue::from_str)
}
