//! The requests' bodies: one struct per [`crate::Request`] variant that carries data, so the
//! server hands each command its own type and the client builds it by name.

use serde::{Deserialize, Serialize};

use crate::{Content, ConvGroupAction, OutboundMessage};

mod group;
pub use group::*;

/// Authenticate this connection. Answered with [`crate::Reply::Login`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Login {
    /// The user.
    pub user_id: String,
    /// TLS-Sig-API v2 UserSig for that user.
    pub user_sig: String,
}

/// Send a message. Answered with [`crate::Reply::Sent`] only after the message is durably committed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Send {
    /// The message.
    pub message: OutboundMessage,
}

/// A page of history, newest first in selection, returned in ascending `seq`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Only messages with `seq < before_seq`; `None` means from the newest.
    pub before_seq: Option<u64>,
    /// At most this many (capped at [`crate::MAX_HISTORY_PAGE`]).
    pub count: u32,
}

/// Mark a conversation read up to `seq` (inclusive). Answered with [`crate::Reply::Read`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Read {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Highest sequence read.
    pub seq: u64,
}

/// Revoke a message this user sent, within the server's revoke window. Answered with
/// [`crate::Reply::Updated`]; every participant's other connections get a `Revoked` delivery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revoke {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// The message's sequence.
    pub seq: u64,
}

/// Replace the content and/or cloudCustomData of a message this user sent. Fails with
/// `MODIFY_CONFLICT` unless `version` is the message's current version. Answered with
/// [`crate::Reply::Updated`]; participants get a `Modified` delivery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Modify {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// The message's sequence.
    pub seq: u64,
    /// The version the client edited.
    pub version: u32,
    /// New content (same type as before).
    pub content: Content,
    /// New cloudCustomData.
    #[serde(default)]
    pub cloud_custom_data: String,
}

/// Delete messages for this user only (every connection of theirs; not for the peer).
/// Answered with [`crate::Reply::Done`]; the user's other connections get `Deleted` deliveries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delete {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Sequences to delete.
    pub seqs: Vec<u64>,
}

/// Hide a conversation from this user's list (messages kept; a new message shows it
/// again with its history). Answered with [`crate::Reply::Done`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeleteConversation {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
}

/// Pin or unpin a conversation for this user. Answered with [`crate::Reply::Done`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Pinned or not.
    pub pinned: bool,
}

/// Acknowledge reading messages that asked for a receipt (`needReadReceipt`); others,
/// own and unknown ones are skipped. Answered with [`crate::Reply::Receipts`] (the counts after
/// it); each sender's sockets get [`crate::ServerFrame::Receipts`] for what changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadReceipt {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Sequences read.
    pub seqs: Vec<u64>,
}

/// Current receipt counts of messages. Answered with [`crate::Reply::Receipts`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptList {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Sequences.
    pub seqs: Vec<u64>,
}

/// One page of the participants who did (`read`) or did not acknowledge message `seq`,
/// ordered by user ID after `cursor`. Answered with [`crate::Reply::Members`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptMembers {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// The message's sequence.
    pub seq: u64,
    /// Readers (true) or non-readers (false).
    pub read: bool,
    /// Last user ID of the previous page ("" for the first).
    pub cursor: String,
    /// Page size (capped at 100).
    pub count: u32,
}

/// Import messages of this user into one conversation (history migration): each keeps its
/// `client_time` as its time (capped at now), sequences are assigned after the existing
/// ones in time order, and nothing is delivered, pushed or counted unread. Only the importer
/// is shown them: other participants' reads skip those sequences. All or nothing;
/// idempotent per message ID. Answered with [`crate::Reply::Imported`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Import {
    /// The messages (at most 100), all to the same conversation.
    pub messages: Vec<OutboundMessage>,
}

/// Change this user's settings of conversations: set and clear mark bits, replace
/// customData and/or the remind type. Every connection of the user, this one too, gets a
/// `ConversationSettings` per conversation that changed, queued before the answer
/// ([`crate::Reply::Done`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvSettings {
    /// Conversation IDs as the requester sees them.
    pub conversation_ids: Vec<String>,
    /// Mark bits to set.
    #[serde(default)]
    pub mark_set: u32,
    /// Mark bits to clear.
    #[serde(default)]
    pub mark_clear: u32,
    /// New customData, if it changes.
    #[serde(default)]
    pub custom_data: Option<String>,
    /// New `MSG_REMIND_*` value, if it changes.
    #[serde(default)]
    pub remind: Option<String>,
    /// `clearHistoryMessage`: clear every message so far (for this user) and read them.
    #[serde(default)]
    pub clear_history: bool,
}

/// Change this user's conversation groups. Answered with [`crate::Reply::ConvGroups`]; the
/// user's other connections get `ConvGroups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvGroup {
    /// What to do.
    pub action: ConvGroupAction,
    /// The group.
    pub name: String,
    /// Rename: the new name.
    #[serde(default)]
    pub new_name: String,
    /// Create, add, remove: the conversations.
    #[serde(default)]
    pub conversation_ids: Vec<String>,
}

/// getMessageListHopping: up to `count` messages from a point (inclusive), older or
/// newer, by sequence (`seq`) or by server time (`time`). Answered with
/// [`crate::Reply::History`] in ascending `seq`; `complete` when nothing further that way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Start at this sequence...
    #[serde(default)]
    pub seq: Option<u64>,
    /// ...or at this server time, seconds.
    #[serde(default)]
    pub time: Option<u64>,
    /// Newer messages (`true`) or older (`false`).
    pub newer: bool,
    /// At most this many (capped at [`crate::MAX_HISTORY_PAGE`]).
    pub count: u32,
}

/// findMessageByLocatorList: the messages with these sequences that the requester still
/// has. Answered with [`crate::Reply::History`] (`complete: true`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fetch {
    /// Conversation ID as the requester sees it.
    pub conversation_id: String,
    /// Sequences (at most [`crate::MAX_HISTORY_PAGE`]).
    pub seqs: Vec<u64>,
}

/// Everything delivered to this user with `sync_seq > since`, oldest first, one page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sync {
    /// The client's cursor: the highest `sync_seq` it has processed.
    pub since: u64,
    /// Page size (capped at [`crate::MAX_SYNC_PAGE`]).
    pub limit: u32,
}
