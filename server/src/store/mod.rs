//! Storage behind one trait, so the SQLite implementation can later be joined by PostgreSQL.
//!
//! Writes arrive in batches ([`Store::apply`]) from the single committer thread: one batch is
//! one transaction, and every write in it gets its own outcome (a failing write is rolled back
//! alone). Reads are independent and may run concurrently on other connections. All methods
//! block; async callers go through `spawn_blocking` or the committer thread.

pub mod group;
pub mod sqlite;

use tim_protocol::{
    codes, Change, Content, ConvGroup, ConvGroupAction, ConvSettings, ConversationInfo,
    GroupApplication, GroupInfo, MemberInfo, Message, OutboundMessage, Receipt, SyncItem,
};

pub use sqlite::SqliteStore;

use crate::epochs::Epoch;

/// A conversation as one user names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conv {
    /// One-to-one with this peer user.
    C2c(String),
    /// This group.
    Group(String),
    /// The user's own system conversation (`@TIM#SYSTEM`).
    System,
}

/// A message to commit.
#[derive(Clone, Debug)]
pub struct SendWrite {
    /// Sender user ID (already authenticated).
    pub from: String,
    /// The message as submitted.
    pub message: OutboundMessage,
    /// Refuse group sends from non-members (false for the REST admin sending as itself).
    pub require_membership: bool,
}

/// Who revokes a message, and so which checks apply.
#[derive(Clone, Debug)]
pub enum Revoker {
    /// The requester, who must be the sender, within `window` seconds of the send.
    Sender {
        /// The revoke window, seconds.
        window: u64,
    },
    /// The administrator (REST): any message, any time. `key` (random, time), when given,
    /// must match the message (Tencent's `MsgKey`).
    Admin {
        /// Expected `(random, time)` of the message.
        key: Option<(u32, u64)>,
    },
}

/// A message revoke.
#[derive(Clone, Debug)]
pub struct RevokeWrite {
    /// The requester (for [`Revoker::Admin`]: the user whose view `conv` names, e.g. the C2C
    /// sender; ignored for groups).
    pub user: String,
    /// The conversation as `user` names it.
    pub conv: Conv,
    /// The message's sequence.
    pub seq: u64,
    /// Which checks apply.
    pub by: Revoker,
}

/// A message modify by its sender.
#[derive(Clone, Debug)]
pub struct ModifyWrite {
    /// The requester, who must be the sender.
    pub user: String,
    /// The conversation as `user` names it.
    pub conv: Conv,
    /// The message's sequence.
    pub seq: u64,
    /// The version the client edited; must be the stored one.
    pub version: u32,
    /// New content, of the same type.
    pub content: Content,
    /// New cloudCustomData.
    pub cloud_custom_data: String,
}

/// A change of one user's settings of some conversations (all or nothing).
#[derive(Clone, Debug)]
pub struct SettingsWrite {
    /// The user.
    pub user: String,
    /// The conversations as `user` names them.
    pub convs: Vec<Conv>,
    /// Mark bits to set.
    pub mark_set: u32,
    /// Mark bits to clear.
    pub mark_clear: u32,
    /// New customData.
    pub custom_data: Option<String>,
    /// New remind type.
    pub remind: Option<String>,
    /// Clear the history so far (and read it).
    pub clear_history: bool,
}

/// A change of one user's conversation groups.
#[derive(Clone, Debug)]
pub struct GroupWrite {
    /// The user.
    pub user: String,
    /// What to do.
    pub action: ConvGroupAction,
    /// The group.
    pub name: String,
    /// Rename: the new name.
    pub new_name: String,
    /// The conversation IDs (validated).
    pub conversation_ids: Vec<String>,
}

/// One write of a batch.
#[derive(Clone, Debug)]
pub enum Write {
    /// Commit a message (idempotent on `(from, message.id)`).
    Send(SendWrite),
    /// Move a user's read position in a conversation.
    Read {
        /// The reader.
        user: String,
        /// The conversation.
        conv: Conv,
        /// Highest sequence read.
        seq: u64,
    },
    /// Read a user's delivery cursor in order with the batch (used by login).
    Cursor {
        /// The user.
        user: String,
    },
    /// Create or update a profile; `None` keeps the stored value.
    Profile {
        /// The user.
        user: String,
        /// Nickname.
        nick: Option<String>,
        /// Avatar URL.
        avatar: Option<String>,
    },
    /// Revoke a message (idempotent).
    Revoke(RevokeWrite),
    /// Modify a message (optimistic: the version is checked and bumped in the transaction).
    Modify(ModifyWrite),
    /// Delete messages for `user` only; unknown or already deleted sequences are skipped.
    Delete {
        /// The user.
        user: String,
        /// The conversation as `user` names it.
        conv: Conv,
        /// The sequences.
        seqs: Vec<u64>,
    },
    /// Change `user`'s list state of a conversation; `None` keeps the stored value.
    ConvState {
        /// The user.
        user: String,
        /// The conversation as `user` names it.
        conv: Conv,
        /// Hide it until its next message (`DeleteConversation`).
        hidden: Option<bool>,
        /// Pin it.
        pinned: Option<bool>,
    },
    /// Import messages from `from` (history migration): stored in time order with new
    /// sequences after the existing ones, their own time kept (capped at now), never unread,
    /// never delivered or pushed. All or nothing; idempotent per `(from, id)`.
    Import {
        /// Sender of every message.
        from: String,
        /// The messages; `client_time` is the time to keep.
        messages: Vec<OutboundMessage>,
        /// A client's import into its own view (`importMessageList`): every read shows the
        /// messages to `from` alone; nobody else is listed, delivered or told of them, and
        /// their files are granted to nobody. False for the REST admin's import.
        private: bool,
    },
    /// A REST kick: record the time and bump `user`'s generation ([`crate::epochs`]).
    Kick {
        /// The user.
        user: String,
    },
    /// `user` acknowledges reading messages of `conv` that asked for a receipt.
    Receipt {
        /// The reader.
        user: String,
        /// The conversation as `user` names it.
        conv: Conv,
        /// The sequences.
        seqs: Vec<u64>,
    },
    /// Change a user's conversation settings.
    ConvSettings(SettingsWrite),
    /// Change a user's conversation groups.
    ConvGroup(GroupWrite),
    /// An IM-group change (createGroup, joinGroup, ...).
    Group(group::GroupOp),
}

/// Receipt counts that changed, grouped for the senders to be told.
#[derive(Clone, Debug, Default)]
pub struct Receipts {
    /// The counts of every acknowledged message that asked for receipts (the reader's answer).
    pub all: Vec<Receipt>,
    /// Per sender: the conversation ID as the sender sees it and the counts that moved.
    pub by_sender: Vec<(String, String, Vec<Receipt>)>,
}

/// A page of receipt members: user IDs, next cursor, complete.
pub type MembersPage = (Vec<String>, String, bool);

/// The result of a revoke or modify: the message after the change and its deliveries.
#[derive(Clone, Debug)]
pub struct Updated {
    /// The message in its new state (full content; redact with [`Message::seen_by`]).
    pub message: Message,
    /// Revoked or Modified.
    pub change: Change,
    /// The requester's delivery cursor for the change (0 if not a participant).
    pub requester_sync_seq: u64,
    /// Every participant and its delivery cursor (empty when nothing changed: a repeat).
    pub deliveries: Vec<(String, u64)>,
}

/// A conversation's list state for one user after [`Write::ConvState`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvState {
    /// Conversation ID as the user sees it.
    pub conversation_id: String,
    /// Hidden until its next message.
    pub hidden: bool,
    /// Pinned.
    pub pinned: bool,
    /// Whether anything changed.
    pub changed: bool,
}

/// The result of a committed send.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The stored message.
    pub message: Message,
    /// The sender's delivery cursor for it (0 if the sender is not a participant).
    pub sender_sync_seq: u64,
    /// Every participant and the delivery cursor the message got for them (empty on repeat).
    pub deliveries: Vec<(String, u64)>,
    /// True when `(from, id)` was already stored: nothing new was written.
    pub duplicate: bool,
}

/// The result of a read-position change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadState {
    /// Conversation ID as the reader sees it.
    pub conversation_id: String,
    /// New read sequence.
    pub read_seq: u64,
    /// Unread messages after the change.
    pub unread: u32,
    /// Whether the read sequence moved.
    pub changed: bool,
}

/// A group system notice committed to a user's system conversation: the user, its delivery
/// cursor, the message.
pub type Notice = (String, u64, Message);

/// What a write produced. Short-lived (one per write, consumed at dispatch), so the size
/// difference between variants is not worth a box.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// From [`Write::Send`].
    Sent(Sent),
    /// From [`Write::Read`].
    Read(ReadState),
    /// From [`Write::Cursor`].
    Cursor(u64),
    /// From [`Write::Profile`].
    Done,
    /// From [`Write::Revoke`] and [`Write::Modify`].
    Updated(Updated),
    /// From [`Write::Delete`]: the user's deliveries `(sync_seq, message)` of the deletions.
    Deleted(Vec<(u64, Message)>),
    /// From [`Write::ConvState`].
    ConvState(ConvState),
    /// From [`Write::Receipt`].
    Receipts(Receipts),
    /// From [`Write::Import`]: the stored messages, in sequence order.
    Imported(Vec<Message>),
    /// From [`Write::ConvSettings`]: the conversations whose settings changed, after.
    ConvSettings(Vec<(String, ConvSettings)>),
    /// From [`Write::ConvGroup`]: every group of the user after the change.
    ConvGroups(Vec<ConvGroup>),
    /// From [`Write::Kick`]: the user's epoch after it.
    Kicked(Epoch),
    /// From [`Write::Group`].
    Group(group::GroupOutcome),
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such group.
    #[error("group not found")]
    GroupNotFound,
    /// The user is not a member of the group.
    #[error("not a member of the group")]
    NotGroupMember,
    /// The group ID is taken.
    #[error("group already exists")]
    GroupExists,
    /// A message ID was reused by its sender for another conversation.
    #[error("message id already used for another conversation")]
    IdReused,
    /// No such message in the conversation (or deleted by the requester).
    #[error("message not found")]
    MessageNotFound,
    /// Revoke or modify of someone else's message.
    #[error("not the sender of the message")]
    NotSender,
    /// Revoke after the window.
    #[error("the revoke window of {0} seconds has passed")]
    RevokeTimeLimit(u64),
    /// Modify of a stale version.
    #[error("message version {0} is no longer current")]
    ModifyConflict(u32),
    /// Modify that changes the content type.
    #[error("modify cannot change the message type")]
    ModifyTypeMismatch,
    /// The conversation is not one of the user's.
    #[error("not a conversation of this user: {0}")]
    ConversationForbidden(String),
    /// No conversation group of that name.
    #[error("no conversation group named {0:?}")]
    ConvGroupNotFound(String),
    /// A conversation group of that name exists.
    #[error("a conversation group named {0:?} exists")]
    ConvGroupExists(String),
    /// Too many conversation groups.
    #[error("at most {} conversation groups", codes::MAX_CONV_GROUPS)]
    ConvGroupLimit,
    /// A message refers to a file its sender may not read (or that does not exist).
    #[error("file {0:?} is not readable by the sender")]
    FileForbidden(String),
    /// A group operation refused by the group's rules, with its wire code.
    #[error("{1}")]
    Refused(u32, String),
    /// The database failed.
    #[error("storage failure: {0}")]
    Backend(String),
}

impl StoreError {
    /// The wire error code.
    pub fn code(&self) -> u32 {
        match self {
            StoreError::GroupNotFound => codes::GROUP_NOT_FOUND,
            StoreError::NotGroupMember => codes::NOT_GROUP_MEMBER,
            StoreError::GroupExists => codes::GROUP_ALREADY_EXISTS,
            StoreError::IdReused => codes::INVALID_REQUEST,
            StoreError::MessageNotFound => codes::MESSAGE_NOT_FOUND,
            StoreError::NotSender => codes::NOT_MESSAGE_SENDER,
            StoreError::RevokeTimeLimit(_) => codes::REVOKE_TIME_LIMIT,
            StoreError::ModifyConflict(_) => codes::MODIFY_CONFLICT,
            StoreError::ModifyTypeMismatch => codes::MODIFY_TYPE_MISMATCH,
            StoreError::ConversationForbidden(_) => codes::CONVERSATION_FORBIDDEN,
            StoreError::ConvGroupNotFound(_) => codes::CONV_GROUP_NOT_FOUND,
            StoreError::ConvGroupExists(_) => codes::CONV_GROUP_EXISTS,
            StoreError::ConvGroupLimit => codes::CONV_GROUP_LIMIT,
            StoreError::FileForbidden(_) => codes::FILE_FORBIDDEN,
            StoreError::Refused(code, _) => *code,
            StoreError::Backend(_) => codes::INTERNAL,
        }
    }
}

/// Where a [`Store::hop`] starts.
#[derive(Clone, Copy, Debug)]
pub enum HopFrom {
    /// This sequence.
    Seq(u64),
    /// This server time, seconds.
    Time(u64),
}

/// A page of history in ascending `seq`, and whether nothing older exists.
pub type HistoryPage = (Vec<Message>, bool);
/// A page of deliveries, and whether nothing newer remains.
pub type SyncPage = (Vec<SyncItem>, bool);

/// Persistent state of the server.
pub trait Store: Send + Sync + 'static {
    /// Reads worth running at once: the store's pool of read connections (more would only
    /// open throwaway connections and hold blocking threads).
    fn concurrent_reads(&self) -> usize;
    /// Applies `batch` in one transaction at server time `now`; one outcome per write, in order.
    /// `Err` means the transaction as a whole failed and nothing was committed.
    fn apply(
        &self,
        batch: &[&Write],
        now: u64,
    ) -> Result<Vec<Result<Outcome, StoreError>>, StoreError>;
    /// Up to `count` messages of `conv` (as `user` names it) with `seq < before_seq`.
    fn history(
        &self,
        user: &str,
        conv: &Conv,
        before_seq: Option<u64>,
        count: u32,
    ) -> Result<HistoryPage, StoreError>;
    /// `user`'s visible conversations, pinned first then most recent, and the delivery
    /// cursor they reflect.
    fn conversations(&self, user: &str) -> Result<(Vec<ConversationInfo>, u64), StoreError>;
    /// Up to `count` messages of `conv` from `at` (inclusive) towards newer or older ones,
    /// in ascending `seq`, and whether nothing further exists that way.
    fn hop(
        &self,
        user: &str,
        conv: &Conv,
        at: HopFrom,
        newer: bool,
        count: u32,
    ) -> Result<HistoryPage, StoreError>;
    /// The messages of `conv` with these sequences that `user` still has.
    fn fetch(&self, user: &str, conv: &Conv, seqs: &[u64]) -> Result<Vec<Message>, StoreError>;
    /// `user`'s conversation groups, oldest first.
    fn conv_groups(&self, user: &str) -> Result<Vec<ConvGroup>, StoreError>;
    /// `user`'s deliveries with `sync_seq > since`, oldest first, at most `limit`.
    fn sync(&self, user: &str, since: u64, limit: u32) -> Result<SyncPage, StoreError>;
    /// Everyone in `conv` as `user` names it, for `user`'s online-only send at `now` (`user`
    /// included; groups: members only, else `NotGroupMember`, and a member muted at `now`
    /// is refused 10017 as its stored sends are).
    fn participants(&self, user: &str, conv: &Conv, now: u64) -> Result<Vec<String>, StoreError>;
    /// Receipt counts of the messages `seqs` of `conv` that asked for receipts.
    fn receipts(&self, user: &str, conv: &Conv, seqs: &[u64]) -> Result<Vec<Receipt>, StoreError>;
    /// Participants (sender excluded) who did (`read`) or did not acknowledge message `seq`,
    /// by user ID after `cursor`, at most `count`.
    fn receipt_members(
        &self,
        user: &str,
        conv: &Conv,
        seq: u64,
        read: bool,
        cursor: &str,
        count: u32,
    ) -> Result<MembersPage, StoreError>;
    /// `user`'s groups (`ids` empty) or these groups, as `user` sees them; each must exist
    /// (`GroupNotFound`) and have `user` as a member (`NotGroupMember`).
    fn group_list(&self, user: &str, ids: &[String]) -> Result<Vec<GroupInfo>, StoreError>;
    /// A group's profile for anyone (searchGroupByID): Work groups are not found.
    fn group_search(&self, user: &str, group_id: &str) -> Result<GroupInfo, StoreError>;
    /// Members of a group `user` belongs to, by user ID after `cursor`, at most `count`.
    fn group_members(
        &self,
        user: &str,
        group_id: &str,
        cursor: &str,
        count: u32,
    ) -> Result<(Vec<MemberInfo>, String, bool), StoreError>;
    /// These members of a group `user` belongs to (non-members are left out).
    fn group_member_info(
        &self,
        user: &str,
        group_id: &str,
        ids: &[String],
    ) -> Result<Vec<MemberInfo>, StoreError>;
    /// A group and its whole roster, for the app admin (REST `get_group_info`).
    fn group_admin_info(&self, group_id: &str) -> Result<(GroupInfo, Vec<MemberInfo>), StoreError>;
    /// The pending applications to the groups `user` owns or administers, oldest first.
    fn group_apps(&self, user: &str) -> Result<Vec<GroupApplication>, StoreError>;
    /// Every member's user ID of a group `user` belongs to.
    fn group_member_ids(&self, user: &str, group_id: &str) -> Result<Vec<String>, StoreError>;
    /// Every user ever kicked, with their epoch (loaded once at start).
    fn kicked(&self) -> Result<Vec<(String, Epoch)>, StoreError>;
    /// Transactions committed since this store was opened.
    fn commits(&self) -> u64;
    /// Messages committed since this store was opened.
    fn messages_committed(&self) -> u64;
    /// The `peers` this server has never seen in a C2C conversation with `user`: no user row
    /// (never imported, messaged or messaging) and no conversation with `user`.
    fn unknown_peers(&self, user: &str, peers: &[String]) -> Result<Vec<String>, StoreError>;
}
