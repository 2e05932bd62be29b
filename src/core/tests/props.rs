//! Model-based property tests: random interleavings of local sends (some losing their ack with
//! the socket), incoming bursts (same millisecond, scrambled client clocks, lost and duplicated
//! pushes), reads here and on another instance, history pages and outages, against the fake
//! server, which is the model. After every step the unread counts and events must match it; at
//! the end every page size must page every conversation exactly.

use std::collections::{BTreeMap, HashSet};
use tim_protocol::req;

use proptest::prelude::*;
use tim_protocol::{ConvType, ServerFrame};

use super::harness::*;
use crate::core::*;
use tim_fake_server::FakeServer;

const ME: &str = "alice";

#[derive(Clone, Debug)]
enum Op {
    /// The client sends to bob, carol or the group.
    Send(u8),
    /// `n` messages committed in the same millisecond by bob, carol or alice's other instance;
    /// the first push may be lost (the next ones reveal the gap).
    Incoming {
        from: u8,
        group: bool,
        client_times: Vec<u64>,
        lose_first: bool,
    },
    Read(u8),
    /// A push delivered again.
    Dup(usize),
    Disconnect,
    Reconnect,
    Tick(u64),
    /// The client sends; the server commits it but the ack dies with the socket.
    SendThenDrop(u8),
    /// Alice's other instance reads a conversation up to its newest message.
    OtherInstanceRead(u8),
    /// A history page mid-stream.
    History(u8, u32),
    /// The client revokes one of its sent messages (when online).
    Revoke(usize),
    /// The client deletes one of its sent messages (when online).
    DeleteOwn(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..3).prop_map(Op::Send),
        4 => (0u8..3, any::<bool>(), prop::collection::vec(0u64..10, 1..5), any::<bool>())
            .prop_map(|(from, group, client_times, lose_first)| Op::Incoming { from, group, client_times, lose_first }),
        2 => (0u8..3).prop_map(Op::Read),
        1 => any::<usize>().prop_map(Op::Dup),
        1 => Just(Op::Disconnect),
        1 => Just(Op::Reconnect),
        1 => (0u64..4_000).prop_map(Op::Tick),
        1 => (0u8..3).prop_map(Op::SendThenDrop),
        1 => (0u8..3).prop_map(Op::OtherInstanceRead),
        1 => (0u8..3, 1u32..16).prop_map(|(t, n)| Op::History(t, n)),
        1 => any::<usize>().prop_map(Op::Revoke),
        1 => any::<usize>().prop_map(Op::DeleteOwn),
    ]
}

fn target(i: u8) -> (&'static str, &'static str, String) {
    match i % 3 {
        0 => ("bob", "C2C", "C2Cbob".to_owned()),
        1 => ("carol", "C2C", "C2Ccarol".to_owned()),
        _ => ("g1", "GROUP", "GROUPg1".to_owned()),
    }
}

fn prop_cfg() -> Config {
    Config {
        reconnect_base_ms: 100,
        reconnect_max_ms: 2_000,
        request_timeout_ms: u64::MAX / 4, // queued sends must survive any outage here
        ..cfg()
    }
}

struct World {
    srv: FakeServer,
    c: Client,
    online: bool,
    /// What the client must show: the server's counts, frozen during an outage except for
    /// the client's own optimistic reads.
    expected: BTreeMap<String, u32>,
    pushes: Vec<ServerFrame>,
    own: HashSet<String>,
    send_ops: Vec<OpId>,
    /// Own messages deleted by the client.
    deleted: HashSet<String>,
    counter: u64,
    total: u32,
}

impl World {
    fn new() -> World {
        let mut srv = FakeServer::new();
        srv.groups
            .insert("g1".into(), vec![ME.into(), "bob".into(), "carol".into()]);
        let mut c = Client::new(prop_cfg());
        c.login(&mut srv, ME);
        World {
            srv,
            c,
            online: true,
            expected: BTreeMap::new(),
            pushes: Vec::new(),
            own: HashSet::new(),
            send_ops: Vec::new(),
            deleted: HashSet::new(),
            counter: 0,
            total: 0,
        }
    }

    fn deliver(&mut self, f: ServerFrame) {
        self.pushes.push(f.clone());
        if self.online {
            self.c.push(&mut self.srv, f);
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Send(t) => {
                let (to, ct, _) = target(*t);
                let m = self.c.text(to, ct, "local");
                self.own.insert(m.id.clone());
                let op = self.c.cmd(Command::SendMessage(m));
                self.send_ops.push(op);
                self.c.run(&mut self.srv);
            }
            Op::SendThenDrop(t) if self.online => {
                let (to, ct, _) = target(*t);
                let m = self.c.text(to, ct, "lost-ack");
                self.own.insert(m.id.clone());
                let op = self.c.cmd(Command::SendMessage(m));
                self.send_ops.push(op);
                for f in transmits(&self.c.drain()) {
                    let _lost = self.srv.handle(ME, f.id, f.req);
                }
                self.online = false;
                self.c.net_up = false;
                self.c.drop_socket(&mut self.srv);
            }
            Op::SendThenDrop(t) => self.apply(&Op::Send(*t)),
            Op::OtherInstanceRead(t) => {
                let (_, _, conv) = target(*t);
                let Some(seq) = self.srv.messages(ME, &conv).last().map(|m| m.seq) else {
                    return;
                };
                let (_, pushes) = self.srv.handle(
                    ME,
                    0,
                    tim_protocol::Request::Read(req::Read {
                        conversation_id: conv,
                        seq,
                    }),
                );
                for (user, f) in pushes {
                    if user == ME {
                        self.deliver(f);
                    }
                }
            }
            Op::History(t, count) => {
                let (_, _, conv) = target(*t);
                let op = self.c.cmd(Command::GetMessageList {
                    conversation_id: conv,
                    next_req_message_id: None,
                    count: Some(*count),
                });
                self.c.run(&mut self.srv);
                assert!(
                    !self.online || self.c.code(op) == Some(0),
                    "history while online"
                );
            }
            Op::Incoming {
                from,
                group,
                client_times,
                lose_first,
            } => {
                let sender = ["bob", "carol", ME][*from as usize % 3];
                let (ct, to) = match (*group, sender) {
                    (true, _) => (ConvType::Group, "g1"),
                    (false, ME) => (ConvType::C2c, "bob"),
                    (false, _) => (ConvType::C2c, ME),
                };
                for (i, t) in client_times.iter().enumerate() {
                    self.counter += 1;
                    let id = format!("in-{}", self.counter);
                    let (m, seqs) = self.srv.send_as(sender, ct, to, &id, 1_000 + t);
                    let Some(&(_, s)) = seqs.iter().find(|(u, _)| u == ME) else {
                        continue;
                    };
                    let f = ServerFrame::Push {
                        sync_seq: s,
                        message: m,
                        change: tim_protocol::Change::New,
                    };
                    if i == 0 && *lose_first && client_times.len() > 1 {
                        self.pushes.push(f);
                    } else {
                        self.deliver(f);
                    }
                }
            }
            Op::Read(t) => {
                let (_, _, conv) = target(*t);
                let known = self
                    .c
                    .conversation_list()
                    .iter()
                    .any(|v| v.conversation_id == conv);
                let op = self.c.cmd(Command::SetMessageRead {
                    conversation_id: conv.clone(),
                });
                self.c.run(&mut self.srv);
                if !known {
                    assert_eq!(self.c.code(op), Some(0), "nothing to read: resolved");
                } else if !self.online {
                    self.expected.insert(conv, 0);
                }
            }
            Op::Dup(i) => {
                if !self.pushes.is_empty() && self.online {
                    let f = self.pushes[i % self.pushes.len()].clone();
                    self.c.push(&mut self.srv, f);
                }
            }
            Op::Disconnect => {
                if self.online {
                    self.online = false;
                    self.c.net_up = false;
                    self.c.drop_socket(&mut self.srv);
                }
            }
            Op::Reconnect => {
                self.online = true;
                self.c.net_up = true;
                self.c.advance(&mut self.srv, 2_600);
                assert!(self.c.socket, "reconnected within the capped backoff");
            }
            Op::Tick(ms) => self.c.advance(&mut self.srv, *ms),
            Op::Revoke(k) | Op::DeleteOwn(k) if self.online => {
                let mut mine: Vec<String> = self.own_on_server();
                mine.sort();
                let Some(id) = (!mine.is_empty()).then(|| mine[k % mine.len()].clone()) else {
                    return;
                };
                let Some(view) = self.c.core.find_message(&id) else {
                    return;
                };
                let cmd = match op {
                    Op::Revoke(_) => Command::RevokeMessage(view),
                    _ => Command::DeleteMessage(vec![view]),
                };
                let op_id = self.c.cmd(cmd);
                self.c.run(&mut self.srv);
                assert_eq!(self.c.code(op_id), Some(0), "{op:?} of {id}");
                if matches!(op, Op::DeleteOwn(_)) {
                    self.deleted.insert(id);
                }
            }
            Op::Revoke(_) | Op::DeleteOwn(_) => {}
        }
        if self.online {
            self.expected = self.srv.unread_of(ME).into_iter().collect();
        }
    }

    /// IDs of the client's own messages the server still lists for it.
    fn own_on_server(&self) -> Vec<String> {
        self.srv
            .conversations(ME)
            .iter()
            .flat_map(|c| self.srv.messages(ME, &c.conversation_id))
            .filter(|m| self.own.contains(&m.id))
            .map(|m| m.id)
            .collect()
    }

    fn check(&mut self, step: usize, mark: usize) {
        let list = self.c.conversation_list();
        let got: BTreeMap<String, u32> = list
            .iter()
            .map(|v| (v.conversation_id.clone(), v.unread_count))
            .collect();
        assert_eq!(got, self.expected, "step {step}: per-conversation unread");
        let total: u32 = got.values().sum();
        let totals = self.c.totals();
        assert_eq!(
            totals.last().copied(),
            Some(total),
            "step {step}: last TOTAL_UNREAD event is the total"
        );
        let step_totals: Vec<u32> = self.c.log[mark..]
            .iter()
            .filter_map(|o| match o {
                Output::Event(Event::TotalUnreadMessageCountUpdated(n)) => Some(*n),
                _ => None,
            })
            .collect();
        if total != self.total {
            assert_eq!(
                step_totals.last(),
                Some(&total),
                "step {step}: the change was emitted"
            );
        }
        self.total = total;
        assert_eq!(
            self.c.last_list().as_ref(),
            Some(&list),
            "step {step}: last list event is the list"
        );
    }

    fn check_events(&self) {
        for op in &self.send_ops {
            assert_eq!(
                self.c.code(*op),
                Some(0),
                "every send succeeds once connected"
            );
        }
        let on_server: usize = self
            .srv
            .conversations(ME)
            .iter()
            .map(|c| {
                self.srv
                    .messages(ME, &c.conversation_id)
                    .iter()
                    .filter(|m| self.own.contains(&m.id))
                    .count()
            })
            .sum();
        assert_eq!(
            on_server + self.deleted.len(),
            self.send_ops.len(),
            "each send stored exactly once"
        );
        let totals = self.c.totals();
        assert!(
            totals.windows(2).all(|w| w[0] != w[1]),
            "TOTAL_UNREAD only on change: {totals:?}"
        );
        let received: Vec<String> = self.c.received().into_iter().map(|m| m.id).collect();
        let unique: HashSet<&String> = received.iter().collect();
        assert_eq!(unique.len(), received.len(), "each message received once");
        assert!(
            received.iter().all(|id| !self.own.contains(id)),
            "own sends never received"
        );
        let all_incoming = (1..=self.counter).map(|k| format!("in-{k}")).filter(|id| {
            self.srv.conversations(ME).iter().any(|c| {
                self.srv
                    .messages(ME, &c.conversation_id)
                    .iter()
                    .any(|m| &m.id == id)
            })
        });
        let all: HashSet<String> = all_incoming.collect();
        let got: HashSet<String> = received.into_iter().collect();
        assert_eq!(got, all, "every delivered message received");
    }

    fn check_paging(&mut self) {
        for conv in self.srv.conversations(ME) {
            // Revoked messages are paged (flagged) once; deleted ones never.
            let want: Vec<(u64, String, bool)> = self
                .srv
                .messages(ME, &conv.conversation_id)
                .iter()
                .map(|m| (m.seq, m.id.clone(), m.revoked))
                .collect();
            for size in 1..=15u32 {
                let mut pages: Vec<Vec<MessageView>> = Vec::new();
                let mut next: Option<String> = None;
                loop {
                    let op = self.c.cmd(Command::GetMessageList {
                        conversation_id: conv.conversation_id.clone(),
                        next_req_message_id: next.clone(),
                        count: Some(size),
                    });
                    self.c.run(&mut self.srv);
                    let Some(Ok(Response::MessageList {
                        message_list,
                        next_req_message_id,
                        is_completed,
                    })) = self.c.result(op).cloned()
                    else {
                        panic!("getMessageList failed: {:?}", self.c.result(op));
                    };
                    assert!(message_list.len() <= size as usize);
                    let done = is_completed;
                    assert!(
                        done || message_list.len() == size as usize,
                        "only the last page is short"
                    );
                    next = Some(next_req_message_id);
                    pages.push(message_list);
                    if done {
                        break;
                    }
                    assert!(pages.len() <= want.len() + 1, "paging terminates");
                }
                pages.reverse();
                let got: Vec<(u64, String, bool)> = pages
                    .concat()
                    .into_iter()
                    .map(|m| (m.sequence, m.id, m.is_revoked))
                    .collect();
                assert_eq!(got, want, "{} with page size {size}", conv.conversation_id);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn unread_events_and_paging_match_the_model(ops in prop::collection::vec(op(), 1..40)) {
        let mut w = World::new();
        w.c.clear_log();
        w.c.log.push(Output::Event(Event::TotalUnreadMessageCountUpdated(0)));
        w.c.log.push(Output::Event(Event::ConversationListUpdated(vec![])));
        for (step, op) in ops.iter().enumerate() {
            let mark = w.c.log.len();
            w.apply(op);
            w.check(step, mark);
        }
        let mark = w.c.log.len();
        w.apply(&Op::Reconnect);
        w.check(ops.len(), mark);
        w.check_events();
        w.check_paging();
    }
}
