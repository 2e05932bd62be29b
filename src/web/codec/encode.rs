//! Encoding client frames: each request is built field by field as a plain JS object in the
//! shape `tim_protocol`'s serde derive gives, then `JSON.stringify`-ed by the browser. Message
//! contents and submitted messages are written here too (the cache records reuse them).

use js_sys::{Array, Object, JSON};
use tim_protocol::{
    req, ClientFrame, Content, CustomField, MergedMessage, NewMember, OutboundMessage, Request,
    TipKind,
};

use crate::core::groups::{invite_name, join_name};
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
        Content::GroupTip {
            operator_id,
            operation,
            user_ids,
            member_num,
            group_id,
            group_name,
            profile,
            members,
        } => {
            set_str(&p, "operator_id", operator_id);
            set_str(&p, "operation", tip_name(*operation));
            set(&p, "user_ids", &str_array(user_ids));
            set_num(&p, "member_num", (*member_num).into());
            set_str(&p, "group_id", group_id);
            set_str(&p, "group_name", group_name);
            let list: Array = profile
                .iter()
                .map(|c| JsValue::from(pair("key", &c.key, "value", &c.value)))
                .collect();
            set(&p, "profile", &list);
            let list: Array = members
                .iter()
                .map(|m| {
                    let o = Object::new();
                    set_str(&o, "user_id", &m.user_id);
                    set_num(&o, "mute_time", m.mute_time as f64);
                    JsValue::from(o)
                })
                .collect();
            set(&p, "members", &list);
            "TIMGroupTipElem"
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

/// A group tip's canonical kind as serde spells it.
fn tip_name(t: TipKind) -> &'static str {
    match t {
        TipKind::Join => "join",
        TipKind::Invite => "invite",
        TipKind::Quit => "quit",
        TipKind::Kick => "kick",
        TipKind::SetAdmin => "set_admin",
        TipKind::CancelAdmin => "cancel_admin",
        TipKind::Profile => "profile",
        TipKind::MemberProfile => "member_profile",
    }
}

/// `{ka: a, kb: b}`.
fn pair(ka: &'static str, a: &str, kb: &'static str, b: &str) -> Object {
    let o = Object::new();
    set_str(&o, ka, a);
    set_str(&o, kb, b);
    o
}

fn customs(list: &[CustomField]) -> Array {
    list.iter()
        .map(|c| JsValue::from(pair("key", &c.key, "value", &c.value)))
        .collect()
}

fn opt_str(v: &Option<String>) -> JsValue {
    v.as_deref().map_or(JsValue::NULL, JsValue::from_str)
}

fn opt_name<T: Copy>(v: Option<T>, name: fn(T) -> &'static str) -> JsValue {
    v.map_or(JsValue::NULL, |v| JsValue::from_str(name(v)))
}

fn new_member(m: &NewMember) -> JsValue {
    let o = Object::new();
    set_str(&o, "user_id", &m.user_id);
    set_str(&o, "role", m.role.as_str());
    set(&o, "custom", &customs(&m.custom));
    o.into()
}

/// The group requests' bodies (`o` gets the fields); returns the op.
fn group_request_js(o: &Object, req: &Request) -> &'static str {
    let gid = |id: &str| set_str(o, "group_id", id);
    match req {
        Request::GroupCreate(r) => {
            gid(&r.group_id);
            set_str(o, "group_type", r.group_type.as_str());
            set_str(o, "name", &r.name);
            set_str(o, "avatar", &r.avatar);
            set_str(o, "introduction", &r.introduction);
            set_str(o, "notification", &r.notification);
            let max = r
                .max_member_count
                .map_or(JsValue::NULL, |n| JsValue::from_f64(n.into()));
            set(o, "max_member_count", &max);
            set(o, "join_option", &opt_name(r.join_option, join_name));
            set(o, "invite_option", &opt_name(r.invite_option, invite_name));
            let members: Array = r.members.iter().map(new_member).collect();
            set(o, "members", &members);
            set(o, "custom", &customs(&r.custom));
            set_bool(o, "support_topic", r.support_topic);
            "group_create"
        }
        Request::GroupDismiss(r) | Request::GroupSearch(r) | Request::GroupQuit(r) => {
            gid(&r.group_id);
            match req {
                Request::GroupDismiss(_) => "group_dismiss",
                Request::GroupSearch(_) => "group_search",
                _ => "group_quit",
            }
        }
        Request::GroupUpdate(r) => {
            gid(&r.group_id);
            set(o, "name", &opt_str(&r.name));
            set(o, "avatar", &opt_str(&r.avatar));
            set(o, "introduction", &opt_str(&r.introduction));
            set(o, "notification", &opt_str(&r.notification));
            set(
                o,
                "mute_all",
                &r.mute_all.map_or(JsValue::NULL, JsValue::from_bool),
            );
            set(o, "join_option", &opt_name(r.join_option, join_name));
            set(o, "invite_option", &opt_name(r.invite_option, invite_name));
            let custom = r
                .custom
                .as_deref()
                .map_or(JsValue::NULL, |c| customs(c).into());
            set(o, "custom", &custom);
            "group_update"
        }
        Request::GroupList(r) => {
            set(o, "group_ids", &str_array(&r.group_ids));
            "group_list"
        }
        Request::GroupJoin(r) => {
            gid(&r.group_id);
            set_str(o, "apply_message", &r.apply_message);
            "group_join"
        }
        Request::GroupOwner(r) => {
            gid(&r.group_id);
            set_str(o, "new_owner_id", &r.new_owner_id);
            "group_owner"
        }
        Request::GroupAdd(r) | Request::GroupKick(r) => {
            gid(&r.group_id);
            set(o, "user_ids", &str_array(&r.user_ids));
            set_str(o, "reason", &r.reason);
            if matches!(req, Request::GroupAdd(_)) {
                "group_add"
            } else {
                "group_kick"
            }
        }
        Request::GroupMembers(r) => {
            gid(&r.group_id);
            set_str(o, "cursor", &r.cursor);
            set_num(o, "count", r.count.into());
            "group_members"
        }
        Request::GroupMemberInfo(r) => {
            gid(&r.group_id);
            set(o, "user_ids", &str_array(&r.user_ids));
            "group_member_info"
        }
        Request::GroupMemberSet(r) => {
            gid(&r.group_id);
            set_str(o, "user_id", &r.user_id);
            set(o, "name_card", &opt_str(&r.name_card));
            let custom = r
                .custom
                .as_deref()
                .map_or(JsValue::NULL, |c| customs(c).into());
            set(o, "custom", &custom);
            "group_member_set"
        }
        Request::GroupRole(r) => {
            gid(&r.group_id);
            set_str(o, "user_id", &r.user_id);
            set_str(o, "role", r.role.as_str());
            "group_role"
        }
        Request::GroupMute(r) => {
            gid(&r.group_id);
            set_str(o, "user_id", &r.user_id);
            set_num(o, "mute_time", r.mute_time as f64);
            "group_mute"
        }
        Request::GroupApps => "group_apps",
        Request::GroupAppHandle(r) => {
            gid(&r.group_id);
            set_str(o, "applicant", &r.applicant);
            set(o, "agree", &JsValue::from_bool(r.agree));
            set_str(o, "handle_message", &r.handle_message);
            "group_app_handle"
        }
        Request::GroupOnline(r) => {
            gid(&r.group_id);
            "group_online"
        }
        _ => "",
    }
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
        Request::GroupCreate(_)
        | Request::GroupDismiss(_)
        | Request::GroupUpdate(_)
        | Request::GroupList(_)
        | Request::GroupSearch(_)
        | Request::GroupJoin(_)
        | Request::GroupQuit(_)
        | Request::GroupOwner(_)
        | Request::GroupAdd(_)
        | Request::GroupKick(_)
        | Request::GroupMembers(_)
        | Request::GroupMemberInfo(_)
        | Request::GroupMemberSet(_)
        | Request::GroupRole(_)
        | Request::GroupMute(_)
        | Request::GroupApps
        | Request::GroupAppHandle(_)
        | Request::GroupOnline(_) => group_request_js(&o, req),
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
