//! Drives a [`Core`] like an adapter would: a clock, a socket flag, and either hand-fed frames
//! or the [`FakeServer`] answering every transmitted request.

use std::collections::VecDeque;

use tim_protocol::{ClientFrame, ServerFrame};

use crate::core::cache::{CacheStore, Changes, MemoryStore};
use crate::core::*;
use tim_fake_server::FakeServer;

pub fn take(core: &mut Core) -> Changes {
    core.take_cache_writes()
}

pub fn cfg() -> Config {
    Config {
        sdk_app_id: 1,
        seed: 7,
        heartbeat_interval_ms: 10_000,
        heartbeat_timeout_ms: 25_000,
        reconnect_base_ms: 500,
        reconnect_max_ms: 30_000,
        request_timeout_ms: 15_000,
        connect_timeout_ms: 3_000,
        server_url: "ws://srv:1/ws".into(),
        file_origin: "http://srv:1".into(),
        persistent_cache: false,
        request_bytes: |r| serde_json::to_string(r).map_or(usize::MAX, |s| s.len()),
    }
}

pub struct Client {
    pub core: Core,
    pub now: u64,
    pub user: String,
    /// The socket is open.
    pub socket: bool,
    /// Connect attempts succeed.
    pub net_up: bool,
    /// Every output so far.
    pub log: Vec<Output>,
    /// A persistent cache written through after every step and read for `ReadCache`.
    pub cache: Option<MemoryStore>,
    inbox: VecDeque<ServerFrame>,
    connect_pending: bool,
    next_op: OpId,
}

impl Client {
    pub fn new(config: Config) -> Client {
        Client {
            core: Core::new(config),
            now: 1_700_000_000_000,
            user: String::new(),
            socket: false,
            net_up: true,
            log: Vec::new(),
            cache: None,
            inbox: VecDeque::new(),
            connect_pending: false,
            next_op: 0,
        }
    }

    /// New outputs since the last drain (also appended to `log`).
    pub fn drain(&mut self) -> Vec<Output> {
        let mut outs = Vec::new();
        while let Some(o) = self.core.poll_output() {
            match &o {
                Output::Disconnect => {
                    self.socket = false;
                    self.inbox.clear();
                }
                Output::Connect => self.connect_pending = true,
                _ => {}
            }
            outs.push(o.clone());
            self.log.push(o);
        }
        outs
    }

    pub fn cmd(&mut self, command: Command) -> OpId {
        if let Command::Login { user_id, .. } = &command {
            if self.core.user_id().is_none() {
                self.user = user_id.clone();
            }
        }
        self.next_op += 1;
        self.core.handle_command(self.now, self.next_op, command);
        self.next_op
    }

    /// Hand-driven: the socket opens.
    pub fn connected(&mut self) -> Vec<Output> {
        self.connect_pending = false;
        self.socket = true;
        self.core.handle_connected(self.now);
        self.drain()
    }

    /// Hand-driven: one frame from the server.
    pub fn frame(&mut self, f: ServerFrame) -> Vec<Output> {
        self.core.handle_frame(self.now, f);
        self.drain()
    }

    /// With the fake server: answer everything until nothing moves.
    pub fn run(&mut self, srv: &mut FakeServer) {
        for _ in 0..100_000 {
            let outs = self.drain();
            if let Some(cache) = &self.cache {
                pollster::block_on(cache.apply(&take(&mut self.core))).unwrap();
            }
            let mut read = false;
            for o in outs {
                match o {
                    Output::Transmit(ClientFrame { id, req }) if self.socket => {
                        // As the real server queues them: what reaches this connection of
                        // the request's pushes (settings), then the answer; the rest go to
                        // other connections.
                        let answer = srv.answer(&self.user, id, req);
                        let own = answer.pushes.into_iter();
                        let own = own.filter(|p| p.to_requester && p.to == self.user);
                        self.inbox.extend(own.map(|p| p.frame));
                        self.inbox.push_back(answer.frame);
                    }
                    Output::ReadCache { ask, before, limit } => {
                        let (ranges, page) = match &self.cache {
                            Some(c) => {
                                pollster::block_on(c.known_page(&ask.conv, before, limit)).unwrap()
                            }
                            None => (Vec::new(), Vec::new()),
                        };
                        self.core
                            .handle_cache_page(self.now, ask, before, limit, &ranges, &page);
                        read = true;
                    }
                    _ => {}
                }
            }
            if read {
                continue;
            }
            if self.connect_pending {
                self.connect_pending = false;
                if self.net_up {
                    self.socket = true;
                    self.core.handle_connected(self.now);
                } else {
                    self.core.handle_disconnected(self.now);
                }
                continue;
            }
            match self.inbox.pop_front() {
                Some(f) => self.core.handle_frame(self.now, f),
                None => return,
            }
        }
        panic!("core never went quiet");
    }

    /// With the fake server: a push to this client if its socket is open.
    pub fn push(&mut self, srv: &mut FakeServer, f: ServerFrame) {
        if self.socket {
            self.core.handle_frame(self.now, f);
        }
        self.run(srv);
    }

    /// With the fake server: let `ms` pass, firing every timer on the way.
    pub fn advance(&mut self, srv: &mut FakeServer, ms: u64) {
        let target = self.now + ms;
        for _ in 0..100_000 {
            match self.core.poll_timeout() {
                Some(t) if t <= target => {
                    self.now = self.now.max(t);
                    self.core.handle_timeout(self.now);
                    self.run(srv);
                }
                _ => {
                    self.now = target;
                    return;
                }
            }
        }
        panic!("timers never settle");
    }

    /// The socket dies without a close we asked for.
    pub fn drop_socket(&mut self, srv: &mut FakeServer) {
        self.socket = false;
        self.inbox.clear();
        self.core.handle_disconnected(self.now);
        self.run(srv);
    }

    /// With the fake server: login and run to ready.
    pub fn login(&mut self, srv: &mut FakeServer, user: &str) -> OpId {
        let op = self.cmd(Command::Login {
            user_id: user.into(),
            user_sig: "sig".into(),
        });
        self.run(srv);
        op
    }

    /// What the core decided call `op`'s rejection shows as `data.message`.
    pub fn shown(&self, op: OpId) -> Option<&Shown> {
        self.log.iter().find_map(|o| match o {
            Output::Complete { op: o, shown, .. } if *o == op => Some(shown),
            _ => None,
        })
    }

    pub fn result(&self, op: OpId) -> Option<&Result<Response, SdkError>> {
        self.log.iter().find_map(|o| match o {
            Output::Complete { op: o, result, .. } if *o == op => Some(result),
            _ => None,
        })
    }

    pub fn code(&self, op: OpId) -> Option<u32> {
        match self.result(op) {
            Some(Err(e)) => Some(e.code),
            Some(Ok(_)) => Some(0),
            None => None,
        }
    }

    pub fn events(&self) -> Vec<&Event> {
        self.log
            .iter()
            .filter_map(|o| {
                if let Output::Event(e) = o {
                    Some(e)
                } else {
                    None
                }
            })
            .collect()
    }

    pub fn received(&self) -> Vec<MessageView> {
        self.events()
            .into_iter()
            .filter_map(|e| {
                if let Event::MessageReceived(v) = e {
                    Some(v.clone())
                } else {
                    None
                }
            })
            .flatten()
            .collect()
    }

    pub fn totals(&self) -> Vec<u32> {
        self.events()
            .into_iter()
            .filter_map(|e| {
                if let Event::TotalUnreadMessageCountUpdated(n) = e {
                    Some(*n)
                } else {
                    None
                }
            })
            .collect()
    }

    pub fn last_list(&self) -> Option<Vec<ConversationView>> {
        self.events().into_iter().rev().find_map(|e| match e {
            Event::ConversationListUpdated(l) => Some(l.clone()),
            _ => None,
        })
    }

    pub fn clear_log(&mut self) {
        self.log.clear();
    }

    pub fn conversation_list(&mut self) -> Vec<ConversationView> {
        let op = self.cmd(Command::GetConversationList);
        self.drain();
        match self.result(op) {
            Some(Ok(Response::ConversationList {
                conversation_list, ..
            })) => conversation_list.clone(),
            other => panic!("getConversationList: {other:?}"),
        }
    }

    pub fn text(&mut self, to: &str, conv_type: &str, text: &str) -> MessageView {
        let opts = CreateMessageOptions {
            to: Some(to.into()),
            conversation_type: Some(conv_type.into()),
            payload: Some(Payload {
                text: Some(text.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        self.core
            .create_message(MessageKind::Text, opts, self.now)
            .expect("valid text message")
    }
}

/// Transmitted requests among `outs`.
pub fn transmits(outs: &[Output]) -> Vec<ClientFrame> {
    outs.iter()
        .filter_map(|o| {
            if let Output::Transmit(f) = o {
                Some(f.clone())
            } else {
                None
            }
        })
        .collect()
}

/// The single transmitted request among `outs`.
pub fn only_transmit(outs: &[Output]) -> ClientFrame {
    let t = transmits(outs);
    assert_eq!(t.len(), 1, "expected one transmit in {outs:?}");
    t[0].clone()
}

/// A client logged in as `user` against a fresh fake server, its output log cleared.
pub fn ready(user: &str) -> (FakeServer, Client) {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    c.login(&mut srv, user);
    c.clear_log();
    (srv, c)
}
