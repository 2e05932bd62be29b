//! JavaScript inputs to core types, field by field (see [`crate::web::js::read`] for why not serde):
//! the options of `create*Message` and the message object `sendMessage` gets back. A field of
//! the wrong type reads as absent and the core's validation then names what is missing.

use wasm_bindgen::JsValue;

use js_sys::Array;

use crate::core::{
    CreateMessageOptions, MergerInput, MessageStatus, MessageView, Payload, SendOptions,
};
use crate::web::js::read::{boolean, field, int, number, string, strings, uint};

/// A `payload` object.
fn payload(p: &JsValue) -> Payload {
    classic(p)
}

/// `createMergerMessage`'s payload; messages by their `ID`.
fn merger(p: &JsValue) -> MergerInput {
    let ids = match field(p, "messageList") {
        list if Array::is_array(&list) => Array::from(&list)
            .iter()
            .map(|m| string(&m, "ID").unwrap_or_default())
            .collect(),
        _ => Vec::new(),
    };
    MergerInput {
        title: string(p, "title").unwrap_or_default(),
        abstract_list: strings(p, "abstractList").unwrap_or_default(),
        compatible_text: string(p, "compatibleText").unwrap_or_default(),
        message_list: ids,
    }
}

/// The fields of the text, custom, face and location payloads.
fn classic(p: &JsValue) -> Payload {
    Payload {
        text: string(p, "text"),
        at_user_list: strings(p, "atUserList"),
        data: string(p, "data"),
        description: string(p, "description"),
        extension: string(p, "extension"),
        index: int(p, "index"),
        longitude: number(p, "longitude"),
        latitude: number(p, "latitude"),
        ..Payload::default()
    }
}

/// The options of `createTextMessage` & co.; `merger_payload` for `createMergerMessage`.
pub fn create_options(options: &JsValue, merger_payload: bool) -> CreateMessageOptions {
    let p = field(options, "payload");
    CreateMessageOptions {
        to: string(options, "to"),
        conversation_type: string(options, "conversationType"),
        priority: string(options, "priority"),
        cloud_custom_data: string(options, "cloudCustomData"),
        payload: p.is_object().then(|| payload(&p)),
        need_read_receipt: boolean(options, "needReadReceipt"),
        merger: merger_payload.then(|| merger(&p)),
    }
}

/// The options of `sendMessage(message, options)`.
pub fn send_options(options: &JsValue) -> SendOptions {
    let info = field(options, "offlinePushInfo");
    let info = if info.is_object() {
        js_sys::JSON::stringify(&info)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    } else {
        String::new()
    };
    SendOptions {
        online_user_only: boolean(options, "onlineUserOnly").unwrap_or(false),
        offline_push_info: info,
    }
}

/// A message object as JavaScript passes it to `sendMessage`.
pub fn message(m: &JsValue) -> MessageView {
    let s = |key| string(m, key).unwrap_or_default();
    let u = |key| uint(m, key).unwrap_or(0);
    let flag = |key| boolean(m, key).unwrap_or(false);
    MessageView {
        id: s("ID"),
        msg_type: s("type"),
        payload: payload(&field(m, "payload")),
        conversation_id: s("conversationID"),
        conversation_type: s("conversationType"),
        to: s("to"),
        from: s("from"),
        flow: s("flow"),
        time: u("time"),
        client_time: u("clientTime"),
        sequence: u("sequence"),
        random: uint(m, "random")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        status: MessageStatus::parse(&s("status")),
        is_revoked: flag("isRevoked"),
        priority: s("priority"),
        nick: s("nick"),
        avatar: s("avatar"),
        is_peer_read: flag("isPeerRead"),
        name_card: s("nameCard"),
        at_user_list: strings(m, "atUserList").unwrap_or_default(),
        cloud_custom_data: s("cloudCustomData"),
        is_deleted: flag("isDeleted"),
        is_modified: flag("isModified"),
        need_read_receipt: flag("needReadReceipt"),
        read_receipt_info: Default::default(),
        is_broadcast_message: flag("isBroadcastMessage"),
        version: uint(m, "version")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
    }
}
