//! The admin REST API: auth, groups, backend sends, profiles, kick.

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, usersig, ConvType, Reply, Request, ServerFrame};

fn code(v: &serde_json::Value) -> u64 {
    v["ErrorCode"].as_u64().expect("ErrorCode")
}

#[tokio::test]
async fn rest_auth_failures() {
    let server = TestServer::start().await;
    let body = json!({"UserID": "alice"});
    let admin = &server.config.admin;
    let good = usersig::generate(APP, KEY, admin, 3600, now());

    let r = server
        .rest_with(
            "im_open_login_svc/account_import",
            &format!("sdkappid=1&identifier={admin}&usersig={good}"),
            body.clone(),
        )
        .await;
    assert_eq!(
        (r["ActionStatus"].as_str(), code(&r)),
        (Some("FAIL"), codes::SDKAPPID_MISMATCH as u64)
    );

    let alice_sig = sig("alice");
    let r = server
        .rest_with(
            "im_open_login_svc/account_import",
            &format!("sdkappid={APP}&identifier=alice&usersig={alice_sig}"),
            body.clone(),
        )
        .await;
    assert_eq!(code(&r), codes::ADMIN_REQUIRED as u64);

    let forged = usersig::generate(APP, "wrong", admin, 3600, now());
    let r = server
        .rest_with(
            "im_open_login_svc/account_import",
            &format!("sdkappid={APP}&identifier={admin}&usersig={forged}"),
            body.clone(),
        )
        .await;
    assert_eq!(code(&r), codes::USERSIG_VERIFY_FAILED as u64);

    let r = server
        .rest_with(
            "im_open_login_svc/account_import",
            &format!("sdkappid={APP}&identifier={admin}"),
            body.clone(),
        )
        .await;
    assert_eq!(code(&r), codes::USERSIG_MALFORMED as u64);

    let r = server.rest("no_such_svc/whatever", body.clone()).await;
    assert_eq!(code(&r), codes::UNKNOWN_COMMAND as u64);

    let r = server
        .rest("im_open_login_svc/account_import", json!({"Nope": 1}))
        .await;
    assert_eq!(code(&r), codes::INVALID_REQUEST as u64);

    let r = server.rest("im_open_login_svc/account_import", body).await;
    assert_eq!(
        r,
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );

    // Preflight for cross-origin callers.
    let (status, head, _) = http(server.addr, "OPTIONS", "/v4/openim/sendmsg", "").await;
    assert!(status < 300, "{head}");
}

#[tokio::test]
async fn group_via_rest_reaches_every_member_and_refuses_others() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let mut dave = server.login("dave").await;

    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Owner_Account": "alice", "Type": "Work", "GroupId": "team", "Name": "The Team", "MemberList": admin_body_members(&["bob"])}),
        )
        .await;
    assert_eq!(
        (r["ActionStatus"].as_str(), r["GroupId"].as_str()),
        (Some("OK"), Some("team")),
        "{r}"
    );
    let again = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "team", "Name": "x"}),
        )
        .await;
    assert_eq!(code(&again), codes::GROUP_ALREADY_EXISTS as u64);

    let r = server
        .rest(
            "group_open_http_svc/add_group_member",
            json!({"GroupId": "team", "MemberList": admin_body_members(&["carol", "bob"])}),
        )
        .await;
    assert_eq!(
        r["MemberList"],
        json!([{"Member_Account": "carol", "Result": 1}, {"Member_Account": "bob", "Result": 2}])
    );
    let r = server
        .rest(
            "group_open_http_svc/add_group_member",
            json!({"GroupId": "nope", "MemberList": admin_body_members(&["x"])}),
        )
        .await;
    assert_eq!(code(&r), codes::GROUP_NOT_FOUND as u64);

    // Each got a group system notice (see system_conversation.rs).
    for user in [&mut alice, &mut bob, &mut carol] {
        let ServerFrame::Push { message, .. } = user.next_push().await else {
            panic!()
        };
        assert_eq!(message.conv_type, ConvType::System);
    }

    // An empty group is already in every member's list.
    let Reply::Conversations {
        mut conversations, ..
    } = carol.ok(Request::Conversations).await
    else {
        panic!()
    };
    conversations.retain(|c| c.conv_type != ConvType::System);
    assert_eq!(conversations.len(), 1);
    assert_eq!(
        (
            conversations[0].conversation_id.as_str(),
            conversations[0].group_name.as_str()
        ),
        ("GROUPteam", "The Team")
    );
    assert!(conversations[0].last_message.is_none());

    let (seq, _) = alice
        .send(message(ConvType::Group, "team", "g-1", "hello team"))
        .await;
    assert_eq!(seq, 1);
    for member in [&mut bob, &mut carol] {
        let ServerFrame::Push { message, .. } = member.next_push().await else {
            panic!()
        };
        assert_eq!(
            (
                message.id.as_str(),
                message.conversation_id_for(&member.user)
            ),
            ("g-1", "GROUPteam".to_owned())
        );
    }
    alice.expect_quiet().await;
    dave.expect_quiet().await;

    assert_eq!(
        dave.err_code(Request::Send(req::Send {
            message: message(ConvType::Group, "team", "d-1", "let me in")
        }))
        .await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        dave.err_code(Request::History(req::History {
            conversation_id: "GROUPteam".into(),
            before_seq: None,
            count: 15
        }))
        .await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        dave.err_code(Request::Read(req::Read {
            conversation_id: "GROUPteam".into(),
            seq: 1
        }))
        .await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        dave.err_code(Request::Send(req::Send {
            message: message(ConvType::Group, "ghost", "d-2", "hi")
        }))
        .await,
        codes::GROUP_NOT_FOUND
    );
    assert_eq!(
        dave.err_code(Request::History(req::History {
            conversation_id: "GROUPghost".into(),
            before_seq: None,
            count: 15
        }))
        .await,
        codes::GROUP_NOT_FOUND
    );

    // Group sequences are per conversation; members see the same history.
    let (seq, _) = carol
        .send(message(ConvType::Group, "team", "c-1", "hi all"))
        .await;
    assert_eq!(seq, 2);
    let (seqs, complete) = bob.history("GROUPteam", None, 15).await;
    assert_eq!((seqs, complete), (vec![1, 2], true));
    let Reply::Conversations { conversations, .. } = bob.ok(Request::Conversations).await else {
        panic!()
    };
    assert_eq!(conversations[0].unread, 2);

    // The admin can post to the group; members get it.
    let r = server
        .rest("group_open_http_svc/send_group_msg", json!({"GroupId": "team", "Random": 5, "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "notice"}}]}))
        .await;
    assert_eq!(
        (r["ActionStatus"].as_str(), r["MsgSeq"].as_u64()),
        (Some("OK"), Some(3)),
        "{r}"
    );
    let notice = loop {
        match carol.next_push().await {
            ServerFrame::Push { message, .. } if message.seq == 3 => break message,
            _ => continue,
        }
    };
    assert_eq!(
        (notice.from.as_str(), notice.to.as_str()),
        (server.config.admin.as_str(), "team")
    );
    dave.expect_quiet().await;
    // Generated group IDs.
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Public", "Name": "auto"}),
        )
        .await;
    assert!(
        r["GroupId"]
            .as_str()
            .is_some_and(|id| id.starts_with("@TGS#")),
        "{r}"
    );
}

#[tokio::test]
async fn sendmsg_profiles_and_kick() {
    let server = TestServer::start().await;
    let mut bob = server.login("bob").await;
    let mut alice = server.login("alice").await;

    let r = server.rest("im_open_login_svc/account_import", json!({"UserID": "alice", "Nick": "Alice A.", "FaceUrl": "https://example.invalid/a.png"})).await;
    assert_eq!(r["ActionStatus"], "OK");

    let body = json!({
        "SyncOtherMachine": 1, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 1234,
        "MsgBody": [{"MsgType": "TIMCustomElem", "MsgContent": {"Data": "d", "Desc": "de", "Ext": "e"}}]
    });
    let r = server.rest("openim/sendmsg", body.clone()).await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let time = r["MsgTime"].as_u64().expect("MsgTime");
    assert_eq!(
        r["MsgKey"].as_str(),
        Some(format!("1_1234_{time}").as_str())
    );
    let ServerFrame::Push { message, .. } = bob.next_push().await else {
        panic!()
    };
    assert_eq!(
        (
            message.from.as_str(),
            message.nick.as_str(),
            message.avatar.as_str()
        ),
        ("alice", "Alice A.", "https://example.invalid/a.png")
    );
    assert_eq!(
        message.content,
        tim_protocol::Content::Custom {
            data: "d".into(),
            description: "de".into(),
            extension: "e".into()
        }
    );
    // SyncOtherMachine 1: the sender's sockets get it too.
    let ServerFrame::Push { message, .. } = alice.next_push().await else {
        panic!()
    };
    assert_eq!(message.seq, 1);

    // Same MsgRandom in the same second: deduplicated. The ID takes the second when the
    // request arrives, so a second boundary can separate a pair: one of three pairs suffices.
    let mut deduplicated = false;
    for _ in 0..3 {
        let mut pair = body.clone();
        pair["MsgRandom"] = json!(rand_u32());
        let first = server.rest("openim/sendmsg", pair.clone()).await;
        let again = server.rest("openim/sendmsg", pair).await;
        if first["MsgKey"] == again["MsgKey"] {
            deduplicated = true;
            break;
        }
    }
    assert!(deduplicated, "a repeated MsgRandom was stored twice");

    // Default sender is the administrator; other element types convert.
    for (elem, want) in [
        (
            json!({"MsgType": "TIMTextElem", "MsgContent": {"Text": "from admin"}}),
            tim_protocol::Content::Text {
                text: "from admin".into(),
            },
        ),
        (
            json!({"MsgType": "TIMFaceElem", "MsgContent": {"Index": 3, "Data": "x"}}),
            tim_protocol::Content::Face {
                index: 3,
                data: "x".into(),
            },
        ),
        (
            json!({"MsgType": "TIMLocationElem", "MsgContent": {"Desc": "here", "Latitude": 1.5, "Longitude": 2.5}}),
            tim_protocol::Content::Location {
                description: "here".into(),
                longitude: 2.5,
                latitude: 1.5,
            },
        ),
    ] {
        let r = server
            .rest(
                "openim/sendmsg",
                json!({"To_Account": "bob", "MsgRandom": rand_u32(), "MsgBody": [elem]}),
            )
            .await;
        assert_eq!(r["ActionStatus"], "OK", "{r}");
        let ServerFrame::Push { message, .. } = (loop {
            let f = bob.next_push().await;
            if matches!(&f, ServerFrame::Push { message, .. } if message.from == server.config.admin)
            {
                break f;
            }
        }) else {
            panic!()
        };
        assert_eq!(message.content, want);
    }
    let r = server.rest("openim/sendmsg", json!({"To_Account": "bob", "MsgBody": [{"MsgType": "TIMSoundElem", "MsgContent": {}}]})).await;
    assert_eq!(code(&r), codes::INVALID_REQUEST as u64);
    let r = server.rest("openim/sendmsg", json!({"To_Account": "bob", "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": ""}}]})).await;
    assert_eq!(code(&r), codes::INVALID_REQUEST as u64);

    // Kick: Kicked frame, then the socket closes.
    let r = server
        .rest("im_open_login_svc/kick", json!({"UserID": "bob"}))
        .await;
    assert_eq!(r["ActionStatus"], "OK");
    let kicked = loop {
        match bob.read_frame().await {
            Some(ServerFrame::Kicked { reason }) => break reason,
            Some(_) => continue,
            None => panic!("closed without Kicked"),
        }
    };
    assert_eq!(kicked, "REST_API_Kick");
    assert!(
        bob.read_frame().await.is_none(),
        "socket closes after Kicked"
    );
    server.wait_stats(|s| s["loggedIn"] == 1).await;
}

fn rand_u32() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(100);
    N.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test]
async fn rest_send_options() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let text_body = |t: &str| json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": t}}]);

    // SyncOtherMachine 2: the sender's own sockets are not told.
    let r = server
        .rest("openim/sendmsg", json!({"SyncOtherMachine": 2, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 1, "MsgBody": text_body("quiet")}))
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert!(matches!(bob.next_push().await, ServerFrame::Push { .. }));
    alice.expect_quiet().await;
    // It is still in the sender's history.
    assert_eq!(alice.history("C2Cbob", None, 15).await, (vec![1], true));

    // A named sender must be a member of the group; the admin itself need not be.
    server
        .rest("group_open_http_svc/create_group", json!({"Type": "Public", "GroupId": "pub", "Name": "Pub", "MemberList": admin_body_members(&["bob"])}))
        .await;
    let r = server
        .rest("group_open_http_svc/send_group_msg", json!({"GroupId": "pub", "From_Account": "alice", "Random": 1, "MsgBody": text_body("x")}))
        .await;
    assert_eq!(code(&r), codes::NOT_GROUP_MEMBER as u64);
    let r = server
        .rest("group_open_http_svc/send_group_msg", json!({"GroupId": "pub", "From_Account": "bob", "Random": 2, "MsgBody": text_body("y")}))
        .await;
    assert_eq!(
        (r["ActionStatus"].as_str(), r["MsgSeq"].as_u64()),
        (Some("OK"), Some(1)),
        "{r}"
    );
    let r = server
        .rest(
            "group_open_http_svc/send_group_msg",
            json!({"GroupId": "nope", "Random": 3, "MsgBody": text_body("z")}),
        )
        .await;
    assert_eq!(code(&r), codes::GROUP_NOT_FOUND as u64);
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Bogus", "Name": "x"}),
        )
        .await;
    assert_eq!(code(&r), codes::INVALID_REQUEST as u64);
}
