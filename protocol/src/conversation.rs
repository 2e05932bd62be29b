//! A user's conversations: the list entry, settings and conversation groups.

use serde::{Deserialize, Serialize};

use crate::{ConvType, Message};

/// One conversation of the requesting user, with that user's read state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationInfo {
    /// `C2C<userID>` or `GROUP<groupID>`.
    pub conversation_id: String,
    /// Conversation type.
    pub conv_type: ConvType,
    /// The peer user ID (C2C) or the group ID (GROUP).
    pub peer: String,
    /// Highest sequence this user has read.
    pub read_seq: u64,
    /// Messages from others with `seq > read_seq`.
    pub unread: u32,
    /// Newest message, if any.
    pub last_message: Option<Message>,
    /// Group name (GROUP only).
    #[serde(default)]
    pub group_name: String,
    /// C2C: the highest sequence the peer has read (for `isPeerRead`).
    #[serde(default)]
    pub peer_read_seq: u64,
    /// Pinned by this user.
    #[serde(default)]
    pub pinned: bool,
    /// This user's settings of the conversation (marks, customData, remind type).
    #[serde(default)]
    pub settings: ConvSettings,
}

/// One user's settings of one conversation: `markConversation`, `setConversationCustomData`,
/// `setMessageRemindType`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvSettings {
    /// `CONV_MARK_TYPE_*` bits.
    #[serde(default)]
    pub marks: u32,
    /// `customData`.
    #[serde(default)]
    pub custom_data: String,
    /// A `MSG_REMIND_*` value; empty means `AcceptAndNotify`.
    #[serde(default)]
    pub remind: String,
    /// `clearHistoryMessage`: messages up to this sequence are gone for this user.
    #[serde(default)]
    pub cleared_seq: u64,
}

/// `MSG_REMIND_DISCARD`: the server stores the conversation's new messages but neither
/// delivers them to this user nor counts them unread.
pub const REMIND_DISCARD: &str = "Discard";

/// A conversation group of one user (`createConversationGroup`): its name and the
/// conversation IDs in it, in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvGroup {
    /// The group name (1..=32 bytes, unique per user).
    pub name: String,
    /// Conversation IDs.
    #[serde(default)]
    pub conversation_ids: Vec<String>,
}

/// What a [`crate::Request::ConvGroup`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConvGroupAction {
    /// Create `name` with `conversation_ids`.
    Create,
    /// Delete `name`.
    Delete,
    /// Rename `name` to `new_name`.
    Rename,
    /// Add `conversation_ids` to `name`.
    Add,
    /// Remove `conversation_ids` from `name`.
    Remove,
}

impl ConvGroupAction {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConvGroupAction::Create => "create",
            ConvGroupAction::Delete => "delete",
            ConvGroupAction::Rename => "rename",
            ConvGroupAction::Add => "add",
            ConvGroupAction::Remove => "remove",
        }
    }
}
