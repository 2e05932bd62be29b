//! The core's inputs and outputs: commands from the API, what the adapter must do, events,
//! and the JS-shaped views (camelCase, tim-js-sdk names) the API hands to JavaScript as they are.

use serde::{Deserialize, Serialize};
use tim_protocol::ClientFrame;

/// The most conversations `getConversationList` returns at once, as tim-js-sdk.
pub const CONVERSATION_PAGE: u32 = 100;

/// Identifies one API call so its result can be matched to its Promise.
pub type OpId = u64;

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

/// What the core asks of its environment; drained with `Core::poll_output`.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Open the WebSocket. The adapter answers with `handle_connected` or `handle_disconnected`.
    Connect,
    /// Close the WebSocket. The adapter reports nothing back for a close it was asked to do.
    Disconnect,
    /// Send this frame on the open socket.
    Transmit(ClientFrame),
    /// Emit this event to the listeners.
    Event(Event),
    /// Settle the Promise of API call `op`.
    Complete {
        /// The call.
        op: OpId,
        /// Resolve with `{code: 0, data}` or reject with `{code, message}`.
        result: Result<Response, SdkError>,
    },
    /// Execute the outputs that follow in a later task, after the Promise reactions of those
    /// before it have run (SDK_READY comes after `login()`'s resolution is delivered).
    Yield,
    /// Read the cache for a getMessageList page: the known ranges of `ask.conv` and its newest
    /// `limit` messages below `before`; answer with `handle_cache_page` (empty when no cache).
    ReadCache {
        /// The page asked for.
        ask: super::gapless::PageAsk,
        /// Below this seq.
        before: u64,
        /// At most this many.
        limit: u32,
    },
}

/// The `data` of a resolved Promise.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Response {
    /// login: `{repeatLogin}`.
    Login {
        /// True when this instance was already logged in as that user.
        #[serde(rename = "repeatLogin")]
        repeat_login: bool,
    },
    /// sendMessage: `{message}`.
    Message {
        /// The sent message, status `success`.
        message: MessageView,
    },
    /// getMessageList: `{messageList, nextReqMessageID, isCompleted}`.
    MessageList {
        /// Oldest first.
        #[serde(rename = "messageList")]
        message_list: Vec<MessageView>,
        /// ID of the oldest message returned; pass it to get the page before.
        #[serde(rename = "nextReqMessageID")]
        next_req_message_id: String,
        /// True on the page that holds the conversation's first message.
        #[serde(rename = "isCompleted")]
        is_completed: bool,
    },
    /// getConversationList: `{conversationList, isSyncCompleted}` (the newest
    /// [`CONVERSATION_PAGE`]); with `{nextSeq, count}`: that page and `{nextSeq, isFinished}`.
    ConversationList {
        /// Pinned first, then most recent first.
        #[serde(rename = "conversationList")]
        conversation_list: Vec<ConversationView>,
        /// The list is the server's (always, once SDK_READY has fired).
        #[serde(rename = "isSyncCompleted")]
        is_sync_completed: bool,
        /// Where the next page starts (the number of conversations before it).
        #[serde(rename = "nextSeq")]
        next_seq: u64,
        /// True when no conversation follows this page.
        #[serde(rename = "isFinished")]
        is_finished: bool,
    },
    /// getConversationProfile: `{conversation}`.
    Conversation {
        /// The conversation.
        conversation: Box<ConversationView>,
    },
    /// getMessageReadReceiptList: the counts, which the API writes onto the caller's objects
    /// as `readReceiptInfo`.
    ReadReceipts {
        /// One per message that asked for receipts.
        receipts: Vec<ReceiptView>,
    },
    /// getGroupMessageReadMemberList: `{isCompleted, cursor, messageID, readUserIDList |
    /// unreadUserIDList}`.
    ReadMembers {
        /// No more pages.
        #[serde(rename = "isCompleted")]
        is_completed: bool,
        /// Pass back for the next page.
        cursor: String,
        /// The message.
        #[serde(rename = "messageID")]
        message_id: String,
        /// filter 0.
        #[serde(rename = "readUserIDList", skip_serializing_if = "Option::is_none")]
        read_user_id_list: Option<Vec<String>>,
        /// filter 1.
        #[serde(rename = "unreadUserIDList", skip_serializing_if = "Option::is_none")]
        unread_user_id_list: Option<Vec<String>>,
    },
    /// importMessageList: `{messageList}`, stored, in sequence order.
    Imported {
        /// The imported messages.
        #[serde(rename = "messageList")]
        message_list: Vec<MessageView>,
    },
    /// Calls on several conversations: which succeeded, which failed and why.
    ConversationResults {
        /// successConversationIDList.
        #[serde(rename = "successConversationIDList")]
        success: Vec<String>,
        /// failureConversationIDList.
        #[serde(rename = "failureConversationIDList")]
        failure: Vec<ConversationFailure>,
    },
    /// getConversationGroupList: the group names; the batch deleteConversation: the
    /// conversations deleted (the API resolves `{conversationIDList}` with them).
    Names(Vec<String>),
    /// callExperimentalAPI('isCommercialAbilityEnabled'): `{enabled}`.
    Enabled {
        /// Every asked ability is implemented.
        enabled: bool,
    },
    /// getMyProfile: the Profile itself.
    Profile(Box<super::profile::ProfileView>),
    /// Calls with nothing to return: `{}`. (deleteMessage, deleteConversation and
    /// pinConversation resolve with this too; the API builds their data from its arguments.)
    Empty {},
}

/// One entry of `failureConversationIDList`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConversationFailure {
    /// conversationID.
    #[serde(rename = "conversationID")]
    pub conversation_id: String,
    /// Error code.
    pub code: u32,
    /// Reason.
    pub message: String,
}

/// `CONVERSATION_IN_GROUP_UPDATED` data.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InGroupView {
    /// groupName.
    pub group_name: String,
    /// The conversations now in the group.
    pub conversation_list: Vec<ConversationView>,
}

/// An SDK event. [`Event::name`] is the `TIM.EVENT` value; the payload is `event.data`.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `sdkStateReady`.
    SdkReady,
    /// `sdkStateNotReady`.
    SdkNotReady,
    /// `sdkDestroy`.
    SdkDestroy,
    /// `onMessageReceived`: new messages from others or from this user's other instances.
    MessageReceived(Vec<MessageView>),
    /// `onMessageRevoked`: messages revoked elsewhere (peer or this user's other instances).
    MessageRevoked(Vec<MessageView>),
    /// `onMessageModified`: messages modified elsewhere, in their new state.
    MessageModified(Vec<MessageView>),
    /// `onMessageReadByPeer`: this user's C2C messages the peer has just read.
    MessageReadByPeer(Vec<MessageView>),
    /// `onMessageReadReceiptReceived`: new read receipts of this user's messages.
    MessageReadReceiptReceived(Vec<ReceiptView>),
    /// `onConversationListUpdated`: the whole list, pinned first, then most recent first.
    ConversationListUpdated(Vec<ConversationView>),
    /// `onTotalUnreadMessageCountUpdated`.
    TotalUnreadMessageCountUpdated(u32),
    /// `receiveGroupSystemNotice`: `{type: operationType, message}` for each new notice in
    /// `@TIM#SYSTEM` (which also comes as MESSAGE_RECEIVED).
    GroupSystemNoticeReceived(MessageView),
    /// `onConversationGroupListUpdated`: every group name.
    ConversationGroupListUpdated(Vec<String>),
    /// `onConversationInGroupUpdated`: a group's conversations changed.
    ConversationInGroupUpdated(InGroupView),
    /// `netStateChange`: a `NET_STATE_*` value.
    NetStateChange(NetState),
    /// `kickedOut`: a `KICKED_OUT_*` value.
    KickedOut(String),
    /// `error`.
    Error(SdkError),
}

impl Event {
    /// The `TIM.EVENT` value this event is emitted under.
    pub fn name(&self) -> &'static str {
        match self {
            Event::SdkReady => "sdkStateReady",
            Event::SdkNotReady => "sdkStateNotReady",
            Event::SdkDestroy => "sdkDestroy",
            Event::MessageReceived(_) => "onMessageReceived",
            Event::MessageRevoked(_) => "onMessageRevoked",
            Event::MessageModified(_) => "onMessageModified",
            Event::MessageReadByPeer(_) => "onMessageReadByPeer",
            Event::MessageReadReceiptReceived(_) => "onMessageReadReceiptReceived",
            Event::ConversationListUpdated(_) => "onConversationListUpdated",
            Event::TotalUnreadMessageCountUpdated(_) => "onTotalUnreadMessageCountUpdated",
            Event::ConversationGroupListUpdated(_) => "onConversationGroupListUpdated",
            Event::GroupSystemNoticeReceived(_) => "receiveGroupSystemNotice",
            Event::ConversationInGroupUpdated(_) => "onConversationInGroupUpdated",
            Event::NetStateChange(_) => "netStateChange",
            Event::KickedOut(_) => "kickedOut",
            Event::Error(_) => "error",
        }
    }
}

/// `TIM.TYPES.NET_STATE_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NetState {
    /// `connected`.
    #[serde(rename = "connected")]
    Connected,
    /// `connecting`.
    #[serde(rename = "connecting")]
    Connecting,
    /// `disconnected`.
    #[serde(rename = "disconnected")]
    Disconnected,
}

/// A rejected Promise's value: `{code, message}` with a code from [`super::codes`] or the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SdkError {
    /// Error code.
    pub code: u32,
    /// Human-readable reason.
    pub message: String,
}

impl SdkError {
    /// An error with a code and a reason.
    pub fn new(code: u32, message: impl Into<String>) -> Self {
        SdkError {
            code,
            message: message.into(),
        }
    }
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
    /// `"unSend"`, `"success"` or `"fail"`.
    pub status: String,
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
    /// GROUP only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_profile: Option<GroupProfileView>,
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
