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

#[tokio::test]
async fn a_chunked_upload_downloads_byte_identical_with_ranges() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(2 * CHUNK + 12_345, 1);
    let upload = alice.start_ok(data.len()).await;
    // Out of order: each chunk lands at its own offset.
    for idx in [2, 0, 1] {
        let r = alice.put(&upload, &data, idx).await;
        assert_eq!(r.status, 200);
    }
    let s = alice.status(&upload).await.json();
    assert_eq!(
        (s["received"].clone(), s["size"].clone()),
        (json!([0, 1, 2]), json!(data.len()))
    );
    let r = alice.complete(&upload).await.json();
    let file_id = r["fileID"].as_str().unwrap().to_owned();
    assert!(
        file_id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{file_id}"
    );
    assert_eq!(r["url"], format!("/files/{file_id}"));
    // A repeated complete answers the same file.
    assert_eq!(
        alice.complete(&upload).await.json()["fileID"],
        file_id.as_str()
    );

    let full = alice.download(&file_id, None).await;
    assert_eq!(full.status, 200);
    assert_eq!(sha_hex(&full.body), sha_hex(&data), "byte-identical");
    assert_eq!(full.header("content-type"), Some("application/x-test"));
    assert_eq!(
        full.header("content-length"),
        Some(data.len().to_string().as_str())
    );
    assert_eq!(full.header("accept-ranges"), Some("bytes"));

    let part = alice
        .download(&file_id, Some("bytes=4194300-4194309"))
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &data[4_194_300..4_194_310]);
    let range = format!("bytes 4194300-4194309/{}", data.len());
    assert_eq!(part.header("content-range"), Some(range.as_str()));
    assert_eq!(part.header("content-length"), Some("10"));
    let tail = alice.download(&file_id, Some("bytes=-5")).await;
    assert_eq!(
        (tail.status, tail.body.as_slice()),
        (206, &data[data.len() - 5..])
    );
    let beyond = alice
        .download(&file_id, Some(&format!("bytes={}-", data.len())))
        .await;
    assert_eq!(beyond.status, 416);
    assert_eq!(
        beyond.header("content-range"),
        Some(format!("bytes */{}", data.len()).as_str())
    );

    // Stored content-addressed, the temp file gone.
    let sha = sha_hex(&data);
    let blob = server
        .config
        .data_dir
        .join("blobs")
        .join(&sha[..2])
        .join(&sha[2..]);
    assert_eq!(std::fs::read(blob).unwrap().len(), data.len());
    assert_eq!(
        std::fs::read_dir(server.config.data_dir.join("uploads"))
            .unwrap()
            .count(),
        0
    );
    assert_eq!(
        debug(&server, &format!("/debug/uploads/{upload}")).await["complete"],
        true
    );
}

#[tokio::test]
async fn bad_chunks_are_refused_and_not_stored() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(CHUNK + 100, 2);
    let upload = alice.start_ok(data.len()).await;
    let first = &data[..CHUNK];
    let last = &data[CHUNK..];

    let wrong_hash = alice.put_raw(&upload, 0, first, &sha_hex(b"other")).await;
    assert_eq!(
        (wrong_hash.status, wrong_hash.json()["code"].clone()),
        (400, json!(codes::FILE_UPLOAD_FAIL))
    );
    let short = alice
        .put_raw(&upload, 1, &last[..99], &sha_hex(&last[..99]))
        .await;
    assert_eq!(short.status, 400);
    let mut long = last.to_vec();
    long.push(0);
    let long = alice.put_raw(&upload, 1, &long, &sha_hex(&long)).await;
    assert_eq!(long.status, 400);
    let no_hash = alice.put_raw(&upload, 1, last, "").await;
    assert_eq!(no_hash.status, 400);
    let past_end = alice.put_raw(&upload, 2, last, &sha_hex(last)).await;
    assert_eq!(past_end.status, 400);

    assert_eq!(alice.status(&upload).await.json()["received"], json!([]));
    assert_eq!(debug(&server, "/debug/uploads").await["chunkBytes"], 0);
    assert_eq!(
        debug(&server, &format!("/debug/uploads/{upload}")).await["chunkWrites"],
        json!([0, 0])
    );
    let r = alice.complete(&upload).await;
    assert_eq!(
        (r.status, r.json()["missing"].clone()),
        (409, json!([0, 1]))
    );

    // A body longer than a whole chunk is refused while streaming, the rest never read.
    let huge = vec![7u8; 3 * CHUNK];
    let r = alice.put_raw(&upload, 0, &huge, &sha_hex(&huge)).await;
    assert_eq!(r.status, 400);
    assert_eq!(alice.status(&upload).await.json()["received"], json!([]));
}

#[tokio::test]
async fn a_re_put_is_idempotent_and_complete_names_missing_chunks() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(3 * CHUNK, 3);
    let upload = alice.start_ok(data.len()).await;
    for _ in 0..2 {
        let r = alice.put(&upload, &data, 1).await;
        assert_eq!((r.status, r.json()["received"].clone()), (200, json!(1)));
    }
    let w = debug(&server, &format!("/debug/uploads/{upload}")).await;
    assert_eq!(w["chunkWrites"], json!([0, 1, 0]), "written once");
    assert_eq!(w["complete"], false);
    let r = alice.complete(&upload).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["code"], codes::FILE_UPLOAD_FAIL);
    assert_eq!(r.json()["missing"], json!([0, 2]));
}

#[tokio::test]
async fn an_interrupted_upload_resumes_where_it_stopped_even_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = TestServer::start_with(config(dir.path())).await;
    let alice = user(&server, "alice").await;
    let data = bytes(3 * CHUNK + 1, 4);
    let upload = alice.start_ok(data.len()).await;
    fault(&server, 1, 1).await;
    assert_eq!(alice.put(&upload, &data, 0).await.status, 200);
    assert_eq!(
        alice.put(&upload, &data, 1).await.status,
        503,
        "injected fault"
    );
    assert_eq!(alice.put(&upload, &data, 2).await.status, 200);
    assert_eq!(
        alice.status(&upload).await.json()["received"],
        json!([0, 2])
    );

    // The session is in SQLite and the temp file on disk: a restart keeps both.
    server.stop().await;
    let server = TestServer::start_with(config(dir.path())).await;
    let alice = user(&server, "alice").await;
    assert_eq!(
        alice.status(&upload).await.json()["received"],
        json!([0, 2])
    );
    for idx in [1, 3] {
        assert_eq!(alice.put(&upload, &data, idx).await.status, 200);
    }
    let file_id = alice.complete(&upload).await.json()["fileID"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sha_hex(&alice.download(&file_id, None).await.body),
        sha_hex(&data)
    );
    // Counted since this start: chunks 1 and 3 once each, nothing rewritten.
    let w = debug(&server, &format!("/debug/uploads/{upload}")).await;
    assert_eq!(w["chunkWrites"], json!([0, 1, 0, 1]));
}

#[tokio::test]
async fn size_limits_refuse_before_any_byte() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let r = alice
        .start(104_857_601, "big.bin", "application/octet-stream")
        .await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (413, json!(codes::FILE_SIZE_LIMIT))
    );
    let r = alice
        .start(0, "empty.bin", "application/octet-stream")
        .await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (400, json!(codes::FILE_IS_EMPTY))
    );
    assert_eq!(
        alice.start(104_857_600, "max.bin", "").await.status,
        200,
        "the limit itself is allowed"
    );
    let d = debug(&server, "/debug/uploads").await;
    assert_eq!(
        (d["sessions"].clone(), d["chunkBytes"].clone()),
        (json!(1), json!(0))
    );

    let small = TestServer::start_tweaked(|c| c.max_file_size = 1000).await;
    let bob = user(&small, "bob").await;
    assert_eq!(
        bob.start(1001, "x", "").await.status,
        413,
        "--max-file-size is honoured"
    );
    assert_eq!(bob.start(1000, "x", "").await.status, 200);
}

#[tokio::test]
async fn readers_are_the_uploader_and_the_conversations_it_was_sent_in() {
    let server = TestServer::start().await;
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "team", "Name": "Team",
                   "MemberList": admin_body_members(&["alice", "dave"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK");
    let mut alice = user(&server, "alice").await;
    let mut bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let dave = user(&server, "dave").await;
    let c2c_file = alice.upload(&bytes(1000, 5)).await;
    let group_file = alice.upload(&bytes(1000, 6)).await;

    assert!(alice.can_read(&c2c_file).await, "the uploader");
    assert!(
        !bob.can_read(&c2c_file).await,
        "not before a message refers to it"
    );
    alice
        .ws
        .send(file_message(ConvType::C2c, "bob", "m-1", &c2c_file))
        .await;
    assert!(bob.can_read(&c2c_file).await, "the C2C peer");
    assert!(!carol.can_read(&c2c_file).await, "an outsider");
    assert!(!dave.can_read(&group_file).await);

    alice
        .ws
        .send(file_message(ConvType::Group, "team", "m-2", &group_file))
        .await;
    assert!(dave.can_read(&group_file).await, "a group member");
    assert!(
        !carol.can_read(&group_file).await,
        "not a member of the group"
    );
    assert!(!bob.can_read(&group_file).await);

    // Forwarding: bob may read the C2C file, so he may send it on to carol.
    bob.ws
        .send(file_message(ConvType::C2c, "carol", "m-3", &c2c_file))
        .await;
    assert!(carol.can_read(&c2c_file).await, "forwarded to carol");
}

#[tokio::test]
async fn a_message_referring_to_a_file_its_sender_cannot_read_is_refused() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let mut carol = user(&server, "carol").await;
    let file_id = alice.upload(&bytes(500, 7)).await;
    for (i, id) in [file_id.as_str(), "0123456789abcdef0123456789abcdef", "../x"]
        .iter()
        .enumerate()
    {
        let m = file_message(ConvType::C2c, "bob", &format!("f-{i}"), id);
        assert_eq!(
            carol
                .ws
                .err_code(Request::Send(req::Send { message: m }))
                .await,
            codes::FILE_FORBIDDEN
        );
    }
    // A merger quoting it is refused the same way.
    let mut m = message(ConvType::C2c, "bob", "f-merger", "");
    m.content = Content::Merger {
        title: "t".into(),
        abstract_list: vec![],
        compatible_text: "c".into(),
        message_list: vec![tim_protocol::MergedMessage {
            id: "x".into(),
            from: "alice".into(),
            nick: String::new(),
            avatar: String::new(),
            time: 1,
            content: Content::Sound {
                uuid: file_id.clone(),
                url: format!("/files/{file_id}"),
                size: 500,
                second: 1,
            },
        }],
        download_key: String::new(),
        layers_over_limit: false,
    };
    assert_eq!(
        carol
            .ws
            .err_code(Request::Send(req::Send { message: m }))
            .await,
        codes::FILE_FORBIDDEN
    );
    assert!(
        carol.ws.messages("C2Cbob").await.is_empty(),
        "nothing was stored"
    );
    assert!(!carol.can_read(&file_id).await);
}

#[tokio::test]
async fn crafted_ids_are_404_and_reach_nothing_outside_the_store() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(300, 8);
    let file_id = alice.upload(&data).await;
    let dir = &server.config.data_dir;
    std::fs::write(dir.join("secret.txt"), b"TOP-SECRET").unwrap();
    std::fs::create_dir_all(dir.join("www")).unwrap();
    let sha = sha_hex(&data);
    let tk = &alice.token;
    for path in [
        "/files/..%2f..%2fetc%2fpasswd".to_owned(),
        "/files/..%2fsecret.txt".into(),
        "/files/%2e%2e%2fsecret.txt".into(),
        "/files/..%5csecret.txt".into(),
        "/files/../secret.txt".into(),
        "/files/../x".into(),
        "/files/a%2Fb".into(),
        format!("/files/{sha}"),
        format!("/files/{}%2f{}", &sha[..2], &sha[2..]),
        format!("/files/{file_id}%00"),
        format!("/files/{file_id}.txt"),
        "/files/tim.sqlite".into(),
        "/files/".into(),
        "/files/uploads/..%2f..%2ftim.sqlite".into(),
    ] {
        let r = req(
            server.addr,
            "GET",
            &format!("{path}?tk={tk}"),
            &[("x-tim-token", tk)],
            b"",
        )
        .await;
        assert_eq!(r.status, 404, "{path}");
        let body = String::from_utf8_lossy(&r.body);
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("root:"),
            "{path}: {body}"
        );
    }
    let r = req(
        server.addr,
        "PUT",
        "/files/uploads/..%2f..%2ftim.sqlite/0",
        &[("x-tim-token", tk), ("x-chunk-sha256", &sha_hex(b"x"))],
        b"x",
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        std::fs::read(dir.join("secret.txt")).unwrap(),
        b"TOP-SECRET"
    );
    assert!(alice.can_read(&file_id).await, "the real ID still works");
}

#[tokio::test]
async fn a_missing_or_forged_token_is_401() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let file_id = alice.upload(&bytes(100, 9)).await;
    let forged = {
        // alice's signature on a token claiming bob.
        let mut parts: Vec<String> = alice.token.split('.').map(str::to_owned).collect();
        parts[1] = "Ym9i".into(); // base64url("bob")
        parts.join(".")
    };
    let other_key = tim_server::files::token::mint("another-key", "alice", now());
    let expired = tim_server::files::token::mint(KEY, "alice", now() - 8 * 86_400);
    for tk in ["", "garbage", &forged, &other_key, &expired] {
        let r = req(
            server.addr,
            "GET",
            &format!("/files/{file_id}?tk={tk}"),
            &[],
            b"",
        )
        .await;
        assert_eq!(
            (r.status, r.json()["code"].clone()),
            (401, json!(codes::FILE_TOKEN_INVALID)),
            "{tk:?}"
        );
        let body = json!({"size": 10, "name": "x", "mime": "text/plain"}).to_string();
        let r = req(
            server.addr,
            "POST",
            "/files/uploads",
            &[("x-tim-token", tk)],
            body.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 401);
    }
    let r = req(server.addr, "GET", &format!("/files/{file_id}"), &[], b"").await;
    assert_eq!(r.status, 401, "no tk at all");
    let r = req(server.addr, "POST", "/files/uploads", &[], b"{}").await;
    assert_eq!(r.status, 401, "no header at all");

    // Another user's token does not reach alice's session.
    let bob = user(&server, "bob").await;
    let upload = alice.start_ok(10).await;
    assert_eq!(bob.status(&upload).await.status, 404);
    assert_eq!(
        bob.put_raw(&upload, 0, &[0; 10], &sha_hex(&[0; 10]))
            .await
            .status,
        404
    );
    assert_eq!(bob.complete(&upload).await.status, 404);
}

#[tokio::test]
async fn expired_incomplete_uploads_are_cleaned_up() {
    // A TTL no run of this test outlives, and sweeps at a chosen clock: expiry is decided by
    // the clock the sweep is given, never by how long the machine took to get here.
    const TTL: u64 = 3_600;
    let server = TestServer::start_tweaked(|c| c.upload_ttl = Duration::from_secs(TTL)).await;
    let alice = user(&server, "alice").await;
    let data = bytes(CHUNK + 10, 10);
    let started = now(); // the session's creation time is at least this
    let upload = alice.start_ok(data.len()).await;
    assert_eq!(alice.put(&upload, &data, 0).await.status, 200);
    let temp = server
        .config
        .data_dir
        .join("uploads")
        .join(format!("{upload}.part"));
    assert!(temp.exists());
    assert_eq!(debug(&server, "/debug/uploads").await["sessions"], 1);
    // Within the TTL (now, and its last second): kept.
    for at in [now(), started + TTL] {
        assert_eq!(sweep(&server, at).await, 0, "swept at {at}");
        assert_eq!(debug(&server, "/debug/uploads").await["sessions"], 1);
        assert!(temp.exists(), "temp file kept at {at}");
        assert_eq!(alice.status(&upload).await.status, 200);
    }
    // Past it: the session and its temp file go.
    assert_eq!(sweep(&server, now() + TTL + 1).await, 1);
    assert_eq!(debug(&server, "/debug/uploads").await["sessions"], 0);
    assert!(!temp.exists(), "temp file deleted");
    assert_eq!(alice.status(&upload).await.status, 404);
}

/// One cleanup sweep as if the server's clock read `at`; returns how many sessions it deleted.
async fn sweep(server: &TestServer, at: u64) -> u64 {
    let body = json!({ "now": at }).to_string();
    let (status, _, body) = http(server.addr, "POST", "/debug/upload-sweep", &body).await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["deleted"].as_u64().expect("deleted")
}

#[tokio::test]
async fn identical_content_is_stored_once() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let data = bytes(CHUNK + 1, 11);
    let a = alice.upload(&data).await;
    let b = bob.upload(&data).await;
    assert_ne!(a, b, "each upload is its own file");
    assert_eq!(blob_count(&server), 1, "one blob");
    assert_eq!(
        sha_hex(&alice.download(&a, None).await.body),
        sha_hex(&data)
    );
    assert_eq!(sha_hex(&bob.download(&b, None).await.body), sha_hex(&data));
    assert!(!bob.can_read(&a).await, "dedup does not share access");
}

#[tokio::test]
async fn cors_preflight_allows_the_sdk_headers_and_the_sink_counts_bytes() {
    let server = TestServer::start().await;
    let r = req(
        server.addr,
        "OPTIONS",
        "/files/uploads/abc/0",
        &[
            ("origin", "http://other.test"),
            ("access-control-request-method", "PUT"),
            (
                "access-control-request-headers",
                "x-tim-token,x-chunk-sha256",
            ),
        ],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    let allowed = r
        .header("access-control-allow-headers")
        .unwrap_or("")
        .to_owned();
    assert!(
        allowed.contains("x-tim-token") && allowed.contains("x-chunk-sha256"),
        "{allowed}"
    );
    let alice = user(&server, "alice").await;
    let file_id = alice.upload(&bytes(10, 12)).await;
    let path = format!("/files/{file_id}?tk={}", alice.token);
    let r = req(
        server.addr,
        "GET",
        &path,
        &[("origin", "http://other.test")],
        b"",
    )
    .await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let exposed = r
        .header("access-control-expose-headers")
        .unwrap_or("")
        .to_owned();
    assert!(exposed.contains("content-range"), "{exposed}");

    let body = bytes(5 * 1024 * 1024, 13);
    let r = req(server.addr, "POST", "/debug/sink", &[], &body).await;
    assert_eq!(r.json()["size"], body.len());
}

#[tokio::test]
async fn a_modify_follows_the_same_rule_and_grants_the_new_file() {
    let server = TestServer::start().await;
    let mut alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let first = alice.upload(&bytes(10, 14)).await;
    let second = alice.upload(&bytes(10, 15)).await;
    let foreign = carol.upload(&bytes(10, 16)).await;
    let (seq, _) = alice
        .ws
        .send(file_message(ConvType::C2c, "bob", "m-1", &first))
        .await;
    let modify = |file_id: &str, version| {
        Request::Modify(req::Modify {
            conversation_id: "C2Cbob".into(),
            seq,
            version,
            content: file_message(ConvType::C2c, "bob", "m-1", file_id).content,
            cloud_custom_data: String::new(),
        })
    };
    assert_eq!(
        alice.ws.err_code(modify(&foreign, 0)).await,
        codes::FILE_FORBIDDEN
    );
    assert!(!bob.can_read(&second).await);
    alice.ws.ok(modify(&second, 0)).await;
    assert!(bob.can_read(&second).await, "granted by the modify");
    assert!(!bob.can_read(&foreign).await);
}

/// Upload throughput of the server alone (no browser): chunked upload vs the plain sink.
/// `cargo test -p tim-server --test files -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn bench_upload_throughput() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(50 * 1024 * 1024, 17);
    let t = std::time::Instant::now();
    let r = req(server.addr, "POST", "/debug/sink", &[], &data).await;
    assert_eq!(r.status, 200);
    let sink = t.elapsed();
    let t = std::time::Instant::now();
    alice.upload(&data).await;
    let chunked = t.elapsed();
    let mb = |d: Duration| 50.0 / d.as_secs_f64();
    println!(
        "sink {:.0} MB/s, chunked upload {:.0} MB/s ({:.2}x)",
        mb(sink),
        mb(chunked),
        sink.as_secs_f64() / chunked.as_secs_f64()
    );
}

#[tokio::test]
async fn a_chunk_whose_bytes_were_lost_is_reported_missing_at_completion() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let data = bytes(2 * CHUNK, 18);
    let upload = alice.start_ok(data.len()).await;
    for idx in 0..2 {
        assert_eq!(alice.put(&upload, &data, idx).await.status, 200);
    }
    // Chunks are not fsynced one by one: simulate a crash that lost chunk 1's bytes.
    let temp = server
        .config
        .data_dir
        .join("uploads")
        .join(format!("{upload}.part"));
    {
        use std::os::unix::fs::FileExt;
        let f = std::fs::OpenOptions::new().write(true).open(&temp).unwrap();
        f.write_all_at(&[0; 64], CHUNK as u64 + 1000).unwrap();
    }
    let r = alice.complete(&upload).await;
    assert_eq!((r.status, r.json()["missing"].clone()), (409, json!([1])));
    assert_eq!(alice.status(&upload).await.json()["received"], json!([0]));
    assert_eq!(alice.put(&upload, &data, 1).await.status, 200);
    let file_id = alice.complete(&upload).await.json()["fileID"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sha_hex(&alice.download(&file_id, None).await.body),
        sha_hex(&data)
    );
}
