//! Browser tests of the many-message calls: `importMessageList` (history kept with its time,
//! nobody notified, nothing unread) and `batchSendMessage` (one message to many users,
//! reported per user, idempotent per recipient).
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Array, Reflect};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("b"), user_id).await
}

async fn history(tim: &JsValue, conversation_id: &str) -> Vec<JsValue> {
    let options = obj(&format!(r#"{{"conversationID":"{conversation_id}"}}"#));
    items(&get(
        &ok(tim, "getMessageList", &[options]).await,
        "messageList",
    ))
}

fn text_message(tim: &JsValue, to: &str, text: &str) -> JsValue {
    call_sync(tim, "createTextMessage", &[text_options(to, "C2C", text)]).expect("create")
}

fn import_options(conversation_id: &str, list: &[&JsValue]) -> JsValue {
    let options = obj(&format!(r#"{{"conversationID":"{conversation_id}"}}"#));
    let list: Array = list.iter().copied().collect();
    let _ = Reflect::set(&options, &"messageList".into(), &list);
    options
}

#[wasm_bindgen_test]
async fn imported_history_keeps_its_time_and_notifies_nobody() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let with_bob = format!("C2C{bob_id}");
    let older = text_message(&alice, &bob_id, "older");
    let newer = text_message(&alice, &bob_id, "newer");
    let _ = Reflect::set(&older, &"time".into(), &JsValue::from(1_600_000_000.0));
    let _ = Reflect::set(&newer, &"time".into(), &JsValue::from(1_600_000_100.0));

    let data = ok(
        &alice,
        "importMessageList",
        &[import_options(&with_bob, &[&newer, &older])],
    )
    .await;
    let stored = items(&get(&data, "messageList"));
    let seen: Vec<(String, f64, f64)> = stored
        .iter()
        .map(|m| (s(m, "payload.text"), n(m, "sequence"), n(m, "time")))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("older".into(), 1.0, 1_600_000_000.0),
            ("newer".into(), 2.0, 1_600_000_100.0)
        ],
        "sequence follows time"
    );
    assert!(stored
        .iter()
        .all(|m| s(m, "status") == "success" && s(m, "from") == alice_id));

    // The peer sees it as history only.
    sleep(300).await;
    assert_eq!(
        bob_rx.count(),
        0,
        "no MESSAGE_RECEIVED for imported messages"
    );
    let page = history(&bob, &format!("C2C{alice_id}")).await;
    assert_eq!(
        page.iter()
            .map(|m| s(m, "payload.text"))
            .collect::<Vec<_>>(),
        vec!["older", "newer"]
    );
    assert_eq!(n(&page[0], "time"), 1_600_000_000.0);
    assert_eq!(s(&page[0], "flow"), "in");
    assert_eq!(
        call_sync(&bob, "getTotalUnreadMessageCount", &[])
            .unwrap()
            .as_f64(),
        Some(0.0)
    );
    assert_eq!(history(&alice, &with_bob).await.len(), 2);
    // A repeat stores nothing new.
    ok(
        &alice,
        "importMessageList",
        &[import_options(&with_bob, &[&older])],
    )
    .await;
    assert_eq!(history(&bob, &format!("C2C{alice_id}")).await.len(), 2);

    // Refusals.
    let theirs = send_text(&bob, &alice_id, "C2C", "mine").await;
    let e = rejects(
        &alice,
        "importMessageList",
        &[import_options(&with_bob, &[&theirs])],
    )
    .await;
    assert_eq!(n(&e, "code"), 2905.0, "another sender: {}", show(&e));
    let e = rejects(
        &alice,
        "importMessageList",
        &[import_options(&with_bob, &[])],
    )
    .await;
    assert_eq!(n(&e, "code"), 2905.0, "empty: {}", show(&e));
    let elsewhere = text_message(&alice, &unique("carol"), "x");
    let e = rejects(
        &alice,
        "importMessageList",
        &[import_options(&with_bob, &[&elsewhere])],
    )
    .await;
    assert_eq!(n(&e, "code"), 2905.0, "other conversation: {}", show(&e));
    let e = rejects(
        &alice,
        "importMessageList",
        &[import_options("nope", &[&elsewhere])],
    )
    .await;
    assert_eq!(n(&e, "code"), 2503.0, "{}", show(&e));
    for t in [&alice, &bob] {
        destroy(t).await;
    }
}
