//! Who may read a file, what a message may refer to, tokens and CORS.

use super::*;

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
    let other_key = tim_server::files::token::mint("another-key", "alice", 0, now());
    let expired = tim_server::files::token::mint(KEY, "alice", 0, now() - 8 * 86_400);
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
