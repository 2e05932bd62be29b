//! Encoding client frames: each request is built field by field as a plain JS object in the
//! shape `tim_protocol`'s serde derive gives, then `JSON.stringify`-ed by the browser. Message
//! contents and submitted messages are written here too (the cache records reuse them).

use js_sys::{Array, Object, JSON};
use tim_protocol::{req, ClientFrame, Content, MergedMessage, OutboundMessage, Request};
use wasm_bindgen::JsValue;

use crate::web::js::object::{set, set_bool, set_num, set_str};

/// A merged message in the wire shape (also the JSON of a merger's stored list).
fn merged_js(m: &MergedMessage) -> Object {
    let o = Object::new();
    set_str(&o, "id", &m.id);
    set_str(&o, "from", &m.from);
    set_str(&o, "nick", &m.nick);
    set_str(&o, "avatar", &m.avatar);
    set_num(&o, "time", m.time as f64);
    set(&o, "content", &content_js(&m.content));
    o
}

/// A content in the wire shape `{type, payload}`.
pub fn content_js(content: &Content) -> Object {
    let (kind, p) = (Object::new(), Object::new());
    let kind_name = match content {
        Content::Text { text } => {
            set_str(&p, "text", text);
            "TIMTextElem"
        }
        Content::Custom {
            data,
            description,
            extension,
        } => {
            set_str(&p, "data", data);
            set_str(&p, "description", description);
            set_str(&p, "extension", extension);
            "TIMCustomElem"
        }
        Content::Face { index, data } => {
            set_num(&p, "index", *index as f64);
            set_str(&p, "data", data);
            "TIMFaceElem"
        }
        Content::Location {
            description,
            longitude,
            latitude,
        } => {
            set_str(&p, "description", description);
            set_num(&p, "longitude", *longitude);
            set_num(&p, "latitude", *latitude);
            "TIMLocationElem"
        }
        Content::GroupSystemNotice {
            operator_id,
            operation_type,
            group_id,
            group_name,
        } => {
            set_str(&p, "operator_id", operator_id);
            set_num(&p, "operation_type", (*operation_type).into());
            set_str(&p, "group_id", group_id);
            set_str(&p, "group_name", group_name);
            "TIMGroupSystemNoticeElem"
        }
        Content::Image {
            uuid,
            image_format,
            image_info_array,
        } => {
            set_str(&p, "uuid", uuid);
            set_num(&p, "image_format", (*image_format).into());
            let infos: Array = image_info_array
                .iter()
                .map(|i| {
                    let o = Object::new();
                    set_num(&o, "width", i.width.into());
                    set_num(&o, "height", i.height.into());
                    set_num(&o, "size", i.size as f64);
                    set_str(&o, "url", &i.url);
                    set_num(&o, "type", i.kind.into());
                    JsValue::from(o)
                })
                .collect();
            set(&p, "image_info_array", &infos);
            "TIMImageElem"
        }
        Content::File {
            uuid,
            file_name,
            file_size,
            file_url,
        } => {
            set_str(&p, "uuid", uuid);
            set_str(&p, "file_name", file_name);
            set_num(&p, "file_size", *file_size as f64);
            set_str(&p, "file_url", file_url);
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
            set_str(&p, "video_uuid", video_uuid);
            set_str(&p, "video_url", video_url);
            set_num(&p, "video_size", *video_size as f64);
            set_num(&p, "video_second", (*video_second).into());
            set_str(&p, "video_format", video_format);
            set_str(&p, "thumb_uuid", thumb_uuid);
            set_str(&p, "thumb_url", thumb_url);
            set_num(&p, "thumb_width", (*thumb_width).into());
            set_num(&p, "thumb_height", (*thumb_height).into());
            set_num(&p, "thumb_size", *thumb_size as f64);
            "TIMVideoFileElem"
        }
        Content::Sound {
            uuid,
            url,
            size,
            second,
        } => {
            set_str(&p, "uuid", uuid);
            set_str(&p, "url", url);
            set_num(&p, "size", *size as f64);
            set_num(&p, "second", (*second).into());
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
            set_str(&p, "title", title);
            set(&p, "abstract_list", &str_array(abstract_list));
            set_str(&p, "compatible_text", compatible_text);
            set(&p, "message_list", &merged_list_js(message_list));
            set_str(&p, "download_key", download_key);
            set_bool(&p, "layers_over_limit", *layers_over_limit);
            "TIMRelayElem"
        }
    };
    set_str(&kind, "type", kind_name);
    set(&kind, "payload", &p);
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
    set_str(&o, "id", &m.id);
    set_str(&o, "conv_type", m.conv_type.as_str());
    set_str(&o, "to", &m.to);
    set_num(&o, "random", m.random.into());
    set_num(&o, "client_time", m.client_time as f64);
    set_str(&o, "priority", &m.priority);
    set(&o, "content", &content_js(&m.content));
    set_str(&o, "cloud_custom_data", &m.cloud_custom_data);
    set(&o, "at_user_list", &str_array(&m.at_user_list));
    set(
        &o,
        "need_read_receipt",
        &JsValue::from_bool(m.need_read_receipt),
    );
    set(
        &o,
        "online_user_only",
        &JsValue::from_bool(m.online_user_only),
    );
    set_str(&o, "offline_push_info", &m.offline_push_info);
    o
}

fn seqs_js(seqs: &[u64]) -> Array {
    seqs.iter().map(|s| JsValue::from_f64(*s as f64)).collect()
}

/// The request as `{"op": ..., fields...}`, exactly as `tim_protocol`'s serde derive spells it
/// (checked against it by a browser test).
fn request_js(req: &Request) -> Object {
    let o = Object::new();
    let conv = |id: &str| set_str(&o, "conversation_id", id);
    let op = match req {
        Request::Login(req::Login { user_id, user_sig }) => {
            set_str(&o, "user_id", user_id);
            set_str(&o, "user_sig", user_sig);
            "login"
        }
        Request::Logout => "logout",
        Request::Ping => "ping",
        Request::Send(req::Send { message }) => {
            set(&o, "message", &outbound_js(message));
            "send"
        }
        Request::History(req::History {
            conversation_id,
            before_seq,
            count,
        }) => {
            conv(conversation_id);
            let before = before_seq.map_or(JsValue::NULL, |b| JsValue::from_f64(b as f64));
            set(&o, "before_seq", &before);
            set_num(&o, "count", (*count).into());
            "history"
        }
        Request::Conversations => "conversations",
        Request::Read(req::Read {
            conversation_id,
            seq,
        }) => {
            conv(conversation_id);
            set_num(&o, "seq", *seq as f64);
            "read"
        }
        Request::Revoke(req::Revoke {
            conversation_id,
            seq,
        }) => {
            conv(conversation_id);
            set_num(&o, "seq", *seq as f64);
            "revoke"
        }
        Request::Modify(req::Modify {
            conversation_id,
            seq,
            version,
            content,
            cloud_custom_data,
        }) => {
            conv(conversation_id);
            set_num(&o, "seq", *seq as f64);
            set_num(&o, "version", (*version).into());
            set(&o, "content", &content_js(content));
            set_str(&o, "cloud_custom_data", cloud_custom_data);
            "modify"
        }
        Request::Delete(req::Delete {
            conversation_id,
            seqs,
        }) => {
            conv(conversation_id);
            set(&o, "seqs", &seqs_js(seqs));
            "delete"
        }
        Request::Import(req::Import { messages }) => {
            let list: Array = messages.iter().map(outbound_js).collect();
            set(&o, "messages", &list);
            "import"
        }
        Request::ReadReceipt(req::ReadReceipt {
            conversation_id,
            seqs,
        }) => {
            conv(conversation_id);
            set(&o, "seqs", &seqs_js(seqs));
            "read_receipt"
        }
        Request::ReceiptList(req::ReceiptList {
            conversation_id,
            seqs,
        }) => {
            conv(conversation_id);
            set(&o, "seqs", &seqs_js(seqs));
            "receipt_list"
        }
        Request::ReceiptMembers(req::ReceiptMembers {
            conversation_id,
            seq,
            read,
            cursor,
            count,
        }) => {
            conv(conversation_id);
            set_num(&o, "seq", *seq as f64);
            set(&o, "read", &JsValue::from_bool(*read));
            set_str(&o, "cursor", cursor);
            set_num(&o, "count", (*count).into());
            "receipt_members"
        }
        Request::DeleteConversation(req::DeleteConversation { conversation_id }) => {
            conv(conversation_id);
            "delete_conversation"
        }
        Request::Pin(req::Pin {
            conversation_id,
            pinned,
        }) => {
            conv(conversation_id);
            set(&o, "pinned", &JsValue::from_bool(*pinned));
            "pin"
        }
        Request::ConvSettings(req::ConvSettings {
            conversation_ids,
            mark_set,
            mark_clear,
            custom_data,
            remind,
            clear_history,
        }) => {
            set(&o, "conversation_ids", &str_array(conversation_ids));
            set_num(&o, "mark_set", (*mark_set).into());
            set_num(&o, "mark_clear", (*mark_clear).into());
            let opt = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from_str);
            set(&o, "custom_data", &opt(custom_data));
            set(&o, "remind", &opt(remind));
            set(&o, "clear_history", &JsValue::from_bool(*clear_history));
            "conv_settings"
        }
        Request::ConvGroup(req::ConvGroup {
            action,
            name,
            new_name,
            conversation_ids,
        }) => {
            set_str(&o, "action", action.as_str());
            set_str(&o, "name", name);
            set_str(&o, "new_name", new_name);
            set(&o, "conversation_ids", &str_array(conversation_ids));
            "conv_group"
        }
        Request::Hop(req::Hop {
            conversation_id,
            seq,
            time,
            newer,
            count,
        }) => {
            conv(conversation_id);
            let opt = |v: &Option<u64>| v.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64));
            set(&o, "seq", &opt(seq));
            set(&o, "time", &opt(time));
            set(&o, "newer", &JsValue::from_bool(*newer));
            set_num(&o, "count", (*count).into());
            "hop"
        }
        Request::Fetch(req::Fetch {
            conversation_id,
            seqs,
        }) => {
            conv(conversation_id);
            let seqs: Array = seqs.iter().map(|s| JsValue::from_f64(*s as f64)).collect();
            set(&o, "seqs", &seqs);
            "fetch"
        }
        Request::Sync(req::Sync { since, limit }) => {
            set_num(&o, "since", *since as f64);
            set_num(&o, "limit", (*limit).into());
            "sync"
        }
    };
    // serde writes the tag first; key order only matters to the equality test.
    let tagged = Object::new();
    set_str(&tagged, "op", op);
    Object::assign(&tagged, &o)
}

/// UTF-8 bytes of a request's JSON as [`encode`] writes it (the core's frame-limit check). Far
/// from the limit it answers three bytes per UTF-16 unit, a bound above them, so only a frame
/// that might be near the limit is copied out of JS to be counted exactly.
pub fn request_bytes(req: &Request) -> usize {
    let Ok(text) = JSON::stringify(&request_js(req)) else {
        return usize::MAX;
    };
    let bound = (text.length() as usize).saturating_mul(3);
    if bound <= tim_protocol::MAX_FRAME_BYTES / 2 {
        return bound;
    }
    text.as_string().map_or(usize::MAX, |t| t.len())
}

/// A frame as JSON text (a JS string).
pub fn encode(frame: &ClientFrame) -> Result<JsValue, JsValue> {
    let value = Object::new();
    set_num(&value, "id", frame.id.into());
    set(&value, "req", &request_js(&frame.req));
    Ok(JSON::stringify(&value)?.into())
}
