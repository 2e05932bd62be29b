//! Messages and conversations as they travel on the wire.

use serde::{Deserialize, Serialize};

use crate::Content;

/// Conversation type, serialized with the `TIM.TYPES.CONV_*` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConvType {
    /// One-to-one conversation (`"C2C"`).
    #[serde(rename = "C2C")]
    C2c,
    /// Group conversation (`"GROUP"`).
    #[serde(rename = "GROUP")]
    Group,
    /// The user's system conversation (`"@TIM#SYSTEM"`): group system notices. Its ID is the
    /// type itself; nobody sends to it.
    #[serde(rename = "@TIM#SYSTEM")]
    System,
}

impl ConvType {
    /// The `TIM.TYPES.CONV_*` value, which is also the conversation ID prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            ConvType::C2c => "C2C",
            ConvType::Group => "GROUP",
            ConvType::System => SYSTEM_CONVERSATION_ID,
        }
    }

    /// Parses a `TIM.TYPES.CONV_*` value.
    pub fn parse(s: &str) -> Option<ConvType> {
        match s {
            "C2C" => Some(ConvType::C2c),
            "GROUP" => Some(ConvType::Group),
            SYSTEM_CONVERSATION_ID => Some(ConvType::System),
            _ => None,
        }
    }
}

/// `TIM.TYPES.CONV_SYSTEM`: the ID (and type) of the system conversation, and the sender of
/// its messages.
pub const SYSTEM_CONVERSATION_ID: &str = "@TIM#SYSTEM";

/// Builds a conversation ID as tim-js-sdk spells it: `C2C<userID>` or `GROUP<groupID>`.
pub fn conversation_id(conv_type: ConvType, peer: &str) -> String {
    let mut id = String::with_capacity(5 + peer.len());
    id.push_str(conv_type.as_str());
    id.push_str(peer);
    id
}

/// Splits a conversation ID into its type and peer (user or group ID); `None` if malformed.
pub fn parse_conversation_id(id: &str) -> Option<(ConvType, &str)> {
    if let Some(peer) = id.strip_prefix("C2C") {
        (!peer.is_empty()).then_some((ConvType::C2c, peer))
    } else if let Some(peer) = id.strip_prefix("GROUP") {
        (!peer.is_empty()).then_some((ConvType::Group, peer))
    } else if id == SYSTEM_CONVERSATION_ID {
        Some((ConvType::System, ""))
    } else {
        None
    }
}

/// A message as the sender submits it. `id` is chosen by the client and is the idempotency
/// key: the server stores a given `(from, id)` once and answers a repeat with the stored copy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboundMessage {
    /// Client-generated message ID (tim-js-sdk `Message.ID`), stable across resends.
    pub id: String,
    /// Conversation type.
    pub conv_type: ConvType,
    /// Recipient user ID (C2C) or group ID (GROUP).
    pub to: String,
    /// Client random, echoed back.
    pub random: u32,
    /// Client clock in seconds when created; informational only, never used for ordering.
    pub client_time: u64,
    /// `TIM.TYPES.MSG_PRIORITY_*` value.
    #[serde(default = "default_priority")]
    pub priority: String,
    /// The content.
    pub content: Content,
    /// `cloudCustomData`.
    #[serde(default)]
    pub cloud_custom_data: String,
    /// `atUserList` of a text-at message.
    #[serde(default)]
    pub at_user_list: Vec<String>,
    /// `needReadReceipt`: recipients may acknowledge it with [`crate::Request::ReadReceipt`].
    #[serde(default)]
    pub need_read_receipt: bool,
    /// `sendMessage` option `onlineUserOnly`: delivered to connected sockets only; never
    /// stored, no sequence (`seq` 0), not unread, not synced later.
    #[serde(default)]
    pub online_user_only: bool,
    /// `sendMessage` option `offlinePushInfo` as JSON text ("" when not given): stored with the
    /// message and handed to the server's push webhook for recipients who are offline.
    #[serde(default)]
    pub offline_push_info: String,
}

/// A committed message, as stored and delivered. `seq` is the per-conversation sequence the
/// server assigned; it (never a clock) defines the order of a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Client-generated message ID.
    pub id: String,
    /// Conversation type.
    pub conv_type: ConvType,
    /// Sender user ID.
    pub from: String,
    /// Recipient user ID (C2C) or group ID (GROUP).
    pub to: String,
    /// Per-conversation sequence, from 1, without gaps.
    pub seq: u64,
    /// Server time in seconds when committed.
    pub time: u64,
    /// Client random.
    pub random: u32,
    /// Client clock in seconds when created.
    pub client_time: u64,
    /// `TIM.TYPES.MSG_PRIORITY_*` value.
    #[serde(default = "default_priority")]
    pub priority: String,
    /// The content.
    pub content: Content,
    /// `cloudCustomData`.
    #[serde(default)]
    pub cloud_custom_data: String,
    /// `atUserList`.
    #[serde(default)]
    pub at_user_list: Vec<String>,
    /// Sender's nickname, if known.
    #[serde(default)]
    pub nick: String,
    /// Sender's avatar URL, if known.
    #[serde(default)]
    pub avatar: String,
    /// Revoked by its sender or an admin: still listed, content kept for the sender only.
    #[serde(default)]
    pub revoked: bool,
    /// 0 until modified; each successful `Modify` adds 1 (optimistic concurrency).
    #[serde(default)]
    pub version: u32,
    /// `needReadReceipt`.
    #[serde(default)]
    pub need_read_receipt: bool,
    /// `offlinePushInfo` as JSON text, "" when none (see [`OutboundMessage`]).
    #[serde(default)]
    pub offline_push_info: String,
}

/// Read-receipt counts of one message that asked for them (`needReadReceipt`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The message ID.
    pub id: String,
    /// The message's sequence.
    pub seq: u64,
    /// Participants other than the sender who sent a read receipt.
    pub read: u32,
    /// Participants other than the sender who did not.
    pub unread: u32,
}

/// What a delivery ([`crate::ServerFrame::Push`], [`crate::SyncItem`]) says happened to its
/// message. Every change travels the same per-user delivery log as new messages, so a client
/// that was offline learns of it by `Sync`, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A new message.
    #[default]
    New,
    /// The message was revoked; the delivery carries it with `revoked: true`.
    Revoked,
    /// The message was modified; the delivery carries its new content and version.
    Modified,
    /// This user deleted the message (for themself only; sent to their other connections).
    Deleted,
}

impl OutboundMessage {
    /// A message of `content` from this client to `to` with every option at its default
    /// (normal priority, no random, client time 0): set the rest by field.
    pub fn new(conv_type: ConvType, to: &str, id: &str, content: Content) -> OutboundMessage {
        OutboundMessage {
            id: id.to_owned(),
            conv_type,
            to: to.to_owned(),
            random: 0,
            client_time: 0,
            priority: default_priority(),
            content,
            cloud_custom_data: String::new(),
            at_user_list: Vec::new(),
            need_read_receipt: false,
            online_user_only: false,
            offline_push_info: String::new(),
        }
    }

    /// The message as committed by `from` with sequence `seq` at server time `time` (seq 0 for
    /// one not committed yet): not revoked, version 0, no sender profile.
    pub fn committed(self, from: String, seq: u64, time: u64) -> Message {
        Message {
            id: self.id,
            conv_type: self.conv_type,
            from,
            to: self.to,
            seq,
            time,
            random: self.random,
            client_time: self.client_time,
            priority: self.priority,
            content: self.content,
            cloud_custom_data: self.cloud_custom_data,
            at_user_list: self.at_user_list,
            nick: String::new(),
            avatar: String::new(),
            revoked: false,
            version: 0,
            need_read_receipt: self.need_read_receipt,
            offline_push_info: self.offline_push_info,
        }
    }
}

impl OutboundMessage {
    /// An `onlineUserOnly` message as delivered: never stored, so it takes no receipts and has
    /// no offline push (seq 0).
    pub fn unstored(self, from: String, time: u64) -> Message {
        let mut message = self.committed(from, 0, time);
        message.need_read_receipt = false;
        message.offline_push_info.clear();
        message
    }
}

impl Message {
    /// Notice number `seq` of `user`'s system conversation (`@TIM#SYSTEM-<user>-<seq>`, sent by
    /// the system at `time`).
    pub fn system_notice(user: &str, seq: u64, time: u64, content: Content) -> Message {
        let id = format!("{SYSTEM_CONVERSATION_ID}-{user}-{seq}");
        let out = OutboundMessage {
            client_time: time,
            ..OutboundMessage::new(ConvType::System, user, &id, content)
        };
        out.committed(SYSTEM_CONVERSATION_ID.to_owned(), seq, time)
    }

    /// This message as `viewer` may see it: a revoked message keeps its content for its
    /// sender only; everyone else gets [`Content::emptied`] and no cloudCustomData.
    pub fn seen_by(mut self, viewer: &str) -> Message {
        if self.revoked && self.from != viewer {
            self.content = self.content.emptied();
            self.cloud_custom_data.clear();
        }
        self
    }

    /// The conversation ID of this message as seen by `viewer`.
    pub fn conversation_id_for(&self, viewer: &str) -> String {
        match self.conv_type {
            ConvType::Group => conversation_id(ConvType::Group, &self.to),
            ConvType::System => SYSTEM_CONVERSATION_ID.to_owned(),
            ConvType::C2c if self.from == viewer => conversation_id(ConvType::C2c, &self.to),
            ConvType::C2c => conversation_id(ConvType::C2c, &self.from),
        }
    }
}

fn default_priority() -> String {
    "Normal".to_owned()
}
