//! JavaScript inputs to core types, field by field (see [`crate::web::read`] for why not serde):
//! the options of `create*Message` and the message object `sendMessage` gets back. A field of
//! the wrong type reads as absent and the core's validation then names what is missing.

use wasm_bindgen::JsValue;

use crate::core::{
    CreateMessageOptions, ImageInfoView, MergedView, MessageView, Payload, RichPayload, SendOptions,
};
use crate::web::read::{array, boolean, field, int, number, string, strings, uint};

/// `imageInfoArray` entries.
fn image_infos(p: &JsValue) -> Option<Vec<ImageInfoView>> {
    let items = array(p, "imageInfoArray")?;
    Some(
        items
            .iter()
            .map(|i| ImageInfoView {
                width: small(i, "width"),
                height: small(i, "height"),
                url: string(i, "url").unwrap_or_default(),
                size: uint(i, "size").unwrap_or(0),
                kind: small(i, "type"),
            })
            .collect(),
    )
}

fn small(v: &JsValue, key: &str) -> u32 {
    uint(v, key)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0)
}

fn small_opt(v: &JsValue, key: &str) -> Option<u32> {
    uint(v, key).and_then(|n| u32::try_from(n).ok())
}

/// One entry of a merger's `messageList` (a Message object, or an entry of a shown list).
pub fn merged(m: &JsValue) -> MergedView {
    let s = |key| string(m, key).unwrap_or_default();
    MergedView {
        id: s("ID"),
        from: s("from"),
        nick: s("nick"),
        avatar: s("avatar"),
        time: uint(m, "time").unwrap_or(0),
        msg_type: s("type"),
        payload: payload(&field(m, "payload")),
    }
}

/// The file and merger fields of a payload, when it has any.
fn rich(p: &JsValue) -> Option<Box<RichPayload>> {
    let r = RichPayload {
        uuid: string(p, "uuid"),
        image_format: small_opt(p, "imageFormat"),
        image_info_array: image_infos(p),
        file_name: string(p, "fileName"),
        file_size: uint(p, "fileSize"),
        file_url: string(p, "fileUrl"),
        video_uuid: string(p, "videoUUID"),
        video_url: string(p, "videoUrl"),
        video_size: uint(p, "videoSize"),
        video_second: small_opt(p, "videoSecond"),
        video_format: string(p, "videoFormat"),
        thumb_uuid: string(p, "thumbUUID"),
        thumb_url: string(p, "thumbUrl"),
        thumb_width: small_opt(p, "thumbWidth"),
        thumb_height: small_opt(p, "thumbHeight"),
        thumb_size: uint(p, "thumbSize"),
        url: string(p, "url"),
        size: uint(p, "size"),
        second: small_opt(p, "second"),
        title: string(p, "title"),
        abstract_list: strings(p, "abstractList"),
        message_list: array(p, "messageList").map(|l| l.iter().map(merged).collect()),
        compatible_text: string(p, "compatibleText"),
        download_key: string(p, "downloadKey"),
        layers_over_limit: boolean(p, "layersOverLimit"),
    };
    (r != RichPayload::default()).then(|| Box::new(r))
}

/// A `payload` object.
fn payload(p: &JsValue) -> Payload {
    Payload {
        rich: rich(p),
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

/// The options of `createTextMessage` & co.
pub fn create_options(options: &JsValue) -> CreateMessageOptions {
    let p = field(options, "payload");
    CreateMessageOptions {
        to: string(options, "to"),
        conversation_type: string(options, "conversationType"),
        priority: string(options, "priority"),
        cloud_custom_data: string(options, "cloudCustomData"),
        payload: p.is_object().then(|| payload(&p)),
        need_read_receipt: boolean(options, "needReadReceipt"),
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
        status: s("status"),
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
