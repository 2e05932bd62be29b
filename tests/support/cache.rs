//! Helpers for the browser tests of the IndexedDB cache: frame counting by wrapping the page's
//! `WebSocket` (so orderings are asserted on what the network delivered, not on wall-clock
//! time), direct reads of the database, admin sends and paging through a whole history.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::*;

#[wasm_bindgen(inline_js = r#"
const sockets = [];
// Counts the frames each socket created from now on receives. Listening first: a frame is
// counted before the SDK handles it.
export function countFrames() {
  if (globalThis.WebSocket.counted) return;
  const W = globalThis.WebSocket;
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
function framesSince(mark) { return sockets.slice(mark).reduce((sum, s) => sum + s.n, 0); }
// On `tim`'s first `name` event: the frames its sockets (created after `mark`) had received,
// the event's data and the milliseconds since `t0`; when `conv` is not empty, also
// getConversationList and getMessageList(conv) asked right then, with the frames received
// when they resolved.
export function onFirst(tim, name, mark, t0, conv) {
  return new Promise((ok) => {
    const h = (e) => {
      tim.off(name, h);
      const first = { atEvent: framesSince(mark), event: e.data, ms: performance.now() - t0 };
      if (!conv) return ok(first);
      const list = tim.getConversationList();
      const page = tim.getMessageList({ conversationID: conv });
      Promise.all([list, page]).then(([l, p]) =>
        ok({ ...first, atResults: framesSince(mark), list: l.data, page: p.data }));
    };
    tim.on(name, h);
  });
}
export function now() { return performance.now(); }
const sent = [];
// Every frame the page sends, as parsed JSON (UserSigs included: test-only).
export function countSent() {
  if (globalThis.WebSocket.sendCounted) return;
  const W = globalThis.WebSocket;
  globalThis.WebSocket = class extends W {
    send(text) { try { sent.push(JSON.parse(text).req); } catch (_) {} return super.send(text); }
  };
  globalThis.WebSocket.sendCounted = true;
}
export function sentOps(op, mark) { return sent.slice(mark).filter((r) => r && r.op === op); }
export function sentCount() { return sent.length; }
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
export async function cacheExists(name) {
  return (await indexedDB.databases()).some((d) => d.name === name);
}
export async function blockCache(name) {
  await req(indexedDB.deleteDatabase(name));
  // A newer schema (an SDK upgraded in another tab): this SDK cannot open it.
  (await req(indexedDB.open(name, 99))).close();
}
export function deleteCache(name) { return req(indexedDB.deleteDatabase(name)); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = countFrames)]
    pub fn count_frames();
    #[wasm_bindgen(js_name = socketCount)]
    pub fn socket_count() -> u32;
    /// See `onFirst` above; `conv` "" skips the list and page calls.
    #[wasm_bindgen(js_name = onFirst)]
    pub fn on_first(tim: &JsValue, name: &str, mark: u32, t0: f64, conv: &str) -> Promise;
    /// `performance.now()`.
    pub fn now() -> f64;
    #[wasm_bindgen(js_name = countSent)]
    pub fn count_sent();
    /// The requests of op `op` sent since `mark` (a [`sent_count`]).
    #[wasm_bindgen(js_name = sentOps)]
    pub fn sent_ops(op: &str, mark: u32) -> Array;
    #[wasm_bindgen(js_name = sentCount)]
    pub fn sent_count() -> u32;
    /// How many messages database `name` holds.
    #[wasm_bindgen(js_name = cachedMessages)]
    pub fn cached_messages(name: &str) -> Promise;
    #[wasm_bindgen(js_name = cacheExists)]
    pub fn cache_exists(name: &str) -> Promise;
    /// Leaves database `name` at a schema this SDK cannot open.
    #[wasm_bindgen(js_name = blockCache)]
    pub fn block_cache(name: &str) -> Promise;
    #[wasm_bindgen(js_name = deleteCache)]
    pub fn delete_cache(name: &str) -> Promise;
}

/// Awaits a JS helper's Promise (at most `ms`); panics if it rejects or times out.
pub async fn wait_js_for(ms: u32, p: Promise) -> JsValue {
    match timeout(ms, JsFuture::from(p)).await {
        Some(Ok(v)) => v,
        other => panic!("JS helper failed: {other:?}"),
    }
}

/// [`wait_js_for`] 15 s.
pub async fn wait_js(p: Promise) -> JsValue {
    wait_js_for(15_000, p).await
}

/// The SDK's database of `user_id`.
pub fn db_name(user_id: &str) -> String {
    format!("tim-{}-{user_id}", sdk_app_id())
}

/// `login` options `{userID, userSig}`.
pub fn login_options(user_id: &str) -> JsValue {
    obj(&format!(
        r#"{{"userID":"{user_id}","userSig":"{}"}}"#,
        user_sig(user_id)
    ))
}

/// A C2C text from `from` to `to` through the admin REST API (`from` needs no instance).
pub async fn admin_send(from: &str, to: &str, text: &str) {
    let body = obj(&format!(
        r#"{{"From_Account":"{from}","To_Account":"{to}",
            "MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"{text}"}}}}]}}"#
    ));
    rest("openim/sendmsg", &body).await;
}

/// Waits until `name` holds exactly `want` messages (written through); returns how many it
/// holds at the end.
pub async fn wait_cached(name: &str, want: f64) -> f64 {
    let stored = std::cell::Cell::new(0.0);
    wait_for(5_000, || async {
        stored.set(wait_js(cached_messages(name)).await.as_f64().unwrap_or(0.0));
        stored.get() == want
    })
    .await;
    stored.get()
}

/// Pages back through `conv` to its start: each message's `key` (e.g. "ID", "payload.text"),
/// oldest first, after checking that sequences strictly ascend across pages.
pub async fn page_all(tim: &JsValue, conv: &str, key: &str) -> Vec<String> {
    let (mut all, mut next): (Vec<JsValue>, String) = (Vec::new(), String::new());
    for _ in 0..100 {
        let o = obj(&format!(
            r#"{{"conversationID":"{conv}","nextReqMessageID":"{next}"}}"#
        ));
        let data = ok(tim, "getMessageList", &[o]).await;
        let mut page = items(&get(&data, "messageList"));
        page.append(&mut all);
        all = page;
        if b(&data, "isCompleted") {
            let seqs: Vec<f64> = all.iter().map(|m| n(m, "sequence")).collect();
            assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{conv}: {seqs:?}");
            return all.iter().map(|m| s(m, key)).collect();
        }
        next = s(&data, "nextReqMessageID");
        assert!(
            !next.is_empty(),
            "{conv}: an unfinished page names the next"
        );
    }
    panic!("{conv}: paging never completed");
}
