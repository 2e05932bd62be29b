//! A fake tim-server for core tests only: per-conversation seqs, per-user delivery logs
//! (sync_seq), read state, idempotent sends by (from, ID), pushes to every other online
//! connection. It answers synchronously so tests control every interleaving.

use std::collections::HashMap;

use tim_protocol::{
    conversation_id, parse_conversation_id, Content, ConvType, ConversationInfo, Message,
    OutboundMessage, Reply, Request, ServerFrame, SyncItem,
};

#[derive(Default)]
pub struct User {
    log: Vec<Message>,
    read: HashMap<String, u64>,
}

#[derive(Default)]
pub struct FakeServer {
    convs: HashMap<String, Vec<Message>>,
    pub groups: HashMap<String, Vec<String>>,
    users: HashMap<String, User>,
    sent: HashMap<(String, String), (Message, u64)>,
    /// Server clock, seconds.
    pub time: u64,
    /// Refuse logins with this code.
    pub reject_login: Option<u32>,
}

fn key(conv_type: ConvType, from: &str, to: &str) -> String {
    match conv_type {
        ConvType::Group => format!("G:{to}"),
        ConvType::C2c if from < to => format!("C:{from}:{to}"),
        ConvType::C2c => format!("C:{to}:{from}"),
    }
}

/// The canonical key of a conversation ID as `user` sees it.
fn key_of(user: &str, conv_id: &str) -> Option<String> {
    let (t, peer) = parse_conversation_id(conv_id)?;
    Some(key(t, user, peer))
}

pub fn text(t: &str) -> Content {
    Content::Text { text: t.to_owned() }
}

impl FakeServer {
    pub fn new() -> FakeServer {
        FakeServer {
            time: 1_000,
            ..Default::default()
        }
    }

    fn participants(&self, conv_type: ConvType, from: &str, to: &str) -> Vec<String> {
        match conv_type {
            ConvType::Group => self.groups.get(to).cloned().unwrap_or_default(),
            ConvType::C2c if from == to => vec![from.to_owned()],
            ConvType::C2c => vec![from.to_owned(), to.to_owned()],
        }
    }

    /// Commits a message; returns it with each participant's sync_seq. Idempotent by (from, id).
    pub fn commit(
        &mut self,
        from: &str,
        out: &OutboundMessage,
    ) -> (Message, Vec<(String, u64)>, bool) {
        if let Some((m, seq)) = self.sent.get(&(from.to_owned(), out.id.clone())) {
            return (m.clone(), vec![(from.to_owned(), *seq)], false);
        }
        let k = key(out.conv_type, from, &out.to);
        let list = self.convs.entry(k).or_default();
        let m = Message {
            id: out.id.clone(),
            conv_type: out.conv_type,
            from: from.to_owned(),
            to: out.to.clone(),
            seq: list.len() as u64 + 1,
            time: self.time,
            random: out.random,
            client_time: out.client_time,
            priority: out.priority.clone(),
            content: out.content.clone(),
            cloud_custom_data: out.cloud_custom_data.clone(),
            at_user_list: out.at_user_list.clone(),
            nick: String::new(),
            avatar: String::new(),
        };
        list.push(m.clone());
        let mut seqs = Vec::new();
        for p in self.participants(out.conv_type, from, &out.to) {
            let u = self.users.entry(p.clone()).or_default();
            u.log.push(m.clone());
            seqs.push((p, u.log.len() as u64));
        }
        let own = seqs.iter().find(|(p, _)| p == from).map_or(0, |(_, s)| *s);
        self.sent
            .insert((from.to_owned(), out.id.clone()), (m.clone(), own));
        (m, seqs, true)
    }

    /// A message sent by someone not under test (other user, or the user's other instance).
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
        };
        let (m, seqs, _) = self.commit(from, &out);
        (m, seqs)
    }

    fn unread(&self, user: &str, conv_key: &str, read: u64) -> u32 {
        let list = self
            .convs
            .get(conv_key)
            .map(Vec::as_slice)
            .unwrap_or_default();
        list.iter()
            .filter(|m| m.seq > read && m.from != user)
            .count() as u32
    }

    /// `user`'s view: conversation ID → unread.
    pub fn unread_of(&self, user: &str) -> HashMap<String, u32> {
        self.conversations(user)
            .into_iter()
            .map(|c| (c.conversation_id, c.unread))
            .collect()
    }

    pub fn conversations(&self, user: &str) -> Vec<ConversationInfo> {
        let mut out = Vec::new();
        for (k, list) in &self.convs {
            let Some(last) = list.last() else { continue };
            if !self
                .participants(last.conv_type, &last.from, &last.to)
                .iter()
                .any(|p| p == user)
            {
                continue;
            }
            let cid = last.conversation_id_for(user);
            let read = self
                .users
                .get(user)
                .and_then(|u| u.read.get(&cid))
                .copied()
                .unwrap_or(0);
            let (conv_type, peer) = match parse_conversation_id(&cid) {
                Some((t, p)) => (t, p.to_owned()),
                None => continue,
            };
            out.push(ConversationInfo {
                conversation_id: cid,
                conv_type,
                peer,
                read_seq: read,
                unread: self.unread(user, k, read),
                last_message: Some(last.clone()),
                group_name: String::new(),
            });
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.last_message.as_ref().map(|m| (m.time, m.seq))));
        out
    }

    pub fn messages(&self, user: &str, conv_id: &str) -> Vec<Message> {
        key_of(user, conv_id)
            .and_then(|k| self.convs.get(&k).cloned())
            .unwrap_or_default()
    }

    pub fn sync_seq(&self, user: &str) -> u64 {
        self.users.get(user).map_or(0, |u| u.log.len() as u64)
    }

    /// Answers one request from `user`'s connection; returns the answer and the pushes the
    /// request causes for `user`'s *other* connections as (user, frame).
    pub fn handle(
        &mut self,
        user: &str,
        id: u32,
        req: Request,
    ) -> (ServerFrame, Vec<(String, ServerFrame)>) {
        let ok = |data| ServerFrame::Ok { id, data };
        match req {
            Request::Login { .. } if self.reject_login.is_some() => {
                let code = self.reject_login.unwrap_or_default();
                (
                    ServerFrame::Error {
                        id: Some(id),
                        code,
                        message: "usersig".into(),
                    },
                    vec![],
                )
            }
            Request::Login { user_id, .. } => {
                let sync_seq = self.sync_seq(&user_id);
                (
                    ok(Reply::Login {
                        user_id,
                        server_time: self.time,
                        sync_seq,
                    }),
                    vec![],
                )
            }
            Request::Logout => (ok(Reply::Done), vec![]),
            Request::Ping => (
                ok(Reply::Pong {
                    server_time: self.time,
                }),
                vec![],
            ),
            Request::Send { message } => {
                let (m, seqs, _) = self.commit(user, &message);
                let own = seqs.iter().find(|(p, _)| p == user).map_or(0, |(_, s)| *s);
                let pushes = seqs
                    .into_iter()
                    .map(|(p, s)| {
                        (
                            p,
                            ServerFrame::Push {
                                sync_seq: s,
                                message: m.clone(),
                            },
                        )
                    })
                    .collect();
                (
                    ok(Reply::Sent {
                        message: m,
                        sync_seq: own,
                    }),
                    pushes,
                )
            }
            Request::History {
                conversation_id,
                before_seq,
                count,
            } => {
                let all = self.messages(user, &conversation_id);
                let below: Vec<Message> = all
                    .into_iter()
                    .filter(|m| before_seq.is_none_or(|b| m.seq < b))
                    .collect();
                let n = count.min(15) as usize;
                let page: Vec<Message> = below[below.len().saturating_sub(n)..].to_vec();
                let complete = page.first().is_none_or(|m| m.seq == 1);
                (
                    ok(Reply::History {
                        messages: page,
                        complete,
                    }),
                    vec![],
                )
            }
            Request::Conversations => {
                let conversations = self.conversations(user);
                (
                    ok(Reply::Conversations {
                        conversations,
                        sync_seq: self.sync_seq(user),
                    }),
                    vec![],
                )
            }
            Request::Read {
                conversation_id,
                seq,
            } => {
                let Some(k) = key_of(user, &conversation_id) else {
                    return (
                        ServerFrame::Error {
                            id: Some(id),
                            code: 20001,
                            message: "bad id".into(),
                        },
                        vec![],
                    );
                };
                let u = self.users.entry(user.to_owned()).or_default();
                let r = u.read.entry(conversation_id.clone()).or_insert(0);
                *r = (*r).max(seq);
                let read_seq = *r;
                let unread = self.unread(user, &k, read_seq);
                let state = ServerFrame::ReadState {
                    conversation_id: conversation_id.clone(),
                    read_seq,
                    unread,
                };
                (
                    ok(Reply::Read {
                        conversation_id,
                        read_seq,
                        unread,
                    }),
                    vec![(user.to_owned(), state)],
                )
            }
            Request::Sync { since, limit } => {
                let log = self
                    .users
                    .get(user)
                    .map(|u| u.log.as_slice())
                    .unwrap_or_default();
                let start = (since as usize).min(log.len());
                let end = (start + limit.min(100) as usize).min(log.len());
                let items = log[start..end]
                    .iter()
                    .enumerate()
                    .map(|(i, m)| SyncItem {
                        sync_seq: (start + i + 1) as u64,
                        message: m.clone(),
                    })
                    .collect();
                (
                    ok(Reply::Sync {
                        items,
                        complete: end == log.len(),
                    }),
                    vec![],
                )
            }
        }
    }
}

/// `C2C<peer>` / `GROUP<id>`.
pub fn cid(t: ConvType, peer: &str) -> String {
    conversation_id(t, peer)
}
