//! What comes into the core: its tunables, the API calls, and the options JavaScript passes.

use serde::{Deserialize, Serialize};

use super::*;

/// Tunables of the state machine. All times in milliseconds.
#[derive(Clone, Debug)]
pub struct Config {
    /// The app this instance belongs to.
    pub sdk_app_id: u64,
    /// Seed of the core's PRNG (message `random`, reconnect jitter); from the platform.
    pub seed: u64,
    /// A ping is sent when nothing was sent for this long.
    pub heartbeat_interval_ms: u64,
    /// The connection is declared dead when nothing was received for this long.
    pub heartbeat_timeout_ms: u64,
    /// First reconnect delay; doubles each failed attempt.
    pub reconnect_base_ms: u64,
    /// Reconnect delay cap; attempts never stop while logged in.
    pub reconnect_max_ms: u64,
    /// A request with no answer for this long fails with `NETWORK_TIMEOUT`.
    pub request_timeout_ms: u64,
    /// Before SDK_READY the socket must open, and then answer the login, each within this
    /// long: `login()` to a wrong URL fails fast. Reconnects use `request_timeout_ms`.
    pub connect_timeout_ms: u64,
    /// The server's WebSocket URL, named in connection errors ("" natively).
    pub server_url: String,
    /// `http(s)://host:port` the server serves files from ("" natively).
    pub file_origin: String,
    /// The adapter has a persistent cache: login opens it first ([`Output::OpenCache`]) and
    /// connects once it is loaded, so the cached lists come before the network's.
    pub persistent_cache: bool,
    /// UTF-8 bytes of a request's JSON as the adapter encodes it (or a bound above them, far
    /// below the limit); a request whose frame would exceed `tim_protocol::MAX_FRAME_BYTES` is
    /// refused before it is queued. The default
    /// measures nothing (0): adapters and tests that encode set their own.
    pub request_bytes: fn(&tim_protocol::Request) -> usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sdk_app_id: 0,
            seed: 0x9E37_79B9_7F4A_7C15,
            heartbeat_interval_ms: 10_000,
            heartbeat_timeout_ms: 25_000,
            reconnect_base_ms: 500,
            reconnect_max_ms: 30_000,
            request_timeout_ms: 15_000,
            connect_timeout_ms: 3_000,
            server_url: String::new(),
            file_origin: String::new(),
            persistent_cache: false,
            request_bytes: |_| 0,
        }
    }
}

/// An API call that needs the network or the core's state.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `tim.login({userID, userSig})`.
    Login {
        /// userID.
        user_id: String,
        /// userSig.
        user_sig: String,
    },
    /// `tim.logout()`.
    Logout,
    /// `tim.sendMessage(message)`; the message as JavaScript passed it back.
    SendMessage(MessageView),
    /// `tim.sendMessage(message, options)`.
    SendMessageWith(MessageView, SendOptions),
    /// `tim.getMessageList({conversationID, nextReqMessageID, count})`.
    GetMessageList {
        /// conversationID.
        conversation_id: String,
        /// nextReqMessageID from the previous page.
        next_req_message_id: Option<String>,
        /// count (default and maximum 15).
        count: Option<u32>,
    },
    /// `tim.getConversationList()`: the newest [`CONVERSATION_PAGE`].
    GetConversationList,
    /// `tim.getConversationList({nextSeq, count})`: `count` conversations from position
    /// `nextSeq` (0 first).
    GetConversationPage {
        /// nextSeq of the previous page (0 for the first).
        next_seq: u64,
        /// Page size (default and maximum [`CONVERSATION_PAGE`]).
        count: u32,
    },
    /// `tim.setMessageRead({conversationID})`.
    SetMessageRead {
        /// conversationID.
        conversation_id: String,
    },
    /// `tim.revokeMessage(message)`.
    RevokeMessage(MessageView),
    /// `tim.resendMessage(message)`: only a message whose send failed.
    ResendMessage(MessageView),
    /// `tim.deleteMessage([message])`: all of one conversation; `isDeleted` is the API's.
    DeleteMessage(Vec<MessageView>),
    /// `tim.modifyMessage(message)`: the edited payload / cloudCustomData, at `version`.
    ModifyMessage(MessageView),
    /// `tim.getConversationProfile(conversationID)`.
    GetConversationProfile {
        /// conversationID.
        conversation_id: String,
    },
    /// `tim.getMyProfile()`.
    GetMyProfile,
    /// `tim.setConversationDraft({conversationID, draftText})` (3.x).
    SetConversationDraft {
        /// conversationID.
        conversation_id: String,
        /// draftText ("" clears it).
        draft_text: String,
    },
    /// `tim.deleteConversation(conversationID)`.
    DeleteConversation {
        /// conversationID.
        conversation_id: String,
    },
    /// `tim.deleteConversation({conversationIDList, clearHistoryMessage})` (the batch form), as
    /// read from JavaScript: the core judges it (see `Core::cmd_delete_conversations`).
    DeleteConversations {
        /// conversationIDList.
        conversation_ids: Vec<String>,
        /// clearHistoryMessage: `None` when absent, `Some(None)` when not a boolean.
        clear_history: Option<Option<bool>>,
    },
    /// `tim.pinConversation({conversationID, isPinned})`.
    PinConversation {
        /// conversationID.
        conversation_id: String,
        /// isPinned.
        pinned: bool,
    },
    /// `tim.setAllMessageRead()`.
    SetAllMessageRead,
    /// `insertC2CMessageToLocalStorage` / `insertGroupMessageToLocalStorage`: save a message
    /// on this instance only, as sent by `sender`.
    SaveLocalMessage {
        /// The message, from a `create*Message`.
        message: MessageView,
        /// Its sender: this user or (C2C) the peer; any member in a group.
        sender: String,
    },
    /// `deleteMessageFromLocalStorage({msgID} | {conversationID})`: this instance only.
    DeleteLocalMessage {
        /// One message.
        message_id: Option<String>,
        /// Every message of a conversation (when `message_id` is absent).
        conversation_id: Option<String>,
    },
    /// `tim.importMessageList({conversationID, messageList})`: this user's created messages.
    ImportMessageList {
        /// conversationID.
        conversation_id: String,
        /// messageList.
        messages: Vec<MessageView>,
    },
    /// `tim.batchSendMessage(message, userIDList)`: a copy of the message to each user.
    BatchSendMessage {
        /// The message (its own `to` is ignored).
        message: MessageView,
        /// userIDList (an entry that is not a string comes as "").
        user_ids: Vec<String>,
    },
    /// `tim.sendMessageReadReceipt(messageList)`: messages of one conversation.
    SendMessageReadReceipt(Vec<MessageView>),
    /// `tim.getMessageReadReceiptList(messageList)`: messages of one conversation.
    GetMessageReadReceiptList(Vec<MessageView>),
    /// `tim.getGroupMessageReadMemberList({message, filter, cursor, count})`.
    GetGroupMessageReadMemberList {
        /// The message.
        message: MessageView,
        /// `filter: 0` (readers) is true, `1` (non-readers) false.
        read: bool,
        /// cursor ("" for the first page).
        cursor: String,
        /// count.
        count: u32,
    },
    /// `markConversation`, `setConversationCustomData`, `setMessageRemindType`,
    /// `clearHistoryMessage`: this user's settings of some conversations.
    SetConversationSettings(SettingsChange),
    /// The conversation-group calls.
    ConversationGroup {
        /// What to do.
        action: tim_protocol::ConvGroupAction,
        /// groupName (rename: oldName).
        name: String,
        /// rename: newName.
        new_name: String,
        /// conversationIDList.
        conversation_ids: Vec<String>,
    },
    /// `getConversationGroupList()`.
    GetConversationGroupList,
    /// An IM-group call (createGroup, joinGroup, …): its wire request with the options read
    /// (getGroupMemberList's cursor is filled from `offset` by the core).
    Group {
        /// Which call, deciding the shape it resolves with.
        method: crate::core::GroupMethod,
        /// The request.
        request: tim_protocol::Request,
        /// getGroupMemberList's `offset`.
        offset: u64,
    },
    /// `getMessageListHopping({conversationID, sequence | time, count, direction})`.
    GetMessageListHopping {
        /// conversationID.
        conversation_id: String,
        /// Start at this sequence (groups)...
        sequence: Option<u64>,
        /// ...or at this server time, seconds (C2C).
        time: Option<u64>,
        /// count (default and maximum 15).
        count: Option<u32>,
        /// direction 1: newer; 0: older.
        newer: bool,
    },
    /// `findMessageByLocatorList({conversationID, locatorList})`.
    FindMessageByLocators {
        /// conversationID.
        conversation_id: String,
        /// The locators.
        locators: Vec<Locator>,
    },
}

/// A message locator (seed 002 `TIMMsgFindByMsgLocatorList`): `sequence` finds it, the rest
/// must match when given.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Locator {
    /// sequence.
    pub seq: u64,
    /// random (0: any).
    pub random: u32,
    /// time, seconds (0: any).
    pub time: u64,
    /// isSelf: sent by this user (`None`: any).
    pub is_self: Option<bool>,
}

/// A change of conversation settings, as one call asks it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsChange {
    /// The conversations.
    pub conversation_ids: Vec<String>,
    /// Mark bits to set.
    pub mark_set: u32,
    /// Mark bits to clear.
    pub mark_clear: u32,
    /// New customData.
    pub custom_data: Option<String>,
    /// New `MSG_REMIND_*` value.
    pub remind: Option<String>,
    /// Clear the history so far.
    pub clear_history: bool,
    /// Resolve `{successConversationIDList, failureConversationIDList}` (markConversation,
    /// setConversationCustomData); otherwise `{}`, and an unlisted conversation is not
    /// refused here (setMessageRemindType may precede the first message).
    pub per_conversation: bool,
}

/// The options of `sendMessage(message, options)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SendOptions {
    /// onlineUserOnly: only to connected recipients, not stored, not unread, not synced.
    pub online_user_only: bool,
    /// offlinePushInfo as JSON text ("" when absent).
    pub offline_push_info: String,
}

/// Options of `createTextMessage` & co., as JavaScript passes them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateMessageOptions {
    /// Recipient userID or groupID.
    pub to: Option<String>,
    /// `TIM.TYPES.CONV_*`.
    pub conversation_type: Option<String>,
    /// `TIM.TYPES.MSG_PRIORITY_*`.
    pub priority: Option<String>,
    /// cloudCustomData.
    pub cloud_custom_data: Option<String>,
    /// The payload.
    pub payload: Option<Payload>,
    /// needReadReceipt.
    pub need_read_receipt: Option<bool>,
    /// createMergerMessage's payload.
    #[serde(skip)]
    pub merger: Option<MergerInput>,
}

/// The payload of `createMergerMessage`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergerInput {
    /// title.
    pub title: String,
    /// abstractList.
    pub abstract_list: Vec<String>,
    /// compatibleText.
    pub compatible_text: String,
    /// messageList: messages this instance knows (sent, received or fetched here), by ID.
    pub message_list: Vec<String>,
}

/// Which `create*Message` was called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// createTextMessage.
    Text,
    /// createTextAtMessage.
    TextAt,
    /// createCustomMessage.
    Custom,
    /// createFaceMessage.
    Face,
    /// createLocationMessage.
    Location,
}

/// Which file creator was called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// createImageMessage.
    Image,
    /// createFileMessage.
    File,
    /// createVideoMessage.
    Video,
    /// createAudioMessage.
    Audio,
}

/// A message payload in tim-js-sdk's shape. One struct serves every type: only the fields of
/// the message's type are present (absent ones are skipped when serialized).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payload {
    /// Text (text, text-at).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// atUserList (text-at options only; the message carries it as `atUserList`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_user_list: Option<Vec<String>>,
    /// data (custom, face).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// description (custom, location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// extension (custom).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// index (face).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
    /// longitude (location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// latitude (location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// operatorID (group system notice).
    #[serde(rename = "operatorID", skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
    /// operationType (group system notice).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_type: Option<u32>,
    /// groupProfile (group system notice); never read back from JavaScript.
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub group_profile: Option<GroupProfileView>,
    /// The fields of image, file, video, sound and merger payloads (tim-js-sdk's names),
    /// flattened into this one. Generic on purpose: one small serializer, reader and set of
    /// accessors serve every type, where a struct per type would cost the wasm several KB.
    #[serde(skip_deserializing)]
    pub rich: Option<Box<Fields>>,
}

// By hand rather than derived: the rich fields are flattened in, and serde's `flatten` costs
// the wasm more than this.

impl Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        let strings = [
            ("text", &self.text),
            ("data", &self.data),
            ("description", &self.description),
            ("extension", &self.extension),
            ("operatorID", &self.operator_id),
        ];
        for (k, v) in strings {
            if let Some(v) = v {
                m.serialize_entry(k, v)?;
            }
        }
        if let Some(v) = &self.at_user_list {
            m.serialize_entry("atUserList", v)?;
        }
        if let Some(v) = self.index {
            m.serialize_entry("index", &(v as f64))?;
        }
        for (k, v) in [("longitude", self.longitude), ("latitude", self.latitude)] {
            if let Some(v) = v {
                m.serialize_entry(k, &v)?;
            }
        }
        if let Some(v) = self.operation_type {
            m.serialize_entry("operationType", &v)?;
        }
        if let Some(v) = &self.group_profile {
            m.serialize_entry("groupProfile", v)?;
        }
        for (k, v) in self.rich.iter().flat_map(|r| r.0.iter()) {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
