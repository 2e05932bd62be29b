//! Frames: what the client asks, what the server answers and pushes.

use serde::{Deserialize, Serialize};

use crate::{
    Change, Content, ConvGroup, ConvGroupAction, ConvSettings, ConversationInfo, Message,
    OutboundMessage, Receipt,
};

/// Request id chosen by the client; echoed in the answer.
pub type ReqId = u32;

/// A client-to-server frame: `{"id": 7, "req": {"op": "send", ...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientFrame {
    /// Correlates the answer.
    pub id: ReqId,
    /// The request.
    pub req: Request,
}

/// What a client can ask. Everything but `Login` and `Ping` requires a logged-in session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Authenticate this connection. Answered with [`Reply::Login`].
    Login {
        /// The user.
        user_id: String,
        /// TLS-Sig-API v2 UserSig for that user.
        user_sig: String,
    },
    /// End the session; the server answers [`Reply::Done`] and the client closes the socket.
    Logout,
    /// Heartbeat. Answered with [`Reply::Pong`].
    Ping,
    /// Send a message. Answered with [`Reply::Sent`] only after the message is durably committed.
    Send {
        /// The message.
        message: OutboundMessage,
    },
    /// A page of history, newest first in selection, returned in ascending `seq`.
    History {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Only messages with `seq < before_seq`; `None` means from the newest.
        before_seq: Option<u64>,
        /// At most this many (capped at [`crate::MAX_HISTORY_PAGE`]).
        count: u32,
    },
    /// The requester's conversations. Answered with [`Reply::Conversations`].
    Conversations,
    /// Mark a conversation read up to `seq` (inclusive). Answered with [`Reply::Read`].
    Read {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Highest sequence read.
        seq: u64,
    },
    /// Revoke a message this user sent, within the server's revoke window. Answered with
    /// [`Reply::Updated`]; every participant's other connections get a `Revoked` delivery.
    Revoke {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// The message's sequence.
        seq: u64,
    },
    /// Replace the content and/or cloudCustomData of a message this user sent. Fails with
    /// `MODIFY_CONFLICT` unless `version` is the message's current version. Answered with
    /// [`Reply::Updated`]; participants get a `Modified` delivery.
    Modify {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// The message's sequence.
        seq: u64,
        /// The version the client edited.
        version: u32,
        /// New content (same type as before).
        content: Content,
        /// New cloudCustomData.
        #[serde(default)]
        cloud_custom_data: String,
    },
    /// Delete messages for this user only (every connection of theirs; not for the peer).
    /// Answered with [`Reply::Done`]; the user's other connections get `Deleted` deliveries.
    Delete {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Sequences to delete.
        seqs: Vec<u64>,
    },
    /// Hide a conversation from this user's list (messages kept; a new message shows it
    /// again with its history). Answered with [`Reply::Done`].
    DeleteConversation {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
    },
    /// Pin or unpin a conversation for this user. Answered with [`Reply::Done`].
    Pin {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Pinned or not.
        pinned: bool,
    },
    /// Acknowledge reading messages that asked for a receipt (`needReadReceipt`); others,
    /// own and unknown ones are skipped. Answered with [`Reply::Receipts`] (the counts after
    /// it); each sender's sockets get [`ServerFrame::Receipts`] for what changed.
    ReadReceipt {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Sequences read.
        seqs: Vec<u64>,
    },
    /// Current receipt counts of messages. Answered with [`Reply::Receipts`].
    ReceiptList {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Sequences.
        seqs: Vec<u64>,
    },
    /// One page of the participants who did (`read`) or did not acknowledge message `seq`,
    /// ordered by user ID after `cursor`. Answered with [`Reply::Members`].
    ReceiptMembers {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// The message's sequence.
        seq: u64,
        /// Readers (true) or non-readers (false).
        read: bool,
        /// Last user ID of the previous page ("" for the first).
        cursor: String,
        /// Page size (capped at 100).
        count: u32,
    },
    /// Import messages of this user into one conversation (history migration): each keeps its
    /// `client_time` as its time (capped at now), sequences are assigned after the existing
    /// ones in time order, and nothing is delivered, pushed or counted unread. All or nothing;
    /// idempotent per message ID. Answered with [`Reply::Imported`].
    Import {
        /// The messages (at most 100), all to the same conversation.
        messages: Vec<OutboundMessage>,
    },
    /// Change this user's settings of conversations: set and clear mark bits, replace
    /// customData and/or the remind type. Answered with [`Reply::Done`]; then every connection
    /// of the user, this one too, gets a `ConversationSettings` per conversation that changed.
    ConvSettings {
        /// Conversation IDs as the requester sees them.
        conversation_ids: Vec<String>,
        /// Mark bits to set.
        #[serde(default)]
        mark_set: u32,
        /// Mark bits to clear.
        #[serde(default)]
        mark_clear: u32,
        /// New customData, if it changes.
        #[serde(default)]
        custom_data: Option<String>,
        /// New `MSG_REMIND_*` value, if it changes.
        #[serde(default)]
        remind: Option<String>,
        /// `clearHistoryMessage`: clear every message so far (for this user) and read them.
        #[serde(default)]
        clear_history: bool,
    },
    /// Change this user's conversation groups. Answered with [`Reply::ConvGroups`]; the
    /// user's other connections get `ConvGroups`.
    ConvGroup {
        /// What to do.
        action: ConvGroupAction,
        /// The group.
        name: String,
        /// Rename: the new name.
        #[serde(default)]
        new_name: String,
        /// Create, add, remove: the conversations.
        #[serde(default)]
        conversation_ids: Vec<String>,
    },
    /// getMessageListHopping: up to `count` messages from a point (inclusive), older or
    /// newer, by sequence (`seq`) or by server time (`time`). Answered with
    /// [`Reply::History`] in ascending `seq`; `complete` when nothing further that way.
    Hop {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Start at this sequence...
        #[serde(default)]
        seq: Option<u64>,
        /// ...or at this server time, seconds.
        #[serde(default)]
        time: Option<u64>,
        /// Newer messages (`true`) or older (`false`).
        newer: bool,
        /// At most this many (capped at [`crate::MAX_HISTORY_PAGE`]).
        count: u32,
    },
    /// findMessageByLocatorList: the messages with these sequences that the requester still
    /// has. Answered with [`Reply::History`] (`complete: true`).
    Fetch {
        /// Conversation ID as the requester sees it.
        conversation_id: String,
        /// Sequences (at most [`crate::MAX_HISTORY_PAGE`]).
        seqs: Vec<u64>,
    },
    /// Everything delivered to this user with `sync_seq > since`, oldest first, one page.
    Sync {
        /// The client's cursor: the highest `sync_seq` it has processed.
        since: u64,
        /// Page size (capped at [`crate::MAX_SYNC_PAGE`]).
        limit: u32,
    },
}

/// A server-to-client frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Success answer to request `id`.
    Ok {
        /// The request's id.
        id: ReqId,
        /// The answer.
        data: Reply,
    },
    /// Failure answer to request `id`, or (with `id: None`) a complaint about a frame that
    /// could not be read. The connection stays open.
    Error {
        /// The request's id, when the frame was readable enough to have one.
        id: Option<ReqId>,
        /// A code from [`crate::codes`].
        code: u32,
        /// Human-readable reason.
        message: String,
    },
    /// A message was committed (or changed: see `change`) in one of this user's
    /// conversations. Sent to every logged-in connection of every participant except the one
    /// that made the change.
    Push {
        /// This user's delivery cursor for the message (see [`Request::Sync`]).
        sync_seq: u64,
        /// The message, in its state after the change.
        message: Message,
        /// What happened to it.
        #[serde(default)]
        change: Change,
    },
    /// The C2C peer read this conversation up to `read_seq` (read receipt).
    PeerRead {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// The peer's read sequence.
        read_seq: u64,
    },
    /// Participants acknowledged messages this user sent (group or C2C read receipts).
    Receipts {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// The counts after the change.
        receipts: Vec<Receipt>,
    },
    /// Another connection of this user changed a conversation's list state.
    ConversationState {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// Hidden from the list (`DeleteConversation`) until its next message.
        hidden: bool,
        /// Pinned.
        pinned: bool,
    },
    /// A connection of this user (this one too) changed a conversation's settings.
    ConversationSettings {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// The settings after the change.
        settings: ConvSettings,
    },
    /// Another connection of this user changed the user's conversation groups.
    ConvGroups {
        /// Every group after the change.
        groups: Vec<ConvGroup>,
    },
    /// Another connection of this user changed a conversation's read state.
    ReadState {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// New read sequence.
        read_seq: u64,
        /// Unread count after the change.
        unread: u32,
    },
    /// The server ends this session; the socket closes right after. `reason` is a
    /// `TIM.TYPES.KICKED_OUT_*` value.
    Kicked {
        /// Why.
        reason: String,
    },
}

/// The data of a successful answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// Logged in.
    Login {
        /// The authenticated user.
        user_id: String,
        /// Server clock, seconds.
        server_time: u64,
        /// This user's current delivery cursor: everything up to it is history.
        sync_seq: u64,
        /// Token for the HTTP file endpoints: uploads send it in the `x-tim-token` header,
        /// downloads append it as `?tk=` to a file URL. Valid as long as the session.
        #[serde(default)]
        file_token: String,
    },
    /// Heartbeat answer.
    Pong {
        /// Server clock, seconds.
        server_time: u64,
    },
    /// The message is committed.
    Sent {
        /// The message with its sequence and server time.
        message: Message,
        /// The sender's delivery cursor for it.
        sync_seq: u64,
    },
    /// A page of history in ascending `seq`.
    History {
        /// The messages.
        messages: Vec<Message>,
        /// True when no older message exists before the first one returned.
        complete: bool,
    },
    /// The requester's conversations, most recent first.
    Conversations {
        /// The conversations.
        conversations: Vec<ConversationInfo>,
        /// The delivery cursor they reflect.
        sync_seq: u64,
        /// The user's conversation groups.
        #[serde(default)]
        groups: Vec<ConvGroup>,
    },
    /// The user's conversation groups after a [`Request::ConvGroup`].
    ConvGroups {
        /// Every group.
        groups: Vec<ConvGroup>,
    },
    /// The message after a [`Request::Revoke`] or [`Request::Modify`].
    Updated {
        /// The message in its new state.
        message: Message,
        /// The requester's delivery cursor for the change.
        sync_seq: u64,
    },
    /// Read state after [`Request::Read`].
    Read {
        /// Conversation ID.
        conversation_id: String,
        /// New read sequence.
        read_seq: u64,
        /// Unread count after the change.
        unread: u32,
    },
    /// A page of missed deliveries, oldest first.
    Sync {
        /// The deliveries.
        items: Vec<SyncItem>,
        /// True when nothing newer remains.
        complete: bool,
    },
    /// Receipt counts after [`Request::ReadReceipt`] / for [`Request::ReceiptList`].
    Receipts {
        /// One per message that asked for receipts.
        receipts: Vec<Receipt>,
    },
    /// A page of [`Request::ReceiptMembers`].
    Members {
        /// User IDs, ascending.
        users: Vec<String>,
        /// Pass back to get the next page.
        cursor: String,
        /// True when no more users follow.
        complete: bool,
    },
    /// The messages stored by [`Request::Import`], in sequence order.
    Imported {
        /// The messages.
        messages: Vec<Message>,
    },
    /// Nothing to return.
    Done,
}

/// One delivery in a [`Reply::Sync`] page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncItem {
    /// The delivery cursor.
    pub sync_seq: u64,
    /// The message, in its state after the change.
    pub message: Message,
    /// What happened to it.
    #[serde(default)]
    pub change: Change,
}
