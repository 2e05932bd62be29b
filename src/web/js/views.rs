//! The views handed to JavaScript as plain JS objects, built field by field like the wire
//! frames in [`super::codec`]: serde-wasm-bindgen and a `Serialize` instantiation per view cost
//! the wasm several KB gzip more. The shape is the one the views' `Serialize` derives give
//! (same names, same order, `None` fields absent), which native tests use and a browser test
//! (`views_match_serde_with_distinct_values` in tests/codec/views.rs) compares with this.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

use crate::core::{
    ConversationFailure, ConversationView, Fields, GroupProfileView, InGroupView, LastMessageView,
    MergedView, MessageView, NetState, Payload, ReceiptView, Response, UserFailure,
    UserProfileView, Val,
};

/// A value as a plain JS value (objects, arrays, strings, numbers, booleans).
pub trait ToJs {
    /// The JS value.
    fn to_js(&self) -> JsValue;
}

/// A plain object filled in field order.
struct Obj(Object);

impl Obj {
    fn new() -> Self {
        Obj(Object::new())
    }

    /// `object[key] = value` on a fresh plain object (never throws).
    fn set(&self, key: &'static str, value: &JsValue) -> &Self {
        super::object::set(&self.0, key, value);
        self
    }

    fn str(&self, key: &'static str, value: &str) -> &Self {
        self.set(key, &JsValue::from_str(value))
    }

    /// Every number here is far below 2^53.
    fn num(&self, key: &'static str, value: f64) -> &Self {
        self.set(key, &JsValue::from_f64(value))
    }

    fn bool(&self, key: &'static str, value: bool) -> &Self {
        self.set(key, &JsValue::from_bool(value))
    }

    fn val(&self, key: &'static str, value: &dyn ToJs) -> &Self {
        self.set(key, &value.to_js())
    }

    /// Absent when `None` (`skip_serializing_if = "Option::is_none"`).
    fn opt(&self, key: &'static str, value: Option<&dyn ToJs>) -> &Self {
        match value {
            Some(v) => self.val(key, v),
            None => self,
        }
    }

    fn done(&self) -> JsValue {
        self.0.clone().into()
    }
}

impl ToJs for String {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

impl ToJs for u32 {
    fn to_js(&self) -> JsValue {
        JsValue::from_f64((*self).into())
    }
}

impl<T: ToJs> ToJs for [T] {
    fn to_js(&self) -> JsValue {
        let list = Array::new();
        for item in self {
            list.push(&item.to_js());
        }
        list.into()
    }
}

impl<T: ToJs> ToJs for Vec<T> {
    fn to_js(&self) -> JsValue {
        self.as_slice().to_js()
    }
}

impl ToJs for Val {
    fn to_js(&self) -> JsValue {
        match self {
            Val::Bool(b) => JsValue::from_bool(*b),
            Val::Num(n) => JsValue::from_f64(*n),
            Val::Str(s) => JsValue::from_str(s),
            Val::List(l) => l.to_js(),
            Val::Obj(o) => o.to_js(),
            Val::Messages(m) => m.to_js(),
        }
    }
}

impl ToJs for Fields {
    fn to_js(&self) -> JsValue {
        let o = Obj::new();
        for (k, v) in &self.0 {
            o.val(k, v);
        }
        o.done()
    }
}

impl ToJs for Payload {
    fn to_js(&self) -> JsValue {
        let o = Obj::new();
        let strings = [
            ("text", &self.text),
            ("data", &self.data),
            ("description", &self.description),
            ("extension", &self.extension),
            ("operatorID", &self.operator_id),
        ];
        for (k, v) in strings {
            if let Some(v) = v {
                o.str(k, v);
            }
        }
        o.opt("atUserList", self.at_user_list.as_ref().map(|v| v as _));
        let numbers = [
            ("index", self.index.map(|v| v as f64)),
            ("longitude", self.longitude),
            ("latitude", self.latitude),
            ("operationType", self.operation_type.map(f64::from)),
        ];
        for (k, v) in numbers {
            if let Some(v) = v {
                o.num(k, v);
            }
        }
        o.opt("groupProfile", self.group_profile.as_ref().map(|v| v as _));
        for (k, v) in self.rich.iter().flat_map(|r| r.0.iter()) {
            o.val(k, v);
        }
        o.done()
    }
}

impl ToJs for MergedView {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .str("ID", &self.id)
            .str("from", &self.from)
            .str("nick", &self.nick)
            .str("avatar", &self.avatar)
            .num("time", self.time as f64)
            .str("type", &self.msg_type)
            .val("payload", &self.payload)
            .done()
    }
}

#[wasm_bindgen(module = "/src/web/js/views.js")]
extern "C" {
    #[wasm_bindgen(js_name = messageView)]
    fn message_view(
        id: &str,
        msg_type: &str,
        payload: JsValue,
        conversation_id: &str,
        conversation_type: &str,
        to: &str,
        from: &str,
        flow: &str,
        time: f64,
        client_time: f64,
        sequence: f64,
        random: u32,
        status: &str,
        is_revoked: bool,
        priority: &str,
        nick: &str,
        avatar: &str,
        is_peer_read: bool,
        name_card: &str,
        at_user_list: JsValue,
        cloud_custom_data: &str,
        is_deleted: bool,
        is_modified: bool,
        need_read_receipt: bool,
        read_count: u32,
        unread_count: u32,
        is_broadcast_message: bool,
        version: u32,
    ) -> JsValue;
}

impl ToJs for MessageView {
    fn to_js(&self) -> JsValue {
        message_view(
            &self.id,
            &self.msg_type,
            self.payload.to_js(),
            &self.conversation_id,
            &self.conversation_type,
            &self.to,
            &self.from,
            &self.flow,
            self.time as f64,
            self.client_time as f64,
            self.sequence as f64,
            self.random,
            self.status.as_str(),
            self.is_revoked,
            &self.priority,
            &self.nick,
            &self.avatar,
            self.is_peer_read,
            &self.name_card,
            self.at_user_list.to_js(),
            &self.cloud_custom_data,
            self.is_deleted,
            self.is_modified,
            self.need_read_receipt,
            self.read_receipt_info.read_count,
            self.read_receipt_info.unread_count,
            self.is_broadcast_message,
            self.version,
        )
    }
}

impl ToJs for LastMessageView {
    fn to_js(&self) -> JsValue {
        let payload = self.payload.as_ref().map_or(JsValue::NULL, ToJs::to_js);
        let revoker = self
            .revoker
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        Obj::new()
            .num("lastTime", self.last_time as f64)
            .num("lastSequence", self.last_sequence as f64)
            .str("fromAccount", &self.from_account)
            .str("type", &self.msg_type)
            .set("payload", &payload)
            .str("messageForShow", &self.message_for_show)
            .bool("isRevoked", self.is_revoked)
            .str("cloudCustomData", &self.cloud_custom_data)
            .bool("onlineOnlyFlag", self.online_only_flag)
            .str("nick", &self.nick)
            .str("nameCard", &self.name_card)
            .num("version", self.version.into())
            .bool("isPeerRead", self.is_peer_read)
            .set("revoker", &revoker)
            .done()
    }
}

impl ToJs for GroupProfileView {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .str("groupID", &self.group_id)
            .str("name", &self.name)
            .done()
    }
}

impl ToJs for UserProfileView {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .str("userID", &self.user_id)
            .str("nick", &self.nick)
            .str("avatar", &self.avatar)
            .done()
    }
}

impl ToJs for ConversationView {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .str("conversationID", &self.conversation_id)
            .str("type", &self.conv_type)
            .num("unreadCount", self.unread_count.into())
            .val(
                "lastMessage",
                self.last_message.as_ref().unwrap_or(&empty_last()),
            )
            .opt("groupProfile", self.group_profile.as_ref().map(|v| v as _))
            .opt("userProfile", self.user_profile.as_ref().map(|v| v as _))
            .val("groupAtInfoList", &self.group_at_info_list)
            .str("remark", &self.remark)
            .bool("isPinned", self.is_pinned)
            .str("messageRemindType", &self.message_remind_type)
            .val("markList", &self.mark_list)
            .str("customData", &self.custom_data)
            .val("conversationGroupList", &self.conversation_group_list)
            .str("draftText", &self.draft_text)
            .done()
    }
}

/// The `lastMessage` of a conversation without one (tim-js-sdk never leaves it absent).
fn empty_last() -> LastMessageView {
    LastMessageView::default()
}

impl ToJs for ReceiptView {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .opt("groupID", self.group_id.as_ref().map(|v| v as _))
            .str("conversationID", &self.conversation_id)
            .str("messageID", &self.message_id)
            .num("readCount", self.read_count.into())
            .num("unreadCount", self.unread_count.into())
            .done()
    }
}

impl ToJs for ConversationFailure {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .str("conversationID", &self.conversation_id)
            .num("code", self.code.into())
            .str("message", &self.message)
            .done()
    }
}

impl ToJs for UserFailure {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .str("userID", &self.user_id)
            .num("code", self.code.into())
            .str("message", &self.message)
            .done()
    }
}

impl ToJs for InGroupView {
    fn to_js(&self) -> JsValue {
        Obj::new()
            .str("groupName", &self.group_name)
            .val("conversationList", &self.conversation_list)
            .done()
    }
}

impl ToJs for NetState {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(match self {
            NetState::Connected => "connected",
            NetState::Connecting => "connecting",
            NetState::Disconnected => "disconnected",
        })
    }
}

impl ToJs for Response {
    fn to_js(&self) -> JsValue {
        let o = Obj::new();
        match self {
            Response::Login { repeat_login } => o.bool("repeatLogin", *repeat_login),
            Response::Message { message } => o.val("message", message),
            Response::MessageList {
                message_list,
                next_req_message_id,
                is_completed,
            } => o
                .val("messageList", message_list)
                .str("nextReqMessageID", next_req_message_id)
                .bool("isCompleted", *is_completed),
            Response::ConversationList {
                conversation_list,
                is_sync_completed,
                next_seq,
                is_finished,
            } => o
                .val("conversationList", conversation_list)
                .bool("isSyncCompleted", *is_sync_completed)
                .num("nextSeq", *next_seq as f64)
                .bool("isFinished", *is_finished),
            Response::Conversation { conversation } => o.val("conversation", conversation.as_ref()),
            Response::ReadReceipts { receipts } => o.val("receipts", receipts),
            Response::ReadMembers {
                is_completed,
                cursor,
                message_id,
                read_user_id_list,
                unread_user_id_list,
            } => o
                .bool("isCompleted", *is_completed)
                .str("cursor", cursor)
                .str("messageID", message_id)
                .opt("readUserIDList", read_user_id_list.as_ref().map(|v| v as _))
                .opt(
                    "unreadUserIDList",
                    unread_user_id_list.as_ref().map(|v| v as _),
                ),
            Response::Imported { message_list } => o.val("messageList", message_list),
            Response::ConversationResults { success, failure } => o
                .val("successConversationIDList", success)
                .val("failureConversationIDList", failure),
            Response::BatchSent { success, failure } => o
                .val("successUserIDList", success)
                .val("failureUserIDList", failure),
            Response::Names(names) => return names.to_js(),
            Response::Fields(f) => return f.to_js(),
            Response::Enabled { enabled } => o.bool("enabled", *enabled),
            Response::Profile(p) => o
                .str("userID", &p.user_id)
                .str("nick", &p.nick)
                .str("avatar", &p.avatar)
                .str("gender", &p.gender)
                .str("selfSignature", &p.self_signature)
                .str("allowType", &p.allow_type)
                .str("adminForbidType", &p.admin_forbid_type)
                .num("birthday", p.birthday.into())
                .str("location", &p.location)
                .num("language", p.language.into())
                .num("messageSettings", p.message_settings.into())
                .num("level", p.level.into())
                .num("role", p.role.into())
                .num("lastUpdatedTime", p.last_updated_time as f64)
                .val("profileCustomField", &p.profile_custom_field),
            Response::Empty {} => &o,
        };
        o.done()
    }
}
