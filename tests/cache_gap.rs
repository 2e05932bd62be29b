//! Browser test of gapless history after being offline (issue 4): alice caches three
//! conversations, goes away, 20 peers send her 25 messages each, and a new instance pages back
//! through every conversation: every message exactly once, in order, with the cached history
//! read from IndexedDB (no history request) and the login catching up from the stored cursor.
#![cfg(target_arch = "wasm32")]

mod support;

use support::cache::*;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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
        assert_eq!(
            page_all(&alice, &format!("C2C{p}"), "payload.text")
                .await
                .len(),
            20
        );
    }
    assert_eq!(
        wait_cached(&name, 60.0).await,
        60.0,
        "the 60 were written through"
    );
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
        let texts = page_all(&alice, &format!("C2C{p}"), "payload.text").await;
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
