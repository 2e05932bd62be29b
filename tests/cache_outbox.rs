//! Browser tests of the outbox against the real server: messages sent while offline wait as
//! `unSend`, go out in order once each when the connection returns, a resend after a lost ack
//! (the server commits, then kills the socket: `/debug/drop-after-send`) makes no second
//! copy, and a destroyed instance's outbox is sent by the next instance of the user.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const C2C: &str = "C2C";

fn create_text(tim: &JsValue, to: &str, text: &str) -> JsValue {
    call_sync(tim, "createTextMessage", &[text_options(to, C2C, text)]).expect("created")
}

/// Calls `method(arg)` now; the future settles with its Promise.
fn start(tim: &JsValue, method: &str, arg: JsValue) -> JsFuture {
    let p = call_sync(tim, method, &[arg]).expect("returns a Promise");
    JsFuture::from(js_sys::Promise::from(p))
}

/// The IDs and statuses of the newest page of `conv`.
async fn page(tim: &JsValue, conv: &str) -> Vec<(String, String)> {
    let data = ok(
        tim,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"{conv}"}}"#))],
    )
    .await;
    items(&get(&data, "messageList"))
        .iter()
        .map(|m| (s(m, "ID"), s(m, "status")))
        .collect()
}

/// Cuts `user` off: its sockets dropped and its logins refused for `ms`.
async fn cut_off(user: &str, ms: u32) {
    http(
        "POST",
        &format!("/debug/drop?userID={user}&holdMs={ms}"),
        None,
    )
    .await;
}

fn ids_of(rx: &Recorder, from: &str) -> Vec<String> {
    rx.messages()
        .iter()
        .filter(|m| s(m, "from") == from)
        .map(|m| s(m, "ID"))
        .collect()
}

#[wasm_bindgen_test]
async fn ten_sent_offline_arrive_once_each_in_order() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login("alice", &alice_id).await;
    let bob = login("bob", &bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let net = Recorder::new(&alice, "NET_STATE_CHANGE");
    cut_off(&alice_id, 3_000).await;
    assert!(
        net.wait(5_000, |d| d.iter().any(|e| s(e, "state") != "connected"))
            .await,
        "the drop is noticed"
    );
    let mut ids = Vec::new();
    let mut sends = Vec::new();
    for i in 0..10 {
        let m = create_text(&alice, &bob_id, &format!("offline {i}"));
        ids.push(s(&m, "ID"));
        sends.push(start(&alice, "sendMessage", m));
    }
    let conv = format!("C2C{bob_id}");
    let unsent: Vec<(String, String)> = ids.iter().map(|i| (i.clone(), "unSend".into())).collect();
    assert_eq!(page(&alice, &conv).await, unsent, "shown while offline");
    for send in sends {
        let data = send.await.expect("sendMessage resolves once back online");
        assert_eq!(s(&data, "data.message.status"), "success");
    }
    assert!(bob_rx.wait(10_000, |d| d.len() >= 10).await);
    // Alice's next send, after all ten resolved: any second copy would have come before it.
    ids.push(follow_up(&alice, &bob_id, &bob_rx).await);
    assert_eq!(
        ids_of(&bob_rx, &alice_id),
        ids,
        "exactly 10, in order, once each (then the follow-up)"
    );
    let sent: Vec<(String, String)> = ids.iter().map(|i| (i.clone(), "success".into())).collect();
    assert_eq!(page(&alice, &conv).await, sent);
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn a_lost_ack_still_makes_one_copy() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login("alice", &alice_id).await;
    let alice2 = login("alice2", &alice_id).await;
    let bob = login("bob", &bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let alice2_rx = Recorder::new(&alice2, "MESSAGE_RECEIVED");
    http(
        "POST",
        &format!("/debug/drop-after-send?userID={alice_id}"),
        None,
    )
    .await;
    let sent = send_text(&alice, &bob_id, C2C, "once").await;
    assert_eq!(s(&sent, "status"), "success");
    let id = s(&sent, "ID");
    assert!(bob_rx.wait(5_000, |d| !d.is_empty()).await);
    assert!(alice2_rx.wait(5_000, |d| !d.is_empty()).await);
    // Alice's next send also works (the link is back) and is ordered after it.
    let after = send_text(&alice, &bob_id, C2C, "after").await;
    assert!(bob_rx.wait(5_000, |d| d.len() >= 2).await);
    // One more, waited for on both: a second copy of either would have come before it.
    let last = follow_up(&alice, &bob_id, &bob_rx).await;
    assert!(alice2_rx
        .wait_message(10_000, |m| s(m, "ID") == last)
        .await
        .is_some());
    let all = vec![id.clone(), s(&after, "ID"), last];
    assert_eq!(ids_of(&bob_rx, &alice_id), all);
    assert_eq!(ids_of(&alice2_rx, &alice_id), all);
    let conv = format!("C2C{bob_id}");
    let listed: Vec<String> = page(&alice, &conv)
        .await
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert_eq!(listed, all);
    destroy(&alice).await;
    destroy(&alice2).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn a_destroyed_instances_outbox_is_sent_by_the_next_one() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login("alice", &alice_id).await;
    let bob = login("bob", &bob_id).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let net = Recorder::new(&alice, "NET_STATE_CHANGE");
    cut_off(&alice_id, 60_000).await;
    assert!(
        net.wait(5_000, |d| d.iter().any(|e| s(e, "state") != "connected"))
            .await
    );
    let m = create_text(&alice, &bob_id, "from the outbox");
    let id = s(&m, "ID");
    let pending = start(&alice, "sendMessage", m);
    destroy(&alice).await;
    assert!(
        pending.await.is_err(),
        "the destroyed instance's call fails"
    );
    // Someone else writes to bob: nothing of alice's came before it.
    let carol_id = unique("carol");
    let carol = login("carol", &carol_id).await;
    let marker = follow_up(&carol, &bob_id, &bob_rx).await;
    assert_eq!(bob_rx.ids(), vec![marker], "nothing sent while cut off");
    cut_off(&alice_id, 0).await;
    let again = login("alice-again", &alice_id).await;
    assert!(
        bob_rx
            .wait(10_000, |_| !ids_of(&bob_rx, &alice_id).is_empty())
            .await,
        "the outbox replays"
    );
    // The next instance's own next send goes after its outbox: no second copy came before it.
    let last = follow_up(&again, &bob_id, &bob_rx).await;
    assert_eq!(ids_of(&bob_rx, &alice_id), vec![id.clone(), last.clone()]);
    let conv = format!("C2C{bob_id}");
    assert_eq!(
        page(&again, &conv).await,
        vec![(id, "success".to_owned()), (last, "success".to_owned())]
    );
    destroy(&carol).await;
    destroy(&again).await;
    destroy(&bob).await;
}
