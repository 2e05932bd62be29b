//! Browser tests of the IndexedDB message cache in headless Chromium: the storage
//! conformance suite (the same checks the memory store passes natively), reopening, the
//! database deleted or upgraded by someone else during use. No
//! server needed. `scripts/bench-cache.sh` runs the ignored benchmark at the end.
#![cfg(target_arch = "wasm32")]

use tim_sdk::cache_store_conformance;
use tim_sdk::core::cache::conformance::{conv, msg, NO_CAPS};
use tim_sdk::core::cache::{CacheError, CacheStore, Caps, Changes};
use tim_sdk::web::cache::IdbStore;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function now() { return performance.now(); }
function req(r) {
  return new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
}
export function openRaw(name, version) {
  const r = version ? indexedDB.open(name, version) : indexedDB.open(name);
  r.onupgradeneeded = () => { if (!r.result.objectStoreNames.contains('x')) r.result.createObjectStore('x'); };
  return req(r);
}
export function closeRaw(db) { db.close(); }
export function deleteDb(name) { return req(indexedDB.deleteDatabase(name)); }
export function storeNames(db) { return Array.from(db.objectStoreNames).join(','); }
export function rawPage(db, conv, lo, hi) {
  const range = IDBKeyRange.bound([conv, lo], [conv, hi], false, true);
  return req(db.transaction('messages').objectStore('messages').getAll(range)).then(a => a.length);
}
"#)]
extern "C" {
    fn now() -> f64;
    #[wasm_bindgen(catch)]
    async fn openRaw(name: &str, version: u32) -> Result<JsValue, JsValue>;
    fn closeRaw(db: &JsValue);
    #[wasm_bindgen(catch)]
    async fn deleteDb(name: &str) -> Result<JsValue, JsValue>;
    fn storeNames(db: &JsValue) -> String;
    #[wasm_bindgen(catch)]
    async fn rawPage(db: &JsValue, conv: &str, lo: f64, hi: f64) -> Result<JsValue, JsValue>;
}

async fn delete_db(name: &str) {
    deleteDb(name).await.expect("deleting is not blocked");
}

/// A fresh database per test.
async fn fresh(name: &str, caps: Caps) -> IdbStore {
    let name = format!("conformance-{name}");
    delete_db(&name).await;
    IdbStore::open(&name, caps).await.unwrap()
}

cache_store_conformance!(browser, fresh);

fn put(peer: &str, seqs: std::ops::RangeInclusive<u64>) -> Changes {
    let mut c = Changes::default();
    for s in seqs.clone() {
        c.messages.push((conv(peer), msg(peer, s, 1000 + s)));
    }
    c.known.push((conv(peer), *seqs.start(), *seqs.end()));
    c
}

#[wasm_bindgen_test]
async fn data_survives_reopening_with_the_versioned_schema() {
    let name = IdbStore::name_for(1400000001, "reopen-user");
    assert_eq!(name, "tim-1400000001-reopen-user");
    delete_db(&name).await;
    let first = IdbStore::open(&name, NO_CAPS).await.unwrap();
    first.apply(&put("a", 1..=20)).await.unwrap();
    first.close();
    let second = IdbStore::open(&name, NO_CAPS).await.unwrap();
    assert_eq!(second.count(None).await.unwrap(), 20);
    assert_eq!(second.ranges(&conv("a")).await.unwrap().spans(), &[(1, 20)]);
    second.close();
    // The first store reopens on its next call.
    assert_eq!(first.count(Some(&conv("a"))).await.unwrap(), 20);
    assert_eq!(first.reopened(), 1);
    let raw = openRaw(&name, 0).await.unwrap();
    assert_eq!(
        storeNames(&raw),
        "conversations,messages,meta,outbox,ranges"
    );
    closeRaw(&raw);
}

#[wasm_bindgen_test]
async fn two_tabs_share_one_database() {
    let name = "two-tabs";
    delete_db(name).await;
    let (tab1, tab2) = (
        IdbStore::open(name, NO_CAPS).await.unwrap(),
        IdbStore::open(name, NO_CAPS).await.unwrap(),
    );
    for i in 0..5u64 {
        tab1.apply(&put("a", i * 10 + 1..=i * 10 + 10))
            .await
            .unwrap();
        tab2.apply(&put("b", i * 10 + 1..=i * 10 + 10))
            .await
            .unwrap();
        assert_eq!(
            tab2.count(Some(&conv("a"))).await.unwrap(),
            (i + 1) as u32 * 10
        );
    }
    assert_eq!(tab1.ranges(&conv("b")).await.unwrap().spans(), &[(1, 50)]);
    assert_eq!(tab1.newest(&conv("b"), 51, 15).await.unwrap().len(), 15);
}

#[wasm_bindgen_test]
async fn database_deleted_during_use_is_reopened_empty_and_consistent() {
    let name = "deleted-during-use";
    delete_db(name).await;
    let store = IdbStore::open(name, NO_CAPS).await.unwrap();
    store.apply(&put("a", 1..=30)).await.unwrap();
    // Another party deletes it: this must not be blocked by the open connection.
    delete_db(name).await;
    assert_eq!(store.count(None).await.unwrap(), 0, "a fresh database");
    assert!(
        store.ranges(&conv("a")).await.unwrap().is_empty(),
        "claims nothing cached"
    );
    assert_eq!(store.reopened(), 1);
    store.apply(&put("a", 31..=45)).await.unwrap();
    let page = store.newest(&conv("a"), 46, 15).await.unwrap();
    assert_eq!(page.first().map(|m| m.seq), Some(31));
    assert_eq!(
        store.ranges(&conv("a")).await.unwrap().missing(31, 15),
        Some((16, 30))
    );
}

#[wasm_bindgen_test]
async fn a_newer_schema_is_unavailable() {
    let name = "newer-schema";
    delete_db(name).await;
    // A newer schema (an SDK upgraded in another tab): this version cannot open it, and the
    // SDK runs from memory (tests/cache_warm_start.rs).
    closeRaw(&openRaw(name, 99).await.unwrap());
    assert_eq!(
        IdbStore::open(name, NO_CAPS).await.err(),
        Some(CacheError::Unavailable)
    );
}

#[wasm_bindgen_test]
async fn a_database_upgraded_away_during_use_is_unavailable() {
    let name = "lost-during-use";
    delete_db(name).await;
    let store = IdbStore::open(name, NO_CAPS).await.unwrap();
    store.apply(&put("a", 1..=3)).await.unwrap();
    // Another tab upgrades past this schema: our connection gives way, reopening fails.
    closeRaw(&openRaw(name, 99).await.unwrap());
    assert_eq!(
        store.apply(&put("a", 4..=6)).await,
        Err(CacheError::Unavailable)
    );
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// `getMessageList`'s newest 15 from a cache of 100 000 messages (200 conversations of 500),
/// beside a raw IndexedDB read of the same 15 records, in the same run.
#[wasm_bindgen_test]
#[ignore]
async fn bench_newest_page_of_100k() {
    let name = "bench-100k";
    delete_db(name).await;
    let store = IdbStore::open(name, Caps::default()).await.unwrap();
    let (convs, per) = (200u64, 500u64);
    let t0 = now();
    for c in 0..convs {
        store.apply(&put(&format!("p{c}"), 1..=per)).await.unwrap();
    }
    let fill = now() - t0;
    assert_eq!(store.count(None).await.unwrap(), (convs * per) as u32);
    let raw = openRaw(name, 0).await.unwrap();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for i in 0..400u64 {
        let peer = format!("p{}", (i * 37) % convs);
        let before = per + 1 - (i * 13) % (per - 15);
        let t = now();
        let page = store.newest(&conv(&peer), before, 15).await.unwrap();
        ours.push(now() - t);
        assert_eq!(page.len(), 15);
        let t = now();
        let n = rawPage(&raw, &conv(&peer), (before - 15) as f64, before as f64)
            .await
            .unwrap();
        theirs.push(now() - t);
        assert_eq!(n.as_f64(), Some(15.0));
    }
    closeRaw(&raw);
    ours.sort_by(f64::total_cmp);
    theirs.sort_by(f64::total_cmp);
    console_log!(
        "BENCH cache fill 100000 msgs in {:.0} ms; newest 15: p50 {:.3} ms p99 {:.3} ms; raw getAll of the same 15: p50 {:.3} ms p99 {:.3} ms; ratio p50 {:.2}",
        fill,
        percentile(&ours, 0.5),
        percentile(&ours, 0.99),
        percentile(&theirs, 0.5),
        percentile(&theirs, 0.99),
        percentile(&ours, 0.5) / percentile(&theirs, 0.5)
    );
    store.close();
    delete_db(name).await;
}
