//! Decoding server frames: `JSON.parse` by the browser, then a field-by-field reader
//! ([`crate::web::js::read`]) into `tim_protocol`'s types. Unknown fields are ignored; a missing or
//! mistyped required field makes the frame undecodable. Messages, contents and conversations
//! of the cache records are read here too.

use js_sys::Array;
use tim_protocol::{
    Change, Content, ConvGroup, ConvSettings, ConvType, ConversationInfo, CustomField,
    GroupApplication, GroupInfo, GroupRole, GroupType, ImageInfo, InviteOption, JoinOption,
    JoinStatus, MemberChange, MemberInfo, MergedMessage, Message, ProfileChange, Receipt, Reply,
    SelfInfo, ServerFrame, SyncItem, TipKind,
};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::Bad;
use crate::web::js::read::{array, boolean, field, int, number, string, strings, uint};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string, so incoming text never passes through wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_js(text: &JsValue) -> Result<JsValue, JsValue>;
}

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

/// Like [`each`], an absent array reading as empty.
fn opt_each<T>(
    value: &JsValue,
    key: &'static str,
    read: fn(&JsValue) -> Result<T, Bad>,
) -> Result<Vec<T>, Bad> {
    if field(value, key).is_undefined() {
        return Ok(Vec::new());
    }
    each(value, key, read)
}

/// A group tip's canonical kind from its wire name.
pub(crate) fn tip_kind(s: Option<&str>) -> Option<TipKind> {
    use TipKind::*;
    Some(match s? {
        "join" => Join,
        "invite" => Invite,
        "quit" => Quit,
        "kick" => Kick,
        "set_admin" => SetAdmin,
        "cancel_admin" => CancelAdmin,
        "profile" => Profile,
        "member_profile" => MemberProfile,
        _ => return None,
    })
}

/// `value.custom`: `[{key, value}]` (absent or malformed entries: none).
fn customs(value: &JsValue) -> Vec<CustomField> {
    let mut out = Vec::new();
    for c in array(value, "custom").unwrap_or_default() {
        if let (Some(key), Some(value)) = (string(&c, "key"), string(&c, "value")) {
            out.push(CustomField { key, value });
        }
    }
    out
}

fn role(value: &JsValue) -> GroupRole {
    match string(value, "role").as_deref() {
        Some("Owner") => GroupRole::Owner,
        Some("Admin") => GroupRole::Admin,
        _ => GroupRole::Member,
    }
}

/// A group's profile from its wire shape. Only the ID is required: every other field reads
/// as its default when absent (one failure path instead of one per field).
fn group_info(value: &JsValue) -> Result<GroupInfo, Bad> {
    let me = field(value, "self_info");
    let text = |key| string(value, key).unwrap_or_default();
    let num = |key| uint(value, key).unwrap_or(0);
    let small = |key| u32::try_from(num(key)).unwrap_or(0);
    let group_id = str_of(value, "group_id")?;
    Ok(GroupInfo {
        group_id,
        group_type: string(value, "group_type")
            .as_deref()
            .and_then(GroupType::parse)
            .unwrap_or_default(),
        name: text("name"),
        avatar: text("avatar"),
        introduction: text("introduction"),
        notification: text("notification"),
        owner_id: text("owner_id"),
        create_time: num("create_time"),
        info_seq: num("info_seq"),
        info_time: num("info_time"),
        member_count: small("member_count"),
        max_member_count: small("max_member_count"),
        mute_all: boolean(value, "mute_all").unwrap_or(false),
        join_option: match string(value, "join_option").as_deref() {
            Some("FreeAccess") => JoinOption::FreeAccess,
            Some("DisableApply") => JoinOption::DisableApply,
            _ => JoinOption::NeedPermission,
        },
        invite_option: match string(value, "invite_option").as_deref() {
            Some("NeedPermission") => InviteOption::NeedPermission,
            Some("DisableInvite") => InviteOption::DisableInvite,
            _ => InviteOption::FreeAccess,
        },
        custom: customs(value),
        last_seq: num("last_seq"),
        support_topic: boolean(value, "support_topic").unwrap_or(false),
        self_info: (me.is_object()).then(|| SelfInfo {
            role: role(&me),
            join_time: uint(&me, "join_time").unwrap_or(0),
            name_card: string(&me, "name_card").unwrap_or_default(),
        }),
    })
}

fn member_info(value: &JsValue) -> Result<MemberInfo, Bad> {
    let text = |key| string(value, key).unwrap_or_default();
    let user_id = str_of(value, "user_id")?;
    Ok(MemberInfo {
        user_id,
        role: role(value),
        join_time: uint(value, "join_time").unwrap_or(0),
        name_card: text("name_card"),
        mute_until: uint(value, "mute_until").unwrap_or(0),
        custom: customs(value),
        nick: text("nick"),
        avatar: text("avatar"),
    })
}

fn application(value: &JsValue) -> Result<GroupApplication, Bad> {
    let text = |key| string(value, key).unwrap_or_default();
    Ok(GroupApplication {
        group_id: str_of(value, "group_id")?,
        group_name: text("group_name"),
        applicant: str_of(value, "applicant")?,
        applicant_nick: text("applicant_nick"),
        note: text("note"),
        time: uint(value, "time").unwrap_or(0),
        application_type: uint(value, "application_type").map_or(0, |n| n as u32),
    })
}

fn group_of(value: &JsValue) -> Result<GroupInfo, Bad> {
    group_info(&field(value, "group"))
}

fn ids(value: &JsValue, key: &'static str) -> Result<Vec<String>, Bad> {
    need(strings(value, key), key)
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
        Some("TIMGroupTipElem") => Content::GroupTip {
            operator_id: or_empty("operator_id"),
            operation: need(tip_kind(string(&p, "operation").as_deref()), "operation")?,
            user_ids: strings(&p, "user_ids").unwrap_or_default(),
            member_num: small("member_num"),
            group_id: or_empty("group_id"),
            group_name: or_empty("group_name"),
            profile: opt_each(&p, "profile", |v| {
                Ok(ProfileChange {
                    key: str_of(v, "key")?,
                    value: str_of(v, "value")?,
                })
            })?,
            members: opt_each(&p, "members", |v| {
                Ok(MemberChange {
                    user_id: str_of(v, "user_id")?,
                    mute_time: u64_of(v, "mute_time")?,
                })
            })?,
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
        Some("group_created") => Reply::GroupCreated {
            group: group_of(data)?,
            over_limit: strings(data, "over_limit").unwrap_or_default(),
        },
        Some("group") => Reply::Group {
            group: group_of(data)?,
        },
        Some("groups") => Reply::Groups {
            groups: each(data, "groups", group_info)?,
        },
        Some("group_joined") => Reply::GroupJoined {
            status: match string(data, "status").as_deref() {
                Some("JoinedSuccess") => JoinStatus::JoinedSuccess,
                Some("WaitAdminApproval") => JoinStatus::WaitAdminApproval,
                Some("AlreadyInGroup") => JoinStatus::AlreadyInGroup,
                _ => return Err("status"),
            },
            group: match field(data, "group") {
                g if g.is_null() || g.is_undefined() => None,
                g => Some(group_info(&g)?),
            },
        },
        Some("group_added") => Reply::GroupAdded {
            success: ids(data, "success")?,
            failure: ids(data, "failure")?,
            existed: ids(data, "existed")?,
            over_limit: ids(data, "over_limit")?,
            group: group_of(data)?,
        },
        Some("group_kicked") => Reply::GroupKicked {
            user_ids: ids(data, "user_ids")?,
            group: group_of(data)?,
        },
        Some("group_members") => Reply::GroupMembers {
            members: each(data, "members", member_info)?,
            cursor: string(data, "cursor").unwrap_or_default(),
            complete: boolean(data, "complete").unwrap_or(false),
        },
        Some("group_member") => Reply::GroupMember {
            group: group_of(data)?,
            member: member_info(&field(data, "member"))?,
        },
        Some("group_apps") => Reply::GroupApps {
            applications: each(data, "applications", application)?,
        },
        Some("group_count") => Reply::GroupCount {
            count: u32_of(data, "count")?,
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
        Some("group_changed") => ServerFrame::GroupChanged {
            group: group_of(value)?,
        },
        Some("group_left") => ServerFrame::GroupLeft {
            group_id: str_of(value, "group_id")?,
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
