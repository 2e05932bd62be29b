//! Browser tests of the persistent cache as the SDK uses it: a new instance serves the cached
//! conversation list and newest page before its socket has received a single frame, then the
//! server's state replaces them without duplicating anything; cached file URLs carry the
//! stored download token; and when IndexedDB cannot be opened the SDK still chats. Frames are counted by wrapping the page's `WebSocket`, so the
//! ordering is asserted on what the network delivered, not on wall-clock time.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Promise;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const sockets = [];
export function countFrames() {
  if (globalThis.WebSocket.counted) return;
  const W = globalThis.WebSocket;
  // Listening first: a frame is counted before the SDK handles it.
  globalThis.WebSocket = class extends W {
    constructor(...args) {
      super(...args);
      const seen = { n: 0 };
      sockets.push(seen);
      this.addEventListener('message', () => seen.n++);
    }
  };
  globalThis.WebSocket.counted = true;
}
export function socketCount() { return sockets.length; }
export function framesSince(mark) {
  return sockets.slice(mark).reduce((sum, s) => sum + s.n, 0);
}
// On the first `name` event: the frames received so far, and getConversationList and
// getMessageList(conv) asked right then, with the frames received when they resolved.
export function onFirst(tim, name, conv, mark) {
  return new Promise((ok) => {
    const h = (e) => {
      tim.off(name, h);
      const atEvent = framesSince(mark);
      const list = tim.getConversationList();
      const page = tim.getMessageList({ conversationID: conv });
      Promise.all([list, page]).then(([l, p]) =>
        ok({ atEvent, atResults: framesSince(mark), event: e.data, list: l.data, page: p.data }));
    };
    tim.on(name, h);
  });
}
function req(r) {
  return new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
}
export async function cachedMessages(name) {
  const db = await req(indexedDB.open(name));
  try {
    if (!db.objectStoreNames.contains('messages')) return 0;
    return await req(db.transaction('messages').objectStore('messages').count());
  } finally { db.close(); }
}
export async function blockCache(name) {
  await req(indexedDB.deleteDatabase(name));
  // A newer schema (an SDK upgraded in another tab): this SDK cannot open it.
  (await req(indexedDB.open(name, 99))).close();
}
export function deleteCache(name) { return req(indexedDB.deleteDatabase(name)); }
export function textFile(text) { return new File([text], 'warm.txt', { type: 'text/plain' }); }
export async function download(url) {
  const r = await fetch(url);
  return r.ok ? await r.text() : r.status;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = countFrames)]
    fn count_frames();
    #[wasm_bindgen(js_name = socketCount)]
    fn socket_count() -> u32;
    #[wasm_bindgen(js_name = onFirst)]
    fn on_first(tim: &JsValue, name: &str, conv: &str, mark: u32) -> Promise;
    #[wasm_bindgen(js_name = cachedMessages)]
    fn cached_messages(name: &str) -> Promise;
    #[wasm_bindgen(js_name = blockCache)]
    fn block_cache(name: &str) -> Promise;
    #[wasm_bindgen(js_name = deleteCache)]
    fn delete_cache(name: &str) -> Promise;
    #[wasm_bindgen(js_name = textFile)]
    fn text_file(text: &str) -> JsValue;
    fn download(url: &str) -> Promise;
}

const C2C: &str = "C2C";

fn db_name(user_id: &str) -> String {
    format!("tim-{}-{user_id}", sdk_app_id())
}

async fn wait_js(p: Promise) -> JsValue {
    match timeout(15_000, JsFuture::from(p)).await {
        Some(Ok(v)) => v,
        other => panic!("JS helper failed: {other:?}"),
    }
}

fn ids(list: &JsValue, key: &str) -> Vec<String> {
    items(list).iter().map(|m| s(m, key)).collect()
}

fn login_options(user_id: &str) -> JsValue {
    obj(&format!(
        r#"{{"userID":"{user_id}","userSig":"{}"}}"#,
        user_sig(user_id)
    ))
}

#[wasm_bindgen_test]
async fn cached_list_and_page_come_before_any_frame_then_sync_duplicates_nothing() {
    count_frames();
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    wait_js(delete_cache(&db_name(&bob_id))).await;
    let alice = login(&unique("a"), &alice_id).await;
    let bob = login(&unique("b"), &bob_id).await;
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
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
    let mut stored = 0.0;
    for _ in 0..100 {
        stored = wait_js(cached_messages(&name))
            .await
            .as_f64()
            .unwrap_or(0.0);
        if stored >= 3.0 {
            break;
        }
        sleep(50).await;
    }
    assert_eq!(stored, 3.0, "the 3 messages were written through");
    drop(received);
    destroy(&bob).await;

    // A new instance of bob: its socket is the first created after `mark`.
    let mark = socket_count();
    let bob = create(&unique("b2"));
    let _ = call_sync(&bob, "setLogLevel", &[JsValue::from(2)]);
    let conv = format!("C2C{alice_id}");
    let first = on_first(&bob, &event(&bob, "CONVERSATION_LIST_UPDATED"), &conv, mark);
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
    count_frames();
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    wait_js(delete_cache(&db_name(&bob_id))).await;
    let alice = login(&unique("a"), &alice_id).await;
    let bob = login(&unique("b"), &bob_id).await;
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let text = "cached file body";
    let options = obj(&format!(
        r#"{{"to":"{bob_id}","conversationType":"C2C","payload":{{}}}}"#
    ));
    let _ = js_sys::Reflect::set(&get(&options, "payload"), &"file".into(), &text_file(text));
    let message = call_sync(&alice, "createFileMessage", &[options]).expect("create");
    ok(&alice, "sendMessage", &[message]).await;
    assert!(received.wait(10_000, |d| !d.is_empty()).await, "bob got it");
    let name = db_name(&bob_id);
    for _ in 0..100 {
        if wait_js(cached_messages(&name)).await.as_f64() == Some(1.0) {
            break;
        }
        sleep(50).await;
    }
    drop(received);
    destroy(&bob).await;

    let mark = socket_count();
    let bob = create(&unique("b2"));
    let conv = format!("C2C{alice_id}");
    let first = on_first(&bob, &event(&bob, "CONVERSATION_LIST_UPDATED"), &conv, mark);
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
