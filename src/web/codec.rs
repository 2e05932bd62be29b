//! The wire codec, on the browser's own JSON: frames are built field by field as JS objects
//! and then `JSON.stringify`-ed, and decoded with `JSON.parse` and a field-by-field reader
//! ([`super::read`]). This keeps `serde_json` (about 15 KB gzip), serde's deserialization
//! machinery and the serializers of every request type out of the wasm (the views handed to
//! JavaScript are built by hand too, in [`super::views`]). Both directions use the protocol's own
//! types, so a change in `tim_protocol` fails to compile here rather than drifting silently
//! (and a browser test compares the encoder with the protocol's serde derive); unknown fields
//! are ignored, missing required ones make the frame undecodable.

use js_sys::{Array, Object, Reflect, JSON};
use serde::Serialize;
use tim_protocol::{
    Change, ClientFrame, Content, ConvGroup, ConvSettings, ConvType, ConversationInfo, ImageInfo,
    MergedMessage, Message, OutboundMessage, Receipt, Reply, Request, ServerFrame, SyncItem,
};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::read::{array, boolean, field, int, number, string, strings, uint};

/// Serializes any value to a plain JS value: objects (not Maps), numbers (not BigInts). The
/// SDK no longer calls it (it would pull serde-wasm-bindgen into the wasm): browser tests
/// compare the hand-written encoders and views with it.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string, so incoming text never passes through wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_js(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// `object[key] = value` on a fresh plain object (never throws).
fn put(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn put_str(object: &Object, key: &str, value: &str) {
    put(object, key, &JsValue::from_str(value));
}

/// Numbers on the wire are JSON numbers; every value here is far below 2^53.
fn put_num(object: &Object, key: &str, value: f64) {
    put(object, key, &JsValue::from_f64(value));
}

fn put_bool(object: &Object, key: &str, value: bool) {
    put(object, key, &JsValue::from_bool(value));
}

/// A merged message in the wire shape (also the JSON of a merger's stored list).
fn merged_js(m: &MergedMessage) -> Object {
    let o = Object::new();
    put_str(&o, "id", &m.id);
    put_str(&o, "from", &m.from);
    put_str(&o, "nick", &m.nick);
    put_str(&o, "avatar", &m.avatar);
    put_num(&o, "time", m.time as f64);
    put(&o, "content", &content_js(&m.content));
    o
}

/// A content in the wire shape `{type, payload}`.
pub fn content_js(content: &Content) -> Object {
    let (kind, p) = (Object::new(), Object::new());
    let kind_name = match content {
        Content::Text { text } => {
            put_str(&p, "text", text);
            "TIMTextElem"
        }
        Content::Custom {
            data,
            description,
            extension,
        } => {
            put_str(&p, "data", data);
            put_str(&p, "description", description);
            put_str(&p, "extension", extension);
            "TIMCustomElem"
        }
        Content::Face { index, data } => {
            put_num(&p, "index", *index as f64);
            put_str(&p, "data", data);
            "TIMFaceElem"
        }
        Content::Location {
            description,
            longitude,
            latitude,
        } => {
            put_str(&p, "description", description);
            put_num(&p, "longitude", *longitude);
            put_num(&p, "latitude", *latitude);
            "TIMLocationElem"
        }
        Content::GroupSystemNotice {
            operator_id,
            operation_type,
            group_id,
            group_name,
        } => {
            put_str(&p, "operator_id", operator_id);
            put_num(&p, "operation_type", (*operation_type).into());
            put_str(&p, "group_id", group_id);
            put_str(&p, "group_name", group_name);
            "TIMGroupSystemNoticeElem"
        }
        Content::Image {
            uuid,
            image_format,
            image_info_array,
        } => {
            put_str(&p, "uuid", uuid);
            put_num(&p, "image_format", (*image_format).into());
            let infos: Array = image_info_array
                .iter()
                .map(|i| {
                    let o = Object::new();
                    put_num(&o, "width", i.width.into());
                    put_num(&o, "height", i.height.into());
                    put_num(&o, "size", i.size as f64);
                    put_str(&o, "url", &i.url);
                    put_num(&o, "type", i.kind.into());
                    JsValue::from(o)
                })
                .collect();
            put(&p, "image_info_array", &infos);
            "TIMImageElem"
        }
        Content::File {
            uuid,
            file_name,
            file_size,
            file_url,
        } => {
            put_str(&p, "uuid", uuid);
            put_str(&p, "file_name", file_name);
            put_num(&p, "file_size", *file_size as f64);
            put_str(&p, "file_url", file_url);
            "TIMFileElem"
        }
        Content::Video {
            video_uuid,
            video_url,
            video_size,
            video_second,
            video_format,
            thumb_uuid,
            thumb_url,
            thumb_width,
            thumb_height,
            thumb_size,
        } => {
            put_str(&p, "video_uuid", video_uuid);
            put_str(&p, "video_url", video_url);
            put_num(&p, "video_size", *video_size as f64);
            put_num(&p, "video_second", (*video_second).into());
            put_str(&p, "video_format", video_format);
            put_str(&p, "thumb_uuid", thumb_uuid);
            put_str(&p, "thumb_url", thumb_url);
            put_num(&p, "thumb_width", (*thumb_width).into());
            put_num(&p, "thumb_height", (*thumb_height).into());
            put_num(&p, "thumb_size", *thumb_size as f64);
            "TIMVideoFileElem"
        }
        Content::Sound {
            uuid,
            url,
            size,
            second,
        } => {
            put_str(&p, "uuid", uuid);
            put_str(&p, "url", url);
            put_num(&p, "size", *size as f64);
            put_num(&p, "second", (*second).into());
            "TIMSoundElem"
        }
        Content::Merger {
            title,
            abstract_list,
            compatible_text,
            message_list,
            download_key,
            layers_over_limit,
        } => {
            put_str(&p, "title", title);
            put(&p, "abstract_list", &str_array(abstract_list));
            put_str(&p, "compatible_text", compatible_text);
            put(&p, "message_list", &merged_list_js(message_list));
            put_str(&p, "download_key", download_key);
            put_bool(&p, "layers_over_limit", *layers_over_limit);
            "TIMRelayElem"
        }
    };
    put_str(&kind, "type", kind_name);
    put(&kind, "payload", &p);
    kind
}

fn str_array(items: &[String]) -> Array {
    items.iter().map(|u| JsValue::from_str(u)).collect()
}

/// A merger's message list in the wire shape.
fn merged_list_js(list: &[MergedMessage]) -> Array {
    list.iter().map(|m| JsValue::from(merged_js(m))).collect()
}

pub(crate) fn outbound_js(m: &OutboundMessage) -> Object {
    let o = Object::new();
    put_str(&o, "id", &m.id);
    put_str(&o, "conv_type", m.conv_type.as_str());
    put_str(&o, "to", &m.to);
    put_num(&o, "random", m.random.into());
    put_num(&o, "client_time", m.client_time as f64);
    put_str(&o, "priority", &m.priority);
    put(&o, "content", &content_js(&m.content));
    put_str(&o, "cloud_custom_data", &m.cloud_custom_data);
    put(&o, "at_user_list", &str_array(&m.at_user_list));
    put(
        &o,
        "need_read_receipt",
        &JsValue::from_bool(m.need_read_receipt),
    );
    put(
        &o,
        "online_user_only",
        &JsValue::from_bool(m.online_user_only),
    );
    put_str(&o, "offline_push_info", &m.offline_push_info);
    o
}

fn seqs_js(seqs: &[u64]) -> Array {
    seqs.iter().map(|s| JsValue::from_f64(*s as f64)).collect()
}

/// The request as `{"op": ..., fields...}`, exactly as `tim_protocol`'s serde derive spells it
/// (checked against it by a browser test).
fn request_js(req: &Request) -> Object {
    let o = Object::new();
    let conv = |id: &str| put_str(&o, "conversation_id", id);
    let op = match req {
        Request::Login { user_id, user_sig } => {
            put_str(&o, "user_id", user_id);
            put_str(&o, "user_sig", user_sig);
            "login"
        }
        Request::Logout => "logout",
        Request::Ping => "ping",
        Request::Send { message } => {
            put(&o, "message", &outbound_js(message));
            "send"
        }
        Request::History {
            conversation_id,
            before_seq,
            count,
        } => {
            conv(conversation_id);
            let before = before_seq.map_or(JsValue::NULL, |b| JsValue::from_f64(b as f64));
            put(&o, "before_seq", &before);
            put_num(&o, "count", (*count).into());
            "history"
        }
        Request::Conversations => "conversations",
        Request::Read {
            conversation_id,
            seq,
        } => {
            conv(conversation_id);
            put_num(&o, "seq", *seq as f64);
            "read"
        }
        Request::Revoke {
            conversation_id,
            seq,
        } => {
            conv(conversation_id);
            put_num(&o, "seq", *seq as f64);
            "revoke"
        }
        Request::Modify {
            conversation_id,
            seq,
            version,
            content,
            cloud_custom_data,
        } => {
            conv(conversation_id);
            put_num(&o, "seq", *seq as f64);
            put_num(&o, "version", (*version).into());
            put(&o, "content", &content_js(content));
            put_str(&o, "cloud_custom_data", cloud_custom_data);
            "modify"
        }
        Request::Delete {
            conversation_id,
            seqs,
        } => {
            conv(conversation_id);
            put(&o, "seqs", &seqs_js(seqs));
            "delete"
        }
        Request::Import { messages } => {
            let list: Array = messages.iter().map(outbound_js).collect();
            put(&o, "messages", &list);
            "import"
        }
        Request::ReadReceipt {
            conversation_id,
            seqs,
        } => {
            conv(conversation_id);
            put(&o, "seqs", &seqs_js(seqs));
            "read_receipt"
        }
        Request::ReceiptList {
            conversation_id,
            seqs,
        } => {
            conv(conversation_id);
            put(&o, "seqs", &seqs_js(seqs));
            "receipt_list"
        }
        Request::ReceiptMembers {
            conversation_id,
            seq,
            read,
            cursor,
            count,
        } => {
            conv(conversation_id);
            put_num(&o, "seq", *seq as f64);
            put(&o, "read", &JsValue::from_bool(*read));
            put_str(&o, "cursor", cursor);
            put_num(&o, "count", (*count).into());
            "receipt_members"
        }
        Request::DeleteConversation { conversation_id } => {
            conv(conversation_id);
            "delete_conversation"
        }
        Request::Pin {
            conversation_id,
            pinned,
        } => {
            conv(conversation_id);
            put(&o, "pinned", &JsValue::from_bool(*pinned));
            "pin"
        }
        Request::ConvSettings {
            conversation_ids,
            mark_set,
            mark_clear,
            custom_data,
            remind,
            clear_history,
        } => {
            put(&o, "conversation_ids", &str_array(conversation_ids));
            put_num(&o, "mark_set", (*mark_set).into());
            put_num(&o, "mark_clear", (*mark_clear).into());
            let opt = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from_str);
            put(&o, "custom_data", &opt(custom_data));
            put(&o, "remind", &opt(remind));
            put(&o, "clear_history", &JsValue::from_bool(*clear_history));
            "conv_settings"
        }
        Request::ConvGroup {
            action,
            name,
            new_name,
            conversation_ids,
        } => {
            put_str(&o, "action", action.as_str());
            put_str(&o, "name", name);
            put_str(&o, "new_name", new_name);
            put(&o, "conversation_ids", &str_array(conversation_ids));
            "conv_group"
        }
        Request::Hop {
            conversation_id,
            seq,
            time,
            newer,
            count,
        } => {
            conv(conversation_id);
            let opt = |v: &Option<u64>| v.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64));
            put(&o, "seq", &opt(seq));
            put(&o, "time", &opt(time));
            put(&o, "newer", &JsValue::from_bool(*newer));
            put_num(&o, "count", (*count).into());
            "hop"
        }
        Request::Fetch {
            conversation_id,
            seqs,
        } => {
            conv(conversation_id);
            let seqs: Array = seqs.iter().map(|s| JsValue::from_f64(*s as f64)).collect();
            put(&o, "seqs", &seqs);
            "fetch"
        }
        Request::Sync { since, limit } => {
            put_num(&o, "since", *since as f64);
            put_num(&o, "limit", (*limit).into());
            "sync"
        }
    };
    // serde writes the tag first; key order only matters to the equality test.
    let tagged = Object::new();
    put_str(&tagged, "op", op);
    Object::assign(&tagged, &o)
}

/// A frame as JSON text (a JS string).
pub fn encode(frame: &ClientFrame) -> Result<JsValue, JsValue> {
    let value = Object::new();
    put_num(&value, "id", frame.id.into());
    put(&value, "req", &request_js(&frame.req));
    Ok(JSON::stringify(&value)?.into())
}

/// Why a frame could not be decoded (for the log).
pub(crate) type Bad = &'static str;

/// Each element of `value[key]` (an array) read by `read`; a plain loop, because collecting
/// into a `Result` costs the wasm a generic adapter per element type.
fn each<T>(
    value: &JsValue,
    key: &'static str,
    read: fn(&JsValue) -> Result<T, Bad>,
) -> Result<Vec<T>, Bad> {
    let items = need(array(value, key), key)?;
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        out.push(read(item)?);
    }
    Ok(out)
}

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

/// A merged message from its wire shape.
fn merged(value: &JsValue) -> Result<MergedMessage, Bad> {
    Ok(MergedMessage {
        id: str_of(value, "id")?,
        from: str_of(value, "from")?,
        nick: string(value, "nick").unwrap_or_default(),
        avatar: string(value, "avatar").unwrap_or_default(),
        time: u64_of(value, "time")?,
        content: content(&field(value, "content"))?,
    })
}

/// A merger's message list from its wire shape (an array).
pub fn merged_list(value: &JsValue) -> Result<Vec<MergedMessage>, Bad> {
    if !Array::is_array(value) {
        return Err("message_list");
    }
    let mut list = Vec::new();
    for m in Array::from(value).iter() {
        list.push(merged(&m)?);
    }
    Ok(list)
}

fn image_info(value: &JsValue) -> Result<ImageInfo, Bad> {
    Ok(ImageInfo {
        width: u32_of(value, "width")?,
        height: u32_of(value, "height")?,
        size: u64_of(value, "size")?,
        url: str_of(value, "url")?,
        kind: u32_of(value, "type")?,
    })
}

/// A content from its wire shape `{type, payload}`.
pub fn content(value: &JsValue) -> Result<Content, Bad> {
    let p = field(value, "payload");
    let or_empty = |key| string(&p, key).unwrap_or_default();
    let num = |key| uint(&p, key).unwrap_or(0);
    let small = |key| u32::try_from(num(key)).unwrap_or(0);
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
        Some("TIMGroupSystemNoticeElem") => Content::GroupSystemNotice {
            operator_id: or_empty("operator_id"),
            operation_type: u32_of(&p, "operation_type")?,
            group_id: or_empty("group_id"),
            group_name: or_empty("group_name"),
        },
        Some("TIMImageElem") => Content::Image {
            uuid: or_empty("uuid"),
            image_format: small("image_format"),
            image_info_array: each(&p, "image_info_array", image_info)?,
        },
        Some("TIMFileElem") => Content::File {
            uuid: or_empty("uuid"),
            file_name: or_empty("file_name"),
            file_size: num("file_size"),
            file_url: str_of(&p, "file_url")?,
        },
        Some("TIMVideoFileElem") => Content::Video {
            video_uuid: or_empty("video_uuid"),
            video_url: str_of(&p, "video_url")?,
            video_size: num("video_size"),
            video_second: small("video_second"),
            video_format: or_empty("video_format"),
            thumb_uuid: or_empty("thumb_uuid"),
            thumb_url: or_empty("thumb_url"),
            thumb_width: small("thumb_width"),
            thumb_height: small("thumb_height"),
            thumb_size: num("thumb_size"),
        },
        Some("TIMSoundElem") => Content::Sound {
            uuid: or_empty("uuid"),
            url: str_of(&p, "url")?,
            size: num("size"),
            second: small("second"),
        },
        Some("TIMRelayElem") => Content::Merger {
            title: or_empty("title"),
            abstract_list: strings(&p, "abstract_list").unwrap_or_default(),
            compatible_text: or_empty("compatible_text"),
            message_list: match field(&p, "message_list") {
                v if v.is_undefined() || v.is_null() => Vec::new(),
                v => merged_list(&v)?,
            },
            download_key: or_empty("download_key"),
            layers_over_limit: boolean(&p, "layers_over_limit").unwrap_or(false),
        },
        _ => return Err("content type"),
    })
}

pub(crate) fn message(value: &JsValue) -> Result<Message, Bad> {
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
        revoked: boolean(value, "revoked").unwrap_or(false),
        version: uint(value, "version")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        need_read_receipt: boolean(value, "need_read_receipt").unwrap_or(false),
        // Only the server's webhook reads it.
        offline_push_info: String::new(),
    })
}

fn receipt(r: &JsValue) -> Result<Receipt, Bad> {
    Ok(Receipt {
        id: str_of(r, "id")?,
        seq: u64_of(r, "seq")?,
        read: u32_of(r, "read")?,
        unread: u32_of(r, "unread")?,
    })
}

fn receipts(value: &JsValue) -> Result<Vec<Receipt>, Bad> {
    each(value, "receipts", receipt)
}

/// A delivery's `change` (absent: a new message).
fn change(value: &JsValue) -> Result<Change, Bad> {
    Ok(match string(value, "change").as_deref() {
        None | Some("new") => Change::New,
        Some("revoked") => Change::Revoked,
        Some("modified") => Change::Modified,
        Some("deleted") => Change::Deleted,
        Some(_) => return Err("change"),
    })
}

fn messages(value: &JsValue, key: &'static str) -> Result<Vec<Message>, Bad> {
    each(value, key, message)
}

pub(crate) fn conversation(value: &JsValue) -> Result<ConversationInfo, Bad> {
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
        peer_read_seq: uint(value, "peer_read_seq").unwrap_or(0),
        pinned: boolean(value, "pinned").unwrap_or(false),
        settings: settings(&field(value, "settings")),
    })
}

/// Absent fields read as defaults (an older server sends none).
fn settings(value: &JsValue) -> ConvSettings {
    ConvSettings {
        marks: uint(value, "marks")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        custom_data: string(value, "custom_data").unwrap_or_default(),
        remind: string(value, "remind").unwrap_or_default(),
        cleared_seq: uint(value, "cleared_seq").unwrap_or(0),
    }
}

fn groups(value: &JsValue) -> Vec<ConvGroup> {
    array(value, "groups")
        .unwrap_or_default()
        .iter()
        .filter_map(|g| {
            Some(ConvGroup {
                name: string(g, "name")?,
                conversation_ids: strings(g, "conversation_ids").unwrap_or_default(),
            })
        })
        .collect()
}

fn sync_item(value: &JsValue) -> Result<SyncItem, Bad> {
    Ok(SyncItem {
        sync_seq: u64_of(value, "sync_seq")?,
        message: message(&field(value, "message"))?,
        change: change(value)?,
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
            file_token: string(data, "file_token").unwrap_or_default(),
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
            conversations: each(data, "conversations", conversation)?,
            sync_seq: u64_of(data, "sync_seq")?,
            groups: groups(data),
        },
        Some("conv_groups") => Reply::ConvGroups {
            groups: groups(data),
        },
        Some("updated") => Reply::Updated {
            message: message(&field(data, "message"))?,
            sync_seq: u64_of(data, "sync_seq")?,
        },
        Some("read") => Reply::Read {
            conversation_id: str_of(data, "conversation_id")?,
            read_seq: u64_of(data, "read_seq")?,
            unread: u32_of(data, "unread")?,
        },
        Some("sync") => Reply::Sync {
            items: each(data, "items", sync_item)?,
            complete: complete(data)?,
        },
        Some("imported") => Reply::Imported {
            messages: messages(data, "messages")?,
        },
        Some("receipts") => Reply::Receipts {
            receipts: receipts(data)?,
        },
        Some("members") => Reply::Members {
            users: need(strings(data, "users"), "users")?,
            cursor: string(data, "cursor").unwrap_or_default(),
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
            change: change(value)?,
        },
        Some("peer_read") => ServerFrame::PeerRead {
            conversation_id: str_of(value, "conversation_id")?,
            read_seq: u64_of(value, "read_seq")?,
        },
        Some("conversation_state") => ServerFrame::ConversationState {
            conversation_id: str_of(value, "conversation_id")?,
            hidden: need(boolean(value, "hidden"), "hidden")?,
            pinned: need(boolean(value, "pinned"), "pinned")?,
        },
        Some("conversation_settings") => ServerFrame::ConversationSettings {
            conversation_id: str_of(value, "conversation_id")?,
            settings: settings(&field(value, "settings")),
        },
        Some("conv_groups") => ServerFrame::ConvGroups {
            groups: groups(value),
        },
        Some("read_state") => ServerFrame::ReadState {
            conversation_id: str_of(value, "conversation_id")?,
            read_seq: u64_of(value, "read_seq")?,
            unread: u32_of(value, "unread")?,
        },
        Some("receipts") => ServerFrame::Receipts {
            conversation_id: str_of(value, "conversation_id")?,
            receipts: receipts(value)?,
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
