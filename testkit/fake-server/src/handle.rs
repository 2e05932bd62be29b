//! One request of a logged-in user (`ws/cmd/*`): its checks, the write or read, the answer
//! and the pushes the committer would fan out (`committer.rs` `notify`).

use tim_protocol::{
    codes, conversation_id, req, Change, ConvType, Reply, Request, ServerFrame, MAX_HISTORY_PAGE,
};

use crate::model::Target;
use crate::validate::{self, invalid};
use crate::write::{Sent, Updated};
use crate::{Answer, Fail, FakeServer, Push};

/// Most sequences per delete, receipt or import.
const MAX_SEQS: usize = 100;

fn seqs_ok(seqs: &[u64]) -> Result<(), Fail> {
    if seqs.is_empty() || seqs.len() > MAX_SEQS {
        return Err(invalid("seqs must list 1 to 100 messages"));
    }
    Ok(())
}

/// Pushes of a message change to every delivered participant, each seeing it as they may.
fn fan_out(m: &tim_protocol::Message, change: Change, deliveries: &[(String, u64)]) -> Vec<Push> {
    deliveries
        .iter()
        .map(|(user, sync_seq)| {
            Push::others(
                user,
                ServerFrame::Push {
                    sync_seq: *sync_seq,
                    message: m.clone().seen_by(user),
                    change,
                },
            )
        })
        .collect()
}

type Handled = Result<(Reply, Vec<Push>), Fail>;

impl FakeServer {
    /// Answers request `id` of `user` (logged in on the requesting connection).
    pub fn answer(&mut self, user: &str, id: u32, req: Request) -> Answer {
        match self.run(user, req) {
            Ok((data, pushes)) => Answer {
                frame: ServerFrame::Ok { id, data },
                pushes,
            },
            Err((code, message)) => Answer {
                frame: ServerFrame::Error {
                    id: Some(id),
                    code,
                    message,
                },
                pushes: Vec::new(),
            },
        }
    }

    fn run(&mut self, user: &str, req: Request) -> Handled {
        let none = Vec::new();
        let reply = match req {
            Request::Login(r) => {
                validate::id("userID", &r.user_id)?;
                if let Some(code) = self.reject_login {
                    return Err((code, "login refused".to_owned()));
                }
                Reply::Login {
                    sync_seq: self.cursor(&r.user_id),
                    user_id: r.user_id,
                    server_time: self.time,
                    file_token: "tok".into(),
                }
            }
            Request::Logout => Reply::Done,
            Request::Ping => Reply::Pong {
                server_time: self.time,
            },
            Request::Send(r) => return self.send(user, r.message),
            Request::History(r) => {
                let target = Target::parse(&r.conversation_id)?;
                let (messages, complete) = self.history(user, &target, r.before_seq, r.count)?;
                Reply::History { messages, complete }
            }
            Request::Conversations => Reply::Conversations {
                conversations: self.conversations(user),
                sync_seq: self.cursor(user),
                groups: self
                    .users
                    .get(user)
                    .map(|u| u.conv_groups.clone())
                    .unwrap_or_default(),
            },
            Request::Read(r) => return self.read_req(user, r),
            Request::Sync(r) => {
                let (items, complete) = self.sync(user, r.since, r.limit);
                Reply::Sync { items, complete }
            }
            Request::GroupCreate(_)
            | Request::GroupDismiss(_)
            | Request::GroupUpdate(_)
            | Request::GroupList(_)
            | Request::GroupSearch(_)
            | Request::GroupJoin(_)
            | Request::GroupQuit(_)
            | Request::GroupOwner(_)
            | Request::GroupAdd(_)
            | Request::GroupKick(_)
            | Request::GroupMembers(_)
            | Request::GroupMemberInfo(_)
            | Request::GroupMemberSet(_)
            | Request::GroupRole(_)
            | Request::GroupMute(_)
            | Request::GroupApps
            | Request::GroupAppHandle(_)
            | Request::GroupOnline(_) => {
                return Err((
                    codes::INVALID_REQUEST,
                    "IM groups are not modelled".to_owned(),
                ))
            }
            Request::Hop(r) => {
                let target = Target::parse(&r.conversation_id)?;
                if r.seq.is_some() == r.time.is_some() {
                    return Err(invalid("exactly one of seq and time is required"));
                }
                let (messages, complete) =
                    self.hop(user, &target, (r.seq, r.time), r.newer, r.count)?;
                Reply::History { messages, complete }
            }
            Request::Fetch(r) => {
                let target = Target::parse(&r.conversation_id)?;
                if r.seqs.len() > MAX_HISTORY_PAGE as usize {
                    return Err(invalid("too many sequences"));
                }
                Reply::History {
                    messages: self.fetch(user, &target, &r.seqs)?,
                    complete: true,
                }
            }
            Request::Revoke(r) => {
                let target = Target::parse(&r.conversation_id)?;
                return Ok(updated(self.revoke(user, &target, r.seq)?));
            }
            Request::Modify(r) => {
                let target = Target::parse(&r.conversation_id)?;
                validate::content(&r.content, r.cloud_custom_data.len())?;
                let u = self.modify(
                    user,
                    &target,
                    r.seq,
                    r.version,
                    r.content,
                    r.cloud_custom_data,
                )?;
                return Ok(updated(u));
            }
            Request::Delete(r) => {
                let target = Target::parse(&r.conversation_id)?;
                seqs_ok(&r.seqs)?;
                let pushes = self
                    .delete(user, &target, &r.seqs)?
                    .into_iter()
                    .map(|(sync_seq, message)| {
                        let message = message.seen_by(user);
                        let change = Change::Deleted;
                        let frame = ServerFrame::Push {
                            sync_seq,
                            message,
                            change,
                        };
                        Push::others(user, frame)
                    })
                    .collect();
                return Ok((Reply::Done, pushes));
            }
            Request::DeleteConversation(r) => {
                return self.state_req(user, &r.conversation_id, Some(true), None)
            }
            Request::Pin(r) => {
                return self.state_req(user, &r.conversation_id, None, Some(r.pinned))
            }
            Request::ReadReceipt(r) => {
                let target = Target::parse(&r.conversation_id)?;
                seqs_ok(&r.seqs)?;
                let receipts = self.acknowledge(user, &target, &r.seqs)?;
                let pushes = receipts
                    .by_sender
                    .into_iter()
                    .map(|(sender, conversation_id, receipts)| {
                        let frame = ServerFrame::Receipts {
                            conversation_id,
                            receipts,
                        };
                        Push::all(&sender, frame)
                    })
                    .collect();
                let reply = Reply::Receipts {
                    receipts: receipts.all,
                };
                return Ok((reply, pushes));
            }
            Request::ReceiptList(r) => {
                let target = Target::parse(&r.conversation_id)?;
                seqs_ok(&r.seqs)?;
                Reply::Receipts {
                    receipts: self.receipt_counts(user, &target, &r.seqs)?,
                }
            }
            Request::ReceiptMembers(r) => {
                let target = Target::parse(&r.conversation_id)?;
                let (users, cursor, complete) =
                    self.receipt_members(user, &target, r.seq, r.read, &r.cursor, r.count)?;
                Reply::Members {
                    users,
                    cursor,
                    complete,
                }
            }
            Request::Import(r) => {
                import_ok(&r.messages)?;
                Reply::Imported {
                    messages: self.import(user, &r.messages)?,
                }
            }
            Request::ConvSettings(r) => {
                // Every connection of the user gets the settings, the requester's too.
                let pushes = self
                    .set_settings(user, &r)?
                    .into_iter()
                    .map(|(conversation_id, settings)| {
                        let frame = ServerFrame::ConversationSettings {
                            conversation_id,
                            settings,
                        };
                        Push::all(user, frame)
                    })
                    .collect();
                return Ok((Reply::Done, pushes));
            }
            Request::ConvGroup(r) => {
                let groups = self.conv_group(user, r)?;
                let push = Push::others(
                    user,
                    ServerFrame::ConvGroups {
                        groups: groups.clone(),
                    },
                );
                return Ok((Reply::ConvGroups { groups }, vec![push]));
            }
        };
        Ok((reply, none))
    }

    fn send(&mut self, user: &str, message: tim_protocol::OutboundMessage) -> Handled {
        validate::outbound(&message)?;
        if message.online_user_only {
            return self.send_online(user, message);
        }
        let Sent {
            message,
            sender_sync_seq,
            deliveries,
        } = self.commit(user, &message, false)?;
        let pushes = fan_out(&message, Change::New, &deliveries);
        let reply = Reply::Sent {
            message,
            sync_seq: sender_sync_seq,
        };
        Ok((reply, pushes))
    }

    /// `online_user_only`: pushed to the participants' connections, stored nowhere.
    fn send_online(&mut self, user: &str, m: tim_protocol::OutboundMessage) -> Handled {
        let participants = match m.conv_type {
            ConvType::C2c if m.to == user => vec![user.to_owned()],
            ConvType::C2c => vec![user.to_owned(), m.to.clone()],
            ConvType::Group => {
                let target = Target::Group(m.to.clone());
                self.resolve(user, &target)?;
                self.participants(&target.key(user))
            }
            ConvType::System => Vec::new(),
        };
        let message = m.unstored(user.to_owned(), self.time);
        let push = ServerFrame::Push {
            sync_seq: 0,
            message: message.clone(),
            change: Change::New,
        };
        let pushes = participants
            .iter()
            .map(|p| Push::others(p, push.clone()))
            .collect();
        Ok((
            Reply::Sent {
                message,
                sync_seq: 0,
            },
            pushes,
        ))
    }

    fn read_req(&mut self, user: &str, r: req::Read) -> Handled {
        let target = Target::parse(&r.conversation_id)?;
        let s = self.read(user, &target, r.seq)?;
        let mut pushes = Vec::new();
        if s.changed {
            let state = ServerFrame::ReadState {
                conversation_id: s.conversation_id.clone(),
                read_seq: s.read_seq,
                unread: s.unread,
            };
            pushes.push(Push::others(user, state));
            // C2C read receipt: every connection of the peer, which names the conversation by us.
            if let Target::C2c(peer) = &target {
                if peer != user {
                    let receipt = ServerFrame::PeerRead {
                        conversation_id: conversation_id(ConvType::C2c, user),
                        read_seq: s.read_seq,
                    };
                    pushes.push(Push::all(peer, receipt));
                }
            }
        }
        let reply = Reply::Read {
            conversation_id: s.conversation_id,
            read_seq: s.read_seq,
            unread: s.unread,
        };
        Ok((reply, pushes))
    }

    fn state_req(
        &mut self,
        user: &str,
        conv: &str,
        hidden: Option<bool>,
        pinned: Option<bool>,
    ) -> Handled {
        let target = Target::parse(conv)?;
        let (hidden, pinned, changed) = self.conv_state(user, &target, hidden, pinned)?;
        let mut pushes = Vec::new();
        if changed {
            let state = ServerFrame::ConversationState {
                conversation_id: target.id(),
                hidden,
                pinned,
            };
            pushes.push(Push::others(user, state));
        }
        Ok((Reply::Done, pushes))
    }
}

fn updated(u: Updated) -> (Reply, Vec<Push>) {
    let pushes = fan_out(&u.message, u.change, &u.deliveries);
    let reply = Reply::Updated {
        message: u.message,
        sync_seq: u.requester_sync_seq,
    };
    (reply, pushes)
}

/// An import: 1 to 100 valid stored messages of one conversation.
fn import_ok(messages: &[tim_protocol::OutboundMessage]) -> Result<(), Fail> {
    let Some(first) = messages.first() else {
        return Err(invalid("nothing to import"));
    };
    if messages.len() > MAX_SEQS {
        return Err(invalid("at most 100 messages per import"));
    }
    for m in messages {
        validate::outbound(m)?;
        if m.conv_type != first.conv_type || m.to != first.to || m.online_user_only {
            return Err((
                codes::INVALID_REQUEST,
                "imported messages must be stored messages of one conversation".to_owned(),
            ));
        }
    }
    Ok(())
}
