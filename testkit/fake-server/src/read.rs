//! The reads, as the server's store answers them (`store/sqlite/read.rs`): history pages,
//! hopping, lookups by sequence, the delivery log and the conversation list.

use tim_protocol::{
    conversation_id, ConvType, ConversationInfo, Message, SyncItem, MAX_HISTORY_PAGE,
    MAX_SYNC_PAGE, REMIND_DISCARD, SYSTEM_CONVERSATION_ID,
};

use crate::model::{Key, Target};
use crate::{Fail, FakeServer};

impl FakeServer {
    /// The messages of `key` that `user` is shown (not deleted, not cleared), as they see them.
    pub(crate) fn shown_messages(&self, user: &str, key: &Key) -> Vec<Message> {
        self.stored(key)
            .iter()
            .filter(|s| self.shown(user, key, s.message.seq))
            .map(|s| s.message.clone().seen_by(user))
            .collect()
    }

    /// Up to `count` (1..=15) messages with `seq < before_seq`, and whether none is older.
    pub(crate) fn history(
        &self,
        user: &str,
        target: &Target,
        before_seq: Option<u64>,
        count: u32,
    ) -> Result<(Vec<Message>, bool), Fail> {
        let Some(key) = self.resolve(user, target)? else {
            return Ok((Vec::new(), true));
        };
        let count = count.clamp(1, MAX_HISTORY_PAGE) as usize;
        let below: Vec<Message> = self
            .shown_messages(user, &key)
            .into_iter()
            .filter(|m| before_seq.is_none_or(|b| m.seq < b))
            .collect();
        let page = below[below.len().saturating_sub(count)..].to_vec();
        let complete = below.len() == page.len();
        Ok((page, complete))
    }

    /// getMessageListHopping: from a sequence or a server time (inclusive), either way.
    pub(crate) fn hop(
        &self,
        user: &str,
        target: &Target,
        at: (Option<u64>, Option<u64>),
        newer: bool,
        count: u32,
    ) -> Result<(Vec<Message>, bool), Fail> {
        let Some(key) = self.resolve(user, target)? else {
            return Ok((Vec::new(), true));
        };
        let count = count.clamp(1, MAX_HISTORY_PAGE) as usize;
        let point = |m: &Message| match at {
            (Some(_), _) => m.seq,
            _ => m.time,
        };
        let from = at.0.or(at.1).unwrap_or(0);
        let mut way: Vec<Message> = self
            .shown_messages(user, &key)
            .into_iter()
            .filter(|m| {
                if newer {
                    point(m) >= from
                } else {
                    point(m) <= from
                }
            })
            .collect();
        if !newer {
            way.reverse();
        }
        let complete = way.len() <= count;
        way.truncate(count);
        way.sort_by_key(|m| m.seq);
        Ok((way, complete))
    }

    /// The shown messages with these sequences, ascending, without repeats.
    pub(crate) fn fetch(
        &self,
        user: &str,
        target: &Target,
        seqs: &[u64],
    ) -> Result<Vec<Message>, Fail> {
        let Some(key) = self.resolve(user, target)? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<Message> = self
            .shown_messages(user, &key)
            .into_iter()
            .filter(|m| seqs.contains(&m.seq))
            .collect();
        out.sort_by_key(|m| m.seq);
        out.dedup_by_key(|m| m.seq);
        Ok(out)
    }

    /// Deliveries after `since`, oldest first, each message in its current state; those of
    /// messages the user deleted or cleared are left out (the deletions themselves are not).
    pub(crate) fn sync(&self, user: &str, since: u64, limit: u32) -> (Vec<SyncItem>, bool) {
        let limit = limit.clamp(1, MAX_SYNC_PAGE) as usize;
        let log = self
            .users
            .get(user)
            .map(|u| u.log.as_slice())
            .unwrap_or_default();
        let mut items: Vec<SyncItem> = log
            .iter()
            .enumerate()
            .skip(usize::try_from(since).unwrap_or(usize::MAX))
            .filter(|(_, (key, seq, change))| {
                *change == tim_protocol::Change::Deleted || self.shown(user, key, *seq)
            })
            .filter_map(|(i, (key, seq, change))| {
                let message = self.stored_at(key, *seq)?.message.clone().seen_by(user);
                Some(SyncItem {
                    sync_seq: i as u64 + 1,
                    message,
                    change: *change,
                })
            })
            .take(limit + 1)
            .collect();
        let complete = items.len() <= limit;
        items.truncate(limit);
        (items, complete)
    }

    /// `user`'s listed conversations: pinned first, then by the last new delivery (newest
    /// first), then newest row first. Hidden ones and C2C pairs without messages are not listed.
    pub fn conversations(&self, user: &str) -> Vec<ConversationInfo> {
        let Some(me) = self.users.get(user) else {
            return Vec::new();
        };
        let mut rows: Vec<_> = me
            .rows
            .iter()
            .filter(|(key, row)| {
                !row.hidden && (matches!(key, Key::Group(_)) || self.last_seq(key) > 0)
            })
            .collect();
        rows.sort_by_key(|(_, r)| std::cmp::Reverse((r.pinned, r.sort_key, r.rowid)));
        rows.into_iter()
            .map(|(key, row)| {
                let (conv_type, peer) = match key {
                    Key::C2c(a, b) if a == user => (ConvType::C2c, b.clone()),
                    Key::C2c(a, _) => (ConvType::C2c, a.clone()),
                    Key::Group(g) => (ConvType::Group, g.clone()),
                    Key::System(_) => (ConvType::System, String::new()),
                };
                let peer_read_seq = match key {
                    Key::C2c(..) => self.row(&peer, key).map_or(0, |r| r.read_seq),
                    _ => 0,
                };
                let group_name = match key {
                    Key::Group(g) => self
                        .group_info
                        .get(g)
                        .map(|i| i.name.clone())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let conversation_id = match conv_type {
                    ConvType::System => SYSTEM_CONVERSATION_ID.to_owned(),
                    _ => conversation_id(conv_type, &peer),
                };
                ConversationInfo {
                    conversation_id,
                    conv_type,
                    peer,
                    read_seq: row.read_seq,
                    unread: if row.settings.remind == REMIND_DISCARD {
                        0
                    } else {
                        self.unread(user, key, row.read_seq)
                    },
                    last_message: self.shown_messages(user, key).pop(),
                    group_name,
                    peer_read_seq,
                    pinned: row.pinned,
                    settings: row.settings.clone(),
                }
            })
            .collect()
    }
}
