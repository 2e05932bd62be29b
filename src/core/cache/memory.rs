//! The in-memory [`CacheStore`]: the reference behaviour the IndexedDB store must match, and
//! the fallback when IndexedDB is unavailable (private mode, blocked upgrade, deleted).

use std::cell::RefCell;
use std::collections::BTreeMap;

use tim_protocol::{ConversationInfo, Message};

use super::{CacheError, CacheStore, Caps, Changes, OutboxEntry, SeqRanges};

#[derive(Default)]
struct Inner {
    messages: BTreeMap<(String, u64), Message>,
    conversations: BTreeMap<String, ConversationInfo>,
    ranges: BTreeMap<String, SeqRanges>,
    cursor: u64,
    outbox: BTreeMap<u64, OutboxEntry>,
}

/// A [`CacheStore`] in memory.
#[derive(Default)]
pub struct MemoryStore {
    caps: Caps,
    inner: RefCell<Inner>,
}

impl MemoryStore {
    /// An empty store bounded by `caps`.
    pub fn new(caps: Caps) -> MemoryStore {
        MemoryStore {
            caps,
            inner: RefCell::default(),
        }
    }
}

fn conv_keys(conv: &str) -> std::ops::RangeInclusive<(String, u64)> {
    (conv.to_owned(), 0)..=(conv.to_owned(), u64::MAX)
}

impl Inner {
    fn apply(&mut self, c: &Changes, caps: Caps) {
        for conv in &c.removed_conversations {
            self.conversations.remove(conv);
            self.ranges.remove(conv);
            let keys: Vec<_> = self
                .messages
                .range(conv_keys(conv))
                .map(|(k, _)| k.clone())
                .collect();
            for k in keys {
                self.messages.remove(&k);
            }
        }
        for (conv, m) in c.messages.iter().filter(|(_, m)| m.seq > 0) {
            self.messages.insert((conv.clone(), m.seq), m.clone());
        }
        for (conv, seq) in &c.deleted {
            self.messages.remove(&(conv.clone(), *seq));
        }
        for info in &c.conversations {
            self.conversations
                .insert(info.conversation_id.clone(), info.clone());
        }
        for (conv, lo, hi) in &c.known {
            self.ranges
                .entry(conv.clone())
                .or_default()
                .insert(*lo, *hi);
        }
        if let Some(cursor) = c.cursor {
            self.cursor = self.cursor.max(cursor);
        }
        for e in &c.outbox_put {
            self.outbox.insert(e.pos, e.clone());
        }
        for pos in &c.outbox_remove {
            self.outbox.remove(pos);
        }
        self.evict(c, caps);
    }

    /// Enforces the caps: per conversation for those this batch wrote to, then in total.
    fn evict(&mut self, c: &Changes, caps: Caps) {
        let mut touched: Vec<&String> = c.messages.iter().map(|(conv, _)| conv).collect();
        touched.dedup();
        let mut gone: Vec<(String, u64)> = Vec::new();
        for conv in touched {
            let seqs: Vec<u64> = self
                .messages
                .range(conv_keys(conv))
                .map(|(k, _)| k.1)
                .collect();
            let over = seqs.len().saturating_sub(caps.per_conversation as usize);
            gone.extend(seqs[..over].iter().map(|s| (conv.clone(), *s)));
        }
        self.forget(&gone);
        let over = self.messages.len().saturating_sub(caps.total as usize);
        if over > 0 {
            let mut all: Vec<(u64, &(String, u64))> =
                self.messages.iter().map(|(k, m)| (m.time, k)).collect();
            all.sort_unstable();
            let gone: Vec<(String, u64)> = all[..over].iter().map(|(_, k)| (*k).clone()).collect();
            self.forget(&gone);
        }
    }

    /// Removes evicted messages and every known seq up to them (fetched again if needed).
    fn forget(&mut self, gone: &[(String, u64)]) {
        for key in gone {
            self.messages.remove(key);
            if let Some(r) = self.ranges.get_mut(&key.0) {
                r.remove(1, key.1);
            }
        }
    }
}

impl CacheStore for MemoryStore {
    async fn apply(&self, changes: &Changes) -> Result<(), CacheError> {
        self.inner.borrow_mut().apply(changes, self.caps);
        Ok(())
    }

    async fn newest(
        &self,
        conv: &str,
        before: u64,
        limit: u32,
    ) -> Result<Vec<Message>, CacheError> {
        let inner = self.inner.borrow();
        let upper = (conv.to_owned(), before);
        let mut page: Vec<Message> = inner
            .messages
            .range((conv.to_owned(), 0)..upper)
            .rev()
            .take(limit as usize)
            .map(|(_, m)| m.clone())
            .collect();
        page.reverse();
        Ok(page)
    }

    async fn conversations(&self) -> Result<Vec<ConversationInfo>, CacheError> {
        Ok(self
            .inner
            .borrow()
            .conversations
            .values()
            .cloned()
            .collect())
    }

    async fn ranges(&self, conv: &str) -> Result<SeqRanges, CacheError> {
        Ok(self
            .inner
            .borrow()
            .ranges
            .get(conv)
            .cloned()
            .unwrap_or_default())
    }

    async fn cursor(&self) -> Result<u64, CacheError> {
        Ok(self.inner.borrow().cursor)
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, CacheError> {
        Ok(self.inner.borrow().outbox.values().cloned().collect())
    }

    async fn count(&self, conv: Option<&str>) -> Result<u32, CacheError> {
        let inner = self.inner.borrow();
        let n = match conv {
            Some(conv) => inner.messages.range(conv_keys(conv)).count(),
            None => inner.messages.len(),
        };
        Ok(n as u32)
    }

    async fn clear(&self) -> Result<(), CacheError> {
        *self.inner.borrow_mut() = Inner::default();
        Ok(())
    }
}
