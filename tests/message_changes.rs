//! Browser tests of what happens to messages and conversations after sending: revoke, resend,
//! delete, modify, read receipts, and the conversation calls (profile, delete, pin, read all,
//! total unread). Each asserts what the other side (the peer, the user's second instance)
//! receives, what `getMessageList`/`getConversationList` return afterwards, and the refusal
//! codes. Same setup as `browser.rs`; the server runs with `--revoke-window 3`.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::JSON;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const C2C: &str = "C2C";

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("i"), user_id).await
}

/// The newest page of a conversation.
async fn history(tim: &JsValue, conversation_id: &str) -> Vec<JsValue> {
    let options = obj(&format!(r#"{{"conversationID":"{conversation_id}"}}"#));
    items(&get(
        &ok(tim, "getMessageList", &[options]).await,
        "messageList",
    ))
}

async fn conversations(tim: &JsValue) -> Vec<JsValue> {
    items(&get(
        &ok(tim, "getConversationList", &[]).await,
        "conversationList",
    ))
}

fn ids_of(list: &[JsValue], key: &str) -> Vec<String> {
    list.iter().map(|m| s(m, key)).collect()
}

/// A deep copy of a plain object (a stale copy of a message).
fn copy(value: &JsValue) -> JsValue {
    let text = JSON::stringify(value).expect("stringify");
    JSON::parse(&String::from(text)).expect("parse")
}

fn code(e: &JsValue) -> f64 {
    n(e, "code")
}

#[wasm_bindgen_test]
async fn revoke_reaches_the_peer_and_the_senders_other_instance() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let revoked: Vec<Recorder> = [&alice, &alice2, &bob]
        .iter()
        .map(|t| Recorder::new(t, "MESSAGE_REVOKED"))
        .collect();
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let message = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, C2C, "take this back")],
    )
    .expect("create");
    ok(&alice, "sendMessage", std::slice::from_ref(&message)).await;
    let id = s(&message, "ID");
    assert!(bob_rx
        .wait_message(5_000, |m| s(m, "ID") == id)
        .await
        .is_some());

    let data = ok(&alice, "revokeMessage", std::slice::from_ref(&message)).await;
    assert!(b(&data, "message.isRevoked"), "{}", show(&data));
    assert!(b(&message, "isRevoked"), "the passed object is updated");
    let seen_from = [
        ("bob", &revoked[2], format!("C2C{alice_id}")),
        ("alice's 2nd instance", &revoked[1], format!("C2C{bob_id}")),
    ];
    for (who, r, conversation) in seen_from {
        let got = r.wait_message(5_000, |m| s(m, "ID") == id).await;
        let got = got.unwrap_or_else(|| panic!("{who} got no MESSAGE_REVOKED"));
        assert!(b(&got, "isRevoked"), "{who}: {}", show(&got));
        assert_eq!(s(&got, "conversationID"), conversation, "{who}");
    }
    // Listed, flagged, not removed.
    let page = history(&bob, &format!("C2C{alice_id}")).await;
    assert_eq!(ids_of(&page, "ID"), vec![id.clone()]);
    assert!(b(&page[0], "isRevoked"), "{}", show(&page[0]));
    let page = history(&alice, &format!("C2C{bob_id}")).await;
    assert!(b(&page[0], "isRevoked"));
    let list = conversations(&bob).await;
    assert!(b(&list[0], "lastMessage.isRevoked"), "{}", show(&list[0]));
    // Messages after the revoke, each way: whatever the revoke was to bring came before them.
    let alice_rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    follow_up(&bob, &alice_id, &alice_rx).await;
    assert_eq!(revoked[0].count(), 0, "not on the revoking instance");
    let after = follow_up(&alice, &bob_id, &bob_rx).await;
    assert_eq!(
        ids_of(&bob_rx.messages(), "ID"),
        vec![id.clone(), after],
        "a revoke is no new message"
    );
    assert_eq!(revoked[2].count(), 1, "one MESSAGE_REVOKED for bob");
    for t in [&alice, &alice2, &bob] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn revoke_refusals_reject_with_message_revoke_fail() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    // Sent first, checked last, once the server's clock is past its window.
    let old = send_text(&alice, &bob_id, C2C, "old news").await;
    let alice_rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    let theirs = send_text(&bob, &alice_id, C2C, "mine, not yours").await;
    let theirs = alice_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&theirs, "ID"))
        .await
        .expect("delivered");
    let e = rejects(&alice, "revokeMessage", &[theirs]).await;
    assert_eq!(code(&e), 2110.0, "someone else's message: {}", show(&e));
    assert!(!s(&e, "message").is_empty());
    for bad in [obj("{}"), JsValue::NULL, JsValue::from_str("x")] {
        let e = rejects(&alice, "revokeMessage", std::slice::from_ref(&bad)).await;
        assert_eq!(
            code(&e),
            2105.0,
            "revokeMessage({}): {}",
            show(&bad),
            show(&e)
        );
    }
    // The server refuses once its clock is more than the window (3 s, `--revoke-window 3`)
    // past the message's time.
    wait_server_clock_past(n(&old, "time") + 3.0).await;
    let e = rejects(&alice, "revokeMessage", std::slice::from_ref(&old)).await;
    assert_eq!(code(&e), 2110.0, "after the window: {}", show(&e));
    assert!(!b(&old, "isRevoked"));
    // Still usable.
    send_text(&alice, &bob_id, C2C, "fine").await;
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn resend_of_a_failed_send_delivers_exactly_one_copy() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let bob = login_as(&bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let alice = login_as(&alice_id).await;
    let message = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, C2C, "once only")],
    )
    .expect("create");
    // The send goes out, then the session ends before its answer: it fails here, though the
    // server may well have stored it.
    let pending = call_sync(&alice, "sendMessage", std::slice::from_ref(&message)).expect("send");
    ok(&alice, "logout", &[]).await;
    let settled = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(pending)).await;
    assert!(
        settled.is_err(),
        "the send must fail: {:?}",
        settled.map(|v| show(&v))
    );
    assert_eq!(s(&message, "status"), "fail");
    let e = rejects(&alice, "resendMessage", std::slice::from_ref(&message)).await;
    assert_eq!(code(&e), 2999.0, "not logged in: {}", show(&e));
    // The server did store it: the peer has it before any resend, so the resend below is the
    // duplicate the server must recognise by ID.
    let id = s(&message, "ID");
    assert!(
        bob_rx
            .wait_message(5_000, |m| s(m, "ID") == id)
            .await
            .is_some(),
        "the first send never reached the server"
    );

    let options = obj(&format!(
        r#"{{"userID":"{alice_id}","userSig":"{}"}}"#,
        user_sig(&alice_id)
    ));
    ok(&alice, "login", &[options]).await;
    let data = ok(&alice, "resendMessage", std::slice::from_ref(&message)).await;
    assert_eq!(s(&data, "message.status"), "success");
    assert_eq!(s(&data, "message.ID"), s(&message, "ID"), "same ID");
    assert_eq!(s(&message, "status"), "success");
    // The next message: a second copy would have come before it.
    let after = follow_up(&alice, &bob_id, &bob_rx).await;
    let copies = bob_rx
        .messages()
        .iter()
        .filter(|m| s(m, "ID") == id)
        .count();
    assert_eq!(copies, 1, "the peer gets exactly one");
    let page = history(&bob, &format!("C2C{alice_id}")).await;
    assert_eq!(ids_of(&page, "ID"), vec![id, after], "stored once");

    // A successful message cannot be resent.
    let e = rejects(&alice, "resendMessage", std::slice::from_ref(&message)).await;
    assert_eq!(code(&e), 2905.0, "{}", show(&e));
    assert_eq!(
        s(&message, "status"),
        "success",
        "a refused resend changes nothing"
    );
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn modify_reaches_everyone_else_and_a_stale_edit_conflicts() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let modified: Vec<Recorder> = [&alice, &alice2, &bob]
        .iter()
        .map(|t| Recorder::new(t, "MESSAGE_MODIFIED"))
        .collect();
    let message = send_text(&alice, &bob_id, C2C, "teh typo").await;
    assert_eq!(n(&message, "version"), 0.0, "{}", show(&message));
    let stale = copy(&message);
    let edit = copy(&message);
    js_sys::Reflect::set(&get(&edit, "payload"), &"text".into(), &"the typo".into()).unwrap();
    js_sys::Reflect::set(&edit, &"cloudCustomData".into(), &"edited".into()).unwrap();

    let data = ok(&alice, "modifyMessage", std::slice::from_ref(&edit)).await;
    assert!(b(&data, "message.isModified"), "{}", show(&data));
    assert_eq!(s(&data, "message.payload.text"), "the typo");
    assert_eq!(n(&data, "message.version"), 1.0);
    assert_eq!(n(&edit, "version"), 1.0, "the passed object is updated");
    let id = s(&message, "ID");
    for (who, r) in [
        ("bob", &modified[2]),
        ("alice's 2nd instance", &modified[1]),
    ] {
        let got = r.wait_message(5_000, |m| s(m, "ID") == id).await;
        let got = got.unwrap_or_else(|| panic!("{who} got no MESSAGE_MODIFIED"));
        assert_eq!(s(&got, "payload.text"), "the typo", "{who}");
        assert_eq!(s(&got, "cloudCustomData"), "edited", "{who}");
        assert!(b(&got, "isModified"), "{who}");
    }
    // A message to the modifying instance after it: the modify would have come before.
    let alice_rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    follow_up(&bob, &alice_id, &alice_rx).await;
    assert_eq!(modified[0].count(), 0, "not on the modifying instance");
    let page = history(&bob, &format!("C2C{alice_id}")).await;
    assert_eq!(s(&page[0], "payload.text"), "the typo");

    // An edit of the old version conflicts; data.message is the current version.
    js_sys::Reflect::set(&get(&stale, "payload"), &"text".into(), &"other".into()).unwrap();
    let e = rejects(&alice, "modifyMessage", std::slice::from_ref(&stale)).await;
    assert_eq!(code(&e), 2480.0, "{}", show(&e));
    assert_eq!(
        s(&e, "data.message.payload.text"),
        "the typo",
        "{}",
        show(&e)
    );
    assert_eq!(n(&e, "data.message.version"), 1.0);
    // Someone else's message; not a message.
    let theirs = send_text(&bob, &alice_id, C2C, "bob's").await;
    let e = rejects(&alice, "modifyMessage", &[theirs]).await;
    assert!(code(&e) > 0.0, "{}", show(&e));
    let e = rejects(&alice, "modifyMessage", &[obj("{}")]).await;
    assert_eq!(code(&e), 2105.0);
    for t in [&alice, &alice2, &bob] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn delete_is_for_this_user_on_every_instance_not_for_the_peer() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    let rx2 = Recorder::new(&alice2, "MESSAGE_RECEIVED");
    let keep = send_text(&bob, &alice_id, C2C, "keep").await;
    let gone = send_text(&bob, &alice_id, C2C, "delete me").await;
    let gone_id = s(&gone, "ID");
    let mine = rx
        .wait_message(5_000, |m| s(m, "ID") == gone_id)
        .await
        .expect("delivered");
    assert!(rx2
        .wait_message(5_000, |m| s(m, "ID") == gone_id)
        .await
        .is_some());

    let data = ok(&alice, "deleteMessage", &[js_sys::Array::of1(&mine).into()]).await;
    assert!(b(&mine, "isDeleted"));
    assert_eq!(items(&get(&data, "messageList")).len(), 1);
    let conv = format!("C2C{bob_id}");
    assert_eq!(
        ids_of(&history(&alice, &conv).await, "ID"),
        vec![s(&keep, "ID")]
    );
    assert!(
        call_sync(&alice, "findMessage", &[JsValue::from_str(&gone_id)])
            .expect("findMessage")
            .is_null()
    );
    // The second instance drops it too.
    assert!(
        wait_until(5_000, || call_sync(
            &alice2,
            "findMessage",
            &[JsValue::from_str(&gone_id)]
        )
        .is_ok_and(|v| v.is_null()))
        .await,
        "alice's second instance still has it"
    );
    assert_eq!(
        ids_of(&history(&alice2, &conv).await, "ID"),
        vec![s(&keep, "ID")]
    );
    let list = conversations(&alice).await;
    assert_eq!(
        s(&list[0], "lastMessage.payload.text"),
        "keep",
        "{}",
        show(&list[0])
    );
    // The peer keeps both.
    let page = history(&bob, &format!("C2C{alice_id}")).await;
    assert_eq!(ids_of(&page, "ID"), vec![s(&keep, "ID"), gone_id.clone()]);
    // Refusals.
    let e = rejects(&alice, "deleteMessage", &[js_sys::Array::new().into()]).await;
    assert_eq!(code(&e), 2111.0, "{}", show(&e));
    let e = rejects(&alice, "deleteMessage", &[obj("{}")]).await;
    assert_eq!(code(&e), 2105.0, "{}", show(&e));
    for t in [&alice, &alice2, &bob] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn c2c_read_receipt_reaches_the_sender() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let receipts = Recorder::new(&alice, "MESSAGE_READ_BY_PEER");
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let m1 = send_text(&alice, &bob_id, C2C, "one").await;
    let m2 = send_text(&alice, &bob_id, C2C, "two").await;
    assert!(!b(&m1, "isPeerRead"));
    assert!(
        bob_rx
            .wait(5_000, |d| d.iter().flat_map(items).count() == 2)
            .await
    );
    ok(
        &bob,
        "setMessageRead",
        &[obj(&format!(r#"{{"conversationID":"C2C{alice_id}"}}"#))],
    )
    .await;
    assert!(
        receipts.wait(5_000, |d| !d.is_empty()).await,
        "no MESSAGE_READ_BY_PEER"
    );
    let read: Vec<String> = receipts.messages().iter().map(|m| s(m, "ID")).collect();
    assert_eq!(read, vec![s(&m1, "ID"), s(&m2, "ID")]);
    assert!(receipts.messages().iter().all(|m| b(m, "isPeerRead")));
    let page = history(&alice, &format!("C2C{bob_id}")).await;
    assert!(
        page.iter().all(|m| b(m, "isPeerRead")),
        "{}",
        show(&page[0])
    );
    let found = call_sync(&alice, "findMessage", &[JsValue::from_str(&s(&m2, "ID"))]).unwrap();
    assert!(b(&found, "isPeerRead"));
    // Reading again reports nothing new: the next receipt alice gets is for a newer message.
    ok(
        &bob,
        "setMessageRead",
        &[obj(&format!(r#"{{"conversationID":"C2C{alice_id}"}}"#))],
    )
    .await;
    let m3 = send_text(&alice, &bob_id, C2C, "three").await;
    assert!(bob_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&m3, "ID"))
        .await
        .is_some());
    ok(
        &bob,
        "setMessageRead",
        &[obj(&format!(r#"{{"conversationID":"C2C{alice_id}"}}"#))],
    )
    .await;
    assert!(
        receipts.wait(5_000, |d| d.len() >= 2).await,
        "no receipt for three"
    );
    let second: Vec<String> = items(&receipts.data()[1])
        .iter()
        .map(|m| s(m, "ID"))
        .collect();
    assert_eq!(second, vec![s(&m3, "ID")], "the repeat reported nothing");
    assert_eq!(receipts.count(), 2);
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn conversation_profile_pin_delete_and_read_all() {
    let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let carol = login_as(&carol_id).await;
    let lists2 = Recorder::new(&alice2, "CONVERSATION_LIST_UPDATED");
    let totals = Recorder::new(&alice, "TOTAL_UNREAD_MESSAGE_COUNT_UPDATED");
    let (with_bob, with_carol) = (format!("C2C{bob_id}"), format!("C2C{carol_id}"));
    let from_bob = send_text(&bob, &alice_id, C2C, "from bob").await;
    // A later second by the server's clock: carol's conversation is the most recent.
    wait_server_clock_past(n(&from_bob, "time")).await;
    send_text(&carol, &alice_id, C2C, "from carol 1").await;
    send_text(&carol, &alice_id, C2C, "from carol 2").await;
    assert!(
        totals
            .wait(5_000, |d| d.last().and_then(JsValue::as_f64) == Some(3.0))
            .await
    );
    let total = call_sync(&alice, "getTotalUnreadMessageCount", &[]).expect("sync call");
    assert_eq!(
        total.as_f64(),
        Some(3.0),
        "getTotalUnreadMessageCount is a number"
    );

    // Profile.
    let data = ok(
        &alice,
        "getConversationProfile",
        &[JsValue::from_str(&with_bob)],
    )
    .await;
    assert_eq!(s(&data, "conversation.conversationID"), with_bob);
    assert_eq!(n(&data, "conversation.unreadCount"), 1.0);
    let e = rejects(
        &alice,
        "getConversationProfile",
        &[JsValue::from_str("nonsense")],
    )
    .await;
    assert_eq!(code(&e), 2503.0, "{}", show(&e));
    // Not in the list (no message yet): a fresh conversation, as tim-js-sdk gives.
    let data = ok(
        &alice,
        "getConversationProfile",
        &[JsValue::from_str("C2Cnobody_x")],
    )
    .await;
    assert_eq!(n(&data, "conversation.unreadCount"), 0.0, "{}", show(&data));
    let e = rejects(&alice, "getConversationProfile", &[JsValue::UNDEFINED]).await;
    assert_eq!(code(&e), 2503.0, "{}", show(&e));

    // Pin: bob's (older) conversation goes first, here and on the second instance.
    let order = |l: &[JsValue]| ids_of(l, "conversationID");
    assert_eq!(
        order(&conversations(&alice).await),
        vec![with_carol.clone(), with_bob.clone()]
    );
    let pin = obj(&format!(
        r#"{{"conversationID":"{with_bob}","isPinned":true}}"#
    ));
    let data = ok(&alice, "pinConversation", &[pin]).await;
    assert_eq!(s(&data, "conversationID"), with_bob);
    let list = conversations(&alice).await;
    assert_eq!(order(&list), vec![with_bob.clone(), with_carol.clone()]);
    assert!(b(&list[0], "isPinned") && !b(&list[1], "isPinned"));
    let pinned_there = lists2
        .wait(5_000, |d| {
            d.last().is_some_and(|l| {
                let l = items(l);
                l.first()
                    .is_some_and(|c| s(c, "conversationID") == with_bob && b(c, "isPinned"))
            })
        })
        .await;
    assert!(pinned_there, "the second instance did not see the pin");
    let e = rejects(
        &alice,
        "pinConversation",
        &[obj(r#"{"conversationID":"C2Cx"}"#)],
    )
    .await;
    assert!(code(&e) > 0.0);

    // Delete carol's conversation: gone here and there; her next message brings it back.
    let data = ok(
        &alice,
        "deleteConversation",
        &[JsValue::from_str(&with_carol)],
    )
    .await;
    assert_eq!(s(&data, "conversationID"), with_carol);
    assert_eq!(order(&conversations(&alice).await), vec![with_bob.clone()]);
    let gone_there = lists2
        .wait(5_000, |d| {
            d.last().is_some_and(|l| {
                items(l)
                    .iter()
                    .all(|c| s(c, "conversationID") != with_carol)
            })
        })
        .await;
    assert!(gone_there, "the second instance still lists it");
    // A deleted conversation still has a profile (tim-js-sdk: a fresh one).
    let data = ok(
        &alice,
        "getConversationProfile",
        &[JsValue::from_str(&with_carol)],
    )
    .await;
    assert_eq!(s(&data, "conversation.conversationID"), with_carol);
    let alice_rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    let back = send_text(&carol, &alice_id, C2C, "from carol 3").await;
    assert!(alice_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&back, "ID"))
        .await
        .is_some());
    let list = conversations(&alice).await;
    assert_eq!(order(&list), vec![with_bob.clone(), with_carol.clone()]);
    let texts = ids_of(&history(&alice, &with_carol).await, "payload.text");
    assert_eq!(
        texts,
        vec!["from carol 1", "from carol 2", "from carol 3"],
        "history kept"
    );

    // Read everything.
    let before = totals.count();
    ok(&alice, "setAllMessageRead", &[]).await;
    assert!(
        totals
            .wait(5_000, |d| d.len() > before
                && d.last().and_then(JsValue::as_f64) == Some(0.0))
            .await
    );
    assert_eq!(
        call_sync(&alice, "getTotalUnreadMessageCount", &[])
            .unwrap()
            .as_f64(),
        Some(0.0)
    );
    assert!(conversations(&alice)
        .await
        .iter()
        .all(|c| n(c, "unreadCount") == 0.0));
    // The server agrees: a fresh instance sees nothing unread.
    let alice3 = login_as(&alice_id).await;
    assert!(conversations(&alice3)
        .await
        .iter()
        .all(|c| n(c, "unreadCount") == 0.0));
    for t in [&alice, &alice2, &alice3, &bob, &carol] {
        destroy(t).await;
    }
}
