//! One WebSocket client speaking the wire protocol: connect (optionally from a chosen
//! 127.0.0.x source address), log in, send requests by id, read frames.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use futures_util::{SinkExt, StreamExt};
use tim_protocol::{
    req, ClientFrame, Content, ConvType, OutboundMessage, Reply, ReqId, Request, ServerFrame,
    SyncItem, MAX_SYNC_PAGE, WS_PATH,
};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::WebSocketStream;

use crate::server::Server;

/// Longest wait for any single frame: a server that stalls this long has failed the bench.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(60);

/// A logged-in (or about to be) connection.
pub struct Client {
    ws: WebSocketStream<TcpStream>,
    next_id: ReqId,
    /// Frames that arrived while waiting for an answer.
    pub pending: VecDeque<ServerFrame>,
}

/// An answer: the reply, or the error frame's code.
pub type Answer = std::result::Result<Reply, u32>;

impl Client {
    /// Opens a WebSocket to `server`, bound to `source` first when given (thousands of
    /// sockets need several source addresses: each has one ephemeral port range).
    pub async fn connect(server: SocketAddr, source: Option<IpAddr>) -> Result<Client> {
        let socket = TcpSocket::new_v4()?;
        if let Some(ip) = source {
            socket.bind(SocketAddr::new(ip, 0)).context("bind source")?;
        }
        let stream = socket.connect(server).await.context("tcp connect")?;
        stream.set_nodelay(true)?;
        // Small buffers: the bench holds tens of thousands of these next to the server.
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0);
        let url = format!("ws://{server}{WS_PATH}");
        let (ws, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(config))
            .await
            .context("websocket handshake")?;
        Ok(Client {
            ws,
            next_id: 0,
            pending: VecDeque::new(),
        })
    }

    /// Connects and logs in as `user`; returns the client and the login cursor.
    pub async fn login_as(
        server: &Server,
        user: &str,
        source: Option<IpAddr>,
    ) -> Result<(Client, u64)> {
        let mut c = Client::connect(server.addr, source).await?;
        let cursor = c.login(server, user).await?;
        Ok((c, cursor))
    }

    /// Sends a request without waiting; returns its id.
    pub async fn send_req(&mut self, req: Request) -> Result<ReqId> {
        self.next_id = self.next_id.wrapping_add(1);
        let id = self.next_id;
        let text = serde_json::to_string(&ClientFrame { id, req })?;
        self.ws.send(WsMessage::Text(text.into())).await?;
        Ok(id)
    }

    /// Sends a message (see [`text_message`]); returns the request id.
    pub async fn send_message(&mut self, message: OutboundMessage) -> Result<ReqId> {
        self.send_req(Request::Send(req::Send { message })).await
    }

    /// The next frame, waiting at most [`FRAME_TIMEOUT`]; an error once the socket closed.
    pub async fn next_frame(&mut self) -> Result<ServerFrame> {
        if let Some(f) = self.pending.pop_front() {
            return Ok(f);
        }
        self.read_frame().await
    }

    async fn read_frame(&mut self) -> Result<ServerFrame> {
        loop {
            let msg = tokio::time::timeout(FRAME_TIMEOUT, self.ws.next())
                .await
                .map_err(|_| anyhow!("no frame within {FRAME_TIMEOUT:?}"))?;
            match msg {
                Some(Ok(WsMessage::Text(t))) => return Ok(serde_json::from_str(t.as_str())?),
                Some(Ok(WsMessage::Close(c))) => bail!("closed by the server: {c:?}"),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => bail!("connection ended"),
            }
        }
    }

    /// Waits for the answer to `id`, keeping other frames in `pending`.
    pub async fn answer(&mut self, id: ReqId) -> Result<Answer> {
        loop {
            match self.read_frame().await? {
                ServerFrame::Ok { id: got, data } if got == id => return Ok(Ok(data)),
                ServerFrame::Error {
                    id: Some(got),
                    code,
                    ..
                } if got == id => return Ok(Err(code)),
                other => self.pending.push_back(other),
            }
        }
    }

    /// Sends `req` and waits for its answer.
    pub async fn request(&mut self, req: Request) -> Result<Answer> {
        let id = self.send_req(req).await?;
        self.answer(id).await
    }

    /// Logs in as `user` with a freshly minted UserSig; returns the login cursor.
    pub async fn login(&mut self, server: &Server, user: &str) -> Result<u64> {
        let login = Request::Login(req::Login {
            user_id: user.into(),
            user_sig: server.user_sig(user),
        });
        match self.request(login).await? {
            Ok(Reply::Login { sync_seq, .. }) => Ok(sync_seq),
            Ok(other) => bail!("unexpected login answer {other:?}"),
            Err(code) => bail!("login of {user} refused: {code}"),
        }
    }

    /// Everything delivered after `since`, following pages until complete.
    pub async fn sync_all(&mut self, mut since: u64) -> Result<Vec<SyncItem>> {
        let mut all = Vec::new();
        loop {
            let sync = Request::Sync(req::Sync {
                since,
                limit: MAX_SYNC_PAGE,
            });
            match self.request(sync).await? {
                Ok(Reply::Sync { items, complete }) => {
                    since = items.last().map_or(since, |i| i.sync_seq);
                    all.extend(items);
                    if complete {
                        return Ok(all);
                    }
                }
                Ok(other) => bail!("unexpected sync answer {other:?}"),
                Err(code) => bail!("sync refused: {code}"),
            }
        }
    }

    /// Closes the socket without waiting for the server's close frame.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(1), self.ws.close(None)).await;
    }
}

/// A text message with client ID `id`.
pub fn text_message(conv_type: ConvType, to: &str, id: &str, text: String) -> OutboundMessage {
    OutboundMessage {
        random: 1,
        client_time: unix_secs(),
        ..OutboundMessage::new(conv_type, to, id, Content::Text { text })
    }
}

/// Seconds since the epoch.
pub fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The source address of the `i`th socket: spread over 127.0.0.1 .. 127.0.0.`spread`.
pub fn source_addr(i: usize, spread: usize) -> Option<IpAddr> {
    let last = 1 + (i % spread.max(1)) as u8;
    Some(IpAddr::from([127, 0, 0, last]))
}

/// Connects and logs in every user of `users` (at most `parallel` at a time, the `i`th from
/// [`source_addr`]`(i, spread)`); returns each outcome in order, with the login cursor.
pub async fn login_many(
    server: &std::sync::Arc<Server>,
    users: &[String],
    spread: usize,
    parallel: usize,
) -> Vec<Result<(Client, u64)>> {
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(parallel.max(1)));
    let tasks: Vec<_> = users
        .iter()
        .enumerate()
        .map(|(i, user)| {
            let (server, gate, user) = (server.clone(), gate.clone(), user.clone());
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await?;
                Client::login_as(&server, &user, source_addr(i, spread)).await
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.unwrap_or_else(|e| Err(e.into())));
    }
    out
}
