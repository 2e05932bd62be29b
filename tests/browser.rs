//! Browser tests against a live tim-server, through the same JS surface a page uses: the
//! instances come from `TIM.create`, every method is called as JavaScript calls it (by name,
//! on the JS object), and events arrive at real JS handler functions.
//!
//! Run by the project's test script, which starts the server and exports, before compiling:
//! `TIM_TEST_SERVER` (host:port), `TIM_TEST_SDKAPPID`, `TIM_TEST_SECRET`; then
//! `CHROMEDRIVER=$(command -v chromedriver) wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Object, Reflect};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const C2C: &str = "C2C";
const GROUP: &str = "GROUP";

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
async fn c2c_text_reaches_the_peer_and_not_the_sender() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = create(&unique("a"));
    let ready = Recorder::new(&alice, "SDK_READY");
    let login = Object::new();
    let _ = Reflect::set(&login, &"userID".into(), &JsValue::from_str(&alice_id));
    let _ = Reflect::set(
        &login,
        &"userSig".into(),
        &JsValue::from_str(&user_sig(&alice_id)),
    );
    let data = ok(&alice, "login", &[login.into()]).await;
    // SDK_READY follows login's resolution, in a later task.
    let heard = ready.wait(5_000, |d| d.len() == 1).await;
    assert!(heard, "SDK_READY after login resolved");
    assert!(
        path(&data, "repeatLogin").as_bool().is_some(),
        "login data: {}",
        show(&data)
    );
    let bob = login_as(&bob_id).await;
    let alice_rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");

    let text = "hello bob, \u{4f60}\u{597d} \u{1f44b}";
    let message = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, C2C, text)],
    )
    .expect("create");
    assert_eq!(s(&message, "status"), "unSend");
    assert_eq!(s(&message, "flow"), "out");
    assert_eq!(s(&message, "type"), "TIMTextElem");
    assert_eq!(s(&message, "payload.text"), text);
    assert_eq!(s(&message, "conversationID"), format!("C2C{bob_id}"));
    assert!(!s(&message, "ID").is_empty());

    let sent = ok(&alice, "sendMessage", std::slice::from_ref(&message)).await;
    let sent = get(&sent, "message");
    assert_eq!(s(&sent, "status"), "success");
    assert!(n(&sent, "sequence") >= 1.0, "{}", show(&sent));
    assert!(n(&sent, "time") > 1.6e9, "{}", show(&sent));
    assert_eq!(
        s(&message, "status"),
        "success",
        "the passed message object must be updated in place"
    );
    assert_eq!(n(&message, "sequence"), n(&sent, "sequence"));

    let got = bob_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&message, "ID"))
        .await;
    let got = got.unwrap_or_else(|| {
        panic!(
            "bob got nothing; saw {:?}",
            bob_rx.messages().iter().map(show).collect::<Vec<_>>()
        )
    });
    assert_eq!(s(&got, "payload.text"), text);
    assert_eq!(s(&got, "from"), alice_id);
    assert_eq!(s(&got, "to"), bob_id);
    assert_eq!(s(&got, "conversationID"), format!("C2C{alice_id}"));
    assert_eq!(s(&got, "conversationType"), "C2C");
    assert_eq!(s(&got, "type"), "TIMTextElem");
    assert_eq!(s(&got, "flow"), "in");
    assert_eq!(n(&got, "sequence"), n(&sent, "sequence"));
    assert_eq!(n(&got, "time"), n(&sent, "time"));
    assert_eq!(bob_rx.messages().len(), 1, "exactly one delivery");

    // Bob answers: once alice has that, anything her own send was to bring her has come.
    let answer = follow_up(&bob, &alice_id, &alice_rx).await;
    assert_eq!(
        alice_rx.ids(),
        vec![answer],
        "the sender must not get MESSAGE_RECEIVED for its own send"
    );
    assert_eq!(bob_rx.messages().len(), 1, "exactly one delivery");
    destroy(&alice).await;
    destroy(&bob).await;
}

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("i"), user_id).await
}

#[wasm_bindgen_test]
async fn forty_messages_page_as_15_15_10() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    import_accounts(&[&bob_id]).await;
    let alice = login_as(&alice_id).await;
    for i in 0..40 {
        send_text(&alice, &bob_id, C2C, &format!("m{i}")).await;
    }
    // Bob logs in afterwards: his history comes from the server.
    let bob = login_as(&bob_id).await;
    let conversation = format!("C2C{alice_id}");
    let mut next: Option<String> = None;
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    for _ in 0..3 {
        let options = Object::new();
        let _ = Reflect::set(
            &options,
            &"conversationID".into(),
            &JsValue::from_str(&conversation),
        );
        if let Some(id) = &next {
            let _ = Reflect::set(&options, &"nextReqMessageID".into(), &JsValue::from_str(id));
        }
        let data = ok(&bob, "getMessageList", &[options.into()]).await;
        let list = items(&get(&data, "messageList"));
        let texts: Vec<String> = list.iter().map(|m| s(m, "payload.text")).collect();
        pages.push((texts.len(), b(&data, "isCompleted")));
        // Oldest first within a page; each page older than the one before.
        let seqs: Vec<f64> = list.iter().map(|m| n(m, "sequence")).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "page not in ascending sequence: {seqs:?}"
        );
        if let (Some(last), Some(newer)) = (list.last(), seen.first()) {
            assert!(n(last, "sequence") < n(newer, "sequence"), "pages overlap");
        }
        next = Some(s(&data, "nextReqMessageID"));
        let mut all = list.clone();
        all.extend(seen);
        seen = all;
    }
    assert_eq!(pages, vec![(15, false), (15, false), (10, true)]);
    let texts: Vec<String> = seen.iter().map(|m| s(m, "payload.text")).collect();
    let expected: Vec<String> = (0..40).map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected, "no repeat, no skip, in order");
    for m in &seen {
        assert_eq!(s(m, "flow"), "in");
        assert_eq!(s(m, "from"), alice_id);
    }
    destroy(&alice).await;
    destroy(&bob).await;
}

fn conversation<'a>(list: &'a [JsValue], id: &str) -> Option<&'a JsValue> {
    list.iter().find(|c| s(c, "conversationID") == id)
}

#[wasm_bindgen_test]
async fn unread_counts_rise_and_set_message_read_clears_them() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let bob_list = Recorder::new(&bob, "CONVERSATION_LIST_UPDATED");
    let bob_total = Recorder::new(&bob, "TOTAL_UNREAD_MESSAGE_COUNT_UPDATED");
    let conv_id = format!("C2C{alice_id}");
    for i in 0..3 {
        send_text(&alice, &bob_id, C2C, &format!("u{i}")).await;
    }
    let rose = bob_total
        .wait(5_000, |d| d.last().and_then(JsValue::as_f64) == Some(3.0))
        .await;
    assert!(
        rose,
        "total unread must reach 3; saw {:?}",
        bob_total.data().iter().map(show).collect::<Vec<_>>()
    );
    let listed = bob_list
        .wait(5_000, |d| {
            d.last().is_some_and(|l| {
                conversation(&items(l), &conv_id).is_some_and(|c| n(c, "unreadCount") == 3.0)
            })
        })
        .await;
    assert!(listed, "CONVERSATION_LIST_UPDATED must carry unreadCount 3");

    let data = ok(&bob, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    let conv = conversation(&list, &conv_id)
        .unwrap_or_else(|| panic!("no {conv_id} in {}", show(&get(&data, "conversationList"))));
    assert_eq!(n(conv, "unreadCount"), 3.0);
    assert_eq!(s(conv, "type"), "C2C");
    assert_eq!(s(conv, "lastMessage.payload.text"), "u2");
    assert_eq!(s(conv, "lastMessage.fromAccount"), alice_id);
    assert_eq!(s(conv, "userProfile.userID"), alice_id);

    let (lists_before, totals_before) = (bob_list.count(), bob_total.count());
    ok(
        &bob,
        "setMessageRead",
        &[obj(&format!(r#"{{"conversationID":"{conv_id}"}}"#))],
    )
    .await;
    let cleared = bob_total
        .wait(5_000, |d| {
            d.len() > totals_before && d.last().and_then(JsValue::as_f64) == Some(0.0)
        })
        .await;
    assert!(
        cleared,
        "TOTAL_UNREAD_MESSAGE_COUNT_UPDATED must fire with 0"
    );
    let list_cleared = bob_list
        .wait(5_000, |d| {
            d.len() > lists_before
                && d.last().is_some_and(|l| {
                    conversation(&items(l), &conv_id).is_some_and(|c| n(c, "unreadCount") == 0.0)
                })
        })
        .await;
    assert!(
        list_cleared,
        "CONVERSATION_LIST_UPDATED must fire with unreadCount 0"
    );
    let data = ok(&bob, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    assert_eq!(
        conversation(&list, &conv_id).map(|c| n(c, "unreadCount")),
        Some(0.0)
    );
    // The sender's own messages never count as unread for her.
    let data = ok(&alice, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    assert_eq!(
        conversation(&list, &format!("C2C{bob_id}")).map(|c| n(c, "unreadCount")),
        Some(0.0)
    );
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn group_message_reaches_every_member() {
    let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
    let group_id = unique("grp");
    import_accounts(&[&alice_id, &bob_id, &carol_id]).await;
    let body = obj(&format!(
        r#"{{"Owner_Account":"{alice_id}","Type":"Public","GroupId":"{group_id}","Name":"Test group",
            "MemberList":[{{"Member_Account":"{bob_id}"}},{{"Member_Account":"{carol_id}"}}]}}"#
    ));
    rest("group_open_http_svc/create_group", &body).await;
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let carol = login_as(&carol_id).await;
    let rx: Vec<Recorder> = [&alice, &bob, &carol]
        .iter()
        .map(|t| Recorder::new(t, "MESSAGE_RECEIVED"))
        .collect();

    let sent = send_text(&alice, &group_id, GROUP, "hello group").await;
    assert_eq!(s(&sent, "status"), "success");
    assert_eq!(s(&sent, "conversationID"), format!("GROUP{group_id}"));
    for (who, r) in [("bob", &rx[1]), ("carol", &rx[2])] {
        let got = r
            .wait_message(5_000, |m| s(m, "ID") == s(&sent, "ID"))
            .await;
        let got = got.unwrap_or_else(|| panic!("{who} did not get the group message"));
        assert_eq!(s(&got, "conversationID"), format!("GROUP{group_id}"));
        assert_eq!(s(&got, "conversationType"), "GROUP");
        assert_eq!(s(&got, "to"), group_id);
        assert_eq!(s(&got, "from"), alice_id);
        assert_eq!(s(&got, "flow"), "in");
        assert_eq!(s(&got, "payload.text"), "hello group");
    }
    // A member answers; the owner receives it.
    let reply = send_text(&bob, &group_id, GROUP, "hi alice").await;
    assert!(
        rx[0]
            .wait_message(5_000, |m| s(m, "ID") == s(&reply, "ID"))
            .await
            .is_some(),
        "alice did not get bob's reply"
    );
    // Bob's reply was committed after her message: anything that was to bring her own message
    // back to her came before it.
    assert!(
        rx[0].messages().iter().all(|m| s(m, "from") != alice_id),
        "alice got her own group message"
    );
    let data = ok(&carol, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    let conv = conversation(&list, &format!("GROUP{group_id}"))
        .map(|c| (s(c, "type"), n(c, "unreadCount")));
    assert_eq!(conv, Some(("GROUP".to_owned(), 2.0)));
    for t in [&alice, &bob, &carol] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn another_instance_of_the_sender_receives_its_sends() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice1 = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let rx1 = Recorder::new(&alice1, "MESSAGE_RECEIVED");
    let rx2 = Recorder::new(&alice2, "MESSAGE_RECEIVED");
    let rxb = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let sent = send_text(&alice1, &bob_id, C2C, "from my laptop").await;
    let got = rx2
        .wait_message(5_000, |m| s(m, "ID") == s(&sent, "ID"))
        .await
        .expect("alice's other instance got nothing");
    assert_eq!(s(&got, "flow"), "out");
    assert_eq!(s(&got, "from"), alice_id);
    assert_eq!(s(&got, "to"), bob_id);
    assert_eq!(s(&got, "conversationID"), format!("C2C{bob_id}"));
    assert_eq!(s(&got, "payload.text"), "from my laptop");
    assert!(
        rxb.wait_message(5_000, |m| s(m, "ID") == s(&sent, "ID"))
            .await
            .is_some(),
        "bob got nothing"
    );
    // Bob answers: once the sending instance has that, its own message would have come too.
    let answer = follow_up(&bob, &alice_id, &rx1).await;
    assert_eq!(
        rx1.ids(),
        vec![answer],
        "the sending instance must not get its own message"
    );
    for t in [&alice1, &alice2, &bob] {
        destroy(t).await;
    }
}

fn thrown_code(result: Result<JsValue, JsValue>, what: &str) -> f64 {
    match result {
        Ok(v) => panic!("{what} must throw, returned {}", show(&v)),
        Err(e) => {
            assert!(
                !s(&e, "message").is_empty(),
                "{what}: error without message: {}",
                show(&e)
            );
            n(&e, "code")
        }
    }
}

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

fn wasm_memory_bytes() -> f64 {
    let memory = wasm_bindgen::memory();
    n(&get(&memory, "buffer"), "byteLength")
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
    use tim_protocol::{ClientFrame, Content, ConvType, OutboundMessage, Request};
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
        Request::Login {
            user_id: "u".into(),
            user_sig: "s".into(),
        },
        Request::Logout,
        Request::Ping,
        Request::Import {
            messages: vec![message.clone(), message.clone()],
        },
        Request::Send { message },
        Request::History {
            conversation_id: conv(),
            before_seq: None,
            count: 15,
        },
        Request::History {
            conversation_id: conv(),
            before_seq: Some(9),
            count: 1,
        },
        Request::Conversations,
        Request::Read {
            conversation_id: conv(),
            seq: 3,
        },
        Request::Revoke {
            conversation_id: conv(),
            seq: 4,
        },
        Request::Delete {
            conversation_id: conv(),
            seqs: vec![1, 2, 9_007_199_254_740_991],
        },
        Request::DeleteConversation {
            conversation_id: conv(),
        },
        Request::Pin {
            conversation_id: conv(),
            pinned: true,
        },
        Request::Sync {
            since: 77,
            limit: 100,
        },
        Request::ReadReceipt {
            conversation_id: conv(),
            seqs: vec![1, 2],
        },
        Request::ReceiptList {
            conversation_id: conv(),
            seqs: vec![3],
        },
        Request::ReceiptMembers {
            conversation_id: conv(),
            seq: 4,
            read: false,
            cursor: "c\"u".into(),
            count: 100,
        },
    ];
    for content in contents {
        requests.push(Request::Modify {
            conversation_id: conv(),
            seq: 5,
            version: 2,
            content,
            cloud_custom_data: "c".into(),
        });
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
