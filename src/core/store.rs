//! Messages kept in memory: per conversation by server `seq` (the only order that counts) with
//! an index by message ID, so a message seen twice (push, sync page, send ack, history) is
//! stored once.

use std::collections::{HashMap, HashSet, VecDeque};

use tim_protocol::Message;

use super::cache::SeqRanges;

pub(super) struct Stored {
    pub(super) msg: Message,
    /// Delivered as new (push, sync or own ack) rather than only read from history: a later
    /// delivery of a merely fetched message is still news to the application.
    pub(super) announced: bool,
}

/// What [`MessageStore::insert`] found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Inserted {
    /// Not known before.
    New,
    /// Known but never announced; now it is, if asked.
    Unannounced,
    /// Already announced.
    Announced,
}

/// One conversation's messages by ascending seq. A `VecDeque` searched by bisection rather
/// than a `BTreeMap` (each map type costs kilobytes of wasm): messages arrive at either end
/// (pushes at the newest, history pages at the oldest), where inserting is O(1).
#[derive(Default)]
struct Seqs(
    VecDeque<Stored>,
    /// Seqs known contiguously *here*: every one is stored or known gone. Kept beside the
    /// messages rather than in a second map by conversation (one map type less in the wasm).
    SeqRanges,
);

impl Seqs {
    fn find(&self, seq: u64) -> Result<usize, usize> {
        self.0.binary_search_by(|s| s.msg.seq.cmp(&seq))
    }

    fn get(&self, seq: u64) -> Option<&Stored> {
        self.find(seq).ok().map(|i| &self.0[i])
    }

    fn get_mut(&mut self, seq: u64) -> Option<&mut Stored> {
        self.find(seq).ok().map(|i| &mut self.0[i])
    }

    /// The stored messages with `lo <= seq < hi`, ascending.
    fn between(&self, lo: u64, hi: u64) -> std::collections::vec_deque::Iter<'_, Stored> {
        let at = |seq| self.find(seq).unwrap_or_else(|i| i);
        self.0.range(at(lo)..at(hi).max(at(lo)))
    }
}

/// The store's changes the persistent cache has not taken yet.
#[derive(Default)]
pub(super) struct Writes {
    /// IDs of the messages stored or changed: the cache reads them from the store, not copies.
    pub(super) written: Vec<String>,
    /// Deleted, `(conversation, seq)`.
    pub(super) gone: Vec<(String, u64)>,
    /// Ranges learnt from the server.
    pub(super) learnt: Vec<(String, u64, u64)>,
    /// Changed messages not held here, for the cache (which may hold them).
    pub(super) unheld: Vec<(String, Message)>,
}

#[derive(Default)]
pub(super) struct MessageStore {
    by_conv: HashMap<String, Seqs>,
    by_id: HashMap<String, (String, u64)>,
    /// IDs this user deleted: never stored again (a late push, sync page or history page).
    deleted: HashSet<String>,
    /// What changed since the cache last took it (write-through, see `warm.rs`); private, so
    /// the only way out is [`MessageStore::take_writes`].
    log: Writes,
}

impl MessageStore {
    /// Stores `msg` in `conv` unless known (by ID or by seq); `announce` marks it delivered.
    /// A deleted message counts as known and announced.
    pub(super) fn insert(&mut self, conv: &str, msg: &Message, announce: bool) -> Inserted {
        if self.deleted.contains(&msg.id) {
            return Inserted::Announced;
        }
        let key = self
            .by_id
            .get(&msg.id)
            .cloned()
            .unwrap_or_else(|| (conv.to_owned(), msg.seq));
        let slot = self.by_conv.get_mut(&key.0).and_then(|m| m.get_mut(key.1));
        if let Some(stored) = slot {
            let was = stored.announced;
            stored.announced |= announce;
            return if was {
                Inserted::Announced
            } else {
                Inserted::Unannounced
            };
        }
        self.by_id
            .insert(msg.id.clone(), (conv.to_owned(), msg.seq));
        self.learn(conv, msg.seq, msg.seq, false);
        let stored = Stored {
            msg: msg.clone(),
            announced: announce,
        };
        let seqs = self.by_conv.entry(conv.to_owned()).or_default();
        // Not found above, so `find` gives the insertion point.
        if let Err(i) = seqs.find(msg.seq) {
            seqs.0.insert(i, stored);
        }
        self.log.written.push(msg.id.clone());
        Inserted::New
    }

    /// Replaces a stored message by its changed state (revoked, modified); returns the state
    /// it replaced, or `None` (storing nothing) when the message is not stored.
    pub(super) fn replace(&mut self, msg: &Message) -> Option<Message> {
        let (conv, seq) = self.by_id.get(&msg.id)?;
        let stored = self.by_conv.get_mut(conv)?.get_mut(*seq)?;
        let mut next = msg.clone();
        next.seq = *seq;
        self.log.written.push(msg.id.clone());
        Some(std::mem::replace(&mut stored.msg, next))
    }

    /// Deletes the message at `conv`/`seq` for good; returns it if it was stored.
    /// Either way the seq is known gone, here and in the cache.
    pub(super) fn remove(&mut self, conv: &str, seq: u64) -> Option<Message> {
        self.log.gone.push((conv.to_owned(), seq));
        self.learn(conv, seq, seq, false);
        let seqs = self.by_conv.get_mut(conv)?;
        let stored = seqs.0.remove(seqs.find(seq).ok()?)?;
        self.by_id.remove(&stored.msg.id);
        self.deleted.insert(stored.msg.id.clone());
        Some(stored.msg)
    }

    /// Drops this instance's copy of `conv`'s messages without marking them deleted: the
    /// next history page fetches them from the server again.
    pub(super) fn drop_conversation(&mut self, conv: &str) {
        if let Some(msgs) = self.by_conv.remove(conv) {
            for stored in &msgs.0 {
                self.by_id.remove(&stored.msg.id);
            }
        }
    }

    /// Marks `[lo, hi]` of `conv` known (`write`: learnt from the server, for the cache too).
    pub(super) fn learn(&mut self, conv: &str, lo: u64, hi: u64, write: bool) {
        if lo == 0 || lo > hi {
            return;
        }
        self.by_conv
            .entry(conv.to_owned())
            .or_default()
            .1
            .insert(lo, hi);
        if write {
            self.log.learnt.push((conv.to_owned(), lo, hi));
        }
    }

    /// The newest `count` stored messages of the known span of `conv` just below `top`,
    /// ascending; the span's lowest seq (`top` when none); whether the span holds older ones.
    pub(super) fn known_page(
        &self,
        conv: &str,
        top: u64,
        count: usize,
    ) -> (Vec<&Message>, u64, bool) {
        let seqs = self.by_conv.get(conv);
        let span = seqs.and_then(|k| k.1.span_of(top.saturating_sub(1)));
        let lo = span.map_or(top, |(lo, _)| lo);
        let mut page: Vec<&Message> = seqs
            .into_iter()
            .flat_map(|m| m.between(lo, top).rev().map(|s| &s.msg))
            .take(count + 1)
            .collect();
        let more = page.len() > count;
        page.truncate(count);
        page.reverse();
        (page, lo, more)
    }

    /// A change to a message not held here goes to the cache as is (it may hold it).
    pub(super) fn unheld_change(&mut self, m: &Message, unheld: bool, me: &str) {
        if unheld && m.seq > 0 {
            self.log.unheld.push((m.conversation_id_for(me), m.clone()));
        }
    }

    /// Hands over the changes logged since the last call.
    pub(super) fn take_writes(&mut self) -> Writes {
        std::mem::take(&mut self.log)
    }

    /// A point in the log of stored messages, for [`Self::unlog_since`].
    pub(super) fn log_mark(&self) -> usize {
        self.log.written.len()
    }

    /// Drops from the log the messages stored since `mark`: they were read from the cache,
    /// so there is nothing to write back.
    pub(super) fn unlog_since(&mut self, mark: usize) {
        self.log.written.truncate(mark);
    }

    /// Remembers a deleted message that was not stored.
    pub(super) fn forget(&mut self, id: &str) {
        self.deleted.insert(id.to_owned());
    }

    pub(super) fn is_deleted(&self, id: &str) -> bool {
        self.deleted.contains(id)
    }

    /// A stored message by ID.
    pub(super) fn get(&self, id: &str) -> Option<&Message> {
        let (conv, seq) = self.by_id.get(id)?;
        self.by_conv.get(conv)?.get(*seq).map(|s| &s.msg)
    }

    /// The stored messages of `conv` with `after < seq <= upto`, ascending.
    pub(super) fn between<'a>(
        &'a self,
        conv: &str,
        after: u64,
        upto: u64,
    ) -> impl Iterator<Item = &'a Message> + 'a {
        self.after(conv, after).take_while(move |m| m.seq <= upto)
    }

    /// The conversation and seq of a stored message.
    pub(super) fn locate(&self, id: &str) -> Option<(&str, u64)> {
        self.by_id.get(id).map(|(c, s)| (c.as_str(), *s))
    }

    /// Highest stored seq of a conversation.
    pub(super) fn newest(&self, conv: &str) -> Option<&Message> {
        self.by_conv
            .get(conv)
            .and_then(|m| m.0.back())
            .map(|s| &s.msg)
    }

    /// Stored messages of `conv` with `seq > after`, ascending.
    pub(super) fn after<'a>(
        &'a self,
        conv: &str,
        after: u64,
    ) -> impl Iterator<Item = &'a Message> + 'a {
        self.by_conv.get(conv).into_iter().flat_map(move |m| {
            let from = m.0.partition_point(|s| s.msg.seq <= after);
            m.0.range(from..).map(|s| &s.msg)
        })
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.by_id.len()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use tim_protocol::{Content, ConvType, OutboundMessage};

    pub(crate) fn m(id: &str, seq: u64) -> Message {
        let text = Content::Text { text: id.into() };
        let out = OutboundMessage {
            client_time: 1,
            ..OutboundMessage::new(ConvType::C2c, "a", id, text)
        };
        out.committed("b".into(), seq, 1)
    }

    #[test]
    fn dedup_by_id_and_by_seq() {
        let mut s = MessageStore::default();
        assert_eq!(s.insert("C2Cb", &m("x", 2), false), Inserted::New);
        assert_eq!(s.insert("C2Cb", &m("x", 2), true), Inserted::Unannounced);
        assert_eq!(s.insert("C2Cb", &m("x", 2), true), Inserted::Announced);
        assert_eq!(
            s.insert("C2Cb", &m("y", 2), false),
            Inserted::Announced,
            "same conv+seq"
        );
        assert_eq!(s.insert("C2Cb", &m("z", 1), true), Inserted::New);
        assert_eq!(s.len(), 2);
        assert_eq!(s.locate("x"), Some(("C2Cb", 2)));
        assert_eq!(s.newest("C2Cb").map(|m| m.seq), Some(2));
        assert_eq!(
            s.after("C2Cb", 1).map(|m| m.seq).collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!(s.after("C2Cx", 0).count(), 0);
        let mut changed = m("x", 2);
        changed.revoked = true;
        assert_eq!(s.replace(&changed).map(|p| p.revoked), Some(false));
        assert!(s.get("x").is_some_and(|m| m.revoked));
        assert!(s.replace(&m("unknown", 9)).is_none());
        assert_eq!(s.remove("C2Cb", 2).map(|m| m.id), Some("x".to_owned()));
        assert_eq!(
            s.insert("C2Cb", &m("x", 2), true),
            Inserted::Announced,
            "deleted stays gone"
        );
        assert!(s.get("x").is_none() && s.locate("x").is_none());
        assert_eq!(s.newest("C2Cb").map(|m| m.seq), Some(1));
    }
}
