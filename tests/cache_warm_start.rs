//! Browser tests of the persistent cache as the SDK uses it: a new instance serves the cached
//! conversation list and newest page before its socket has received a single frame, then the
//! server's state replaces them without duplicating anything; cached file URLs carry the
//! stored download token; and when IndexedDB cannot be opened the SDK still chats. Frames are counted by wrapping the page's `WebSocket`, so the
//! ordering is asserted on what the network delivered, not on wall-clock time.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Promise;
use support::cache::*;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function textFile(text) { return new File([text], 'warm.txt', { type: 'text/plain' }); }
export async function download(url) {
  const r = await fetch(url);
  return r.ok ? await r.text() : r.status;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = textFile)]
    fn text_file(text: &str) -> JsValue;
    fn download(url: &str) -> Promise;
}

const C2C: &str = "C2C";

fn ids(list: &JsValue, key: &str) -> Vec<String> {
    items(list).iter().map(|m| s(m, key)).collect()
}

/// Frames counted; alice and bob logged in, bob with an empty cache and his
/// `MESSAGE_RECEIVED` recorded: `(alice_id, bob_id, alice, bob, received)`.
async fn alice_and_cold_bob() -> (String, String, JsValue, JsValue, Recorder) {
    count_frames();
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    wait_js(delete_cache(&db_name(&bob_id))).await;
    let alice = login(&unique("a"), &alice_id).await;
    let bob = login(&unique("b"), &bob_id).await;
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    (alice_id, bob_id, alice, bob, received)
}

/// A new instance of bob (not logged in yet), its socket the first created from now on, and
/// [`on_first`] of its first `CONVERSATION_LIST_UPDATED` with conversation `C2C<alice_id>`.
fn bob_again(alice_id: &str) -> (JsValue, String, Promise) {
    let mark = socket_count();
    let bob = create(&unique("b2"));
    let conv = format!("C2C{alice_id}");
    let list_updated = event(&bob, "CONVERSATION_LIST_UPDATED");
    let first = on_first(&bob, &list_updated, mark, now(), &conv);
    (bob, conv, first)
}

#[wasm_bindgen_test]
async fn cached_list_and_page_come_before_any_frame_then_sync_duplicates_nothing() {
    let (alice_id, bob_id, alice, bob, received) = alice_and_cold_bob().await;
    let mut sent = Vec::new();
    for i in 0..3 {
        let m = send_text(&alice, &bob_id, C2C, &format!("warm {i}")).await;
        sent.push(s(&m, "ID"));
    }
    assert!(
        received.wait(10_000, |d| d.len() >= 3).await,
        "bob got the 3"
    );
    let name = db_name(&bob_id);
    assert_eq!(
        wait_cached(&name, 3.0).await,
        3.0,
        "the 3 messages were written through"
    );
    drop(received);
    destroy(&bob).await;

    // A new instance of bob: the cache first.
    let (bob, conv, first) = bob_again(&alice_id);
    let _ = call_sync(&bob, "setLogLevel", &[JsValue::from(2)]);
    let lists = Recorder::new(&bob, "CONVERSATION_LIST_UPDATED");
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let ready = Recorder::new(&bob, "SDK_READY");
    ok(&bob, "login", &[login_options(&bob_id)]).await;
    let first = wait_js(first).await;

    assert_eq!(
        n(&first, "atEvent"),
        0.0,
        "the cached list came before any frame"
    );
    assert_eq!(
        n(&first, "atResults"),
        0.0,
        "both calls resolved before any frame"
    );
    assert_eq!(
        ids(&get(&first, "event"), "conversationID"),
        vec![conv.clone()]
    );
    let list = get(&first, "list");
    assert_eq!(
        ids(&get(&list, "conversationList"), "conversationID"),
        vec![conv.clone()]
    );
    assert!(
        !b(&list, "isSyncCompleted"),
        "served from the cache, not synced yet"
    );
    assert_eq!(
        s(
            &items(&get(&list, "conversationList"))[0],
            "lastMessage.payload.text"
        ),
        "warm 2"
    );
    assert_eq!(
        ids(&path(&first, "page.messageList"), "ID"),
        sent,
        "the cached newest page"
    );

    // Then the network: SDK_READY and the synced list, with nothing twice.
    assert!(ready.wait(10_000, |d| !d.is_empty()).await, "SDK_READY");
    assert!(
        lists.wait(10_000, |d| d.len() >= 2).await,
        "the synced list followed"
    );
    let synced = ok(&bob, "getConversationList", &[]).await;
    assert!(b(&synced, "isSyncCompleted"));
    assert_eq!(
        ids(&get(&synced, "conversationList"), "conversationID"),
        vec![conv.clone()]
    );
    let page = ok(
        &bob,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"{conv}"}}"#))],
    )
    .await;
    assert_eq!(
        ids(&get(&page, "messageList"), "ID"),
        sent,
        "each message once, in order"
    );

    // A new message arrives once, after the cached ones.
    let m = send_text(&alice, &bob_id, C2C, "warm 3").await;
    sent.push(s(&m, "ID"));
    assert!(received
        .wait_message(10_000, |m| s(m, "payload.text") == "warm 3")
        .await
        .is_some());
    let got: Vec<String> = received.messages().iter().map(|m| s(m, "ID")).collect();
    let mut unique_got = got.clone();
    unique_got.sort();
    unique_got.dedup();
    assert_eq!(
        got.len(),
        unique_got.len(),
        "no message announced twice: {got:?}"
    );
    let page = ok(
        &bob,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"{conv}"}}"#))],
    )
    .await;
    assert_eq!(ids(&get(&page, "messageList"), "ID"), sent);
    destroy(&bob).await;
    destroy(&alice).await;
}

#[wasm_bindgen_test]
async fn cached_file_urls_carry_the_stored_download_token() {
    let (alice_id, bob_id, alice, bob, received) = alice_and_cold_bob().await;
    let text = "cached file body";
    let options = obj(&format!(
        r#"{{"to":"{bob_id}","conversationType":"C2C","payload":{{}}}}"#
    ));
    let _ = js_sys::Reflect::set(&get(&options, "payload"), &"file".into(), &text_file(text));
    let message = call_sync(&alice, "createFileMessage", &[options]).expect("create");
    ok(&alice, "sendMessage", &[message]).await;
    assert!(received.wait(10_000, |d| !d.is_empty()).await, "bob got it");
    let name = db_name(&bob_id);
    assert_eq!(wait_cached(&name, 1.0).await, 1.0, "written through");
    drop(received);
    destroy(&bob).await;

    let (bob, _, first) = bob_again(&alice_id);
    ok(&bob, "login", &[login_options(&bob_id)]).await;
    let first = wait_js(first).await;
    assert_eq!(n(&first, "atResults"), 0.0, "served from the cache");
    let listed = &items(&get(&first, "event"))[0];
    let paged = &items(&path(&first, "page.messageList"))[0];
    for url in [
        s(listed, "lastMessage.payload.fileUrl"),
        s(paged, "payload.fileUrl"),
    ] {
        let token = url.split("?tk=").nth(1).unwrap_or("");
        assert!(!token.is_empty(), "a download token in {url}");
        let got = wait_js(download(&url)).await;
        assert_eq!(got.as_string().as_deref(), Some(text), "{url}: {got:?}");
    }
    destroy(&bob).await;
    destroy(&alice).await;
    wait_js(delete_cache(&name)).await;
}

#[wasm_bindgen_test]
async fn without_indexeddb_the_sdk_still_chats() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    wait_js(block_cache(&db_name(&bob_id))).await;
    let alice = login(&unique("a"), &alice_id).await;
    let bob = login(&unique("b"), &bob_id).await;
    let at_bob = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let at_alice = Recorder::new(&alice, "MESSAGE_RECEIVED");
    send_text(&alice, &bob_id, C2C, "no cache 1").await;
    assert!(at_bob
        .wait_message(10_000, |m| s(m, "payload.text") == "no cache 1")
        .await
        .is_some());
    send_text(&bob, &alice_id, C2C, "no cache 2").await;
    assert!(at_alice
        .wait_message(10_000, |m| s(m, "payload.text") == "no cache 2")
        .await
        .is_some());
    let conv = format!("C2C{alice_id}");
    let page = ok(
        &bob,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"{conv}"}}"#))],
    )
    .await;
    let texts: Vec<String> = items(&get(&page, "messageList"))
        .iter()
        .map(|m| s(m, "payload.text"))
        .collect();
    assert_eq!(texts, vec!["no cache 1", "no cache 2"]);
    destroy(&bob).await;
    destroy(&alice).await;
    wait_js(delete_cache(&db_name(&bob_id))).await;
}
