//! What comes out of the core: the outputs the adapter acts on, Promise results, events and
//! errors.

use serde::Serialize;
use tim_protocol::ClientFrame;

use super::*;

/// What the core asks of its environment; drained with `Core::poll_output`.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Open the WebSocket. The adapter answers with `handle_connected` or `handle_disconnected`.
    Connect,
    /// Open this user's persistent cache and answer with `handle_cache_opened` (with what it
    /// holds, or nothing when it cannot be opened); the connection waits until then.
    OpenCache {
        /// Whose cache.
        user_id: String,
    },
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
        /// What a rejection's `data.message` shows.
        shown: Shown,
    },
    /// Execute the outputs that follow in a later task, after the Promise reactions of those
    /// before it have run (SDK_READY comes after `login()`'s resolution is delivered).
    Yield,
    /// Read the cache for a getMessageList page: the known ranges of `ask.conv` and its newest
    /// `limit` messages below `before`; answer with `handle_cache_page` (empty when no cache).
    ReadCache {
        /// The page asked for.
        ask: PageAsk,
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
    /// batchSendMessage: which users got their copy, which did not and why.
    BatchSent {
        /// successUserIDList.
        #[serde(rename = "successUserIDList")]
        success: Vec<String>,
        /// failureUserIDList.
        #[serde(rename = "failureUserIDList")]
        failure: Vec<UserFailure>,
    },
    /// getConversationGroupList: the group names; the batch deleteConversation: the
    /// conversations deleted (the API resolves `{conversationIDList}` with them).
    Names(Vec<String>),
    /// callExperimentalAPI('isCommercialAbilityEnabled'): `{enabled}`.
    Enabled {
        /// Every asked ability is implemented.
        enabled: bool,
    },
    /// The group calls: an object built field by field (`{group}`, `{memberList, offset}`, …).
    Fields(Fields),
    /// getMyProfile: the Profile itself.
    Profile(Box<ProfileView>),
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

/// One entry of `failureUserIDList`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UserFailure {
    /// userID.
    #[serde(rename = "userID")]
    pub user_id: String,
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
    /// `onGroupListUpdated`: every group of this user (tim-js-sdk's Group objects).
    GroupListUpdated(Vec<Fields>),
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
            Event::GroupListUpdated(_) => "onGroupListUpdated",
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

/// What a rejection shows as `data.message` (calls on one message reject with it).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Shown {
    /// The caller's object as it is.
    #[default]
    Object,
    /// The caller's object, its `status` now this: a failed send's `fail`.
    Status(MessageStatus),
    /// This message instead: a modify conflict's current version.
    Message(Box<MessageView>),
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

/// One getMessageList page being assembled.
#[derive(Clone, Debug, PartialEq)]
pub struct PageAsk {
    /// The call.
    pub op: OpId,
    /// Its conversation.
    pub conv: String,
    /// The page is of messages below this seq.
    pub top: u64,
    /// Page size.
    pub count: u32,
    /// The newest page (no nextReqMessageID).
    pub newest: bool,
    /// The seq the fetch from the server is below.
    pub below: u64,
    /// The cache was read already.
    pub cached: bool,
    /// The server was asked already: serve what there is.
    pub fetched: bool,
}
