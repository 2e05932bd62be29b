//! The issue-4 figure, SDK level: `getMessageList` of 15 served from an IndexedDB cache of
//! 100 000 messages (200 conversations of 500), beside a raw IndexedDB read of the same 15
//! records in the same run. Ignored: `scripts/bench-cache.sh` runs it against a live server.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Promise;
use support::cache::*;
use support::*;
use tim_protocol::{ConvType, ConversationInfo, Message};
use tim_sdk::core::cache::conformance::info;
use tim_sdk::core::cache::{CacheStore, Caps, Changes};
use tim_sdk::web::cache::IdbStore;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
function req(r) {
  return new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
}
export function openRaw(name) { return req(indexedDB.open(name)); }
export function closeRaw(db) { db.close(); }
// Resolves once a read-write transaction over every store has committed: IndexedDB runs it
// after every write transaction begun before it (the SDK's write-through included).
export function barrier(db) {
  return new Promise((ok, no) => {
    const t = db.transaction(db.objectStoreNames, 'readwrite');
    t.oncomplete = () => ok();
    t.onabort = () => no(t.error);
  });
}
// Imports `per` messages of this user into C2C<peer> on the server, 100 a call (its limit).
export async function importAll(tim, peer, per) {
  for (let k = 0; k < per; k += 100) {
    const list = [];
    for (let i = k; i < Math.min(per, k + 100); i++) {
      list.push(tim.createTextMessage({ to: peer, conversationType: 'C2C', payload: { text: `m${i + 1}` } }));
    }
    await tim.importMessageList({ conversationID: `C2C${peer}`, messageList: list });
  }
}
// The SDK's newest 15 of `conv`: [ms, count, first seq, last seq].
export async function timedList(tim, conv) {
  const t = performance.now();
  const r = await tim.getMessageList({ conversationID: conv, count: 15 });
  const ms = performance.now() - t;
  const l = r.data.messageList;
  return [ms, l.length, l.length ? l[0].sequence : 0, l.length ? l[l.length - 1].sequence : 0];
}
// A raw read of the same 15 records (key [c, s], seqs lo..hi): [ms, count].
export async function timedRaw(db, c, lo, hi) {
  const t = performance.now();
  const a = await req(db.transaction('messages').objectStore('messages').getAll(IDBKeyRange.bound([c, lo], [c, hi])));
  return [performance.now() - t, a.length];
}
// What idb.js `readPage` reads for the same page: the known ranges and the 15, in one
// transaction over both stores: [ms, count].
export async function timedReadPage(db, c, before) {
  const t = performance.now();
  const tx = db.transaction(['ranges', 'messages']);
  const r = await req(tx.objectStore('ranges').get(c));
  const a = await req(tx.objectStore('messages').getAll(IDBKeyRange.bound([c, before - 15], [c, before], false, true)));
  return [performance.now() - t, a.length + (r ? 0 : 1000)];
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = openRaw)]
    fn open_raw(name: &str) -> Promise;
    #[wasm_bindgen(js_name = closeRaw)]
    fn close_raw(db: &JsValue);
    fn barrier(db: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = importAll)]
    fn import_all(tim: &JsValue, peer: &str, per: u32) -> Promise;
    #[wasm_bindgen(js_name = timedList)]
    fn timed_list(tim: &JsValue, conv: &str) -> Promise;
    #[wasm_bindgen(js_name = timedRaw)]
    fn timed_raw(db: &JsValue, conv: &str, lo: f64, hi: f64) -> Promise;
    #[wasm_bindgen(js_name = timedReadPage)]
    fn timed_read_page(db: &JsValue, conv: &str, before: f64) -> Promise;
}

/// Seeding and timing 100 000 messages takes minutes.
async fn wait_long(p: Promise) -> JsValue {
    wait_js_for(600_000, p).await
}

fn nums(v: &JsValue) -> Vec<f64> {
    items(v)
        .iter()
        .map(|x| x.as_f64().unwrap_or(-1.0))
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// A message of `me` to `peer` at `seq`, as the cache stores it.
fn sent(me: &str, peer: &str, seq: u64, time: u64) -> Message {
    let mut m = tim_sdk::core::cache::conformance::msg(peer, seq, time);
    m.id = format!("bench-{peer}-{seq}");
    m.conv_type = ConvType::C2c;
    m.from = me.into();
    m.to = peer.into();
    m
}

/// `getMessageList({conversationID, count: 15})` of every conversation the warm start did
/// not bring into memory, each served from IndexedDB (no history frame sent), beside a raw
/// getAll of the same 15 records, in alternating order.
#[wasm_bindgen_test]
#[ignore]
async fn bench_get_message_list_from_100k_cache() {
    count_sent();
    let (convs, per) = (200u64, 500u64);
    let me = unique("bench");
    let prefix = unique("q");
    let peers: Vec<String> = (0..convs).map(|i| format!("{prefix}{i:03}")).collect();
    let name = IdbStore::name_for(sdk_app_id(), &me);
    import_accounts(&peers.iter().map(String::as_str).collect::<Vec<_>>()).await;

    // The server holds the 100 000 (seqs 1..=500 per conversation), imported 8 at a time.
    let t0 = now_ms();
    let filler = login(&unique("fill"), &me).await;
    for chunk in peers.chunks(8) {
        let all: Vec<JsFuture> = chunk
            .iter()
            .map(|p| JsFuture::from(import_all(&filler, p, per as u32)))
            .collect();
        for f in all {
            f.await.expect("import");
        }
    }
    destroy(&filler).await;
    let server_fill = now_ms() - t0;

    // The cache holds the same seqs, known contiguous, through the IdbStore write path.
    let t0 = now_ms();
    wait_long(delete_cache(&name)).await;
    let store = IdbStore::open(&name, Caps::default()).await.unwrap();
    for (k, chunk) in peers.chunks(10).enumerate() {
        let mut c = Changes::default();
        for (j, p) in chunk.iter().enumerate() {
            let conv = format!("C2C{p}");
            // Conversation i's newest message is the i-th newest: the warm start takes the
            // last 20 peers into memory.
            let last_time = 1_700_000_000 + ((k * 10 + j) as u64) * 1000;
            for s in 1..=per {
                c.messages
                    .push((conv.clone(), sent(&me, p, s, last_time - per + s)));
            }
            let last = sent(&me, p, per, last_time);
            let i: ConversationInfo = ConversationInfo {
                unread: 0,
                read_seq: per,
                pinned: false,
                ..info(p, Some(last))
            };
            c.conversations.push(i);
            c.known.push((conv, 1, per));
        }
        store.apply(&c).await.unwrap();
    }
    assert_eq!(store.count(None).await.unwrap(), (convs * per) as u32);
    store.close();
    let cache_fill = now_ms() - t0;

    let mark = sent_count();
    let tim = login(&unique("b"), &me).await;
    let _ = call_sync(&tim, "setLogLevel", &[JsValue::from(2)]);
    let list = items(&get(
        &ok(&tim, "getConversationList", &[]).await,
        "conversationList",
    ));
    // The first page of the list (100).
    assert_eq!(list.len(), 100);
    assert!(
        list.iter()
            .all(|c| n(c, "lastMessage.lastSequence") == per as f64),
        "each ends at seq {per}"
    );
    // Let the login settle: its catch-up done (every frame it sends sent, every batch it
    // writes queued), then a barrier transaction, which IndexedDB runs after the write-through
    // transactions begun before it.
    let instance = &tim;
    let synced = wait_for(600_000, move || async move {
        let list = ok(instance, "getConversationList", &[]).await;
        b(&list, "isSyncCompleted")
    })
    .await;
    assert!(synced, "the login's catch-up completed");
    let login_frames = sent_count() - mark;
    let raw = wait_long(open_raw(&name)).await;
    wait_long(barrier(&raw)).await;
    let mark = sent_count();
    let (mut sdk, mut rawt) = (Vec::new(), Vec::new());
    // Where the SDK's time goes: its own IndexedDB read (two stores), and the same call
    // again, now served from memory (the wasm and JS around the read).
    let (mut two_stores, mut memory) = (Vec::new(), Vec::new());
    // The warm start took the 20 most recent (the last 20 peers) into memory.
    let cold = &peers[..(convs - 20) as usize];
    for (i, p) in cold.iter().enumerate() {
        let conv = format!("C2C{p}");
        let (lo, hi) = ((per - 14) as f64, per as f64);
        let raw_first = i % 2 == 0;
        if raw_first {
            let r = nums(&wait_long(timed_raw(&raw, &conv, lo, hi)).await);
            assert_eq!(r[1], 15.0);
            rawt.push(r[0]);
        }
        let r = nums(&wait_long(timed_list(&tim, &conv)).await);
        assert_eq!(r[1..], [15.0, lo, hi], "{conv}: the newest 15");
        sdk.push(r[0]);
        if !raw_first {
            let r = nums(&wait_long(timed_raw(&raw, &conv, lo, hi)).await);
            assert_eq!(r[1], 15.0);
            rawt.push(r[0]);
        }
        let r = nums(&wait_long(timed_read_page(&raw, &conv, hi + 1.0)).await);
        assert_eq!(r[1], 15.0);
        two_stores.push(r[0]);
        let r = nums(&wait_long(timed_list(&tim, &conv)).await);
        assert_eq!(r[1..], [15.0, lo, hi], "{conv}: the same page from memory");
        memory.push(r[0]);
    }
    assert_eq!(
        sent_ops("history", mark).length(),
        0,
        "every timed page came from IndexedDB, not the server"
    );
    let frames = sent_count() - mark;
    close_raw(&raw);
    destroy(&tim).await;
    wait_long(delete_cache(&name)).await;

    let samples = sdk.clone();
    for v in [&mut sdk, &mut rawt, &mut two_stores, &mut memory] {
        v.sort_by(f64::total_cmp);
    }
    console_log!(
        "BENCH getMessageList(15) from 100k cache ({} conversations not in memory, {} frames sent meanwhile): p50 {:.3} ms p99 {:.3} ms max {:.3} ms; raw index read of the same 15: p50 {:.3} ms p99 {:.3} ms; ratio p50 {:.2}x (fill: server {:.0} ms, cache {:.0} ms; login sent {} frames)",
        cold.len(),
        frames,
        percentile(&sdk, 0.5),
        percentile(&sdk, 0.99),
        sdk[sdk.len() - 1],
        percentile(&rawt, 0.5),
        percentile(&rawt, 0.99),
        percentile(&sdk, 0.5) / percentile(&rawt, 0.5),
        server_fill,
        cache_fill,
        login_frames
    );
    console_log!(
        "BENCH breakdown p50: readPage-shaped IndexedDB read (ranges + messages) {:.3} ms; the same getMessageList again from memory {:.3} ms",
        percentile(&two_stores, 0.5),
        percentile(&memory, 0.5)
    );
    console_log!(
        "BENCH samples (call order): {:?}",
        samples
            .iter()
            .map(|x| (x * 1000.0).round() / 1000.0)
            .collect::<Vec<_>>()
    );
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}
