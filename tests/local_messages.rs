//! Browser tests of the seed-004 / C-API calls without a tim-js-sdk counterpart: messages
//! saved on one instance only (insert*/deleteMessageFromLocalStorage) and `sendMessageV2`'s
//! callback. Same setup as `browser.rs`.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn history_ids(tim: &JsValue, conversation_id: &str) -> Vec<String> {
    let options = obj(&format!(r#"{{"conversationID":"{conversation_id}"}}"#));
    let data = ok(tim, "getMessageList", &[options]).await;
    items(&get(&data, "messageList"))
        .iter()
        .map(|m| s(m, "ID"))
        .collect()
}

#[wasm_bindgen_test]
async fn local_messages_stay_on_this_instance_and_page_in_place() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login(&unique("i"), &alice_id).await;
    let bob = login(&unique("i"), &bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let first = s(&send_text(&alice, &bob_id, "C2C", "one").await, "ID");

    let options = obj(&format!(
        r#"{{"userID":"{bob_id}","sender":"{bob_id}","data":"saved here only"}}"#
    ));
    let saved = get(
        &ok(&alice, "insertC2CMessageToLocalStorage", &[options]).await,
        "message",
    );
    let local_id = s(&saved, "ID");
    assert_eq!(
        s(&saved, "payload.data"),
        "saved here only",
        "{}",
        show(&saved)
    );
    assert_eq!(
        (s(&saved, "flow"), s(&saved, "from")),
        ("in".to_owned(), bob_id.clone())
    );
    let found =
        call_sync(&alice, "findMessage", &[JsValue::from_str(&local_id)]).expect("findMessage");
    assert_eq!(s(&found, "ID"), local_id);

    // A message object works too, saved as this user's own.
    let own = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, "C2C", "mine")],
    )
    .expect("create");
    let options = obj(&format!(r#"{{"userID":"{bob_id}","sender":"{alice_id}"}}"#));
    js_sys::Reflect::set(&options, &"data".into(), &own).expect("set data");
    let own_saved = get(
        &ok(&alice, "insertC2CMessageToLocalStorage", &[options]).await,
        "message",
    );
    assert_eq!(s(&own_saved, "flow"), "out");

    let last = s(&send_text(&alice, &bob_id, "C2C", "two").await, "ID");
    let conv = format!("C2C{bob_id}");
    assert_eq!(
        history_ids(&alice, &conv).await,
        [
            first.clone(),
            local_id.clone(),
            s(&own_saved, "ID"),
            last.clone()
        ],
        "local messages page in after the message they followed"
    );
    assert!(bob_rx
        .wait_message(5_000, |m| s(m, "ID") == last)
        .await
        .is_some());
    let bob_conv = format!("C2C{alice_id}");
    assert_eq!(
        history_ids(&bob, &bob_conv).await,
        [first.clone(), last.clone()],
        "never sent"
    );
    assert_eq!(bob_rx.messages().len(), 2);

    // Refusals.
    let stranger = obj(&format!(
        r#"{{"userID":"{bob_id}","sender":"carol","data":"x"}}"#
    ));
    let e = rejects(&alice, "insertC2CMessageToLocalStorage", &[stranger]).await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    let no_sender = obj(r#"{"groupID":"g1","data":"x"}"#);
    let e = rejects(&alice, "insertGroupMessageToLocalStorage", &[no_sender]).await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));

    // Deleting locally: the local message goes, a server message is hidden here only.
    let del = obj(&format!(r#"{{"msgID":"{local_id}"}}"#));
    ok(&alice, "deleteMessageFromLocalStorage", &[del]).await;
    let del = obj(&format!(r#"{{"msgID":"{first}"}}"#));
    ok(&alice, "deleteMessageFromLocalStorage", &[del]).await;
    assert_eq!(
        history_ids(&alice, &conv).await,
        [s(&own_saved, "ID"), last.clone()]
    );
    assert_eq!(
        history_ids(&bob, &bob_conv).await,
        [first, last.clone()],
        "server copy kept"
    );
    let unknown = obj(r#"{"msgID":"no-such-message"}"#);
    let e = rejects(&alice, "deleteMessageFromLocalStorage", &[unknown]).await;
    assert_eq!(n(&e, "code"), 2111.0, "{}", show(&e));
    let whole = obj(&format!(r#"{{"conversationID":"{conv}"}}"#));
    ok(&alice, "deleteMessageFromLocalStorage", &[whole]).await;
    assert_eq!(
        history_ids(&alice, &conv).await,
        [last],
        "local copies gone"
    );
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn send_message_v2_settles_the_promise_and_calls_back_once() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login(&unique("i"), &alice_id).await;
    let calls = Rc::new(RefCell::new(Vec::<JsValue>::new()));
    let sink = calls.clone();
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| sink.borrow_mut().push(v));
    let message = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, "C2C", "v2")],
    )
    .expect("create");
    let data = ok(
        &alice,
        "sendMessageV2",
        &[
            message.clone(),
            JsValue::UNDEFINED,
            callback.as_ref().clone(),
        ],
    )
    .await;
    assert_eq!(s(&data, "message.status"), "success");
    assert_eq!(calls.borrow().len(), 1);
    let called = calls.borrow()[0].clone();
    assert_eq!(n(&called, "code"), 0.0, "{}", show(&called));
    assert_eq!(s(&called, "data.message.ID"), s(&message, "ID"));

    let e = rejects(
        &alice,
        "sendMessageV2",
        &[obj("{}"), JsValue::UNDEFINED, callback.as_ref().clone()],
    )
    .await;
    assert_eq!(n(&e, "code"), 2105.0, "{}", show(&e));
    assert_eq!(calls.borrow().len(), 2);
    assert_eq!(n(&calls.borrow()[1], "code"), 2105.0);
    // Without a callback it is sendMessage.
    let message = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, "C2C", "v2b")],
    )
    .expect("create");
    ok(&alice, "sendMessageV2", &[message]).await;
    destroy(&alice).await;
}
