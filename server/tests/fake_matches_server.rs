//! The core's fake server (`tim-fake-server`) against the real one: the same requests, from
//! several connections of several users, go to both; every connection must receive the same
//! answers and pushes, in the same order, once what legitimately differs (server clocks, file
//! tokens, error texts) is normalised. A property test generates the sequences; a scripted one
//! makes sure each operation succeeds at least once.
//!
//! After each request every real connection is fenced: a no-op `Read` of a conversation that
//! does not exist goes through the committer like any write, so its answer comes after every
//! push an earlier write queued on that socket. Whatever arrived before it is what the request
//! caused; nothing waits on the clock.

mod common;
#[path = "fake_matches_server/ops.rs"]
mod ops;

use std::collections::BTreeMap;

use common::*;
use ops::{conv_id, login, Op, Step, CONNS, CONVS, USERS};
use proptest::prelude::*;
use serde_json::json;
use tim_fake_server::{ConnId, FakeHub, FakeServer};
use tim_protocol::{req, ClientFrame, ConvType, Message, Reply, Request, ServerFrame};

/// Normalises what legitimately differs: clocks, tokens, error texts, notice times.
fn normalise(frame: &mut ServerFrame) {
    fn msg(m: &mut Message) {
        if m.conv_type == ConvType::System {
            m.time = 0;
            m.client_time = 0;
        }
    }
    match frame {
        ServerFrame::Error { message, .. } => message.clear(),
        ServerFrame::Push { message, .. } => msg(message),
        ServerFrame::Ok { data, .. } => match data {
            Reply::Login {
                server_time,
                file_token,
                ..
            } => {
                *server_time = 0;
                file_token.clear();
            }
            Reply::Pong { server_time } => *server_time = 0,
            Reply::Sent { message, .. } | Reply::Updated { message, .. } => msg(message),
            Reply::History { messages, .. } | Reply::Imported { messages } => {
                messages.iter_mut().for_each(msg)
            }
            Reply::Conversations { conversations, .. } => conversations
                .iter_mut()
                .filter_map(|c| c.last_message.as_mut())
                .for_each(msg),
            Reply::Sync { items, .. } => items.iter_mut().for_each(|i| msg(&mut i.message)),
            _ => {}
        },
        _ => {}
    }
}

/// Which requests were answered Ok and which were refused, by kind (coverage).
type Tally = BTreeMap<String, (u32, u32)>;

/// The real server and the fake side by side, with the same connections.
struct Twin {
    server: TestServer,
    real: Vec<Client>,
    fake: FakeHub,
    fake_conns: Vec<ConnId>,
    /// Server times of the messages seen so far (hop targets).
    times: Vec<u64>,
    /// Every step so far, for failure reports.
    steps: Vec<String>,
    tally: Tally,
}

impl Twin {
    async fn start() -> Twin {
        let server = TestServer::start().await;
        let mut fake = FakeServer::new();
        fake.revoke_window = server.config.revoke_window.as_secs();
        let mut twin = Twin {
            server,
            real: Vec::new(),
            fake: FakeHub::new(fake),
            fake_conns: Vec::new(),
            times: Vec::new(),
            steps: Vec::new(),
            tally: Tally::new(),
        };
        // One group before anyone connects (notices wait in the log), one after (pushed).
        twin.create_group("g1", "One", "alice", &["bob"]).await;
        for &user in &CONNS {
            twin.real.push(twin.server.client().await);
            twin.fake_conns.push(twin.fake.connect());
            let conn = twin.real.len() - 1;
            twin.exchange(conn, login(USERS[user])).await;
        }
        twin.create_group("g2", "Two", "bob", &["carol"]).await;
        twin
    }

    async fn create_group(&mut self, id: &str, name: &str, owner: &str, members: &[&str]) {
        let body = json!({"Owner_Account": owner, "Type": "Work", "GroupId": id, "Name": name,
                          "MemberList": admin_body_members(members)});
        let r = self
            .server
            .rest("group_open_http_svc/create_group", body)
            .await;
        assert_eq!(r["ActionStatus"], "OK", "{r}");
        self.fake.server.time = now();
        self.fake
            .create_group(id, name, Some(owner), members)
            .expect("fake group");
        self.compare(&format!("create_group {id}"), None).await;
    }

    async fn add_member(&mut self, user: &str) {
        let body = json!({"GroupId": "g2", "MemberList": admin_body_members(&[user])});
        let r = self
            .server
            .rest("group_open_http_svc/add_group_member", body)
            .await;
        let real_added = r["MemberList"][0]["Result"] == 1;
        self.fake.server.time = now();
        let added = self.fake.add_members("g2", &[user]).expect("fake add");
        assert_eq!(
            added,
            vec![(user.to_owned(), real_added)],
            "add_group_member {user}"
        );
        self.compare(&format!("add_group_member g2 {user}"), None)
            .await;
    }

    /// Sends `req` on connection `conn` of both, then compares what every connection got.
    async fn exchange(&mut self, conn: usize, req: Request) {
        let what = format!("conn {conn} ({}): {req:?}", USERS[CONNS[conn]]);
        let kind = format!("{req:?}")
            .split(['(', ' '])
            .next()
            .unwrap_or_default()
            .to_owned();
        let id = self.real[conn].send_req(req.clone()).await;
        let got = until_answer(&mut self.real[conn], id).await;
        let answer = got.last().cloned().expect("answered");
        let counts = self.tally.entry(kind).or_default();
        match &answer {
            ServerFrame::Ok { .. } => counts.0 += 1,
            _ => counts.1 += 1,
        }
        self.fake.server.time = self.server_time_of(&answer);
        self.fake
            .request(self.fake_conns[conn], ClientFrame { id, req });
        self.compare(&what, Some((conn, got))).await;
    }

    /// The server time the real server used for `answer`'s new messages (or now).
    fn server_time_of(&mut self, answer: &ServerFrame) -> u64 {
        let new: Vec<u64> = match answer {
            ServerFrame::Ok {
                data: Reply::Sent { message, .. },
                ..
            } => vec![message.time],
            ServerFrame::Ok {
                data: Reply::Imported { messages },
                ..
            } => {
                self.times.extend(messages.iter().map(|m| m.time));
                messages
                    .iter()
                    .filter(|m| m.time != m.client_time)
                    .map(|m| m.time)
                    .collect()
            }
            _ => Vec::new(),
        };
        self.times.extend(&new);
        new.into_iter().max().unwrap_or_else(now)
    }

    /// Fences every real connection, then compares each one's frames with the fake's.
    /// `first`: frames the requesting connection already read (its answer last).
    async fn compare(&mut self, what: &str, first: Option<(usize, Vec<ServerFrame>)>) {
        self.steps.push(what.to_owned());
        let mut ids = Vec::new();
        for c in &mut self.real {
            let fence = req::Read {
                conversation_id: "C2C~fence".into(),
                seq: 0,
            };
            ids.push(c.send_req(Request::Read(fence)).await);
        }
        for (i, c) in self.real.iter_mut().enumerate() {
            let mut real = match &first {
                Some((conn, got)) if *conn == i => got.clone(),
                _ => Vec::new(),
            };
            let mut rest = until_answer(c, ids[i]).await;
            rest.pop(); // the fence's own answer
            real.extend(rest);
            let mut fake = self.fake.take(self.fake_conns[i]);
            real.iter_mut().for_each(normalise);
            fake.iter_mut().for_each(normalise);
            if real != fake {
                let steps = self.steps.join("\n  ");
                panic!(
                    "connection {i} ({}) differs after {what}\n real: {real:#?}\n fake: {fake:#?}\nsteps:\n  {steps}",
                    USERS[CONNS[i]]
                );
            }
        }
    }

    async fn run(&mut self, op: &Op) {
        match ops::step(op.clone(), &self.times) {
            Step::Request(conn, req) => self.exchange(conn, *req).await,
            Step::Relogin(conn) => {
                self.exchange(conn, Request::Logout).await;
                self.exchange(conn, login(USERS[CONNS[conn]])).await;
            }
            Step::AddMember(user) => self.add_member(user).await,
        }
    }
}

/// Frames off `c` up to and including the answer to `id`.
async fn until_answer(c: &mut Client, id: u32) -> Vec<ServerFrame> {
    let mut got: Vec<ServerFrame> = c.pending.drain(..).collect();
    loop {
        let frame = c.read_frame().await.expect("socket open");
        let answered = match &frame {
            ServerFrame::Ok { id: got, .. } => Some(*got),
            ServerFrame::Error { id, .. } => *id,
            _ => None,
        };
        let done = answered == Some(id);
        got.push(frame);
        if done {
            return got;
        }
    }
}

async fn check(ops: &[Op]) -> Tally {
    let mut twin = Twin::start().await;
    for op in ops {
        twin.run(op).await;
    }
    // Finally each connection lists, pages and syncs everything: the states agree too.
    for conn in 0..CONNS.len() {
        twin.exchange(conn, Request::Conversations).await;
        twin.exchange(
            conn,
            Request::Sync(req::Sync {
                since: 0,
                limit: 100,
            }),
        )
        .await;
        for conv in 0..CONVS.len() {
            let history = req::History {
                conversation_id: conv_id(conv),
                before_seq: None,
                count: 15,
            };
            twin.exchange(conn, Request::History(history)).await;
        }
    }
    let tally = std::mem::take(&mut twin.tally);
    twin.server.stop().await;
    tally
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_match(steps in prop::collection::vec(ops::op(), 1..40)) {
        runtime().block_on(check(&steps));
    }
}

/// Every operation, in an order where each can succeed, and then fail where it should.
#[test]
fn scripted_sequence_matches() {
    use Op::*;
    let script = vec![
        // alice ↔ bob (seqs 1..3), with a resend of the same ID (stored once) and a reuse of it
        // for another conversation (refused). g1 is alice and bob's, g2 bob and carol's (alice
        // joins it at AddMember); an online-only message; an empty text (refused).
        Send(0, 1, 1, 1, true, false),
        Send(1, 1, 1, 1, true, false),
        Send(0, 2, 1, 1, false, false),
        Send(2, 0, 2, 2, false, false),
        Send(2, 0, 3, 3, true, false),
        Send(0, 4, 4, 1, true, false),
        Send(4, 4, 5, 1, false, false),
        Send(3, 0, 6, 2, false, true),
        Send(4, 5, 7, 0, false, false),
        Conversations(0),
        History(0, 1, None, 2),
        History(0, 1, Some(2), 2),
        Read(0, 1, 2),
        Read(0, 1, 1),
        Sync(2, 1, 2),
        // Revoke: own (ok), again from the other connection (same answer), others' (refused).
        Revoke(0, 1, 1),
        Revoke(1, 1, 1),
        Revoke(0, 1, 2),
        // A revoked message cannot be modified.
        Modify(0, 1, 1, 0, 1),
        // Modify: ok, then the same version again (conflict), another type, not the sender.
        Modify(2, 0, 3, 0, 7),
        Modify(3, 0, 3, 0, 11),
        Modify(2, 0, 2, 0, 3),
        Modify(2, 0, 1, 0, 1),
        Ack(2, 0, vec![1, 3, 3]),
        Ack(2, 4, vec![1]),
        Receipts(0, 4, vec![1, 2]),
        Members(0, 4, 1, true, 0, 1),
        Members(0, 4, 1, false, 0, 1),
        Members(0, 4, 1, true, 2, 5),
        Hop(0, 1, Some(2), None, false, 1),
        Hop(0, 1, Some(1), None, true, 0),
        History(0, 1, None, 0),
        Hop(0, 4, None, Some(0), true, 15),
        Fetch(0, 1, vec![3, 1, 1]),
        // m1 names another conversation: the whole import is refused (m8, m9 too); then not.
        Import(0, 2, vec![(8, 2), (9, 1), (1, 3)]),
        Import(0, 2, vec![(8, 2), (9, 3)]),
        Delete(0, 1, vec![3, 1, 9]),
        Delete(0, 1, vec![1]),
        // bob hides C2Calice; alice's next message shows it again.
        Hide(2, 0),
        Conversations(3),
        Send(0, 1, 9, 2, false, false),
        Conversations(3),
        Pin(0, 4, true),
        Pin(0, 3, true),
        Settings(1, vec![1, 4], 3, 0, Some(1), Some(2), false),
        Send(2, 0, 8, 1, false, false),
        Settings(0, vec![2], 0, 1, None, None, true),
        Settings(0, vec![7, 8], 1, 0, Some(2), Some(3), false),
        // GROUPnone is refused after C2Cbob was changed: all or nothing.
        Settings(0, vec![1, 6], 4, 0, None, None, false),
        Conversations(1),
        Group(0, 0, 0, 0, vec![1, 4]),
        Group(1, 3, 0, 0, vec![2, 1]),
        Group(0, 2, 0, 1, vec![]),
        Group(0, 4, 1, 0, vec![1]),
        Group(0, 1, 0, 0, vec![]),
        AddMember(0),
        Send(0, 5, 3, 1, true, false),
        Relogin(1),
        Sync(1, 0, 100),
        Ping(4),
    ];
    let tally = runtime().block_on(check(&script));
    for (kind, (ok, refused)) in &tally {
        assert!(
            *ok > 0,
            "{kind} never succeeded ({refused} refused): {tally:?}"
        );
    }
    assert!(tally.len() >= 20, "every kind of request ran: {tally:?}");
}
