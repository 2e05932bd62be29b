//! The IndexedDB schema and its migrations: one step per version, run in the upgrade
//! transaction in order from the stored version. Add a step and bump [`VERSION`]; never edit a
//! released step.
//!
//! Stores (v1):
//! - `messages`: `{c, s, t, m}`, key `[c, s]` (conversation, seq), so one conversation's
//!   messages are one key range in seq order; index `t` (server time) for eviction overall.
//! - `conversations`: the wire `ConversationInfo`, key `conversation_id`.
//! - `ranges`: `{c, r}`, the seqs of `c` known contiguous.
//! - `meta`: out-of-line keys; `cursor` is the sync cursor.
//! - `outbox`: `{pos, c, m}`, key `pos` (send order).

use idb::{Database, Error, IndexParams, KeyPath, ObjectStoreParams};

pub(super) const VERSION: u32 = 1;

pub(super) const MESSAGES: &str = "messages";
pub(super) const CONVERSATIONS: &str = "conversations";
pub(super) const RANGES: &str = "ranges";
pub(super) const META: &str = "meta";
pub(super) const OUTBOX: &str = "outbox";
pub(super) const ALL: [&str; 5] = [MESSAGES, CONVERSATIONS, RANGES, META, OUTBOX];

/// Index of `messages` by server time.
pub(super) const BY_TIME: &str = "t";

fn keyed(path: Option<KeyPath>) -> ObjectStoreParams {
    let mut p = ObjectStoreParams::new();
    p.key_path(path);
    p
}

/// Upgrades a database at `old` (0 when new) to [`VERSION`].
pub(super) fn upgrade(db: &Database, old: u32) -> Result<(), Error> {
    if old < 1 {
        let messages =
            db.create_object_store(MESSAGES, keyed(Some(KeyPath::new_array(["c", "s"]))))?;
        messages.create_index(BY_TIME, KeyPath::new_single("t"), Some(IndexParams::new()))?;
        db.create_object_store(
            CONVERSATIONS,
            keyed(Some(KeyPath::new_single("conversation_id"))),
        )?;
        db.create_object_store(RANGES, keyed(Some(KeyPath::new_single("c"))))?;
        db.create_object_store(META, keyed(None))?;
        db.create_object_store(OUTBOX, keyed(Some(KeyPath::new_single("pos"))))?;
    }
    Ok(())
}
