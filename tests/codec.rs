//! Browser tests of the hand-written wire codec (`web::codec`), the IndexedDB record form
//! (`web::cache`, through [`IdbStore`]) and the hand-built JS views (`web::views`), each
//! against the protocol's or the views' serde derives:
//! - every `ServerFrame`, `Reply` and content type, serialized by serde (the server's way),
//!   is read back by `codec::decode` into the same value;
//! - every `Request`, written by `codec::encode`, is exactly serde's JSON, and serde reads it
//!   back (as the server does) into the same value;
//! - every content type goes into the cache records and back;
//! - every view gives exactly what its `Serialize` derive gives (`codec/views.rs`).
//!
//! Values come from [`Gen`] (`codec/distinct.rs`; the protocol values in `codec/values.rs`):
//! every string and number is distinct from every other, and each check runs once with each
//! boolean true alone (then all true, all false), so a swapped, dropped or defaulted field
//! fails. Exhaustive `match`es make a new variant fail to compile here until it is covered.
//! No server needed.
#![cfg(target_arch = "wasm32")]

#[path = "codec/distinct.rs"]
mod distinct;
#[path = "codec/values.rs"]
mod values;
#[path = "codec/views.rs"]
mod views;

use js_sys::JSON;
use tim_protocol::{ClientFrame, Message};
use tim_sdk::core::cache::conformance::NO_CAPS;
use tim_sdk::core::cache::CacheStore;
use tim_sdk::web::cache::IdbStore;
use tim_sdk::web::codec;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use distinct::{hots, label, Gen};
use values::{frames, records, requests};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function deleteDb(name) {
  return new Promise((ok, no) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = () => ok();
    r.onerror = () => no(r.error);
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn deleteDb(name: &str) -> Result<JsValue, JsValue>;
}

/// `got == want`, element by element (a failure shows the one that differs).
fn same_list<T: PartialEq + std::fmt::Debug>(what: &str, got: &[T], want: &[T]) {
    assert_eq!(got.len(), want.len(), "{what}: how many");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "{what} {i}");
    }
}

/// The JSON text serde gives (`tim_protocol`'s derives, as the server writes and reads it).
fn serde_text<T: serde::Serialize>(value: &T) -> JsValue {
    JSON::stringify(&codec::to_js(value).expect("serde"))
        .expect("stringify")
        .into()
}

#[wasm_bindgen_test]
fn every_server_frame_reply_and_content_decodes_as_serde_wrote_it() {
    for hot in hots(frames) {
        let sent = frames(&mut Gen::new(hot, true));
        let expected = frames(&mut Gen::new(hot, false));
        for (i, (frame, want)) in sent.iter().zip(&expected).enumerate() {
            let text = serde_text(frame);
            let decoded = codec::decode(&text)
                .unwrap_or_else(|e| panic!("{}, frame {i}: {e:?} in {text:?}", label(hot)));
            assert_eq!(&decoded, want, "{}, frame {i}", label(hot));
        }
    }
}

#[wasm_bindgen_test]
fn every_request_encodes_exactly_as_serde_and_serde_reads_it_back() {
    for hot in hots(requests) {
        for (i, req) in requests(&mut Gen::new(hot, true)).into_iter().enumerate() {
            let frame = ClientFrame {
                id: 4_100_000_000 + i as u32,
                req,
            };
            let what = format!("{}, request {i}", label(hot));
            let manual = codec::encode(&frame).expect("encode");
            assert_eq!(
                manual.as_string(),
                serde_text(&frame).as_string(),
                "{what}: the hand-written encoder drifted from the protocol"
            );
            // The server's reading of it (serde) gives the frame back.
            let parsed = JSON::parse(&manual.as_string().unwrap()).expect("parse");
            let back: ClientFrame = serde_wasm_bindgen::from_value(parsed).expect(&what);
            assert_eq!(back, frame, "{what}");
        }
    }
}

#[wasm_bindgen_test]
async fn every_content_type_round_trips_through_the_cache_records() {
    let name = format!("codec-records-{}", js_sys::Date::now());
    deleteDb(&name).await.expect("delete");
    let store = IdbStore::open(&name, NO_CAPS).await.expect("open");
    for hot in hots(records) {
        let what = label(hot);
        store.clear().await.expect("clear");
        store
            .apply(&records(&mut Gen::new(hot, true)))
            .await
            .expect("apply");
        let mut expected = records(&mut Gen::new(hot, false));

        let conv = expected.messages[0].0.clone();
        let mut want: Vec<Message> = expected.messages.drain(..).map(|(_, m)| m).collect();
        want.sort_by_key(|m| m.seq);
        let got = store.newest(&conv, u64::MAX, 1_000).await.expect("newest");
        same_list(&format!("{what}: message"), &got, &want);

        let mut want = expected.conversations;
        want.sort_by(|a, b| a.conversation_id.cmp(&b.conversation_id));
        let mut got = store.conversations().await.expect("conversations");
        got.sort_by(|a, b| a.conversation_id.cmp(&b.conversation_id));
        same_list(&format!("{what}: conversation"), &got, &want);

        let mut want = expected.outbox_put;
        want.sort_by_key(|e| e.pos);
        let got = store.outbox().await.expect("outbox");
        same_list(&format!("{what}: outbox entry"), &got, &want);
    }
    store.close();
    deleteDb(&name).await.expect("delete");
}
