//! The JS surface itself: one instance per create, every message kind, reentrant handlers, the frames on the wire, serverURL forms.

use super::*;

#[wasm_bindgen_test]
async fn create_returns_the_same_instance_until_destroyed() {
    let name = unique("same");
    let first = create(&name);
    let again = create(&name);
    assert!(
        Object::is(&first, &again),
        "TIM.create must return the same instance"
    );
    destroy(&first).await;
    let fresh = create(&name);
    assert!(
        !Object::is(&first, &fresh),
        "after destroy TIM.create must make a fresh instance"
    );
    // The destroyed instance rejects instead of hanging.
    let e = rejects(&first, "getConversationList", &[]).await;
    assert!(n(&e, "code") > 0.0, "{}", show(&e));
    destroy(&fresh).await;
}

#[wasm_bindgen_test]
async fn every_message_kind_round_trips() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let kinds = [
        (
            "createTextAtMessage",
            "TIMTextElem",
            format!(r#"{{"text":"@{bob_id} look","atUserList":["{bob_id}"]}}"#),
        ),
        (
            "createCustomMessage",
            "TIMCustomElem",
            r#"{"data":"{\"k\":1}","description":"desc","extension":"ext"}"#.to_owned(),
        ),
        (
            "createFaceMessage",
            "TIMFaceElem",
            r#"{"index":3,"data":"smile"}"#.to_owned(),
        ),
        (
            "createLocationMessage",
            "TIMLocationElem",
            r#"{"description":"Shenzhen","longitude":113.93,"latitude":22.54}"#.to_owned(),
        ),
    ];
    for (method, msg_type, payload) in kinds {
        let options = obj(&format!(
            r#"{{"to":"{bob_id}","conversationType":"C2C","cloudCustomData":"ccd","payload":{payload}}}"#
        ));
        let message = call_sync(&alice, method, &[options])
            .unwrap_or_else(|e| panic!("{method} threw {}", show(&e)));
        assert_eq!(s(&message, "type"), msg_type, "{method}");
        ok(&alice, "sendMessage", std::slice::from_ref(&message)).await;
        let got = rx
            .wait_message(5_000, |m| s(m, "ID") == s(&message, "ID"))
            .await;
        let got = got.unwrap_or_else(|| panic!("{method}: bob got nothing"));
        assert_eq!(s(&got, "type"), msg_type, "{method}");
        assert_eq!(
            show(&get(&got, "payload")),
            show(&get(&message, "payload")),
            "{method}: payload changed in transit"
        );
        assert_eq!(s(&got, "cloudCustomData"), "ccd", "{method}");
    }
    let at = rx
        .messages()
        .into_iter()
        .find(|m| s(m, "payload.text").starts_with('@'))
        .expect("text-at");
    assert_eq!(
        items(&get(&at, "atUserList"))
            .iter()
            .map(|v| v.as_string().unwrap_or_default())
            .collect::<Vec<_>>(),
        vec![bob_id.clone()]
    );
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn handlers_may_call_the_sdk_reentrantly_and_off_removes_by_identity() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let name = event(&bob, "MESSAGE_RECEIVED");
    // An echo bot: the handler sends from inside the event dispatch, using `this` = context.
    let echo = js_sys::Function::new_with_args(
        "e",
        "const m = e.data[0]; const t = this.tim; \
         if (m.payload.text.startsWith('echo')) return; \
         t.sendMessage(t.createTextMessage({to: m.from, conversationType: 'C2C', payload: {text: 'echo: ' + m.payload.text}}));",
    );
    let context = Object::new();
    let _ = Reflect::set(&context, &"tim".into(), &bob);
    call_sync(
        &bob,
        "on",
        &[
            JsValue::from_str(&name),
            echo.clone().into(),
            context.clone().into(),
        ],
    )
    .expect("on");
    // The same function under two contexts; `off` with one context keeps the other.
    let counter = js_sys::Function::new_with_args("e", "this.n = (this.n || 0) + 1;");
    let (ctx_a, ctx_b) = (Object::new(), Object::new());
    call_sync(
        &bob,
        "on",
        &[
            JsValue::from_str(&name),
            counter.clone().into(),
            ctx_a.clone().into(),
        ],
    )
    .expect("on");
    call_sync(
        &bob,
        "on",
        &[
            JsValue::from_str(&name),
            counter.clone().into(),
            ctx_b.clone().into(),
        ],
    )
    .expect("on");
    call_sync(
        &bob,
        "off",
        &[
            JsValue::from_str(&name),
            counter.clone().into(),
            ctx_a.clone().into(),
        ],
    )
    .expect("off");

    let alice_rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    send_text(&alice, &bob_id, C2C, "ping").await;
    let echoed = alice_rx
        .wait_message(5_000, |m| s(m, "payload.text") == "echo: ping")
        .await;
    assert!(
        echoed.is_some(),
        "the handler's re-entrant sendMessage did not arrive"
    );
    assert!(
        get(&ctx_a, "n").is_undefined(),
        "off(handler, contextA) must remove that listener"
    );
    assert_eq!(n(&ctx_b, "n"), 1.0, "the listener with contextB must stay");

    // off without a context removes the handler whatever its context.
    call_sync(&bob, "off", &[JsValue::from_str(&name), echo.into()]).expect("off");
    send_text(&alice, &bob_id, C2C, "ping 2").await;
    assert!(wait_until(5_000, || n(&ctx_b, "n") == 2.0).await);
    // A removed echo handler would have sent from inside that dispatch, before bob sends this.
    follow_up(&bob, &alice_id, &alice_rx).await;
    assert_eq!(
        alice_rx
            .messages()
            .iter()
            .filter(|m| s(m, "payload.text").starts_with("echo"))
            .count(),
        1
    );

    // destroy() from inside a handler tears the instance down cleanly.
    let destroyer = js_sys::Function::new_with_args("e", "this.tim.destroy();");
    call_sync(
        &bob,
        "on",
        &[JsValue::from_str(&name), destroyer.into(), context.into()],
    )
    .expect("on");
    let destroyed = Recorder::new(&bob, "SDK_DESTROY");
    send_text(&alice, &bob_id, C2C, "bye").await;
    assert!(
        wait_until(5_000, || destroyed.count() == 1).await,
        "SDK_DESTROY did not fire"
    );
    let e = rejects(&bob, "getConversationList", &[]).await;
    assert!(n(&e, "code") > 0.0);
    destroy(&alice).await;
}

#[wasm_bindgen_test]
fn frames_are_encoded_exactly_as_the_protocol_serializes_them() {
    use tim_protocol::{req, ClientFrame, Content, ConvType, OutboundMessage, Request};
    use tim_sdk::web::codec;
    let message = OutboundMessage {
        id: "m-1".into(),
        conv_type: ConvType::Group,
        to: "g\u{4f60}".into(),
        random: 4_000_000_000,
        client_time: 1_700_000_000,
        priority: "High".into(),
        content: Content::Location {
            description: "d\"q".into(),
            longitude: 113.5,
            latitude: -22.25,
        },
        cloud_custom_data: "ccd".into(),
        at_user_list: vec!["a".into(), "b".into()],
        need_read_receipt: true,
        online_user_only: true,
        offline_push_info: r#"{"title":"t"}"#.into(),
    };
    let contents = [
        Content::Text { text: "t".into() },
        Content::Custom {
            data: "d".into(),
            description: "x".into(),
            extension: "e".into(),
        },
        Content::Face {
            index: -3,
            data: "f".into(),
        },
    ];
    let conv = || "C2Cbob".to_owned();
    let mut requests = vec![
        Request::Login(req::Login {
            user_id: "u".into(),
            user_sig: "s".into(),
        }),
        Request::Logout,
        Request::Ping,
        Request::Import(req::Import {
            messages: vec![message.clone(), message.clone()],
        }),
        Request::Send(req::Send { message }),
        Request::History(req::History {
            conversation_id: conv(),
            before_seq: None,
            count: 15,
        }),
        Request::History(req::History {
            conversation_id: conv(),
            before_seq: Some(9),
            count: 1,
        }),
        Request::Conversations,
        Request::Read(req::Read {
            conversation_id: conv(),
            seq: 3,
        }),
        Request::Revoke(req::Revoke {
            conversation_id: conv(),
            seq: 4,
        }),
        Request::Delete(req::Delete {
            conversation_id: conv(),
            seqs: vec![1, 2, 9_007_199_254_740_991],
        }),
        Request::DeleteConversation(req::DeleteConversation {
            conversation_id: conv(),
        }),
        Request::Pin(req::Pin {
            conversation_id: conv(),
            pinned: true,
        }),
        Request::Sync(req::Sync {
            since: 77,
            limit: 100,
        }),
        Request::ReadReceipt(req::ReadReceipt {
            conversation_id: conv(),
            seqs: vec![1, 2],
        }),
        Request::ReceiptList(req::ReceiptList {
            conversation_id: conv(),
            seqs: vec![3],
        }),
        Request::ReceiptMembers(req::ReceiptMembers {
            conversation_id: conv(),
            seq: 4,
            read: false,
            cursor: "c\"u".into(),
            count: 100,
        }),
    ];
    for content in contents {
        requests.push(Request::Modify(req::Modify {
            conversation_id: conv(),
            seq: 5,
            version: 2,
            content,
            cloud_custom_data: "c".into(),
        }));
    }
    for (i, req) in requests.into_iter().enumerate() {
        let frame = ClientFrame { id: i as u32, req };
        let manual = codec::encode(&frame).expect("encode");
        let serde = codec::to_js(&frame).expect("serde");
        let serde = js_sys::JSON::stringify(&serde).expect("stringify");
        assert_eq!(
            manual.as_string(),
            serde.as_string(),
            "frame {i}: the hand-written encoder drifted from the protocol"
        );
    }
}

#[wasm_bindgen_test]
async fn an_http_server_url_with_a_trailing_slash_reaches_the_websocket_endpoint() {
    let user = unique("url");
    let options = obj(&format!(
        r#"{{"SDKAppID":{},"serverURL":"http://{}/","instanceName":"{}"}}"#,
        sdk_app_id(),
        server(),
        unique("url")
    ));
    let tim = tim_sdk::api::Tim::create(options).expect("create");
    let login = obj(&format!(
        r#"{{"userID":"{user}","userSig":"{}"}}"#,
        user_sig(&user)
    ));
    ok(&tim, "login", &[login]).await;
    destroy(&tim).await;
}
