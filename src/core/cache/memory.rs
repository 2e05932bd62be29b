//! The in-memory [`CacheStore`]: the reference behaviour the IndexedDB store must match.
//! Plain sorted `Vec`s searched by bisection rather than `BTreeMap`s: each new map type costs
//! several KB of wasm, and messages almost always arrive at a conversation's end.

use std::cell::RefCell;

use tim_protocol::{ConversationInfo, Message};

use super::trim::{Answers, Op, Trim};
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
}

/// The answer to a request of a [`Trim`] (`None` for a write).
enum Got {
    None,
    Count(u64),
    Keys(Vec<(String, u64)>),
    Ranges(SeqRanges),
}

impl Answers<String> for Vec<Got> {
    fn count(&self, i: usize) -> u64 {
        match self.get(i) {
            Some(Got::Count(n)) => *n,
            _ => 0,
        }
    }

    fn key(&self, i: usize, j: usize) -> Option<(String, u64)> {
        match self.get(i) {
            Some(Got::Keys(k)) => k.get(j).cloned(),
            _ => None,
        }
    }

    fn ranges(&self, i: usize) -> Vec<(u64, u64)> {
        match self.get(i) {
            Some(Got::Ranges(r)) => r.spans().to_vec(),
            _ => Vec::new(),
        }
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
        // The caps and known ranges: the rule the IndexedDB store runs too.
        let mut trim = Trim::new(c, caps);
        let mut got = Vec::new();
        loop {
            let mut next = Vec::new();
            if !trim.next(&got, |op| next.push(self.run(op))) {
                break;
            }
            got = next;
        }
    }

    /// One request of a [`Trim`], as `idb.js` runs it on IndexedDB.
    fn run(&mut self, op: Op<String>) -> Got {
        let keys = |x: &Conv, n: u64| -> Vec<(String, u64)> {
            let oldest = x.messages.iter().take(n as usize);
            oldest.map(|m| (x.id.clone(), m.seq)).collect()
        };
        match op {
            Op::Count(None) => Got::Count(self.convs.iter().map(|x| x.messages.len() as u64).sum()),
            Op::Count(Some(id)) => Got::Count(self.conv(id).map_or(0, |x| x.messages.len()) as u64),
            Op::Oldest(Some(id), n) => {
                Got::Keys(self.conv(id).map(|x| keys(x, n)).unwrap_or_default())
            }
            Op::Oldest(None, n) => {
                // IndexedDB's "t" index: by server time, then key.
                let mut all: Vec<(u64, &str, u64)> = (self.convs.iter())
                    .flat_map(|x| x.messages.iter().map(|m| (m.time, x.id.as_str(), m.seq)))
                    .collect();
                all.sort_unstable();
                let oldest = all.into_iter().take(n as usize);
                Got::Keys(oldest.map(|(_, id, seq)| (id.to_owned(), seq)).collect())
            }
            Op::Ranges(id) => {
                Got::Ranges(self.conv(id).map(|x| x.ranges.clone()).unwrap_or_default())
            }
            Op::Delete(id, seq) => {
                let x = self.conv_mut(id);
                if let Ok(i) = x.at(seq) {
                    x.messages.remove(i);
                }
                Got::None
            }
            Op::Put(id, ranges) => {
                self.conv_mut(id).ranges = ranges.clone();
                Got::None
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
