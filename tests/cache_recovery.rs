//! Browser tests of the cache's failures and options (issue 4): the database deleted in the
//! middle of a login's catch-up (the SDK warns with `TIM.EVENT.ERROR`, goes on from memory,
//! and paging afterwards is still complete), a database that cannot be opened (warned too), the `cache` caps of `TIM.create`, `logout`
//! keeping the cache and `destroy({clearCache: true})` deleting it.
#![cfg(target_arch = "wasm32")]

mod support;

use support::cache::*;
use support::*;
use tim_sdk::api::Tim;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const armed = { state: null };
// At the first frame a socket created from now on receives, deletes database `name`;
// records whether `tim` was ready when the deletion started and when it completed.
export function deleteAtFirstFrame(tim, name) {
  const state = { ready: false, started: null, done: null };
  armed.state = state;
  tim.on('sdkStateReady', () => { state.ready = true; });
  const W = globalThis.WebSocket;
  globalThis.WebSocket = class extends W {
    constructor(...args) {
      super(...args);
      globalThis.WebSocket = W;
      this.addEventListener('message', () => {
        if (state.started !== null) return;
        state.started = state.ready;
        const r = indexedDB.deleteDatabase(name);
        r.onsuccess = () => { state.done = state.ready; };
      });
    }
  };
  return state;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = deleteAtFirstFrame)]
    fn delete_at_first_frame(tim: &JsValue, name: &str) -> JsValue;
}

#[wasm_bindgen_test]
async fn database_deleted_during_catch_up_warns_and_paging_stays_complete() {
    let (peer, bob_id) = (unique("peer"), unique("bob"));
    let name = db_name(&bob_id);
    wait_js(delete_cache(&name)).await;
    let bob = login(&unique("b"), &bob_id).await;
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    for i in 0..20 {
        admin_send(&peer, &bob_id, &format!("m{i}")).await;
    }
    assert!(received.wait(10_000, |d| d.len() >= 20).await, "bob got 20");
    assert_eq!(wait_cached(&name, 20.0).await, 20.0, "20 written through");
    drop(received);
    destroy(&bob).await;
    // Offline: 250 more, three sync pages.
    for i in 20..270 {
        admin_send(&peer, &bob_id, &format!("m{i}")).await;
    }

    let bob = create(&unique("b2"));
    let _ = call_sync(&bob, "setLogLevel", &[JsValue::from(3)]);
    let errors = Recorder::new(&bob, "ERROR");
    let state = delete_at_first_frame(&bob, &name);
    ok(&bob, "login", &[login_options(&bob_id)]).await;
    assert!(
        wait_until(10_000, || get(&state, "done").as_bool().is_some()).await,
        "the database was deleted"
    );
    assert_eq!(
        get(&state, "started").as_bool(),
        Some(false),
        "deleted during the catch-up, before SDK_READY"
    );
    assert!(
        errors.wait(10_000, |d| !d.is_empty()).await,
        "the loss reached the application"
    );
    let e = &errors.data()[0];
    assert_eq!(n(e, "code"), 2920.0, "{}", show(e));
    assert!(s(e, "message").contains("lost"), "{}", show(e));

    let conv = format!("C2C{peer}");
    let want: Vec<String> = (0..270).map(|i| format!("m{i}")).collect();
    assert_eq!(
        page_all(&bob, &conv, "payload.text").await,
        want,
        "every message once, in order"
    );
    // New messages still arrive once, and paging again (from memory) is still complete.
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    admin_send(&peer, &bob_id, "m270").await;
    assert!(received.wait(10_000, |d| !d.is_empty()).await);
    // The next one: a second copy of m270 would have come before it.
    admin_send(&peer, &bob_id, "m271").await;
    assert!(received
        .wait_message(10_000, |m| s(m, "payload.text") == "m271")
        .await
        .is_some());
    let texts: Vec<String> = received
        .messages()
        .iter()
        .map(|m| s(m, "payload.text"))
        .collect();
    assert_eq!(texts, vec!["m270", "m271"], "once each");
    let mut want = want;
    want.push("m270".into());
    want.push("m271".into());
    assert_eq!(page_all(&bob, &conv, "payload.text").await, want);
    assert_eq!(errors.count(), 1, "warned once");
    drop(received);
    destroy(&bob).await;
    wait_js(delete_cache(&name)).await;
}

#[wasm_bindgen_test]
async fn a_cache_that_cannot_open_warns_once_and_the_sdk_still_chats() {
    let (peer, bob_id) = (unique("peer"), unique("bob"));
    let name = db_name(&bob_id);
    wait_js(block_cache(&name)).await;
    let bob = create(&unique("b"));
    let _ = call_sync(&bob, "setLogLevel", &[JsValue::from(3)]);
    let errors = Recorder::new(&bob, "ERROR");
    ok(&bob, "login", &[login_options(&bob_id)]).await;
    assert_eq!(errors.count(), 1, "warned before SDK_READY");
    let e = &errors.data()[0];
    assert_eq!(n(e, "code"), 2920.0, "{}", show(e));
    assert!(s(e, "message").contains("unavailable"), "{}", show(e));
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    admin_send(&peer, &bob_id, "from memory").await;
    assert!(received.wait(10_000, |d| !d.is_empty()).await);
    assert_eq!(
        page_all(&bob, &format!("C2C{peer}"), "payload.text").await,
        vec!["from memory"]
    );
    assert_eq!(errors.count(), 1, "once");
    drop(received);
    destroy(&bob).await;
    wait_js(delete_cache(&name)).await;
}

#[wasm_bindgen_test]
async fn cache_caps_bound_the_database_not_the_history() {
    let (peer, bob_id) = (unique("peer"), unique("bob"));
    let name = db_name(&bob_id);
    wait_js(delete_cache(&name)).await;
    let options = obj(&format!(
        r#"{{"SDKAppID":{},"serverURL":"ws://{}","instanceName":"{}",
            "cache":{{"maxMessagesPerConversation":5,"maxMessages":1000}}}}"#,
        sdk_app_id(),
        server(),
        unique("capped")
    ));
    let bob = Tim::create(options).unwrap_or_else(|e| panic!("{}", show(&e)));
    ok(&bob, "login", &[login_options(&bob_id)]).await;
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    for i in 0..8 {
        admin_send(&peer, &bob_id, &format!("c{i}")).await;
    }
    assert!(received.wait(10_000, |d| d.len() >= 8).await, "bob got 8");
    assert_eq!(wait_cached(&name, 5.0).await, 5.0, "the newest 5 kept");
    let want: Vec<String> = (0..8).map(|i| format!("c{i}")).collect();
    assert_eq!(
        page_all(&bob, &format!("C2C{peer}"), "payload.text").await,
        want
    );
    drop(received);
    destroy(&bob).await;
    wait_js(delete_cache(&name)).await;
}

#[wasm_bindgen_test]
async fn logout_keeps_the_cache_and_destroy_clear_cache_deletes_it() {
    let (peer, bob_id) = (unique("peer"), unique("bob"));
    let name = db_name(&bob_id);
    wait_js(delete_cache(&name)).await;
    let bob = login(&unique("b"), &bob_id).await;
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    admin_send(&peer, &bob_id, "kept").await;
    assert!(received.wait(10_000, |d| !d.is_empty()).await);
    assert_eq!(wait_cached(&name, 1.0).await, 1.0);
    drop(received);
    ok(&bob, "logout", &[]).await;
    assert_eq!(wait_cached(&name, 1.0).await, 1.0, "logout keeps the cache");
    ok(&bob, "login", &[login_options(&bob_id)]).await;
    let done = call(&bob, "destroy", &[obj(r#"{"clearCache":true}"#)]).await;
    assert_eq!(
        n(&done.unwrap_or_else(|e| panic!("{}", show(&e))), "code"),
        0.0
    );
    assert_eq!(
        wait_js(cache_exists(&name)).await.as_bool(),
        Some(false),
        "deleted when destroy resolved"
    );

    // A new instance starts cold: one list, the server's (a warm one gives the cached first,
    // before its socket has received a frame).
    count_frames();
    let mark = socket_count();
    let bob = create(&unique("b2"));
    let list_updated = event(&bob, "CONVERSATION_LIST_UPDATED");
    let first = on_first(&bob, &list_updated, mark, now(), "");
    let lists = Recorder::new(&bob, "CONVERSATION_LIST_UPDATED");
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    ok(&bob, "login", &[login_options(&bob_id)]).await;
    let first = wait_js(first).await;
    assert!(
        n(&first, "atEvent") > 0.0,
        "no cached list: {}",
        show(&first)
    );
    assert_eq!(items(&get(&first, "event")).len(), 1, "the server's list");
    // Then a new message, which updates the list again: no other list came before its update.
    admin_send(&peer, &bob_id, "after").await;
    assert!(received
        .wait_message(10_000, |m| s(m, "payload.text") == "after")
        .await
        .is_some());
    let after = |l: &JsValue| {
        items(l)
            .iter()
            .any(|c| s(c, "lastMessage.payload.text") == "after")
    };
    assert!(lists.wait(10_000, |d| d.iter().any(after)).await);
    let before_it = lists.data().iter().position(after);
    assert_eq!(before_it, Some(1), "one list before the new message's");
    assert_eq!(items(&lists.data()[0]).len(), 1, "the server's list");
    drop(received);
    destroy(&bob).await;
    wait_js(delete_cache(&name)).await;
}
