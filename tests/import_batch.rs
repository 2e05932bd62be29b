//! Browser tests of the many-message calls: `importMessageList` (history kept with its time,
//! in the importer's view only: nobody notified, nothing unread) and `batchSendMessage` (one message to many users,
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

    // The importer's own history only: the peer is neither told (checked after a follow-up
    // below) nor shown anything.
    assert_eq!(
        bob_rx.count(),
        0,
        "no MESSAGE_RECEIVED for imported messages"
    );
    assert!(history(&bob, &format!("C2C{alice_id}")).await.is_empty());
    let page = history(&alice, &with_bob).await;
    assert_eq!(
        page.iter()
            .map(|m| s(m, "payload.text"))
            .collect::<Vec<_>>(),
        vec!["older", "newer"]
    );
    assert_eq!(n(&page[0], "time"), 1_600_000_000.0);
    assert_eq!(s(&page[0], "flow"), "out");
    assert_eq!(
        call_sync(&bob, "getTotalUnreadMessageCount", &[])
            .unwrap()
            .as_f64(),
        Some(0.0)
    );
    // A repeat stores nothing new.
    ok(
        &alice,
        "importMessageList",
        &[import_options(&with_bob, &[&older])],
    )
    .await;
    assert_eq!(history(&alice, &with_bob).await.len(), 2);
    // A message sent after both imports: anything they were to tell bob came before it.
    let after = follow_up(&alice, &bob_id, &bob_rx).await;
    assert_eq!(
        bob_rx.ids(),
        vec![after.clone()],
        "no MESSAGE_RECEIVED for imported messages"
    );
    let total = || {
        call_sync(&bob, "getTotalUnreadMessageCount", &[])
            .unwrap()
            .as_f64()
    };
    assert!(
        wait_until(5_000, || total() == Some(1.0)).await,
        "only the follow-up is unread: {:?}",
        total()
    );
    // Below the follow-up (seq 3) bob's page is complete: the hidden seqs are no gap to fill.
    let options = obj(&format!(r#"{{"conversationID":"C2C{alice_id}"}}"#));
    let page = ok(&bob, "getMessageList", &[options]).await;
    let ids: Vec<String> = items(&get(&page, "messageList"))
        .iter()
        .map(|m| s(m, "ID"))
        .collect();
    assert_eq!(ids, vec![after]);
    assert_eq!(get(&page, "isCompleted").as_bool(), Some(true));
    assert_eq!(history(&alice, &with_bob).await.len(), 3);

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

#[wasm_bindgen_test]
async fn batch_send_reaches_each_user_once_and_reports_per_user() {
    let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let carol = login_as(&carol_id).await;
    let rx: Vec<Recorder> = [&bob, &carol, &alice2]
        .iter()
        .map(|t| Recorder::new(t, "MESSAGE_RECEIVED"))
        .collect();
    let own = Recorder::new(&alice, "MESSAGE_RECEIVED");
    let message = text_message(&alice, &bob_id, "to everyone");
    let too_long = "x".repeat(100);
    let users: Array = [
        bob_id.as_str(),
        carol_id.as_str(),
        bob_id.as_str(),
        too_long.as_str(),
    ]
    .iter()
    .map(|u| JsValue::from_str(u))
    .collect();

    let data = ok(
        &alice,
        "batchSendMessage",
        &[message.clone(), users.clone().into()],
    )
    .await;
    let mut success: Vec<String> = items(&get(&data, "successUserIDList"))
        .iter()
        .filter_map(JsValue::as_string)
        .collect();
    success.sort();
    let mut expected = vec![bob_id.clone(), carol_id.clone()];
    expected.sort();
    assert_eq!(success, expected, "{}", show(&data));
    let failures = items(&get(&data, "failureUserIDList"));
    assert_eq!(failures.len(), 1, "{}", show(&data));
    assert_eq!(s(&failures[0], "userID"), too_long);
    assert!(n(&failures[0], "code") > 0.0 && !s(&failures[0], "message").is_empty());

    for (who, r, conversation) in [
        ("bob", &rx[0], format!("C2C{alice_id}")),
        ("carol", &rx[1], format!("C2C{alice_id}")),
    ] {
        let got = r
            .wait_message(5_000, |m| s(m, "payload.text") == "to everyone")
            .await
            .unwrap_or_else(|| panic!("{who} got nothing"));
        assert_eq!(s(&got, "conversationID"), conversation);
        assert_eq!(s(&got, "from"), alice_id);
    }
    // The sender's other instance hears of both copies; the sending one of none.
    assert!(
        rx[2]
            .wait(5_000, |d| d.iter().flat_map(items).count() == 2)
            .await
    );
    // Again with the same message: nothing new anywhere. A message to each after it, waited
    // for: a second copy would have come before.
    ok(&alice, "batchSendMessage", &[message.clone(), users.into()]).await;
    let to_bob = follow_up(&alice, &bob_id, &rx[0]).await;
    let to_carol = follow_up(&alice, &carol_id, &rx[1]).await;
    assert!(rx[2]
        .wait_message(10_000, |m| s(m, "ID") == to_carol)
        .await
        .is_some());
    let ids = |r: &Recorder| r.messages().iter().map(|m| s(m, "ID")).collect::<Vec<_>>();
    let copy_then = |r: &Recorder, next: &str| {
        let got = ids(r);
        got.len() == 2 && got[1] == next
    };
    assert!(
        copy_then(&rx[0], &to_bob),
        "bob got one copy: {:?}",
        ids(&rx[0])
    );
    assert!(
        copy_then(&rx[1], &to_carol),
        "carol got one copy: {:?}",
        ids(&rx[1])
    );
    assert_eq!(
        ids(&rx[2])[2..],
        [to_bob, to_carol],
        "the other instance got no second copy either"
    );
    assert_eq!(own.count(), 0);
    assert_eq!(history(&bob, &format!("C2C{alice_id}")).await.len(), 2);
    assert_eq!(history(&alice, &format!("C2C{carol_id}")).await.len(), 2);

    let e = rejects(
        &alice,
        "batchSendMessage",
        &[message.clone(), Array::new().into()],
    )
    .await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    let e = rejects(
        &alice,
        "batchSendMessage",
        &[message, JsValue::from_str("bob")],
    )
    .await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    let e = rejects(
        &alice,
        "batchSendMessage",
        &[JsValue::NULL, Array::new().into()],
    )
    .await;
    assert_eq!(n(&e, "code"), 2105.0, "{}", show(&e));
    for t in [&alice, &alice2, &bob, &carol] {
        destroy(t).await;
    }
}
