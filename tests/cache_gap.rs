//! Browser test of gapless history after being offline (issue 4): alice caches three
//! conversations, goes away, 20 peers send her 25 messages each, and a new instance pages back
//! through every conversation: every message exactly once, in order, with the cached history
//! read from IndexedDB (no history request) and the login catching up from the stored cursor.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Promise;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
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
export function sentOps(op, mark) { return sent.slice(mark).filter((r) => r.op === op); }
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
export function deleteCache(name) { return req(indexedDB.deleteDatabase(name)); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = countSent)]
    fn count_sent();
    #[wasm_bindgen(js_name = sentOps)]
    fn sent_ops(op: &str, mark: u32) -> js_sys::Array;
    #[wasm_bindgen(js_name = sentCount)]
    fn sent_count() -> u32;
    #[wasm_bindgen(js_name = cachedMessages)]
    fn cached_messages(name: &str) -> Promise;
    #[wasm_bindgen(js_name = deleteCache)]
    fn delete_cache(name: &str) -> Promise;
}

async fn wait_js(p: Promise) -> JsValue {
    match timeout(15_000, JsFuture::from(p)).await {
        Some(Ok(v)) => v,
        other => panic!("JS helper failed: {other:?}"),
    }
}

async fn admin_send(from: &str, to: &str, text: &str) {
    let body = obj(&format!(
        r#"{{"From_Account":"{from}","To_Account":"{to}",
            "MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"{text}"}}}}]}}"#
    ));
    rest("openim/sendmsg", &body).await;
}

/// Pages back through `conv` to its start: the texts, oldest first, after checking that
/// sequences strictly ascend across pages.
async fn page_all(tim: &JsValue, conv: &str) -> Vec<String> {
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
            return all.iter().map(|m| s(m, "payload.text")).collect();
        }
        next = s(&data, "nextReqMessageID");
        assert!(
            !next.is_empty(),
            "{conv}: an unfinished page names the next"
        );
    }
    panic!("{conv}: paging never completed");
}

#[wasm_bindgen_test]
async fn offline_500_across_20_conversations_pages_back_complete_without_refetching() {
    count_sent();
    let alice_id = unique("alice");
    let prefix = unique("p");
    let peers: Vec<String> = (0..20).map(|i| format!("{prefix}{i:02}")).collect();
    let name = format!("tim-{}-{alice_id}", sdk_app_id());
    wait_js(delete_cache(&name)).await;

    // Online: three peers send 20 each; alice pages through them (all cached).
    let alice = login(&unique("a"), &alice_id).await;
    let received = Recorder::new(&alice, "MESSAGE_RECEIVED");
    for p in &peers[..3] {
        for i in 0..20 {
            admin_send(p, &alice_id, &format!("{p}-{i}")).await;
        }
    }
    assert!(
        received.wait(15_000, |d| d.len() >= 60).await,
        "alice got the 60"
    );
    for p in &peers[..3] {
        assert_eq!(page_all(&alice, &format!("C2C{p}")).await.len(), 20);
    }
    let mut stored = 0.0;
    for _ in 0..100 {
        stored = wait_js(cached_messages(&name))
            .await
            .as_f64()
            .unwrap_or(0.0);
        if stored >= 60.0 {
            break;
        }
        sleep(50).await;
    }
    assert_eq!(stored, 60.0, "the 60 were written through");
    drop(received);
    destroy(&alice).await;

    // Offline: 20 peers send 25 each.
    for p in &peers {
        for i in 0..25 {
            admin_send(p, &alice_id, &format!("{p}-x{i}")).await;
        }
    }

    let mark = sent_count();
    let alice = create(&unique("a2"));
    let _ = call_sync(&alice, "setLogLevel", &[JsValue::from(2)]);
    let received = Recorder::new(&alice, "MESSAGE_RECEIVED");
    ok(
        &alice,
        "login",
        &[obj(&format!(
            r#"{{"userID":"{alice_id}","userSig":"{}"}}"#,
            user_sig(&alice_id)
        ))],
    )
    .await;
    let syncs = sent_ops("sync", mark);
    assert!(syncs.length() >= 5, "500 deliveries in pages of 100");
    assert!(
        n(&syncs.get(0), "since") > 0.0,
        "login caught up from the stored cursor"
    );

    let mut total = 0;
    for (k, p) in peers.iter().enumerate() {
        let texts = page_all(&alice, &format!("C2C{p}")).await;
        let mut want: Vec<String> = Vec::new();
        if k < 3 {
            want.extend((0..20).map(|i| format!("{p}-{i}")));
        }
        want.extend((0..25).map(|i| format!("{p}-x{i}")));
        assert_eq!(texts, want, "{p}: every message once, in order");
        total += texts.len();
    }
    assert_eq!(total, 500 + 60);
    assert_eq!(
        sent_ops("history", mark).length(),
        0,
        "the cached history was read from IndexedDB, the rest had come by sync"
    );
    assert_eq!(received.count(), 0, "the catch-up is history, not news");
    drop(received);
    destroy(&alice).await;
}
