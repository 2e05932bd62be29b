//! The file store over real HTTP against a real server and SQLite: chunked uploads (verified,
//! idempotent, resumable, size-limited, cleaned up), downloads (byte-identical, ranges), and
//! access: the uploader, then the participants of conversations whose committed messages
//! refer to the file; nobody else, whatever the ID looks like.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tim_protocol::{codes, req, Content, ConvType, OutboundMessage, Reply, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CHUNK: usize = 4 * 1024 * 1024;

/// An HTTP response: status, lowercase header pairs, body.
struct Res {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Res {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{} is not JSON ({e})", String::from_utf8_lossy(&self.body)))
    }
}

/// One HTTP/1.1 request with a binary body over a fresh connection; the path is sent as is.
async fn req(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Res {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write head");
    // A refused body may be cut off by the server: ignore write errors, read the answer.
    let _ = s.write_all(body).await;
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(WAIT, s.read_to_end(&mut raw))
        .await
        .expect("http timeout");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("http response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v == "chunked")
    {
        body = dechunk(&body);
    }
    Res {
        status,
        headers,
        body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let n =
            usize::from_str_radix(std::str::from_utf8(&raw[..eol]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&raw[eol + 2..eol + 2 + n]);
        raw = &raw[eol + 4 + n..];
    }
}

fn sha_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Deterministic pseudo-random bytes (xorshift), different per `seed`.
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A logged-in user with its file token.
struct User {
    ws: Client,
    token: String,
    addr: SocketAddr,
}

async fn user(server: &TestServer, name: &str) -> User {
    let mut ws = server.client().await;
    ws.user = name.into();
    let token = match ws
        .ok(Request::Login(req::Login {
            user_id: name.into(),
            user_sig: sig(name),
        }))
        .await
    {
        Reply::Login { file_token, .. } => file_token,
        other => panic!("unexpected {other:?}"),
    };
    assert!(!token.is_empty(), "login mints a file token");
    User {
        ws,
        token,
        addr: server.addr,
    }
}

impl User {
    async fn start(&self, size: u64, name: &str, mime: &str) -> Res {
        let body = json!({"size": size, "name": name, "mime": mime}).to_string();
        req(
            self.addr,
            "POST",
            "/files/uploads",
            &[
                ("x-tim-token", &self.token),
                ("content-type", "application/json"),
            ],
            body.as_bytes(),
        )
        .await
    }

    async fn start_ok(&self, size: usize) -> String {
        let r = self
            .start(size as u64, "data.bin", "application/x-test")
            .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        assert_eq!(v["chunkSize"], CHUNK as u64);
        assert_eq!(v["received"], json!([]));
        v["uploadID"].as_str().unwrap().to_owned()
    }

    async fn put_raw(&self, upload: &str, idx: usize, body: &[u8], hash: &str) -> Res {
        req(
            self.addr,
            "PUT",
            &format!("/files/uploads/{upload}/{idx}"),
            &[("x-tim-token", &self.token), ("x-chunk-sha256", hash)],
            body,
        )
        .await
    }

    async fn put(&self, upload: &str, data: &[u8], idx: usize) -> Res {
        let chunk = &data[idx * CHUNK..((idx + 1) * CHUNK).min(data.len())];
        self.put_raw(upload, idx, chunk, &sha_hex(chunk)).await
    }

    async fn status(&self, upload: &str) -> Res {
        req(
            self.addr,
            "GET",
            &format!("/files/uploads/{upload}"),
            &[("x-tim-token", &self.token)],
            b"",
        )
        .await
    }

    async fn complete(&self, upload: &str) -> Res {
        req(
            self.addr,
            "POST",
            &format!("/files/uploads/{upload}/complete"),
            &[("x-tim-token", &self.token)],
            b"",
        )
        .await
    }

    /// Uploads `data` whole; returns the file ID.
    async fn upload(&self, data: &[u8]) -> String {
        let id = self.start_ok(data.len()).await;
        for idx in 0..data.len().div_ceil(CHUNK) {
            let r = self.put(&id, data, idx).await;
            assert_eq!(
                r.status,
                200,
                "chunk {idx}: {}",
                String::from_utf8_lossy(&r.body)
            );
        }
        let r = self.complete(&id).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        let file_id = v["fileID"].as_str().unwrap().to_owned();
        assert_eq!(v["url"], format!("/files/{file_id}"));
        assert_eq!(v["size"], data.len() as u64);
        file_id
    }

    async fn download(&self, file_id: &str, range: Option<&str>) -> Res {
        let path = format!("/files/{file_id}?tk={}", self.token);
        match range {
            Some(r) => req(self.addr, "GET", &path, &[("range", r)], b"").await,
            None => req(self.addr, "GET", &path, &[], b"").await,
        }
    }

    async fn can_read(&self, file_id: &str) -> bool {
        let r = self.download(file_id, None).await;
        assert!(matches!(r.status, 200 | 404), "status {}", r.status);
        r.status == 200
    }
}

fn file_message(conv_type: ConvType, to: &str, id: &str, file_id: &str) -> OutboundMessage {
    let mut m = message(conv_type, to, id, "");
    m.content = Content::File {
        uuid: file_id.into(),
        file_name: "data.bin".into(),
        file_size: 1,
        file_url: format!("/files/{file_id}"),
    };
    m
}

async fn debug(server: &TestServer, path: &str) -> Value {
    let (status, _, body) = http(server.addr, "GET", path, "").await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn fault(server: &TestServer, after: u64, fail: u64) {
    let body = json!({"afterChunks": after, "failNext": fail}).to_string();
    let (status, _, _) = http(server.addr, "POST", "/debug/upload-fault", &body).await;
    assert_eq!(status, 200);
}

fn blob_count(server: &TestServer) -> usize {
    let root = server.config.data_dir.join("blobs");
    std::fs::read_dir(root)
        .unwrap()
        .map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum()
}

#[path = "files/access.rs"]
mod access;
#[path = "files/uploads.rs"]
mod uploads;
