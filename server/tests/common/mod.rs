//! Test harness: a real server on 127.0.0.1:0 over a temporary data dir, WebSocket clients
//! speaking the wire protocol, and a minimal HTTP client for the REST and debug endpoints.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tempfile::TempDir;
use tim_protocol::usersig;
use tim_protocol::{
    req, Change, ClientFrame, Content, ConvType, ConversationInfo, Message, OutboundMessage, Reply,
    Request, ServerFrame, SyncItem,
};
use tim_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const KEY: &str = "test-secret-key";
pub const APP: u64 = 1_400_000_123;
pub const WAIT: Duration = Duration::from_secs(10);

/// Polls `check` every 20 ms until it gives a value; panics with the last `Err` after
/// `within`. The one polling loop of the server tests.
pub async fn poll_until<T, F, Fut>(within: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match check().await {
            Ok(v) => return v,
            Err(why) => assert!(tokio::time::Instant::now() < deadline, "{why}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn now() -> u64 {
    tim_server::time::now_secs()
}

pub fn sig(user: &str) -> String {
    usersig::generate(APP, KEY, user, 3600, now())
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), tim_server::Error>>>,
    pub dir: Option<TempDir>,
}

pub fn config(data_dir: &Path) -> Config {
    let mut c = Config::new(data_dir);
    c.sdk_app_id = APP;
    c.secret_key = KEY.into();
    c.debug_endpoints = true;
    c.www_dir = data_dir.join("www");
    c.pkg_dir = data_dir.join("pkg");
    c
}

impl TestServer {
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = TestServer::start_with(config(dir.path())).await;
        s.dir = Some(dir);
        s
    }

    /// A server over a fresh temporary data dir, with `tweak` applied to the test config.
    pub async fn start_tweaked(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = config(dir.path());
        tweak(&mut config);
        let mut s = TestServer::start_with(config).await;
        s.dir = Some(dir);
        s
    }

    pub async fn start_with(config: Config) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(tim_server::run(listener, config.clone(), async move {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            config,
            stop: Some(stop),
            task: Some(task),
            dir: None,
        }
    }

    /// Shuts down gracefully and waits for `run` to return.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(WAIT, task)
                .await
                .expect("server stops in time")
                .expect("join")
                .expect("run ok");
        }
    }

    pub async fn client(&self) -> Client {
        Client::connect(self.addr).await
    }

    pub async fn login(&self, user: &str) -> Client {
        let mut c = self.client().await;
        c.login(user).await;
        c
    }

    pub fn admin_query(&self) -> String {
        let sig = usersig::generate(APP, KEY, &self.config.admin, 3600, now());
        format!(
            "sdkappid={APP}&identifier={}&usersig={sig}&random=42&contenttype=json",
            self.config.admin
        )
    }

    /// `POST /v4/<path>` as the administrator.
    pub async fn rest(&self, path: &str, body: Value) -> Value {
        let q = self.admin_query();
        self.rest_with(path, &q, body).await
    }

    pub async fn rest_with(&self, path: &str, query: &str, body: Value) -> Value {
        let (status, _, body) = http(
            self.addr,
            "POST",
            &format!("/v4/{path}?{query}"),
            &body.to_string(),
        )
        .await;
        assert_eq!(status, 200, "REST answers 200 even on failure");
        serde_json::from_str(&body).expect("REST body is JSON")
    }

    pub async fn stats(&self) -> Value {
        let (status, _, body) = http(self.addr, "GET", "/debug/stats", "").await;
        assert_eq!(status, 200);
        serde_json::from_str(&body).expect("json")
    }

    /// Polls `/debug/stats` until `f` holds.
    pub async fn wait_stats(&self, f: impl Fn(&Value) -> bool) -> Value {
        poll_until(WAIT, || async {
            let s = self.stats().await;
            if f(&s) {
                Ok(s)
            } else {
                Err(format!("stats never matched: {s}"))
            }
        })
        .await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A bare HTTP/1.1 request; returns status, raw headers and body.
pub async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("write");
    read_response(s).await
}

/// Reads a `Connection: close` response to its end: status, head and body.
pub async fn read_response(mut s: TcpStream) -> (u16, String, String) {
    let mut raw = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut raw))
        .await
        .expect("http timeout")
        .expect("read");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("http response");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, head.to_owned(), body.to_owned())
}

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Client {
    pub ws: Ws,
    next_id: u32,
    /// Frames that arrived while waiting for an answer.
    pub pending: VecDeque<ServerFrame>,
    pub user: String,
}

pub fn text(to: &str, id: &str, body: &str) -> OutboundMessage {
    message(ConvType::C2c, to, id, body)
}

pub fn message(conv_type: ConvType, to: &str, id: &str, body: &str) -> OutboundMessage {
    let text = Content::Text { text: body.into() };
    OutboundMessage {
        random: 7,
        client_time: now(),
        ..OutboundMessage::new(conv_type, to, id, text)
    }
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
            .await
            .expect("ws connect");
        Client {
            ws,
            next_id: 0,
            pending: VecDeque::new(),
            user: String::new(),
        }
    }

    pub async fn send_text(&mut self, text: String) {
        self.ws
            .send(WsMessage::Text(text.into()))
            .await
            .expect("ws send");
    }

    /// Sends a request without waiting; returns its id.
    pub async fn send_req(&mut self, req: Request) -> u32 {
        self.next_id += 1;
        let id = self.next_id;
        let text = serde_json::to_string(&ClientFrame { id, req }).expect("encode");
        self.send_text(text).await;
        id
    }

    /// The next frame off the socket (None if it closed).
    pub async fn read_frame(&mut self) -> Option<ServerFrame> {
        loop {
            let msg = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("timed out waiting for a frame");
            match msg {
                Some(Ok(WsMessage::Text(t))) => {
                    return Some(serde_json::from_str(t.as_str()).expect("server frame decodes"))
                }
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Waits for the answer to `id`, keeping other frames in `pending`.
    pub async fn answer(&mut self, id: u32) -> Result<Reply, (u32, String)> {
        loop {
            let frame = self
                .read_frame()
                .await
                .expect("socket closed before the answer");
            match frame {
                ServerFrame::Ok { id: got, data } if got == id => return Ok(data),
                ServerFrame::Error {
                    id: Some(got),
                    code,
                    message,
                } if got == id => return Err((code, message)),
                other => self.pending.push_back(other),
            }
        }
    }

    pub async fn request(&mut self, req: Request) -> Result<Reply, (u32, String)> {
        let id = self.send_req(req).await;
        self.answer(id).await
    }

    pub async fn ok(&mut self, req: Request) -> Reply {
        match self.request(req.clone()).await {
            Ok(r) => r,
            Err(e) => panic!("{req:?} failed: {e:?}"),
        }
    }

    pub async fn err_code(&mut self, req: Request) -> u32 {
        match self.request(req.clone()).await {
            Ok(r) => panic!("{req:?} should fail, got {r:?}"),
            Err((code, _)) => code,
        }
    }

    /// Logs in; returns the login cursor.
    pub async fn login(&mut self, user: &str) -> u64 {
        self.user = user.into();
        match self
            .ok(Request::Login(req::Login {
                user_id: user.into(),
                user_sig: sig(user),
            }))
            .await
        {
            Reply::Login {
                user_id, sync_seq, ..
            } => {
                assert_eq!(user_id, user);
                sync_seq
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Sends a message and returns (seq, sender sync_seq).
    pub async fn send(&mut self, m: OutboundMessage) -> (u64, u64) {
        match self.ok(Request::Send(req::Send { message: m })).await {
            Reply::Sent { message, sync_seq } => {
                assert_eq!(message.from, self.user);
                (message.seq, sync_seq)
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// The next unsolicited frame.
    pub async fn next_push(&mut self) -> ServerFrame {
        if let Some(f) = self.pending.pop_front() {
            return f;
        }
        self.read_frame()
            .await
            .expect("socket closed while waiting for a push")
    }

    /// Asserts nothing is queued for this socket: the answer to a ping must be the next frame.
    /// The committer queues a write's pushes before it answers the writer (WebSocket or REST),
    /// so whatever an answered write pushes here is already ahead of the pong.
    pub async fn expect_quiet(&mut self) {
        assert!(
            self.pending.is_empty(),
            "unexpected frames: {:?}",
            self.pending
        );
        let id = self.send_req(Request::Ping).await;
        let frame = self.read_frame().await.expect("open");
        assert!(
            matches!(frame, ServerFrame::Ok { id: got, data: Reply::Pong { .. } } if got == id),
            "unexpected frame {frame:?}"
        );
    }

    pub async fn history(
        &mut self,
        conv: &str,
        before_seq: Option<u64>,
        count: u32,
    ) -> (Vec<u64>, bool) {
        match self
            .ok(Request::History(req::History {
                conversation_id: conv.into(),
                before_seq,
                count,
            }))
            .await
        {
            Reply::History { messages, complete } => {
                (messages.iter().map(|m| m.seq).collect(), complete)
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
        while let Ok(Some(Ok(_))) = tokio::time::timeout(WAIT, self.ws.next()).await {}
    }
}

/// A push's `(sync_seq, message, change)`; panics on any other frame.
pub fn push_of(frame: ServerFrame) -> (u64, Message, Change) {
    match frame {
        ServerFrame::Push {
            sync_seq,
            message,
            change,
        } => (sync_seq, message, change),
        other => panic!("expected a push, got {other:?}"),
    }
}

impl Client {
    /// One page of history, as messages.
    pub async fn messages(&mut self, conv: &str) -> Vec<Message> {
        match self
            .ok(Request::History(req::History {
                conversation_id: conv.into(),
                before_seq: None,
                count: 15,
            }))
            .await
        {
            Reply::History { messages, .. } => messages,
            other => panic!("unexpected {other:?}"),
        }
    }

    /// The conversation list.
    pub async fn conversations(&mut self) -> Vec<ConversationInfo> {
        match self.ok(Request::Conversations).await {
            Reply::Conversations { conversations, .. } => conversations,
            other => panic!("unexpected {other:?}"),
        }
    }

    /// The conversation IDs of the list, in order.
    pub async fn conversation_ids(&mut self) -> Vec<String> {
        self.conversations()
            .await
            .into_iter()
            .map(|c| c.conversation_id)
            .collect()
    }

    /// Everything delivered after `since` (one complete page).
    pub async fn sync_items(&mut self, since: u64) -> Vec<SyncItem> {
        match self
            .ok(Request::Sync(req::Sync { since, limit: 100 }))
            .await
        {
            Reply::Sync { items, complete } => {
                assert!(complete);
                items
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

pub fn admin_body_members(members: &[&str]) -> Value {
    Value::Array(
        members
            .iter()
            .map(|m| json!({"Member_Account": m}))
            .collect(),
    )
}

/// The status code of a raw HTTP response.
pub fn status_of(raw: &[u8]) -> Option<u16> {
    let line = raw.split(|b| *b == b'\r').next()?;
    std::str::from_utf8(line)
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

/// A WebSocket client with no buffers of its own (tungstenite's would dwarf the server's
/// share): the upgrade by hand, then one login frame and its answer.
pub async fn bare_login(addr: SocketAddr, user: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "GET /ws HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    while !got.ends_with(b"\r\n\r\n") {
        got.push(s.read_u8().await.unwrap());
    }
    assert_eq!(status_of(&got), Some(101));
    let login = ClientFrame {
        id: 1,
        req: Request::Login(req::Login {
            user_id: user.into(),
            user_sig: sig(user),
        }),
    };
    let payload = serde_json::to_vec(&login).unwrap();
    // A final text frame, masked with a zero key (the payload goes as is).
    let mut frame = vec![0x81];
    match u8::try_from(payload.len()) {
        Ok(n) if n < 126 => frame.push(0x80 | n),
        _ => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&u16::try_from(payload.len()).unwrap().to_be_bytes());
        }
    }
    frame.extend_from_slice(&[0; 4]);
    frame.extend_from_slice(&payload);
    s.write_all(&frame).await.unwrap();
    let mut head = [0u8; 2];
    s.read_exact(&mut head).await.unwrap();
    let len = match head[1] {
        126 => usize::from(s.read_u16().await.unwrap()),
        n => usize::from(n),
    };
    let mut answer = vec![0; len];
    s.read_exact(&mut answer).await.unwrap();
    let answer: ServerFrame = serde_json::from_slice(&answer).unwrap();
    assert!(
        matches!(answer, ServerFrame::Ok { id: 1, .. }),
        "{answer:?}"
    );
    s
}
