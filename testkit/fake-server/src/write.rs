//! The writes, as the server's store applies them (`store/sqlite/{write,change,notice}.rs`):
//! sends and imports, revoke, modify, per-user delete, read position, hide and pin, and
//! group system notices. Each returns what changed; `handle.rs` turns that into frames.

use std::collections::BTreeSet;
use std::mem::discriminant;

use tim_protocol::{codes, Change, Content, ConvType, Message, OutboundMessage};

use crate::model::{Key, Stored, Target};
use crate::{Fail, FakeServer};

/// A committed send.
pub(crate) struct Sent {
    pub message: Message,
    pub sender_sync_seq: u64,
    /// Every participant delivered to and its cursor (empty on a repeat).
    pub deliveries: Vec<(String, u64)>,
}

/// A revoke or modify.
pub(crate) struct Updated {
    pub message: Message,
    pub change: Change,
    pub requester_sync_seq: u64,
    pub deliveries: Vec<(String, u64)>,
}

/// A read-position change.
pub(crate) struct ReadState {
    pub conversation_id: String,
    pub read_seq: u64,
    pub unread: u32,
    pub changed: bool,
}

/// A group system notice: the user, its cursor, the message.
pub(crate) type Notice = (String, u64, Message);

/// tim-js-sdk operationType: created the group / was added to it.
const CREATED: u32 = 6;
const ADDED: u32 = 7;

fn not_found() -> Fail {
    (codes::MESSAGE_NOT_FOUND, "message not found".to_owned())
}

impl FakeServer {
    /// Commits a message; idempotent by (from, id). `imported` (a client's import): keeps its
    /// own time (when in the past), is shown to `from` alone, delivers nothing.
    pub(crate) fn commit(
        &mut self,
        from: &str,
        m: &OutboundMessage,
        imported: bool,
    ) -> Result<Sent, Fail> {
        if let Some((key, seq)) = self.sent.get(&(from.to_owned(), m.id.clone())) {
            let stored = self.stored_at(key, *seq).expect("sent message is stored");
            if stored.message.conv_type != m.conv_type || stored.message.to != m.to {
                return Err((
                    codes::INVALID_REQUEST,
                    "message id already used for another conversation".to_owned(),
                ));
            }
            return Ok(Sent {
                message: stored.message.clone(),
                sender_sync_seq: stored.sender_sync,
                deliveries: Vec::new(),
            });
        }
        let (key, participants) = match m.conv_type {
            ConvType::C2c => {
                let mut users = vec![from.to_owned()];
                if m.to != from {
                    users.push(m.to.clone());
                }
                (Key::c2c(from, &m.to), users)
            }
            ConvType::Group => {
                let members = self
                    .groups
                    .get(&m.to)
                    .ok_or((codes::GROUP_NOT_FOUND, "group not found".to_owned()))?;
                if !members.iter().any(|u| u == from) {
                    return Err((
                        codes::NOT_GROUP_MEMBER,
                        "not a member of the group".to_owned(),
                    ));
                }
                (Key::Group(m.to.clone()), members.clone())
            }
            ConvType::System => {
                return Err((codes::CONVERSATION_FORBIDDEN, m.to.clone()));
            }
        };
        let now = self.time;
        let time = if imported && (1..now).contains(&m.client_time) {
            m.client_time
        } else {
            now
        };
        let seq = self.last_seq(&key) + 1;
        let message = m.clone().committed(from.to_owned(), seq, time);
        let mut deliveries = Vec::new();
        let mut sender_sync_seq = 0;
        for user in participants {
            if imported {
                if user == from {
                    self.join(&user, &key);
                }
                continue;
            }
            // MSG_REMIND_DISCARD: stored, not delivered (nor counted).
            let discards = self
                .row(&user, &key)
                .is_some_and(|r| r.settings.remind == tim_protocol::REMIND_DISCARD && user != from);
            if discards {
                continue;
            }
            let sync_seq = self.deliver(&user, &key, seq, Change::New);
            self.touch(&user, &key, sync_seq);
            if user == from {
                sender_sync_seq = sync_seq;
            }
            deliveries.push((user, sync_seq));
        }
        self.convs.entry(key.clone()).or_default().push(Stored {
            message: message.clone(),
            imported,
            owner: imported.then(|| from.to_owned()),
            sender_sync: sender_sync_seq,
        });
        self.sent
            .insert((from.to_owned(), m.id.clone()), (key, seq));
        Ok(Sent {
            message,
            sender_sync_seq,
            deliveries,
        })
    }

    /// Imports `messages` from `from`: in `client_time` order, all or nothing.
    pub(crate) fn import(
        &mut self,
        from: &str,
        messages: &[OutboundMessage],
    ) -> Result<Vec<Message>, Fail> {
        let before = self.clone();
        let mut order: Vec<&OutboundMessage> = messages.iter().collect();
        order.sort_by_key(|m| m.client_time);
        let mut stored = Vec::with_capacity(order.len());
        for m in order {
            match self.commit(from, m, true) {
                Ok(sent) => stored.push(sent.message),
                Err(e) => {
                    *self = before;
                    return Err(e);
                }
            }
        }
        stored.sort_by_key(|m| m.seq);
        Ok(stored)
    }

    /// Delivers `change` of message `seq` to every participant it is shown to.
    fn deliver_all(&mut self, key: &Key, seq: u64, change: Change) -> Vec<(String, u64)> {
        self.participants(key)
            .into_iter()
            .filter(|u| self.stored_for(u, key, seq).is_some())
            .collect::<Vec<_>>()
            .into_iter()
            .map(|u| {
                let s = self.deliver(&u, key, seq, change);
                (u, s)
            })
            .collect()
    }

    /// A message `user` can change: it exists, is shown to `user`, not deleted by them.
    fn changeable(&self, user: &str, target: &Target, seq: u64) -> Result<(Key, Message), Fail> {
        let key = self.resolve(user, target)?.ok_or_else(not_found)?;
        match self.stored_for(user, &key, seq) {
            Some(s) if !self.is_deleted(user, &key, seq) => Ok((key, s.message.clone())),
            _ => Err(not_found()),
        }
    }

    fn store(&mut self, key: &Key, message: &Message) {
        let i = (message.seq - 1) as usize;
        if let Some(s) = self.convs.get_mut(key).and_then(|l| l.get_mut(i)) {
            s.message = message.clone();
        }
    }

    fn updated(message: Message, change: Change, user: &str, d: Vec<(String, u64)>) -> Updated {
        let requester_sync_seq = d.iter().find(|(u, _)| u == user).map_or(0, |(_, s)| *s);
        Updated {
            message,
            change,
            requester_sync_seq,
            deliveries: d,
        }
    }

    /// The sender revokes a message within the revoke window; a repeat changes nothing.
    pub(crate) fn revoke(
        &mut self,
        user: &str,
        target: &Target,
        seq: u64,
    ) -> Result<Updated, Fail> {
        let (key, mut message) = self.changeable(user, target, seq)?;
        if message.from != user {
            return Err((codes::NOT_MESSAGE_SENDER, "not the sender".to_owned()));
        }
        if !message.revoked && self.time.saturating_sub(message.time) > self.revoke_window {
            return Err((codes::REVOKE_TIME_LIMIT, "revoke window passed".to_owned()));
        }
        if message.revoked {
            // The requester's cursor is that of the first revoke.
            let first = self.users.get(user).and_then(|u| {
                u.log
                    .iter()
                    .position(|(k, s, c)| *k == key && *s == seq && *c == Change::Revoked)
            });
            return Ok(Updated {
                message,
                change: Change::Revoked,
                requester_sync_seq: first.map_or(0, |i| i as u64 + 1),
                deliveries: Vec::new(),
            });
        }
        message.revoked = true;
        self.store(&key, &message);
        let d = self.deliver_all(&key, seq, Change::Revoked);
        Ok(Self::updated(message, Change::Revoked, user, d))
    }

    /// The sender replaces content (same type) and cloudCustomData of the current version.
    pub(crate) fn modify(
        &mut self,
        user: &str,
        target: &Target,
        seq: u64,
        version: u32,
        content: Content,
        cloud_custom_data: String,
    ) -> Result<Updated, Fail> {
        let (key, mut message) = self.changeable(user, target, seq)?;
        if message.from != user {
            return Err((codes::NOT_MESSAGE_SENDER, "not the sender".to_owned()));
        }
        if message.revoked {
            return Err(not_found());
        }
        if discriminant(&message.content) != discriminant(&content) {
            return Err((codes::MODIFY_TYPE_MISMATCH, "type mismatch".to_owned()));
        }
        if message.version != version {
            return Err((codes::MODIFY_CONFLICT, "version conflict".to_owned()));
        }
        message.content = content;
        message.cloud_custom_data = cloud_custom_data;
        message.version += 1;
        self.store(&key, &message);
        let d = self.deliver_all(&key, seq, Change::Modified);
        Ok(Self::updated(message, Change::Modified, user, d))
    }

    /// Deletes messages for `user` only; unknown and already deleted ones are skipped.
    /// Returns the user's deliveries of the deletions.
    pub(crate) fn delete(
        &mut self,
        user: &str,
        target: &Target,
        seqs: &[u64],
    ) -> Result<Vec<(u64, Message)>, Fail> {
        let Some(key) = self.resolve(user, target)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for seq in seqs.iter().copied().collect::<BTreeSet<_>>() {
            let Some(message) = self.stored_for(user, &key, seq).map(|s| s.message.clone()) else {
                continue;
            };
            if self.user(user).deleted.insert((key.clone(), seq)) {
                out.push((self.deliver(user, &key, seq, Change::Deleted), message));
            }
        }
        Ok(out)
    }

    /// Moves `user`'s read position (never back, never past the last message).
    pub(crate) fn read(
        &mut self,
        user: &str,
        target: &Target,
        seq: u64,
    ) -> Result<ReadState, Fail> {
        let conversation_id = target.id();
        let Some(key) = self.resolve(user, target)? else {
            return Ok(ReadState {
                conversation_id,
                read_seq: 0,
                unread: 0,
                changed: false,
            });
        };
        let old = self.row(user, &key).map_or(0, |r| r.read_seq);
        let new = old.max(seq.min(self.last_seq(&key)));
        // As the server's UPDATE: a user without a row (only a peer's private import in the
        // conversation) gets the answer but no row.
        if new != old && self.row(user, &key).is_some() {
            self.row_mut(user, &key).read_seq = new;
        }
        Ok(ReadState {
            conversation_id,
            read_seq: new,
            unread: self.unread(user, &key, new),
            changed: new != old,
        })
    }

    /// Hides (`DeleteConversation`) or pins a conversation for `user`: (hidden, pinned,
    /// changed). Pinning a C2C conversation before its first message keeps the pin.
    pub(crate) fn conv_state(
        &mut self,
        user: &str,
        target: &Target,
        hidden: Option<bool>,
        pinned: Option<bool>,
    ) -> Result<(bool, bool, bool), Fail> {
        let key = match (self.resolve(user, target)?, target) {
            (Some(key), _) => key,
            (None, Target::C2c(_)) if pinned == Some(true) => {
                let key = target.key(user);
                self.convs.entry(key.clone()).or_default();
                key
            }
            (None, _) => return Ok((false, false, false)),
        };
        let row = self.row_mut(user, &key);
        let before = (row.hidden, row.pinned);
        row.hidden = hidden.unwrap_or(row.hidden);
        row.pinned = pinned.unwrap_or(row.pinned);
        let after = (row.hidden, row.pinned);
        Ok((after.0, after.1, after != before))
    }

    /// Commits a group system notice to `user`'s system conversation and delivers it.
    pub(crate) fn notice(&mut self, user: &str, group_id: &str, operation_type: u32) -> Notice {
        let key = Key::System(user.to_owned());
        let seq = self.last_seq(&key) + 1;
        let info = self.group_info.get(group_id).cloned().unwrap_or_default();
        let content = Content::GroupSystemNotice {
            operator_id: info.owner.unwrap_or_default(),
            operation_type,
            group_id: group_id.to_owned(),
            group_name: info.name,
        };
        let message = Message::system_notice(user, seq, self.time, content);
        let sync_seq = self.deliver(user, &key, seq, Change::New);
        self.touch(user, &key, sync_seq);
        self.convs.entry(key).or_default().push(Stored {
            message: message.clone(),
            imported: false,
            owner: None,
            sender_sync: 0,
        });
        (user.to_owned(), sync_seq, message)
    }

    /// Makes `user` a member of `group_id` (with its row); a notice if new.
    pub(crate) fn add_member(&mut self, group_id: &str, user: &str) -> Option<Notice> {
        let members = self.groups.entry(group_id.to_owned()).or_default();
        if members.iter().any(|m| m == user) {
            return None;
        }
        members.push(user.to_owned());
        let key = Key::Group(group_id.to_owned());
        self.join(user, &key);
        // As the server: a new member's unread starts at the group's newest message.
        let last_seq = self.last_seq(&key);
        self.row_mut(user, &key).read_seq = last_seq;
        let owner = self.group_info.get(group_id).and_then(|g| g.owner.clone());
        let kind = if owner.as_deref() == Some(user) {
            CREATED
        } else {
            ADDED
        };
        Some(self.notice(user, group_id, kind))
    }
}
