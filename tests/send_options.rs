//! Browser tests of `sendMessage(message, options)` and the message options that travel with a
//! message: `onlineUserOnly` (only connected recipients get it; nothing is stored, counted or
//! synced), `offlinePushInfo` (accepted and stored; the webhook side is a server test),
//! `priority` and `cloudCustomData` (round-trip to the receiver and into history).
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Reflect;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("o"), user_id).await
}

async fn history(tim: &JsValue, conversation_id: &str) -> Vec<JsValue> {
    let options = obj(&format!(r#"{{"conversationID":"{conversation_id}"}}"#));
    items(&get(
        &ok(tim, "getMessageList", &[options]).await,
        "messageList",
    ))
}

/// Unread over the conversations inside (`true`) or outside `@TIM#SYSTEM`, which holds the
/// notices of the group creation.
async fn unread_total_where(tim: &JsValue, system: bool) -> f64 {
    let list = ok(tim, "getConversationList", &[]).await;
    items(&get(&list, "conversationList"))
        .iter()
        .filter(|c| (s(c, "conversationID") == "@TIM#SYSTEM") == system)
        .map(|c| n(c, "unreadCount"))
        .sum()
}

async fn unread_total(tim: &JsValue) -> f64 {
    unread_total_where(tim, false).await
}

#[wasm_bindgen_test]
async fn online_user_only_reaches_only_connected_users_and_leaves_no_trace() {
    let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
    let group_id = unique("grp");
    import_accounts(&[&alice_id, &bob_id, &carol_id]).await;
    let body = obj(&format!(
        r#"{{"Owner_Account":"{alice_id}","Type":"Public","GroupId":"{group_id}","Name":"Online",
            "MemberList":[{{"Member_Account":"{bob_id}"}},{{"Member_Account":"{carol_id}"}}]}}"#
    ));
    rest("group_open_http_svc/create_group", &body).await;
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");

    let mut sent = Vec::new();
    for (to, kind) in [(bob_id.as_str(), "C2C"), (group_id.as_str(), "GROUP")] {
        let message = call_sync(
            &alice,
            "createTextMessage",
            &[text_options(to, kind, "typing...")],
        )
        .expect("create");
        let data = ok(
            &alice,
            "sendMessage",
            &[message.clone(), obj(r#"{"onlineUserOnly":true}"#)],
        )
        .await;
        assert_eq!(s(&data, "message.status"), "success", "{}", show(&data));
        assert_eq!(s(&message, "status"), "success");
        sent.push(s(&message, "ID"));
    }
    for id in &sent {
        let got = bob_rx
            .wait_message(5_000, |m| s(m, "ID") == *id)
            .await
            .unwrap_or_else(|| panic!("bob did not get {id}"));
        assert_eq!(s(&got, "payload.text"), "typing...");
    }
    // Not stored, not unread, on either side.
    assert!(history(&bob, &format!("C2C{alice_id}")).await.is_empty());
    assert!(history(&bob, &format!("GROUP{group_id}")).await.is_empty());
    assert!(history(&alice, &format!("C2C{bob_id}")).await.is_empty());
    assert_eq!(unread_total(&bob).await, 0.0);
    assert_eq!(
        call_sync(&bob, "getTotalUnreadMessageCount", &[])
            .unwrap()
            .as_f64(),
        Some(unread_total_where(&bob, true).await)
    );
    // Carol was offline: nothing waits for her.
    let carol = login_as(&carol_id).await;
    let carol_rx = Recorder::new(&carol, "MESSAGE_RECEIVED");
    assert!(history(&carol, &format!("GROUP{group_id}"))
        .await
        .is_empty());
    assert_eq!(unread_total(&carol).await, 0.0);
    // A stored group message after carol's login: anything waiting for her came before it.
    let later = send_text(&alice, &group_id, "GROUP", "stored, to the group").await;
    assert!(carol_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&later, "ID"))
        .await
        .is_some());
    assert_eq!(carol_rx.count(), 1, "only the stored message");
    // A normal message afterwards is stored as the first of the conversation.
    let normal = send_text(&alice, &bob_id, "C2C", "stored").await;
    assert!(bob_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&normal, "ID"))
        .await
        .is_some());
    let page = history(&bob, &format!("C2C{alice_id}")).await;
    assert_eq!(page.len(), 1);
    assert_eq!(n(&page[0], "sequence"), 1.0);
    for t in [&alice, &bob, &carol] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn priority_cloud_custom_data_and_offline_push_info_round_trip() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let options = text_options(&bob_id, "C2C", "important");
    let _ = Reflect::set(&options, &"priority".into(), &JsValue::from_str("High"));
    let _ = Reflect::set(
        &options,
        &"cloudCustomData".into(),
        &JsValue::from_str("{\"k\":1}"),
    );
    let message = call_sync(&alice, "createTextMessage", &[options]).expect("create");
    let send_options = obj(
        r#"{"offlinePushInfo":{"title":"Alice","description":"important","extension":"e","disablePush":false}}"#,
    );
    ok(&alice, "sendMessage", &[message.clone(), send_options]).await;
    let got = bob_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&message, "ID"))
        .await
        .expect("delivered");
    assert_eq!(s(&got, "priority"), "High", "{}", show(&got));
    assert_eq!(s(&got, "cloudCustomData"), "{\"k\":1}");
    let page = history(&bob, &format!("C2C{alice_id}")).await;
    assert_eq!(
        (s(&page[0], "priority"), s(&page[0], "cloudCustomData")),
        ("High".into(), "{\"k\":1}".into())
    );
    // Bad option values are ignored, not thrown.
    let plain = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, "C2C", "x")],
    )
    .expect("create");
    ok(
        &alice,
        "sendMessage",
        &[
            plain,
            obj(r#"{"offlinePushInfo":"nope","onlineUserOnly":"yes"}"#),
        ],
    )
    .await;
    for t in [&alice, &bob] {
        destroy(t).await;
    }
}
