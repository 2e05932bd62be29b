//! The persistent cache's contract, sans-IO: what the core hands the storage ([`Changes`], one
//! batch per step, written in one short transaction) and what it reads back (a page of a
//! conversation, the conversation list, known seq ranges, the sync cursor, the outbox). The
//! IndexedDB implementation lives in `web::cache`; [`MemoryStore`] here is the reference
//! (native only: without IndexedDB the SDK runs from the core's own memory). Both pass one conformance suite ([`cache_store_conformance!`]), natively and
//! in the browser.
//!
//! Stores are used from one thread (wasm), so the trait's futures are not `Send`, and every
//! method takes `&self` (no borrow is ever held across an await).

#[doc(hidden)]
// Test support (assertions that fail by panicking), used by the native and the browser suites.
#[path = "tests/conformance.rs"]
pub mod conformance;
#[cfg(not(target_arch = "wasm32"))]
mod memory;
mod ranges;
mod trim;

#[cfg(not(target_arch = "wasm32"))]
pub use memory::MemoryStore;
pub use ranges::SeqRanges;
pub use trim::{Answers, Op, Trim};

use tim_protocol::{ConversationInfo, Message, OutboundMessage};

/// One batch of writes, applied atomically in this order: removed conversations, messages,
/// deletions, conversations (the whole list when `replace_conversations`), then [`Trim`] (the
/// caps, oldest first, and the known ranges), cursor, file token, outbox. The core hands one
/// per step ([`crate::core::Core::take_cache_writes`]), every message and deleted seq also in
/// `known`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// Messages to store or replace (revoked, modified), by conversation ID. A message with
    /// seq 0 (online-only) is never cached.
    pub messages: Vec<(String, Message)>,
    /// Messages gone for this user, `(conversation, seq)`: removed, but their seqs stay known
    /// (the page around them is still contiguous).
    pub deleted: Vec<(String, u64)>,
    /// Conversations to store or replace.
    pub conversations: Vec<ConversationInfo>,
    /// `conversations` are the whole list: every other one is dropped.
    pub replace_conversations: bool,
    /// Conversations removed together with their messages and ranges.
    pub removed_conversations: Vec<String>,
    /// Seq ranges now known contiguous, `(conversation, lo, hi)`; merged with the stored ones.
    pub known: Vec<(String, u64, u64)>,
    /// The sync cursor reached; a lower value than the stored one is ignored (another tab
    /// may be ahead).
    pub cursor: Option<u64>,
    /// The file download token of the login reply.
    pub file_token: Option<String>,
    /// Messages waiting to be sent, stored by `pos`.
    pub outbox_put: Vec<OutboxEntry>,
    /// Outbox entries sent or given up, by `pos`.
    pub outbox_remove: Vec<u64>,
}

impl Changes {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        // Field by field: a derived `==` would pull every content type's comparison into
        // the wasm.
        self.messages.is_empty()
            && self.deleted.is_empty()
            && self.conversations.is_empty()
            && !self.replace_conversations
            && self.removed_conversations.is_empty()
            && self.known.is_empty()
            && self.cursor.is_none()
            && self.file_token.is_none()
            && self.outbox_put.is_empty()
            && self.outbox_remove.is_empty()
    }
}

/// What a session starts from (see [`crate::core::Core::handle_cache_opened`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// Every cached conversation.
    pub conversations: Vec<ConversationInfo>,
    /// The newest page of the most recent ones, `(conversation, messages ascending)`.
    pub pages: Vec<(String, Vec<Message>)>,
    /// The stored sync cursor (0: none).
    pub cursor: u64,
    /// The outbox, in `pos` order.
    pub outbox: Vec<OutboxEntry>,
    /// The stored file download token ("" when none).
    pub file_token: String,
}

/// A message created while offline (or not yet acknowledged), to send in `pos` order.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxEntry {
    /// Send order, unique.
    pub pos: u64,
    /// Its conversation.
    pub conversation_id: String,
    /// The message as it will be submitted (its ID makes a resend idempotent).
    pub message: OutboundMessage,
}

/// Bounds of the cache; the oldest messages go first (lowest seq in a conversation, lowest
/// server time overall). An evicted seq is no longer known, so it is fetched again if needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// Most messages kept per conversation.
    pub per_conversation: u32,
    /// Most messages kept in all.
    pub total: u32,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            per_conversation: 5_000,
            total: 200_000,
        }
    }
}

/// Why a store could not do what was asked. Lean on purpose: no text, no formatting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheError {
    /// The database is gone or cannot be opened; the caller falls back to memory.
    Unavailable,
    /// The browser refused the write for lack of space.
    Quota,
    /// A request failed or a record could not be read.
    Failed,
}

/// The newest page size of `getMessageList`.
pub const PAGE: u32 = 15;

/// A message cache. Implementations: [`MemoryStore`], `web::cache::IdbStore`.
#[allow(async_fn_in_trait)]
pub trait CacheStore {
    /// Writes one batch, all or nothing.
    async fn apply(&self, changes: &Changes) -> Result<(), CacheError>;

    /// Up to `limit` cached messages of `conv` with `seq < before`, the newest ones, in
    /// ascending seq order.
    async fn newest(&self, conv: &str, before: u64, limit: u32)
        -> Result<Vec<Message>, CacheError>;

    /// Every cached conversation, by conversation ID.
    async fn conversations(&self) -> Result<Vec<ConversationInfo>, CacheError>;

    /// The seqs of `conv` known contiguous.
    async fn ranges(&self, conv: &str) -> Result<SeqRanges, CacheError>;

    /// The stored sync cursor (0 when none).
    async fn cursor(&self) -> Result<u64, CacheError>;

    /// The outbox, in `pos` order.
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, CacheError>;

    /// The stored file download token ("" when none).
    async fn file_token(&self) -> Result<String, CacheError>;

    /// What a session starts from, in one read: every conversation, the newest `page`
    /// messages of the `n` most recent (by their last message's time), the cursor, the outbox
    /// and the file token. The driver's warm start reads exactly this.
    async fn snapshot(&self, n: u32, page: u32) -> Result<Snapshot, CacheError>;

    /// A getMessageList page from the cache, in one read: the seqs of `conv` known
    /// contiguous and its newest `limit` messages below `before`. The driver reads exactly this.
    async fn known_page(
        &self,
        conv: &str,
        before: u64,
        limit: u32,
    ) -> Result<(Vec<(u64, u64)>, Vec<Message>), CacheError>;

    /// Number of cached messages of `conv`, or of all when `None`.
    async fn count(&self, conv: Option<&str>) -> Result<u32, CacheError>;

    /// Wipes everything (`destroy({clearCache: true})`).
    async fn clear(&self) -> Result<(), CacheError>;
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{Caps, MemoryStore};

    async fn open(_name: &str, caps: Caps) -> MemoryStore {
        MemoryStore::new(caps)
    }

    crate::cache_store_conformance!(native, open);
}
