//! A fake tim-server: the real server's rules (`server/src/store`, `server/src/ws/cmd`,
//! `committer.rs`) kept in memory and answered synchronously, so the SDK core's scenario tests
//! control every interleaving. Per-conversation seqs, per-user delivery logs (sync_seq) that
//! sync replays in the messages' current state, read state and unread counts, idempotent sends
//! by (from, ID), the revoke window, modify versions, per-user delete, hide and pin, the list
//! order (pinned, last delivery, newest row), conversation settings and groups, read receipts,
//! hop/fetch, import, and group system notices.
//!
//! [`FakeServer`] answers one request of a user ([`FakeServer::answer`]) with the pushes it
//! causes; [`FakeHub`] adds connections (login state, who receives which push). The
//! differential test `server/tests/fake_matches_server.rs` drives the same requests through
//! `FakeHub` and the real server and compares what every connection receives.
//!
//! Not modelled: files (uploads, grants), profiles (nick/avatar stay empty), the REST API
//! beyond creating groups and adding members, kicks, timeouts and backpressure.

mod handle;
mod hub;
mod model;
mod read;
mod receipts;
mod settings;
mod validate;
mod write;

use std::collections::{BTreeSet, HashMap};

use tim_protocol::{
    codes, conversation_id, parse_conversation_id, Content, ConvType, Message, OutboundMessage,
    Request, ServerFrame,
};

pub use hub::{ConnId, FakeHub};
use model::{Key, Stored, Target, User};

/// A refusal: error code and reason.
pub type Fail = (u32, String);

/// Users given to `add_group_member`, each with whether it was added (false: a member already).
pub type Added = Vec<(String, bool)>;

/// A frame the server pushes because of a request.
#[derive(Clone, Debug, PartialEq)]
pub struct Push {
    /// Every connection of this user gets it...
    pub to: String,
    /// ...the requesting connection too (before its answer, as the committer queues them) when true.
    pub to_requester: bool,
    /// The frame.
    pub frame: ServerFrame,
}

impl Push {
    /// To `user`'s connections but the requesting one.
    pub fn others(user: &str, frame: ServerFrame) -> Push {
        Push {
            to: user.to_owned(),
            to_requester: false,
            frame,
        }
    }

    /// To every connection of `user`.
    pub fn all(user: &str, frame: ServerFrame) -> Push {
        Push {
            to: user.to_owned(),
            to_requester: true,
            frame,
        }
    }
}

/// The answer to a request and the pushes it causes.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// `Ok` or `Error` with the request's id.
    pub frame: ServerFrame,
    /// In the order the server queues them.
    pub pushes: Vec<Push>,
}

/// A group's name and owner (`create_group`).
#[derive(Clone, Debug, Default)]
pub(crate) struct GroupInfo {
    pub name: String,
    pub owner: Option<String>,
}

/// The fake server's whole state.
#[derive(Clone, Debug, Default)]
pub struct FakeServer {
    pub(crate) convs: HashMap<Key, Vec<Stored>>,
    /// Group ID → members. Tests may insert a group here directly: its members then have no
    /// row (not listed) until its first message, unlike [`FakeServer::create_group`].
    pub groups: HashMap<String, Vec<String>>,
    pub(crate) group_info: HashMap<String, GroupInfo>,
    pub(crate) users: HashMap<String, User>,
    /// (sender, message ID) → where the message is.
    pub(crate) sent: HashMap<(String, String), (Key, u64)>,
    /// (conversation, seq) → who acknowledged it.
    pub(crate) receipts: HashMap<(Key, u64), BTreeSet<String>>,
    pub(crate) next_rowid: u64,
    /// Server clock, seconds.
    pub time: u64,
    /// Refuse logins with this code.
    pub reject_login: Option<u32>,
    /// Revoke window, seconds.
    pub revoke_window: u64,
}

pub fn text(t: &str) -> Content {
    Content::Text { text: t.to_owned() }
}

/// `C2C<peer>` / `GROUP<id>`.
pub fn cid(t: ConvType, peer: &str) -> String {
    conversation_id(t, peer)
}

impl FakeServer {
    /// A fake that behaves as the real server in everything it models.
    pub fn new() -> FakeServer {
        FakeServer {
            time: 1_000,
            revoke_window: 120,
            ..Default::default()
        }
    }

    /// Answers one request from `user`'s connection; returns the answer and the pushes as
    /// (user, frame): to that user's other connections (settings pushes reach the requester's
    /// connection too: see [`FakeServer::answer`]).
    pub fn handle(
        &mut self,
        user: &str,
        id: u32,
        req: Request,
    ) -> (ServerFrame, Vec<(String, ServerFrame)>) {
        let a = self.answer(user, id, req);
        (
            a.frame,
            a.pushes.into_iter().map(|p| (p.to, p.frame)).collect(),
        )
    }

    /// A message sent by someone not under test (another user, or the user's other
    /// instance); returns it with each participant delivered to and its sync_seq.
    pub fn send_as(
        &mut self,
        from: &str,
        conv_type: ConvType,
        to: &str,
        id: &str,
        client_time: u64,
    ) -> (Message, Vec<(String, u64)>) {
        let out = OutboundMessage {
            id: id.to_owned(),
            conv_type,
            to: to.to_owned(),
            random: 1,
            client_time,
            priority: "Normal".into(),
            content: text(id),
            cloud_custom_data: String::new(),
            at_user_list: vec![],
            need_read_receipt: false,
            online_user_only: false,
            offline_push_info: String::new(),
        };
        match self.commit(from, &out, false) {
            Ok(sent) => (sent.message, sent.deliveries),
            Err(e) => panic!("send_as {from} → {to}: {e:?}"),
        }
    }

    /// `user`'s view: conversation ID → unread.
    pub fn unread_of(&self, user: &str) -> HashMap<String, u32> {
        self.conversations(user)
            .into_iter()
            .map(|c| (c.conversation_id, c.unread))
            .collect()
    }

    /// The messages of a conversation `user` still has (not deleted, not cleared), as they
    /// see them.
    pub fn messages(&self, user: &str, conv_id: &str) -> Vec<Message> {
        match parse_conversation_id(conv_id) {
            Some((t, peer)) => {
                let target = match t {
                    ConvType::C2c => Target::C2c(peer.to_owned()),
                    ConvType::Group => Target::Group(peer.to_owned()),
                    ConvType::System => Target::System,
                };
                self.shown_messages(user, &target.key(user))
            }
            None => Vec::new(),
        }
    }

    /// `user`'s delivery cursor.
    pub fn sync_seq(&self, user: &str) -> u64 {
        self.cursor(user)
    }

    /// The REST `create_group`: the owner and members join, each gets a group system notice.
    /// Returns the pushes (to every connection of each member).
    pub fn create_group(
        &mut self,
        group_id: &str,
        name: &str,
        owner: Option<&str>,
        members: &[&str],
    ) -> Result<Vec<Push>, Fail> {
        if self.groups.contains_key(group_id) {
            return Err((codes::GROUP_ALREADY_EXISTS, "group exists".to_owned()));
        }
        self.groups.insert(group_id.to_owned(), Vec::new());
        self.group_info.insert(
            group_id.to_owned(),
            GroupInfo {
                name: name.to_owned(),
                owner: owner.map(str::to_owned),
            },
        );
        self.convs
            .entry(Key::Group(group_id.to_owned()))
            .or_default();
        let users: Vec<&str> = owner.into_iter().chain(members.iter().copied()).collect();
        Ok(self.add_members(group_id, &users)?.1)
    }

    /// The REST `add_group_member`: each user and whether it was added, and the pushes.
    pub fn add_members(
        &mut self,
        group_id: &str,
        members: &[&str],
    ) -> Result<(Added, Vec<Push>), Fail> {
        if !self.groups.contains_key(group_id) {
            return Err((codes::GROUP_NOT_FOUND, "group not found".to_owned()));
        }
        let mut added = Vec::new();
        let mut pushes = Vec::new();
        for m in members {
            let notice = self.add_member(group_id, m);
            added.push(((*m).to_owned(), notice.is_some()));
            if let Some((user, sync_seq, message)) = notice {
                let frame = ServerFrame::Push {
                    sync_seq,
                    message,
                    change: tim_protocol::Change::New,
                };
                pushes.push(Push::all(&user, frame));
            }
        }
        Ok((added, pushes))
    }
}
