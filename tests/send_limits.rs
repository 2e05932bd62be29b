//! Browser tests of issue 12 against the real server: a message or option the server would
//! refuse as too long is refused at once, never queued, sent or resent after a reconnect, and
//! a poisoned outbox left in IndexedDB (by an older SDK) is dropped, not replayed, by the next
//! instance of the user. "Nothing else happened" is checked with ordered follow-ups.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Promise;
use support::cache::{count_sent, db_name, sent_count, sent_ops};
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
function req(r) {
  return new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
}
// Rewrites the outbox entries of database `name` whose text is `marker` to `bytes` bytes, as
// an SDK without the size rule left them; resolves with the number of entries.
export async function poisonOutbox(name, marker, bytes) {
  const db = await req(indexedDB.open(name));
  try {
    const tx = db.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    const all = await req(store.getAll());
    for (const e of all) {
      if (e.m.content.payload.text === marker) {
        e.m.content.payload.text = 'x'.repeat(bytes);
        store.put(e);
      }
    }
    await new Promise((ok, no) => { tx.oncomplete = ok; tx.onerror = () => no(tx.error); });
    return all.length;
  } finally { db.close(); }
}
export async function outboxCount(name) {
  const db = await req(indexedDB.open(name));
  try { return await req(db.transaction('outbox').objectStore('outbox').count()); }
  finally { db.close(); }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = poisonOutbox)]
    fn poison_outbox(name: &str, marker: &str, bytes: u32) -> Promise;
    #[wasm_bindgen(js_name = outboxCount)]
    fn outbox_count(name: &str) -> Promise;
}

async fn js(p: Promise) -> f64 {
    JsFuture::from(p)
        .await
        .expect("IndexedDB helper")
        .as_f64()
        .unwrap_or(-1.0)
}

/// Calls `method`: its Promise must reject within 3 s (no round trip, no reconnect).
async fn rejects_at_once(tim: &JsValue, method: &str, args: &[JsValue]) -> f64 {
    let p = call_sync(tim, method, args).expect("returns a Promise");
    match timeout(3_000, JsFuture::from(Promise::from(p))).await {
        Some(Err(e)) => n(&e, "code"),
        Some(Ok(v)) => panic!("{method} resolved: {}", show(&v)),
        None => panic!("{method} did not reject at once"),
    }
}

fn never_disconnected(net: &Recorder) -> bool {
    net.data().iter().all(|e| s(e, "state") == "connected")
}

/// Cuts `user` off: its sockets dropped and its logins refused for `ms`.
async fn cut_off(user: &str, ms: u32) {
    let path = format!("/debug/drop?userID={user}&holdMs={ms}");
    http("POST", &path, None).await;
}

fn ids_from(rx: &Recorder, from: &str) -> Vec<String> {
    let mine = rx.messages().into_iter().filter(|m| s(m, "from") == from);
    mine.map(|m| s(&m, "ID")).collect()
}

#[wasm_bindgen_test]
async fn a_200_kib_text_fails_at_once_with_80002_and_is_never_sent() {
    count_sent();
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login("send-alice", &alice_id).await;
    let bob = login("send-bob", &bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let net = Recorder::new(&alice, "NET_STATE_CHANGE");
    let mark = sent_count();
    let big = text_options(&bob_id, "C2C", &"x".repeat(200 * 1024));
    let m = call_sync(&alice, "createTextMessage", &[big]).expect("created");
    let code = rejects_at_once(&alice, "sendMessage", std::slice::from_ref(&m)).await;
    assert_eq!(code, 80002.0);
    assert_eq!(s(&m, "status"), "fail");
    assert_eq!(sent_ops("send", mark).length(), 0, "never on the wire");
    // Alice's next message arrives, on the same connection: nothing came before it.
    let last = follow_up(&alice, &bob_id, &bob_rx).await;
    assert_eq!(ids_from(&bob_rx, &alice_id), vec![last]);
    assert_eq!(sent_ops("send", mark).length(), 1);
    assert!(never_disconnected(&net));
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn megabyte_options_reject_at_once_and_the_instance_goes_on() {
    count_sent();
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login("opts-alice", &alice_id).await;
    let bob = login("opts-bob", &bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let net = Recorder::new(&alice, "NET_STATE_CHANGE");
    let mark = sent_count();
    let huge_conv = format!("C2C{}", "x".repeat(10 << 20));
    let huge_name = "n".repeat(10 << 20);
    let with_bob = format!("C2C{bob_id}");
    let cases = [
        (
            "getMessageList",
            obj(&format!(r#"{{"conversationID":"{huge_conv}"}}"#)),
            2503.0,
        ),
        (
            "getMessageList",
            obj(&format!(r#"{{"conversationID":"C2C{}"}}"#, "x".repeat(65))),
            2503.0,
        ),
        ("clearHistoryMessage", JsValue::from_str(&huge_conv), 2503.0),
        (
            "deleteConversationGroup",
            JsValue::from_str(&huge_name),
            51011.0,
        ),
        (
            "deleteConversationsFromGroup",
            obj(&format!(
                r#"{{"groupName":"{huge_name}","conversationIDList":["{with_bob}"]}}"#
            )),
            51011.0,
        ),
    ];
    for (method, arg, code) in cases {
        assert_eq!(
            rejects_at_once(&alice, method, &[arg]).await,
            code,
            "{method}"
        );
    }
    for op in ["history", "conv_settings", "conv_group"] {
        assert_eq!(sent_ops(op, mark).length(), 0, "no {op} request sent");
    }
    follow_up(&alice, &bob_id, &bob_rx).await;
    assert!(never_disconnected(&net));
    destroy(&alice).await;
    destroy(&bob).await;
}

/// The reload case: a poisoned entry (2 MiB, beyond even the server's transport limit) and a
/// message to a group alice is not in (10007) wait in the outbox of a destroyed instance; the
/// next instance refuses the first itself and drops the second when the server refuses it,
/// sends its own message after them, and leaves nothing for the instance after it.
#[wasm_bindgen_test]
async fn a_poisoned_outbox_is_dropped_not_replayed_by_the_next_instance() {
    let (alice_id, bob_id, group_id) = (unique("alice"), unique("bob"), unique("grp"));
    import_accounts(&[&alice_id, &bob_id]).await;
    let body = obj(&format!(
        r#"{{"Owner_Account":"{bob_id}","Type":"Public","GroupId":"{group_id}","Name":"Closed"}}"#
    ));
    rest("group_open_http_svc/create_group", &body).await;
    let alice = login("outbox-alice", &alice_id).await;
    let bob = login("outbox-bob", &bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let net = Recorder::new(&alice, "NET_STATE_CHANGE");
    cut_off(&alice_id, 60_000).await;
    let dropped = |d: &[JsValue]| d.iter().any(|e| s(e, "state") != "connected");
    assert!(net.wait(5_000, dropped).await, "the drop is noticed");
    let mut pending = Vec::new();
    for (to, kind, text) in [
        (&bob_id, "C2C", "poison"),
        (&group_id, "GROUP", "not a member"),
    ] {
        let m = call_sync(&alice, "createTextMessage", &[text_options(to, kind, text)]).unwrap();
        let p = call_sync(&alice, "sendMessage", &[m]).expect("returns a Promise");
        pending.push(JsFuture::from(Promise::from(p)));
    }
    let db = db_name(&alice_id);
    let queued = wait_for(5_000, || async { js(outbox_count(&db)).await == 2.0 }).await;
    assert!(queued, "both wait in the outbox");
    destroy(&alice).await;
    for p in pending {
        assert!(p.await.is_err(), "the destroyed instance's calls fail");
    }
    assert_eq!(js(poison_outbox(&db, "poison", 2 << 20)).await, 2.0);
    cut_off(&alice_id, 0).await;

    for instance in ["outbox-alice2", "outbox-alice3"] {
        let again = login(instance, &alice_id).await;
        let net = Recorder::new(&again, "NET_STATE_CHANGE");
        let last = follow_up(&again, &bob_id, &bob_rx).await;
        assert_eq!(ids_from(&bob_rx, &alice_id).last(), Some(&last));
        let emptied = wait_for(5_000, || async { js(outbox_count(&db)).await == 0.0 }).await;
        assert!(emptied, "{instance}: the outbox is empty");
        assert!(never_disconnected(&net), "{instance}: no reconnect");
        destroy(&again).await;
    }
    assert_eq!(ids_from(&bob_rx, &alice_id).len(), 2, "only the follow-ups");
    destroy(&bob).await;
}
