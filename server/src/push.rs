//! The offline-push webhook (`--push-webhook URL`): for each recipient of a new stored message
//! who has no connected socket, the committer hands a JSON body to [`Pusher::offer`], and one
//! task POSTs them in order. The committer never waits: a full queue drops the push and a
//! failed POST is logged, so a slow or dead push provider cannot delay any ack. Plain
//! `http://` only (put a TLS-terminating proxy in front for anything else), HTTP/1.1,
//! `Connection: close`, 5-second timeout.

use std::time::Duration;

use serde_json::{json, Value};
use tim_protocol::{Content, Message};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

/// Pushes that may wait for the webhook before new ones are dropped.
const QUEUE: usize = 4096;
/// Connect + write + read limit of one POST.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Where the webhook lives.
#[derive(Clone, Debug)]
struct Target {
    host: String,
    port: u16,
    path: String,
}

fn parse(url: &str) -> Option<Target> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (authority, 80),
    };
    (!host.is_empty()).then(|| Target {
        host: host.to_owned(),
        port,
        path: path.to_owned(),
    })
}

/// Handle to the webhook task; cheap to clone.
#[derive(Clone, Debug)]
pub struct Pusher {
    tx: mpsc::Sender<String>,
}

impl Pusher {
    /// Starts the webhook task (needs a Tokio runtime); `Err` for a URL that is not
    /// `http://host[:port][/path]`.
    pub fn start(url: &str) -> Result<Pusher, String> {
        let target = parse(url)
            .ok_or_else(|| format!("push webhook {url:?} must be http://host[:port][/path]"))?;
        let (tx, mut rx) = mpsc::channel::<String>(QUEUE);
        tokio::spawn(async move {
            while let Some(body) = rx.recv().await {
                match tokio::time::timeout(TIMEOUT, post(&target, &body)).await {
                    Ok(Ok(status)) if (200..300).contains(&status) => {}
                    Ok(Ok(status)) => tracing::warn!(status, "push webhook answered an error"),
                    Ok(Err(e)) => tracing::warn!("push webhook failed: {e}"),
                    Err(_) => tracing::warn!("push webhook timed out"),
                }
            }
        });
        Ok(Pusher { tx })
    }

    /// Queues one push without waiting; dropped (and logged) when the queue is full.
    pub fn offer(&self, body: String) {
        if self.tx.try_send(body).is_err() {
            tracing::warn!("push webhook queue full or stopped: push dropped");
        }
    }
}

async fn post(t: &Target, body: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect((t.host.as_str(), t.port)).await?;
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        t.path,
        t.host,
        t.port,
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no HTTP status line"))
}

/// The `offlinePushInfo` of a message, if it allows a push (absent, or `disablePush` not
/// true). `Value::Null` when the sender gave none.
pub fn push_info(m: &Message) -> Option<Value> {
    if m.offline_push_info.is_empty() {
        return Some(Value::Null);
    }
    let info: Value = serde_json::from_str(&m.offline_push_info).ok()?;
    (info.get("disablePush") != Some(&Value::Bool(true))).then_some(info)
}

/// The webhook body for `recipient` (documented in the README).
pub fn body(m: &Message, recipient: &str, info: &Value) -> String {
    let (kind, text) = match &m.content {
        Content::Text { text } => ("TIMTextElem", text.as_str()),
        Content::Custom { description, .. } => ("TIMCustomElem", description.as_str()),
        Content::Face { .. } => ("TIMFaceElem", ""),
        Content::Location { description, .. } => ("TIMLocationElem", description.as_str()),
        Content::GroupSystemNotice { .. } => ("TIMGroupSystemNoticeElem", ""),
        Content::GroupTip { .. } => ("TIMGroupTipElem", ""),
        Content::Image { .. } => ("TIMImageElem", ""),
        Content::File { file_name, .. } => ("TIMFileElem", file_name.as_str()),
        Content::Video { .. } => ("TIMVideoFileElem", ""),
        Content::Sound { .. } => ("TIMSoundElem", ""),
        Content::Merger { title, .. } => ("TIMRelayElem", title.as_str()),
    };
    json!({
        "CallbackCommand": "C2C.OfflinePush",
        "To_Account": recipient,
        "From_Account": m.from,
        "ConversationID": m.conversation_id_for(recipient),
        "MsgID": m.id,
        "MsgSeq": m.seq,
        "MsgTime": m.time,
        "MsgType": kind,
        "Text": text,
        "OfflinePushInfo": info,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = parse("http://127.0.0.1:9000/hook?x=1").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 9000, "/hook?x=1")
        );
        let t = parse("http://push.local").unwrap();
        assert_eq!((t.port, t.path.as_str()), (80, "/"));
        assert!(parse("https://x").is_none());
        assert!(parse("http://:80/").is_none());
        assert!(parse("http://h:notaport/").is_none());
    }
}
