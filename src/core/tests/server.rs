//! A fake tim-server for core tests only: per-conversation seqs, per-user delivery logs
//! (sync_seq), read state, idempotent sends by (from, ID), pushes to every other online
//! connection. It answers synchronously so tests control every interleaving.

use std::collections::{HashMap, HashSet};
use tim_protocol::req;

use tim_protocol::{
    codes, conversation_id, parse_conversation_id, Change, Content, ConvGroup, ConvGroupAction,
    ConvSettings, ConvType, ConversationInfo, Message, OutboundMessage, Reply, Request,
    ServerFrame, SyncItem,
};

/// A revoke or modify: the message, the requester's sync_seq, the pushes.
type Updated = (Message, u64, Vec<(String, ServerFrame)>);

#[derive(Default)]
pub struct User {
    log: Vec<(Message, Change)>,
    read: HashMap<String, u64>,
    /// (conversation key, seq) deleted by this user.
    deleted: HashSet<(String, u64)>,
    hidden: HashSet<String>,
    pinned: HashSet<String>,
    settings: HashMap<String, ConvSettings>,
    conv_groups: Vec<ConvGroup>,
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
    /// Revoke window, seconds.
    pub revoke_window: u64,
}

fn key(conv_type: ConvType, from: &str, to: &str) -> String {
    match conv_type {
        ConvType::Group => format!("G:{to}"),
        ConvType::System => format!("S:{to}"),
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
            revoke_window: 120,
            ..Default::default()
        }
    }

    fn participants(&self, conv_type: ConvType, from: &str, to: &str) -> Vec<String> {
        match conv_type {
            ConvType::Group => self.groups.get(to).cloned().unwrap_or_default(),
            ConvType::System => vec![to.to_owned()],
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
            revoked: false,
            version: 0,
            need_read_receipt: out.need_read_receipt,
            offline_push_info: out.offline_push_info.clone(),
        };
        list.push(m.clone());
        let mut seqs = Vec::new();
        for p in self.participants(out.conv_type, from, &out.to) {
            let cid = m.conversation_id_for(&p);
            let u = self.users.entry(p.clone()).or_default();
            u.hidden.remove(&cid);
            u.log.push((m.clone(), Change::New));
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
            need_read_receipt: false,
            online_user_only: false,
            offline_push_info: String::new(),
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
        let no_user = User::default();
        let me = self.users.get(user).unwrap_or(&no_user);
        for (k, list) in &self.convs {
            let Some(first) = list.first() else { continue };
            if !self
                .participants(first.conv_type, &first.from, &first.to)
                .iter()
                .any(|p| p == user)
            {
                continue;
            }
            let cid = first.conversation_id_for(user);
            if me.hidden.contains(&cid) {
                continue;
            }
            let last = list
                .iter()
                .rev()
                .find(|m| !me.deleted.contains(&(k.clone(), m.seq)));
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
            let peer_read_seq = match conv_type {
                ConvType::C2c => self
                    .users
                    .get(&peer)
                    .and_then(|u| u.read.get(&conversation_id(ConvType::C2c, user)))
                    .copied()
                    .unwrap_or(0),
                _ => 0,
            };
            let settings = me.settings.get(&cid).cloned().unwrap_or_default();
            let last = last.filter(|m| m.seq > settings.cleared_seq);
            out.push(ConversationInfo {
                pinned: me.pinned.contains(&cid),
                conversation_id: cid,
                conv_type,
                peer,
                read_seq: read,
                unread: self.unread(user, k, read),
                last_message: last.cloned(),
                group_name: String::new(),
                peer_read_seq,
                settings,
            });
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.last_message.as_ref().map(|m| (m.time, m.seq))));
        out
    }

    /// The messages of a conversation `user` still has (not deleted by them).
    pub fn messages(&self, user: &str, conv_id: &str) -> Vec<Message> {
        let Some(k) = key_of(user, conv_id) else {
            return Vec::new();
        };
        let deleted = self.users.get(user).map(|u| &u.deleted);
        let cleared = self
            .users
            .get(user)
            .and_then(|u| u.settings.get(conv_id))
            .map_or(0, |s| s.cleared_seq);
        self.convs
            .get(&k)
            .map(|l| {
                l.iter()
                    .filter(|m| m.seq > cleared)
                    .filter(|m| !deleted.is_some_and(|d| d.contains(&(k.clone(), m.seq))))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Appends a change of `m` to the logs of `users`; returns (user, push) for each.
    fn deliver(
        &mut self,
        users: Vec<String>,
        m: &Message,
        change: Change,
    ) -> Vec<(String, ServerFrame)> {
        users
            .into_iter()
            .map(|p| {
                let u = self.users.entry(p.clone()).or_default();
                u.log.push((m.clone(), change));
                let sync_seq = u.log.len() as u64;
                let push = ServerFrame::Push {
                    sync_seq,
                    message: m.clone(),
                    change,
                };
                (p, push)
            })
            .collect()
    }

    /// Revoke or modify `conv_id`/`seq` as `user`.
    fn update(
        &mut self,
        user: &str,
        conv_id: &str,
        seq: u64,
        edit: Option<(u32, Content, String)>,
    ) -> Result<Updated, (u32, &'static str)> {
        let k = key_of(user, conv_id).ok_or((codes::INVALID_REQUEST, "bad id"))?;
        let deleted = self
            .users
            .get(user)
            .is_some_and(|u| u.deleted.contains(&(k.clone(), seq)));
        let time = self.time;
        let window = self.revoke_window;
        let m = self
            .convs
            .get_mut(&k)
            .and_then(|l| l.iter_mut().find(|m| m.seq == seq))
            .filter(|_| !deleted)
            .ok_or((codes::MESSAGE_NOT_FOUND, "no such message"))?;
        if m.from != user {
            return Err((codes::NOT_MESSAGE_SENDER, "not the sender"));
        }
        let change = match edit {
            None => {
                if time > m.time + window {
                    return Err((codes::REVOKE_TIME_LIMIT, "revoke window passed"));
                }
                m.revoked = true;
                Change::Revoked
            }
            Some((version, content, ccd)) => {
                if version != m.version {
                    return Err((codes::MODIFY_CONFLICT, "version conflict"));
                }
                if std::mem::discriminant(&content) != std::mem::discriminant(&m.content) {
                    return Err((codes::MODIFY_TYPE_MISMATCH, "type mismatch"));
                }
                m.content = content;
                m.cloud_custom_data = ccd;
                m.version += 1;
                Change::Modified
            }
        };
        let m = m.clone();
        let users = self.participants(m.conv_type, &m.from, &m.to);
        let mut pushes = self.deliver(users, &m, change);
        let own = pushes
            .iter()
            .position(|(p, _)| p == user)
            .map(|i| pushes.remove(i));
        let own_seq = match own {
            Some((_, ServerFrame::Push { sync_seq, .. })) => sync_seq,
            _ => 0,
        };
        // The requester's other connections get the change too.
        pushes.push((
            user.to_owned(),
            ServerFrame::Push {
                sync_seq: own_seq,
                message: m.clone(),
                change,
            },
        ));
        Ok((m, own_seq, pushes))
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
            Request::Login(req::Login { .. }) if self.reject_login.is_some() => {
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
            Request::Login(req::Login { user_id, .. }) => {
                let sync_seq = self.sync_seq(&user_id);
                (
                    ok(Reply::Login {
                        user_id,
                        server_time: self.time,
                        sync_seq,
                        file_token: "tok".into(),
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
            Request::Send(req::Send { message }) => {
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
                                change: Change::New,
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
            Request::History(req::History {
                conversation_id,
                before_seq,
                count,
            }) => {
                let all = self.messages(user, &conversation_id);
                let first_seq = all.first().map_or(1, |m| m.seq);
                let below: Vec<Message> = all
                    .into_iter()
                    .filter(|m| before_seq.is_none_or(|b| m.seq < b))
                    .collect();
                let n = count.min(15) as usize;
                let page: Vec<Message> = below[below.len().saturating_sub(n)..].to_vec();
                let complete = page.first().is_none_or(|m| m.seq == first_seq);
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
                        groups: self
                            .users
                            .get(user)
                            .map(|u| u.conv_groups.clone())
                            .unwrap_or_default(),
                    }),
                    vec![],
                )
            }
            Request::Read(req::Read {
                conversation_id,
                seq,
            }) => {
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
                let mut pushes = vec![(user.to_owned(), state)];
                if let Some((ConvType::C2c, peer)) = parse_conversation_id(&conversation_id) {
                    let receipt = ServerFrame::PeerRead {
                        conversation_id: self::conversation_id(ConvType::C2c, user),
                        read_seq,
                    };
                    pushes.push((peer.to_owned(), receipt));
                }
                (
                    ok(Reply::Read {
                        conversation_id,
                        read_seq,
                        unread,
                    }),
                    pushes,
                )
            }
            Request::Revoke(req::Revoke {
                conversation_id,
                seq,
            }) => self.answer_update(id, user, &conversation_id, seq, None),
            Request::Modify(req::Modify {
                conversation_id,
                seq,
                version,
                content,
                cloud_custom_data,
            }) => self.answer_update(
                id,
                user,
                &conversation_id,
                seq,
                Some((version, content, cloud_custom_data)),
            ),
            Request::Delete(req::Delete {
                conversation_id,
                seqs,
            }) => {
                let msgs = self.messages(user, &conversation_id);
                let Some(k) = key_of(user, &conversation_id) else {
                    return (err(id, codes::INVALID_REQUEST), vec![]);
                };
                let mut pushes = Vec::new();
                for seq in seqs {
                    let Some(m) = msgs.iter().find(|m| m.seq == seq) else {
                        return (err(id, codes::MESSAGE_NOT_FOUND), pushes);
                    };
                    self.users
                        .entry(user.to_owned())
                        .or_default()
                        .deleted
                        .insert((k.clone(), seq));
                    pushes.extend(self.deliver(vec![user.to_owned()], m, Change::Deleted));
                }
                (ok(Reply::Done), pushes)
            }
            Request::DeleteConversation(req::DeleteConversation { conversation_id }) => {
                let u = self.users.entry(user.to_owned()).or_default();
                u.hidden.insert(conversation_id.clone());
                let pinned = u.pinned.contains(&conversation_id);
                let state = ServerFrame::ConversationState {
                    conversation_id,
                    hidden: true,
                    pinned,
                };
                (ok(Reply::Done), vec![(user.to_owned(), state)])
            }
            Request::Pin(req::Pin {
                conversation_id,
                pinned,
            }) => {
                let u = self.users.entry(user.to_owned()).or_default();
                if pinned {
                    u.pinned.insert(conversation_id.clone());
                } else {
                    u.pinned.remove(&conversation_id);
                }
                let hidden = u.hidden.contains(&conversation_id);
                let state = ServerFrame::ConversationState {
                    conversation_id,
                    hidden,
                    pinned,
                };
                (ok(Reply::Done), vec![(user.to_owned(), state)])
            }
            Request::Import(req::Import { .. }) => {
                (ok(Reply::Imported { messages: vec![] }), vec![])
            }
            // Receipts are the real server's business (browser tests); a plain answer here.
            Request::ReadReceipt(req::ReadReceipt { .. })
            | Request::ReceiptList(req::ReceiptList { .. }) => {
                (ok(Reply::Receipts { receipts: vec![] }), vec![])
            }
            Request::ReceiptMembers(req::ReceiptMembers { .. }) => (
                ok(Reply::Members {
                    users: vec![],
                    cursor: String::new(),
                    complete: true,
                }),
                vec![],
            ),
            Request::Hop(req::Hop {
                conversation_id,
                seq,
                time,
                newer,
                count,
            }) => {
                let all = self.messages(user, &conversation_id);
                let at = |m: &Message| seq.map_or(m.time, |_| m.seq);
                let from = seq.or(time).unwrap_or(0);
                let mut way: Vec<Message> = all
                    .into_iter()
                    .filter(|m| if newer { at(m) >= from } else { at(m) <= from })
                    .collect();
                if !newer {
                    way.reverse();
                }
                let complete = way.len() <= count as usize;
                way.truncate(count as usize);
                way.sort_by_key(|m| m.seq);
                let reply = Reply::History {
                    messages: way,
                    complete,
                };
                (ok(reply), vec![])
            }
            Request::Fetch(req::Fetch {
                conversation_id,
                seqs,
            }) => {
                let messages = self
                    .messages(user, &conversation_id)
                    .into_iter()
                    .filter(|m| seqs.contains(&m.seq))
                    .collect();
                let reply = Reply::History {
                    messages,
                    complete: true,
                };
                (ok(reply), vec![])
            }
            Request::ConvSettings(req::ConvSettings {
                conversation_ids,
                mark_set,
                mark_clear,
                custom_data,
                remind,
                clear_history,
            }) => {
                let mut pushes = Vec::new();
                for cid in conversation_ids {
                    let last = self.messages(user, &cid).last().map_or(0, |m| m.seq);
                    let u = self.users.entry(user.to_owned()).or_default();
                    let s = u.settings.entry(cid.clone()).or_default();
                    s.marks = (s.marks | mark_set) & !mark_clear;
                    if let Some(c) = &custom_data {
                        s.custom_data = c.clone();
                    }
                    if let Some(r) = &remind {
                        s.remind = r.clone();
                    }
                    if clear_history {
                        s.cleared_seq = s.cleared_seq.max(last);
                        u.read.insert(cid.clone(), last);
                    }
                    let settings = s.clone();
                    pushes.push((
                        user.to_owned(),
                        ServerFrame::ConversationSettings {
                            conversation_id: cid,
                            settings,
                        },
                    ));
                }
                (ok(Reply::Done), pushes)
            }
            Request::ConvGroup(req::ConvGroup {
                action,
                name,
                new_name,
                conversation_ids,
            }) => {
                let groups = &mut self.users.entry(user.to_owned()).or_default().conv_groups;
                let at = groups.iter().position(|g| g.name == name);
                match (action, at) {
                    (ConvGroupAction::Create, None) => groups.push(ConvGroup {
                        name,
                        conversation_ids,
                    }),
                    (ConvGroupAction::Create, Some(_)) => {
                        return (err(id, codes::CONV_GROUP_EXISTS), vec![])
                    }
                    (_, None) => return (err(id, codes::CONV_GROUP_NOT_FOUND), vec![]),
                    (ConvGroupAction::Delete, Some(i)) => {
                        groups.remove(i);
                    }
                    (ConvGroupAction::Rename, Some(i)) => groups[i].name = new_name,
                    (ConvGroupAction::Add, Some(i)) => {
                        for c in conversation_ids {
                            if !groups[i].conversation_ids.contains(&c) {
                                groups[i].conversation_ids.push(c);
                            }
                        }
                    }
                    (ConvGroupAction::Remove, Some(i)) => groups[i]
                        .conversation_ids
                        .retain(|c| !conversation_ids.contains(c)),
                }
                let groups = groups.clone();
                let push = ServerFrame::ConvGroups {
                    groups: groups.clone(),
                };
                (
                    ok(Reply::ConvGroups { groups }),
                    vec![(user.to_owned(), push)],
                )
            }
            Request::Sync(req::Sync { since, limit }) => {
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
                    .map(|(i, (m, change))| SyncItem {
                        sync_seq: (start + i + 1) as u64,
                        message: m.clone(),
                        change: *change,
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

fn err(id: u32, code: u32) -> ServerFrame {
    ServerFrame::Error {
        id: Some(id),
        code,
        message: format!("refused ({code})"),
    }
}

impl FakeServer {
    fn answer_update(
        &mut self,
        id: u32,
        user: &str,
        conv_id: &str,
        seq: u64,
        edit: Option<(u32, Content, String)>,
    ) -> (ServerFrame, Vec<(String, ServerFrame)>) {
        match self.update(user, conv_id, seq, edit) {
            Ok((message, sync_seq, pushes)) => (
                ServerFrame::Ok {
                    id,
                    data: Reply::Updated { message, sync_seq },
                },
                pushes,
            ),
            Err((code, why)) => (
                ServerFrame::Error {
                    id: Some(id),
                    code,
                    message: why.into(),
                },
                vec![],
            ),
        }
    }
}

/// `C2C<peer>` / `GROUP<id>`.
pub fn cid(t: ConvType, peer: &str) -> String {
    conversation_id(t, peer)
}
