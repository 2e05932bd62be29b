//! The in-memory [`CacheStore`]: the reference behaviour the IndexedDB store must match.
//! Plain sorted `Vec`s searched by bisection rather than `BTreeMap`s: each new map type costs
//! several KB of wasm, and messages almost always arrive at a conversation's end.

use std::cell::RefCell;

use tim_protocol::{ConversationInfo, Message};

use super::{CacheError, CacheStore, Caps, Changes, OutboxEntry, SeqRanges, Snapshot};

/// One conversation's messages (ascending seq) and known ranges.
#[derive(Default)]
struct Conv {
    id: String,
    messages: Vec<Message>,
    ranges: SeqRanges,
}

#[derive(Default)]
struct Inner {
    /// By conversation ID.
    convs: Vec<Conv>,
    /// By conversation ID.
    conversations: Vec<ConversationInfo>,
    cursor: u64,
    file_token: String,
    /// By `pos`.
    outbox: Vec<OutboxEntry>,
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

impl Conv {
    fn at(&self, seq: u64) -> Result<usize, usize> {
        self.messages.binary_search_by(|m| m.seq.cmp(&seq))
    }

    /// Drops the `n` oldest messages and forgets every seq up to them.
    fn drop_oldest(&mut self, n: usize) {
        if let Some(last) = self.messages.get(n.wrapping_sub(1)) {
            self.ranges.remove(1, last.seq);
        }
        self.messages.drain(..n.min(self.messages.len()));
    }
}

impl Inner {
    fn conv(&self, id: &str) -> Option<&Conv> {
        self.convs
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.convs[i])
    }

    fn conv_mut(&mut self, id: &str) -> &mut Conv {
        let i = match self.convs.binary_search_by(|c| c.id.as_str().cmp(id)) {
            Ok(i) => i,
            Err(i) => {
                let id = id.to_owned();
                self.convs.insert(
                    i,
                    Conv {
                        id,
                        ..Conv::default()
                    },
                );
                i
            }
        };
        &mut self.convs[i]
    }

    fn apply(&mut self, c: &Changes, caps: Caps) {
        for conv in &c.removed_conversations {
            self.convs.retain(|x| x.id != *conv);
            self.conversations.retain(|x| x.conversation_id != *conv);
        }
        for (conv, m) in c.messages.iter().filter(|(_, m)| m.seq > 0) {
            let x = self.conv_mut(conv);
            match x.at(m.seq) {
                Ok(i) => x.messages[i] = m.clone(),
                Err(i) => x.messages.insert(i, m.clone()),
            }
        }
        for (conv, seq) in &c.deleted {
            let x = self.conv_mut(conv);
            if let Ok(i) = x.at(*seq) {
                x.messages.remove(i);
            }
        }
        if c.replace_conversations {
            self.conversations.clear();
        }
        for info in &c.conversations {
            let id = info.conversation_id.as_str();
            match self
                .conversations
                .binary_search_by(|x| x.conversation_id.as_str().cmp(id))
            {
                Ok(i) => self.conversations[i] = info.clone(),
                Err(i) => self.conversations.insert(i, info.clone()),
            }
        }
        for (conv, lo, hi) in &c.known {
            self.conv_mut(conv).ranges.insert(*lo, *hi);
        }
        if let Some(cursor) = c.cursor {
            self.cursor = self.cursor.max(cursor);
        }
        if let Some(token) = &c.file_token {
            self.file_token.clone_from(token);
        }
        for e in &c.outbox_put {
            match self.outbox.binary_search_by(|x| x.pos.cmp(&e.pos)) {
                Ok(i) => self.outbox[i] = e.clone(),
                Err(i) => self.outbox.insert(i, e.clone()),
            }
        }
        self.outbox.retain(|x| !c.outbox_remove.contains(&x.pos));
        self.evict(c, caps);
    }

    /// Enforces the caps: per conversation for those this batch wrote to, then in total.
    fn evict(&mut self, c: &Changes, caps: Caps) {
        for (conv, _) in &c.messages {
            let x = self.conv_mut(conv);
            x.drop_oldest(
                x.messages
                    .len()
                    .saturating_sub(caps.per_conversation as usize),
            );
        }
        let total: usize = self.convs.iter().map(|x| x.messages.len()).sum();
        // One oldest message at a time: the overflow is about one batch, and this is the
        // fallback, so a scan beats a sorted index kept for nothing.
        for _ in caps.total as usize..total {
            let oldest = self
                .convs
                .iter_mut()
                .filter(|x| !x.messages.is_empty())
                .min_by_key(|x| x.messages.iter().map(|m| m.time).min());
            if let Some(x) = oldest {
                let i = x
                    .messages
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, m)| m.time)
                    .map_or(0, |(i, _)| i);
                let seq = x.messages[i].seq;
                x.messages.remove(i);
                x.ranges.remove(1, seq);
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
        let Some(x) = inner.conv(conv) else {
            return Ok(Vec::new());
        };
        let end = x.at(before).unwrap_or_else(|i| i);
        let start = end.saturating_sub(limit as usize);
        Ok(x.messages[start..end].to_vec())
    }

    async fn conversations(&self) -> Result<Vec<ConversationInfo>, CacheError> {
        Ok(self.inner.borrow().conversations.clone())
    }

    async fn ranges(&self, conv: &str) -> Result<SeqRanges, CacheError> {
        let inner = self.inner.borrow();
        Ok(inner
            .conv(conv)
            .map(|x| x.ranges.clone())
            .unwrap_or_default())
    }

    async fn cursor(&self) -> Result<u64, CacheError> {
        Ok(self.inner.borrow().cursor)
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, CacheError> {
        Ok(self.inner.borrow().outbox.clone())
    }

    async fn file_token(&self) -> Result<String, CacheError> {
        Ok(self.inner.borrow().file_token.clone())
    }

    async fn snapshot(&self, n: u32, page: u32) -> Result<Snapshot, CacheError> {
        let conversations = self.conversations().await?;
        let time = |c: &ConversationInfo| c.last_message.as_ref().map_or(0, |m| m.time);
        let mut recent: Vec<&ConversationInfo> = conversations.iter().collect();
        recent.sort_by_key(|c| std::cmp::Reverse(time(c)));
        let mut pages = Vec::new();
        for c in recent.into_iter().take(n as usize) {
            let id = c.conversation_id.clone();
            let newest = self.newest(&id, u64::MAX, page).await?;
            pages.push((id, newest));
        }
        Ok(Snapshot {
            pages,
            cursor: self.cursor().await?,
            outbox: self.outbox().await?,
            file_token: self.file_token().await?,
            conversations,
        })
    }

    async fn known_page(
        &self,
        conv: &str,
        before: u64,
        limit: u32,
    ) -> Result<(Vec<(u64, u64)>, Vec<Message>), CacheError> {
        let ranges = self.ranges(conv).await?.spans().to_vec();
        Ok((ranges, self.newest(conv, before, limit).await?))
    }

    async fn count(&self, conv: Option<&str>) -> Result<u32, CacheError> {
        let inner = self.inner.borrow();
        let n = match conv {
            Some(conv) => inner.conv(conv).map_or(0, |x| x.messages.len()),
            None => inner.convs.iter().map(|x| x.messages.len()).sum(),
        };
        Ok(n as u32)
    }

    async fn clear(&self) -> Result<(), CacheError> {
        *self.inner.borrow_mut() = Inner::default();
        Ok(())
    }
}
