//! The JS-shaped views (camelCase, tim-js-sdk names) the API hands to JavaScript as they are.

use serde::{Deserialize, Serialize};

use super::*;

/// One entry of `MESSAGE_READ_RECEIPT_RECEIVED` and of `readReceiptInfo` results:
/// `{groupID (groups only), conversationID, messageID, readCount, unreadCount}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptView {
    /// GROUP only.
    #[serde(rename = "groupID", skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// conversationID.
    #[serde(rename = "conversationID")]
    pub conversation_id: String,
    /// messageID.
    #[serde(rename = "messageID")]
    pub message_id: String,
    /// Participants (sender excluded) who sent a receipt.
    pub read_count: u32,
    /// Those who did not.
    pub unread_count: u32,
}

/// A JSON-like value of a [`Fields`] object.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// A boolean.
    Bool(bool),
    /// A number (sizes and dimensions are far below 2^53).
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    List(Vec<Val>),
    /// An object.
    Obj(Fields),
    /// A merger's `messageList`.
    Messages(Vec<MergedView>),
}

/// An object's fields, in order (names are tim-js-sdk's, hence static).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields(pub Vec<(&'static str, Val)>);

impl Fields {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

impl Serialize for Val {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Bool(b) => s.serialize_bool(*b),
            Val::Num(n) => s.serialize_f64(*n),
            Val::Str(v) => s.serialize_str(v),
            Val::List(l) => l.serialize(s),
            Val::Obj(o) => o.serialize(s),
            Val::Messages(m) => m.serialize(s),
        }
    }
}

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// One message of a merger's `messageList`: `{ID, from, nick, avatar, time, type, payload}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MergedView {
    /// The original message's ID.
    #[serde(rename = "ID")]
    pub id: String,
    /// Sender.
    pub from: String,
    /// Sender's nickname.
    pub nick: String,
    /// Sender's avatar.
    pub avatar: String,
    /// Original server time, seconds.
    pub time: u64,
    /// `TIM.TYPES.MSG_*`.
    #[serde(rename = "type")]
    pub msg_type: String,
    /// The payload (a merger may nest mergers).
    pub payload: Payload,
}

/// A Message as tim-js-sdk exposes it. Deserializable too, because `sendMessage` receives it
/// back from JavaScript (fields missing there take defaults and are then validated).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageView {
    /// Unique, stable across resends.
    #[serde(rename = "ID")]
    pub id: String,
    /// `TIM.TYPES.MSG_*`.
    #[serde(rename = "type")]
    pub msg_type: String,
    /// Per-type payload.
    pub payload: Payload,
    /// `C2C<userID>` / `GROUP<groupID>`.
    #[serde(rename = "conversationID")]
    pub conversation_id: String,
    /// `TIM.TYPES.CONV_*`.
    pub conversation_type: String,
    /// Recipient userID or groupID.
    pub to: String,
    /// Sender userID.
    pub from: String,
    /// `"in"` or `"out"`.
    pub flow: String,
    /// Server time, seconds (client time until sent).
    pub time: u64,
    /// Client time, seconds.
    pub client_time: u64,
    /// Per-conversation server sequence (0 until sent).
    pub sequence: u64,
    /// Client random.
    pub random: u32,
    /// status.
    pub status: MessageStatus,
    /// isRevoked.
    pub is_revoked: bool,
    /// `TIM.TYPES.MSG_PRIORITY_*`.
    pub priority: String,
    /// Sender nickname.
    pub nick: String,
    /// Sender avatar.
    pub avatar: String,
    /// isPeerRead.
    pub is_peer_read: bool,
    /// nameCard.
    pub name_card: String,
    /// atUserList.
    pub at_user_list: Vec<String>,
    /// cloudCustomData.
    pub cloud_custom_data: String,
    /// isDeleted.
    pub is_deleted: bool,
    /// isModified.
    pub is_modified: bool,
    /// needReadReceipt.
    pub need_read_receipt: bool,
    /// readReceiptInfo (`getMessageReadReceiptList` fills in the counts).
    pub read_receipt_info: ReadReceiptInfo,
    /// isBroadcastMessage.
    pub is_broadcast_message: bool,
    /// Non-standard: the server's edit version (0 until modified). `modifyMessage` sends the
    /// version of the object it is given; an edit of an outdated version fails with
    /// `MESSAGE_MODIFY_CONFLICT`.
    pub version: u32,
}

/// `Message.readReceiptInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReadReceiptInfo {
    /// readCount.
    pub read_count: u32,
    /// unreadCount.
    pub unread_count: u32,
}

/// `Conversation.lastMessage`, with tim-js-sdk's fields. The default is its empty
/// conversation's `lastMessage` (type `""`, payload `null`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LastMessageView {
    /// Server time, seconds.
    pub last_time: u64,
    /// Sequence.
    pub last_sequence: u64,
    /// Sender.
    pub from_account: String,
    /// `TIM.TYPES.MSG_*`.
    #[serde(rename = "type")]
    pub msg_type: String,
    /// Payload (`null` when there is no message).
    pub payload: Option<Payload>,
    /// Text to show in a conversation list (`[Custom Messages]` & co. for non-text).
    pub message_for_show: String,
    /// isRevoked.
    pub is_revoked: bool,
    /// cloudCustomData.
    pub cloud_custom_data: String,
    /// onlineOnlyFlag (online-only messages are never stored, so never a last message).
    pub online_only_flag: bool,
    /// Sender's nickname.
    pub nick: String,
    /// Sender's group name card (none kept: "").
    pub name_card: String,
    /// The server's edit version.
    pub version: u32,
    /// isPeerRead (C2C, this user's message).
    pub is_peer_read: bool,
    /// revoker (not kept: `null`).
    pub revoker: Option<String>,
}

/// `Conversation.userProfile` (C2C).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProfileView {
    /// userID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// nick.
    pub nick: String,
    /// avatar.
    pub avatar: String,
}

/// `Conversation.groupProfile` (GROUP).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupProfileView {
    /// groupID.
    #[serde(rename = "groupID")]
    pub group_id: String,
    /// name.
    pub name: String,
}

/// A Conversation as tim-js-sdk exposes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView {
    /// `C2C<userID>` / `GROUP<groupID>`.
    #[serde(rename = "conversationID")]
    pub conversation_id: String,
    /// `TIM.TYPES.CONV_*`.
    #[serde(rename = "type")]
    pub conv_type: String,
    /// Unread messages.
    pub unread_count: u32,
    /// Newest message; `None` (no message) shows as the default [`LastMessageView`], as
    /// tim-js-sdk's `lastMessage` is never absent.
    #[serde(serialize_with = "last_or_empty")]
    pub last_message: Option<LastMessageView>,
    /// GROUP only: the Group (from the group list; its ID and name when not listed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_profile: Option<Fields>,
    /// C2C only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_profile: Option<UserProfileView>,
    /// groupAtInfoList.
    pub group_at_info_list: Vec<String>,
    /// remark.
    pub remark: String,
    /// isPinned.
    pub is_pinned: bool,
    /// `TIM.TYPES.MSG_REMIND_*` value.
    pub message_remind_type: String,
    /// markList.
    pub mark_list: Vec<u32>,
    /// customData.
    pub custom_data: String,
    /// conversationGroupList.
    pub conversation_group_list: Vec<String>,
    /// draftText (3.x; no drafts are kept here: "").
    pub draft_text: String,
}

fn last_or_empty<S: serde::Serializer>(
    last: &Option<LastMessageView>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match last {
        Some(last) => last.serialize(s),
        None => LastMessageView::default().serialize(s),
    }
}

/// tim-js-sdk's `Profile`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    /// userID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// nick.
    pub nick: String,
    /// avatar URL.
    pub avatar: String,
    /// `Gender_Type_Unknown` | `Gender_Type_Female` | `Gender_Type_Male`.
    pub gender: String,
    /// selfSignature.
    pub self_signature: String,
    /// `AllowType_Type_NeedConfirm` | `AllowType_Type_AllowAny` | `AllowType_Type_DenyAny`.
    pub allow_type: String,
    /// `AdminForbid_Type_None` | `AdminForbid_Type_SendOut`.
    pub admin_forbid_type: String,
    /// birthday (yyyymmdd as a number), location, language, messageSettings, level, role.
    pub birthday: u32,
    /// location.
    pub location: String,
    /// language.
    pub language: u32,
    /// messageSettings.
    pub message_settings: u32,
    /// level.
    pub level: u32,
    /// role.
    pub role: u32,
    /// lastUpdatedTime (seconds).
    pub last_updated_time: u64,
    /// profileCustomField (none until the server keeps profiles).
    pub profile_custom_field: Vec<String>,
}

impl ProfileView {
    /// A profile nobody has edited: tim-js-sdk's defaults.
    pub fn new(user_id: String) -> Self {
        ProfileView {
            user_id,
            nick: String::new(),
            avatar: String::new(),
            gender: "Gender_Type_Unknown".into(),
            self_signature: String::new(),
            allow_type: "AllowType_Type_NeedConfirm".into(),
            admin_forbid_type: "AdminForbid_Type_None".into(),
            birthday: 0,
            location: String::new(),
            language: 0,
            message_settings: 0,
            level: 0,
            role: 0,
            last_updated_time: 0,
            profile_custom_field: Vec::new(),
        }
    }
}

/// A message's `status`, as tim-js-sdk spells it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageStatus {
    /// `"unSend"`: created, not sent yet (or being sent).
    #[default]
    #[serde(rename = "unSend")]
    UnSend,
    /// `"success"`: the server has it.
    #[serde(rename = "success")]
    Success,
    /// `"fail"`: the send failed; `resendMessage` may try again.
    #[serde(rename = "fail")]
    Fail,
}

impl MessageStatus {
    /// The JS string.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::UnSend => "unSend",
            MessageStatus::Success => "success",
            MessageStatus::Fail => "fail",
        }
    }

    /// From the JS string; anything else counts as not sent.
    pub fn parse(s: &str) -> MessageStatus {
        match s {
            "success" => MessageStatus::Success,
            "fail" => MessageStatus::Fail,
            _ => MessageStatus::UnSend,
        }
    }
}
