//! The fake's data, shaped like the server's tables: conversations and their messages
//! (`convs`, `messages`), each user's side of a conversation (`user_convs`: read position,
//! list order, hidden, pinned, settings), each user's delivery log (`inbox`) and deletions
//! (`deleted`), and the lookups every command shares (`resolve`, participants, unread).

use std::collections::{BTreeSet, HashMap, HashSet};

use tim_protocol::{
    codes, conversation_id, parse_conversation_id, Change, ConvGroup, ConvSettings, ConvType,
    Message, SYSTEM_CONVERSATION_ID,
};

use crate::{validate, Fail, FakeServer};

/// A conversation's identity (the server's `convs` row): a C2C pair with the smaller user ID
/// first, a group, or one user's system conversation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Key {
    C2c(String, String),
    Group(String),
    System(String),
}

impl Key {
    pub(crate) fn c2c(x: &str, y: &str) -> Key {
        if x <= y {
            Key::C2c(x.to_owned(), y.to_owned())
        } else {
            Key::C2c(y.to_owned(), x.to_owned())
        }
    }
}

/// A conversation as a request names it (the server's `Conv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    C2c(String),
    Group(String),
    System,
}

impl Target {
    /// Parses a conversation ID as the server does: `INVALID_REQUEST` unless `C2C<id>`,
    /// `GROUP<id>` (a valid ID) or the system conversation.
    pub(crate) fn parse(conversation_id: &str) -> Result<Target, Fail> {
        let (conv_type, peer) = parse_conversation_id(conversation_id).ok_or_else(|| {
            (
                codes::INVALID_REQUEST,
                "conversationID must be C2C<userID> or GROUP<groupID>".to_owned(),
            )
        })?;
        if conv_type == ConvType::System {
            return Ok(Target::System);
        }
        validate::id("conversation peer", peer)?;
        Ok(match conv_type {
            ConvType::Group => Target::Group(peer.to_owned()),
            _ => Target::C2c(peer.to_owned()),
        })
    }

    /// The conversation ID, normalised.
    pub(crate) fn id(&self) -> String {
        match self {
            Target::C2c(p) => conversation_id(ConvType::C2c, p),
            Target::Group(g) => conversation_id(ConvType::Group, g),
            Target::System => SYSTEM_CONVERSATION_ID.to_owned(),
        }
    }

    pub(crate) fn key(&self, user: &str) -> Key {
        match self {
            Target::C2c(p) => Key::c2c(user, p),
            Target::Group(g) => Key::Group(g.clone()),
            Target::System => Key::System(user.to_owned()),
        }
    }
}

/// One stored message.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    /// Its current state (revoked, modified).
    pub message: Message,
    /// Imported: never delivered, never unread.
    pub imported: bool,
    /// A client's import: shown to this user alone (`None`: to every participant).
    pub owner: Option<String>,
    /// The sender's delivery cursor for it (0 when imported).
    pub sender_sync: u64,
}

/// A user's side of a conversation (`user_convs`); for groups, the server's membership row.
#[derive(Clone, Debug, Default)]
pub(crate) struct Row {
    /// Creation order: the list's last tie-break.
    pub rowid: u64,
    pub read_seq: u64,
    /// The user's cursor at the last delivery of a new message (or at creation).
    pub sort_key: u64,
    pub hidden: bool,
    pub pinned: bool,
    pub settings: ConvSettings,
}

/// One user: delivery log, conversation rows, deletions, conversation groups.
#[derive(Clone, Debug, Default)]
pub(crate) struct User {
    /// Delivery `i` has sync_seq `i + 1`: what happened to which message.
    pub log: Vec<(Key, u64, Change)>,
    pub rows: HashMap<Key, Row>,
    pub deleted: HashSet<(Key, u64)>,
    pub conv_groups: Vec<ConvGroup>,
}

impl FakeServer {
    pub(crate) fn user(&mut self, user: &str) -> &mut User {
        self.users.entry(user.to_owned()).or_default()
    }

    pub(crate) fn row(&self, user: &str, key: &Key) -> Option<&Row> {
        self.users.get(user).and_then(|u| u.rows.get(key))
    }

    /// The messages of a conversation, seq `i + 1` at index `i`.
    pub(crate) fn stored(&self, key: &Key) -> &[Stored] {
        self.convs.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    pub(crate) fn stored_at(&self, key: &Key, seq: u64) -> Option<&Stored> {
        let i = usize::try_from(seq.checked_sub(1)?).ok()?;
        self.stored(key).get(i)
    }

    /// Message `seq` of `key` if `user` is shown it (someone else's private import is not).
    pub(crate) fn stored_for(&self, user: &str, key: &Key, seq: u64) -> Option<&Stored> {
        self.stored_at(key, seq)
            .filter(|s| s.owner.as_deref().is_none_or(|o| o == user))
    }

    pub(crate) fn last_seq(&self, key: &Key) -> u64 {
        self.stored(key).len() as u64
    }

    pub(crate) fn cursor(&self, user: &str) -> u64 {
        self.users.get(user).map_or(0, |u| u.log.len() as u64)
    }

    /// Finds a conversation as `user` names it; `None` for a C2C pair or system conversation
    /// that does not exist yet. A group must exist and have `user` as a member.
    pub(crate) fn resolve(&self, user: &str, target: &Target) -> Result<Option<Key>, Fail> {
        let key = target.key(user);
        match target {
            Target::Group(g) => {
                let members = self
                    .groups
                    .get(g)
                    .ok_or((codes::GROUP_NOT_FOUND, "group not found".to_owned()))?;
                if !members.iter().any(|m| m == user) {
                    return Err((
                        codes::NOT_GROUP_MEMBER,
                        "not a member of the group".to_owned(),
                    ));
                }
                Ok(Some(key))
            }
            _ => Ok(self.convs.contains_key(&key).then_some(key)),
        }
    }

    /// Everyone with a side in the conversation (group members, the C2C pair, the system
    /// conversation's user), sorted by user ID.
    pub(crate) fn participants(&self, key: &Key) -> Vec<String> {
        let mut users: BTreeSet<String> = BTreeSet::new();
        match key {
            Key::C2c(a, b) => {
                users.insert(a.clone());
                users.insert(b.clone());
            }
            Key::Group(g) => users.extend(self.groups.get(g).into_iter().flatten().cloned()),
            Key::System(u) => {
                users.insert(u.clone());
            }
        }
        users.into_iter().collect()
    }

    pub(crate) fn is_deleted(&self, user: &str, key: &Key, seq: u64) -> bool {
        self.users
            .get(user)
            .is_some_and(|u| u.deleted.contains(&(key.clone(), seq)))
    }

    pub(crate) fn cleared_seq(&self, user: &str, key: &Key) -> u64 {
        self.row(user, key).map_or(0, |r| r.settings.cleared_seq)
    }

    /// Neither deleted nor cleared (`clearHistoryMessage`) by `user`, nor someone else's
    /// private import: what reads show.
    pub(crate) fn shown(&self, user: &str, key: &Key, seq: u64) -> bool {
        seq > self.cleared_seq(user, key)
            && !self.is_deleted(user, key, seq)
            && self.stored_for(user, key, seq).is_some()
    }

    /// Messages from others after `read_seq` that `user` has not deleted (imports never count).
    pub(crate) fn unread(&self, user: &str, key: &Key, read_seq: u64) -> u32 {
        self.stored(key)
            .iter()
            .filter(|s| {
                s.message.seq > read_seq
                    && s.message.from != user
                    && !s.imported
                    && !self.is_deleted(user, key, s.message.seq)
            })
            .count() as u32
    }

    /// Appends a delivery to `user`'s log; returns its cursor.
    pub(crate) fn deliver(&mut self, user: &str, key: &Key, seq: u64, change: Change) -> u64 {
        let u = self.user(user);
        u.log.push((key.clone(), seq, change));
        u.log.len() as u64
    }

    /// Creates `user`'s row of `key` unless it exists (sorted at the user's cursor); true if new.
    pub(crate) fn join(&mut self, user: &str, key: &Key) -> bool {
        if self.row(user, key).is_some() {
            return false;
        }
        self.next_rowid += 1;
        let row = Row {
            rowid: self.next_rowid,
            sort_key: self.cursor(user),
            ..Row::default()
        };
        self.user(user).rows.insert(key.clone(), row);
        true
    }

    /// A new message was delivered as `sync_seq`: the row sorts there and shows again.
    pub(crate) fn touch(&mut self, user: &str, key: &Key, sync_seq: u64) {
        self.join(user, key);
        if let Some(row) = self.user(user).rows.get_mut(key) {
            row.sort_key = sync_seq;
            row.hidden = false;
        }
    }

    pub(crate) fn row_mut(&mut self, user: &str, key: &Key) -> &mut Row {
        self.join(user, key);
        self.user(user).rows.get_mut(key).expect("joined")
    }
}
