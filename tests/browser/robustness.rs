//! Bad input, dropped connections and many lifecycles leave the instance usable and nothing leaked.

use super::*;

#[wasm_bindgen_test]
async fn invalid_input_is_rejected_with_codes_and_the_instance_stays_usable() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let bob = login_as(&bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let alice = create(&unique("inv"));

    // Before login: calls that need it reject at once with SDK_IS_NOT_READY (2999).
    let foreign = call_sync(
        &bob,
        "createTextMessage",
        &[text_options(&alice_id, C2C, "x")],
    )
    .expect("create");
    let e = rejects(&alice, "sendMessage", &[foreign]).await;
    assert_eq!(n(&e, "code"), 2999.0, "send before login: {}", show(&e));
    let e = rejects(&alice, "getConversationList", &[]).await;
    assert_eq!(n(&e, "code"), 2999.0, "{}", show(&e));
    let e = rejects(
        &alice,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"C2C{bob_id}"}}"#))],
    )
    .await;
    assert_eq!(n(&e, "code"), 2999.0, "{}", show(&e));
    // Bad login options.
    let e = rejects(&alice, "login", &[JsValue::UNDEFINED]).await;
    assert_eq!(n(&e, "code"), 2002.0, "{}", show(&e));
    let e = rejects(
        &alice,
        "login",
        &[obj(&format!(r#"{{"userID":"{alice_id}"}}"#))],
    )
    .await;
    assert_eq!(n(&e, "code"), 2003.0, "{}", show(&e));

    let options = Object::new();
    let _ = Reflect::set(&options, &"userID".into(), &JsValue::from_str(&alice_id));
    let _ = Reflect::set(
        &options,
        &"userSig".into(),
        &JsValue::from_str(&user_sig(&alice_id)),
    );
    ok(&alice, "login", &[options.into()]).await;

    // create* throws {code, message} on invalid options.
    let missing_to = obj(r#"{"conversationType":"C2C","payload":{"text":"hi"}}"#);
    let code = thrown_code(
        call_sync(&alice, "createTextMessage", &[missing_to]),
        "missing to",
    );
    assert!(code > 0.0);
    let code = thrown_code(
        call_sync(
            &alice,
            "createTextMessage",
            &[text_options(&bob_id, "FOO", "hi")],
        ),
        "unknown type",
    );
    assert_eq!(code, 2106.0, "unknown conversation type");
    let code = thrown_code(
        call_sync(
            &alice,
            "createTextMessage",
            &[text_options(&bob_id, C2C, "")],
        ),
        "empty text",
    );
    assert!(code > 0.0);
    let code = thrown_code(
        call_sync(&alice, "createTextMessage", &[JsValue::UNDEFINED]),
        "undefined options",
    );
    assert!(code > 0.0);
    let wrong_types = obj(r#"{"to":42,"conversationType":"C2C","payload":{"text":7}}"#);
    let code = thrown_code(
        call_sync(&alice, "createTextMessage", &[wrong_types]),
        "wrong types",
    );
    assert!(code > 0.0);
    // sendMessage of something that is not a message.
    for bad in [
        JsValue::from_str("not a message"),
        JsValue::UNDEFINED,
        JsValue::NULL,
        obj("{}"),
        JsValue::from(5),
    ] {
        let e = rejects(&alice, "sendMessage", std::slice::from_ref(&bad)).await;
        assert_eq!(
            n(&e, "code"),
            2105.0,
            "sendMessage({}) -> {}",
            show(&bad),
            show(&e)
        );
    }
    let e = rejects(&alice, "getMessageList", &[JsValue::UNDEFINED]).await;
    assert!(n(&e, "code") > 0.0);
    let e = rejects(&alice, "setMessageRead", &[obj("{}")]).await;
    assert!(n(&e, "code") > 0.0);
    // Bad listener registrations are ignored, not thrown.
    assert!(call_sync(&alice, "on", &[JsValue::UNDEFINED, JsValue::UNDEFINED]).is_ok());
    assert!(call_sync(&alice, "off", &[JsValue::from(3)]).is_ok());

    // A throwing handler does not break the SDK or the other listeners.
    let thrower =
        js_sys::Function::new_no_args("throw new Error('handler failure (expected in this test)')");
    let name = event(&alice, "MESSAGE_RECEIVED");
    call_sync(
        &bob,
        "on",
        &[JsValue::from_str(&name), thrower.clone().into()],
    )
    .expect("on");

    // Still usable: a valid send works and is delivered.
    let sent = send_text(&alice, &bob_id, C2C, "still alive").await;
    assert_eq!(s(&sent, "status"), "success");
    assert!(
        bob_rx
            .wait_message(5_000, |m| s(m, "ID") == s(&sent, "ID"))
            .await
            .is_some(),
        "bob did not get it"
    );
    call_sync(&bob, "off", &[JsValue::from_str(&name), thrower.into()]).expect("off");
    let again = send_text(&alice, &bob_id, C2C, "and again").await;
    assert!(bob_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&again, "ID"))
        .await
        .is_some());
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn a_dropped_connection_reconnects_and_delivers_what_was_missed() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let net = Recorder::new(&alice, "NET_STATE_CHANGE");
    let rx = Recorder::new(&alice, "MESSAGE_RECEIVED");

    http("POST", &format!("/debug/drop?userID={alice_id}"), None).await;
    // Bob sends while alice is cut off.
    let missed = send_text(&bob, &alice_id, C2C, "sent while you were away").await;
    let states = |d: &[JsValue]| d.iter().map(|e| s(e, "state")).collect::<Vec<_>>();
    let dropped = net
        .wait(5_000, |d| states(d).iter().any(|s| s != "connected"))
        .await;
    assert!(
        dropped,
        "NET_STATE_CHANGE must report the drop; saw {:?}",
        states(&net.data())
    );
    let back = net
        .wait(15_000, |d| {
            let st = states(d);
            st.iter()
                .position(|s| s != "connected")
                .is_some_and(|i| st[i..].iter().any(|s| s == "connected"))
        })
        .await;
    assert!(
        back,
        "NET_STATE_CHANGE must report connected again; saw {:?}",
        states(&net.data())
    );
    let got = rx
        .wait_message(10_000, |m| s(m, "ID") == s(&missed, "ID"))
        .await;
    assert!(
        got.is_some(),
        "the message sent during the drop was not delivered"
    );
    // And the link works both ways again.
    let after = send_text(&bob, &alice_id, C2C, "welcome back").await;
    assert!(rx
        .wait_message(5_000, |m| s(m, "ID") == s(&after, "ID"))
        .await
        .is_some());
    let reply = send_text(&alice, &bob_id, C2C, "thanks").await;
    assert_eq!(s(&reply, "status"), "success");
    // A last one from bob: any second copy of the missed message would have come before it.
    follow_up(&bob, &alice_id, &rx).await;
    let times = rx
        .messages()
        .iter()
        .filter(|m| s(m, "ID") == s(&missed, "ID"))
        .count();
    assert_eq!(times, 1, "delivered exactly once");
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn a_hundred_lifecycles_leave_no_socket_open() {
    // Earlier tests' sockets may still be closing on the server: let the count settle first
    // (at most 3 s; what stays open then is the baseline).
    let settled = std::cell::Cell::new(f64::NAN);
    let seen = &settled;
    wait_for(3_000, move || async move {
        seen.set(open_sockets().await);
        seen.get() == 0.0
    })
    .await;
    let baseline = settled.get();
    let user = unique("cycler");
    let name = unique("cycle");
    let mut previous: Option<JsValue> = None;
    let mut memory_at_20 = 0.0;
    for i in 0..100 {
        let tim = login(&name, &user).await;
        if let Some(prev) = &previous {
            assert!(
                !Object::is(prev, &tim),
                "cycle {i}: TIM.create returned a destroyed instance"
            );
        }
        let destroyed = Recorder::new(&tim, "SDK_DESTROY");
        ok(&tim, "logout", &[]).await;
        ok(&tim, "destroy", &[]).await;
        assert_eq!(
            destroyed.count(),
            1,
            "cycle {i}: SDK_DESTROY must fire once"
        );
        drop(destroyed);
        if i == 50 {
            let open = open_sockets().await;
            assert!(
                open <= baseline + 1.0,
                "cycle {i}: {open} sockets open, baseline {baseline}"
            );
        }
        // Release the JS wrapper now instead of waiting for the garbage collector, so that any
        // Rust memory still held (a leaked closure, a reference cycle) shows as growth below.
        call_sync(&tim, "free", &[]).expect("free");
        previous = Some(tim);
        if i == 20 {
            memory_at_20 = wasm_memory_bytes();
        }
    }
    let last = std::cell::Cell::new(f64::NAN);
    let seen = &last;
    wait_for(5_000, move || async move {
        seen.set(open_sockets().await);
        seen.get() <= baseline
    })
    .await;
    let closed = last.get();
    assert!(
        closed <= baseline,
        "open sockets {closed} after 100 cycles, baseline {baseline}"
    );
    let growth = wasm_memory_bytes() - memory_at_20;
    console_log!("wasm memory growth over cycles 20..100: {growth} bytes");
    assert!(
        growth <= 65_536.0,
        "wasm memory grew by {growth} bytes over 80 cycles: something is leaked"
    );
}
