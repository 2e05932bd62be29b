//! Browser tests of tim-js-sdk 2.27's batch `deleteConversation({conversationIDList,
//! clearHistoryMessage})`: what the user's second instance sees, the history afterwards (cleared
//! by default, kept with `clearHistoryMessage: false`), which IDs the answer lists, and the
//! refusals. Same setup as `browser.rs`.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const C2C: &str = "C2C";

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("d"), user_id).await
}

fn ids_of(list: &JsValue, key: &str) -> Vec<String> {
    items(list).iter().map(|c| s(c, key)).collect()
}

async fn listed(tim: &JsValue) -> Vec<String> {
    let data = ok(tim, "getConversationList", &[]).await;
    ids_of(&get(&data, "conversationList"), "conversationID")
}

async fn history(tim: &JsValue, id: &str) -> usize {
    let options = obj(&format!(r#"{{"conversationID":"{id}"}}"#));
    items(&get(
        &ok(tim, "getMessageList", &[options]).await,
        "messageList",
    ))
    .len()
}

/// Polls `history` (at most 5 s) until it has `count` messages; returns the last count seen.
async fn history_becomes(tim: &JsValue, id: &str, count: usize) -> usize {
    let seen = std::cell::Cell::new(0);
    wait_for(5_000, || async {
        seen.set(history(tim, id).await);
        seen.get() == count
    })
    .await;
    seen.get()
}

fn batch(ids: &[&str], clear: Option<bool>) -> JsValue {
    let list = ids.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>();
    let clear = clear.map_or(String::new(), |c| format!(r#","clearHistoryMessage":{c}"#));
    obj(&format!(
        r#"{{"conversationIDList":[{}]{clear}}}"#,
        list.join(",")
    ))
}

/// Waits until the last CONVERSATION_LIST_UPDATED satisfies `cond` on its IDs.
async fn list_becomes(lists: &Recorder, cond: impl Fn(&[String]) -> bool) -> bool {
    lists
        .wait(5_000, |d| {
            d.last().is_some_and(|l| cond(&ids_of(l, "conversationID")))
        })
        .await
}

#[wasm_bindgen_test]
async fn batch_delete_reaches_other_instances_and_clears_history_unless_told_not_to() {
    let (alice_id, bob_id, carol_id, dave_id) = (
        unique("alice"),
        unique("bob"),
        unique("carol"),
        unique("dave"),
    );
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let lists2 = Recorder::new(&alice2, "CONVERSATION_LIST_UPDATED");
    let peers = [
        login_as(&bob_id).await,
        login_as(&carol_id).await,
        login_as(&dave_id).await,
    ];
    let ids: Vec<String> = [&bob_id, &carol_id, &dave_id]
        .iter()
        .map(|u| format!("C2C{u}"))
        .collect();
    for peer in &peers {
        send_text(peer, &alice_id, C2C, "one").await;
        send_text(peer, &alice_id, C2C, "two").await;
    }
    assert!(list_becomes(&lists2, |l| ids.iter().all(|i| l.contains(i))).await);
    for id in &ids {
        assert_eq!(history_becomes(&alice, id, 2).await, 2);
    }

    // Bob and carol in one call, clearHistoryMessage left to its default (true).
    let data = ok(
        &alice,
        "deleteConversation",
        &[batch(&[&ids[0], &ids[1]], None)],
    )
    .await;
    assert_eq!(strings(&get(&data, "conversationIDList")), ids[..2]);
    assert_eq!(listed(&alice).await, [ids[2].clone()]);
    assert!(list_becomes(&lists2, |l| l == [ids[2].clone()]).await);
    for id in &ids[..2] {
        assert_eq!(history(&alice, id).await, 0, "{id} cleared here");
        assert_eq!(history_becomes(&alice2, id, 0).await, 0, "{id} on alice2");
    }
    // The peers keep theirs.
    assert_eq!(history(&peers[0], &format!("C2C{alice_id}")).await, 2);

    // Dave with clearHistoryMessage: false: gone from the lists, history kept.
    let data = ok(
        &alice,
        "deleteConversation",
        &[batch(&[&ids[2]], Some(false))],
    )
    .await;
    assert_eq!(strings(&get(&data, "conversationIDList")), [ids[2].clone()]);
    assert!(list_becomes(&lists2, |l| l.is_empty()).await);
    assert_eq!(history(&alice, &ids[2]).await, 2);
    assert_eq!(history(&alice2, &ids[2]).await, 2);

    // The server keeps all of it: a fresh login lists none, bob's history stays cleared. The
    // new instance warm-starts from the cache the others write: it starts once their clears
    // are written (dave's 2 messages left), as a tab opened a moment later would.
    let cache = support::cache::db_name(&alice_id);
    assert_eq!(support::cache::wait_cached(&cache, 2.0).await, 2.0);
    let alice3 = login_as(&alice_id).await;
    assert!(listed(&alice3).await.is_empty());
    assert_eq!(history(&alice3, &ids[0]).await, 0);
    assert_eq!(history(&alice3, &ids[2]).await, 2);
    for t in peers.iter().chain([&alice, &alice2, &alice3]) {
        destroy(t).await;
    }
}

fn strings(value: &JsValue) -> Vec<String> {
    items(value).iter().filter_map(JsValue::as_string).collect()
}

#[wasm_bindgen_test]
async fn batch_delete_answers_with_the_existing_ones_and_refuses_bad_input() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let lists = Recorder::new(&alice, "CONVERSATION_LIST_UPDATED");
    let with_bob = format!("C2C{bob_id}");
    send_text(&bob, &alice_id, C2C, "hi").await;
    assert!(list_becomes(&lists, |l| l.contains(&with_bob)).await);

    let never = unique("C2Cnever");
    let data = ok(
        &alice,
        "deleteConversation",
        &[batch(&[&never, &with_bob], None)],
    )
    .await;
    assert_eq!(
        strings(&get(&data, "conversationIDList")),
        [with_bob.clone()]
    );

    // None of them exists (bob's is deleted now): CONVERSATION_NOT_FOUND.
    let unknown = batch(&[&with_bob, &unique("GROUPnone")], None);
    let e = rejects(&alice, "deleteConversation", &[unknown]).await;
    assert_eq!(n(&e, "code"), 2500.0, "{}", show(&e));

    send_text(&bob, &alice_id, C2C, "again").await;
    assert!(list_becomes(&lists, |l| l.contains(&with_bob)).await);
    let bad = [
        (r#"{"conversationIDList":"C2Cx"}"#, 2905.0),
        (r#"{}"#, 2905.0),
        (r#"{"conversationIDList":[]}"#, 2905.0),
        (r#"{"conversationIDList":["nonsense"]}"#, 2503.0),
        (r#"{"conversationIDList":[42]}"#, 2503.0),
        (
            &format!(r#"{{"conversationIDList":["{with_bob}"],"clearHistoryMessage":"yes"}}"#),
            2905.0,
        ),
    ];
    for (options, code) in bad {
        let e = rejects(&alice, "deleteConversation", &[obj(options)]).await;
        assert_eq!(n(&e, "code"), code, "{options}: {}", show(&e));
    }
    // Still usable, and the single form is unchanged: resolves {conversationID}, keeps history.
    assert_eq!(listed(&alice).await, [with_bob.clone()]);
    let data = ok(
        &alice,
        "deleteConversation",
        &[JsValue::from_str(&with_bob)],
    )
    .await;
    assert_eq!(s(&data, "conversationID"), with_bob);
    assert!(listed(&alice).await.is_empty());
    assert_eq!(
        history(&alice, &with_bob).await,
        1,
        "only what came after the clear"
    );
    for t in [&alice, &bob] {
        destroy(t).await;
    }
}
