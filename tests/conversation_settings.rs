//! Browser tests of a user's own conversation state: markConversation,
//! setConversationCustomData, setMessageRemindType, clearHistoryMessage and conversation
//! groups. Each asserts what the user's second instance receives, what the lists return
//! afterwards (also after a fresh login: the server keeps it), and the refusal codes. Same
//! setup as `browser.rs`.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const C2C: &str = "C2C";

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("s"), user_id).await
}

async fn conversations(tim: &JsValue) -> Vec<JsValue> {
    items(&get(
        &ok(tim, "getConversationList", &[]).await,
        "conversationList",
    ))
}

fn find(list: &[JsValue], id: &str) -> Option<JsValue> {
    list.iter().find(|c| s(c, "conversationID") == id).cloned()
}

async fn conversation(tim: &JsValue, id: &str) -> JsValue {
    find(&conversations(tim).await, id).unwrap_or_else(|| panic!("{id} is not listed"))
}

fn numbers(value: &JsValue) -> Vec<f64> {
    items(value).iter().filter_map(JsValue::as_f64).collect()
}

fn strings(value: &JsValue) -> Vec<String> {
    items(value).iter().filter_map(JsValue::as_string).collect()
}

fn code(e: &JsValue) -> f64 {
    n(e, "code")
}

/// Waits until the last CONVERSATION_LIST_UPDATED has `id` satisfying `cond`.
async fn list_shows(lists: &Recorder, id: &str, cond: impl Fn(&JsValue) -> bool) -> bool {
    lists
        .wait(5_000, |d| {
            d.last()
                .and_then(|l| find(&items(l), id))
                .is_some_and(|c| cond(&c))
        })
        .await
}

#[wasm_bindgen_test]
async fn mark_and_custom_data_sync_to_other_instances_and_survive_login() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let lists = Recorder::new(&alice, "CONVERSATION_LIST_UPDATED");
    let lists2 = Recorder::new(&alice2, "CONVERSATION_LIST_UPDATED");
    let with_bob = format!("C2C{bob_id}");
    send_text(&bob, &alice_id, C2C, "hi").await;
    // Both instances list it before alice marks it (each hears the push on its own socket).
    assert!(list_shows(&lists, &with_bob, |_| true).await);
    assert!(list_shows(&lists2, &with_bob, |_| true).await);

    let mark = obj(&format!(
        r#"{{"conversationIDList":["{with_bob}","C2Cnobody_m","bad"],"markType":1,"enableMark":true}}"#
    ));
    let data = ok(&alice, "markConversation", &[mark]).await;
    assert_eq!(
        strings(&get(&data, "successConversationIDList")),
        [with_bob.clone()]
    );
    let failures = items(&get(&data, "failureConversationIDList"));
    assert_eq!(
        failures
            .iter()
            .map(|f| (s(f, "conversationID"), n(f, "code")))
            .collect::<Vec<_>>(),
        [
            ("C2Cnobody_m".to_owned(), 2500.0),
            ("bad".to_owned(), 2503.0)
        ]
    );
    let mark_unread = obj(&format!(
        r#"{{"conversationIDList":["{with_bob}"],"markType":2,"enableMark":true}}"#
    ));
    ok(&alice, "markConversation", &[mark_unread]).await;
    let custom = obj(&format!(
        r#"{{"conversationIDList":["{with_bob}"],"customData":"folder:7"}}"#
    ));
    let data = ok(&alice, "setConversationCustomData", &[custom]).await;
    assert_eq!(
        strings(&get(&data, "successConversationIDList")),
        [with_bob.clone()]
    );
    let c = conversation(&alice, &with_bob).await;
    assert_eq!(numbers(&get(&c, "markList")), [1.0, 2.0]);
    assert_eq!(s(&c, "customData"), "folder:7");

    // The second instance follows by CONVERSATION_LIST_UPDATED.
    let synced = list_shows(&lists2, &with_bob, |c| {
        numbers(&get(c, "markList")) == [1.0, 2.0] && s(c, "customData") == "folder:7"
    })
    .await;
    assert!(synced, "the second instance did not get the marks");

    // Unmark one type; the peer is not affected.
    let unmark = obj(&format!(
        r#"{{"conversationIDList":["{with_bob}"],"markType":1,"enableMark":false}}"#
    ));
    ok(&alice, "markConversation", &[unmark]).await;
    assert!(
        list_shows(&lists2, &with_bob, |c| numbers(&get(c, "markList"))
            == [2.0])
        .await
    );
    let bobs = conversation(&bob, &format!("C2C{alice_id}")).await;
    assert!(items(&get(&bobs, "markList")).is_empty());
    assert_eq!(s(&bobs, "customData"), "");

    // A fresh login reads them from the server.
    let alice3 = login_as(&alice_id).await;
    let c = conversation(&alice3, &with_bob).await;
    assert_eq!(numbers(&get(&c, "markList")), [2.0]);
    assert_eq!(s(&c, "customData"), "folder:7");

    // Refusals.
    for bad in [
        r#"{"conversationIDList":"x","markType":1,"enableMark":true}"#.to_owned(),
        format!(r#"{{"conversationIDList":["{with_bob}"],"markType":0,"enableMark":true}}"#),
        format!(r#"{{"conversationIDList":["{with_bob}"],"markType":1}}"#),
    ] {
        let e = rejects(&alice, "markConversation", &[obj(&bad)]).await;
        assert_eq!(code(&e), 2905.0, "{bad}: {}", show(&e));
    }
    let long = obj(&format!(
        r#"{{"conversationIDList":["{with_bob}"],"customData":"{}"}}"#,
        "x".repeat(257)
    ));
    let e = rejects(&alice, "setConversationCustomData", &[long]).await;
    assert_eq!(code(&e), 20001.0, "{}", show(&e));
    for t in [&alice, &alice2, &alice3, &bob] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn remind_type_discard_stops_delivery_and_unread() {
    let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let carol = login_as(&carol_id).await;
    let received = Recorder::new(&alice, "MESSAGE_RECEIVED");
    let lists2 = Recorder::new(&alice2, "CONVERSATION_LIST_UPDATED");
    let (with_bob, with_carol) = (format!("C2C{bob_id}"), format!("C2C{carol_id}"));

    // AcceptNotNotify: delivered and counted in the conversation, not in the total.
    let quiet = obj(&format!(
        r#"{{"userID":"{bob_id}","messageRemindType":"AcceptNotNotify"}}"#
    ));
    ok(&alice, "setMessageRemindType", &[quiet]).await;
    send_text(&bob, &alice_id, C2C, "muted").await;
    assert!(received
        .wait_message(5_000, |m| s(m, "from") == bob_id)
        .await
        .is_some());
    let c = conversation(&alice, &with_bob).await;
    assert_eq!(s(&c, "messageRemindType"), "AcceptNotNotify");
    assert_eq!(n(&c, "unreadCount"), 1.0);
    let total = call_sync(&alice, "getTotalUnreadMessageCount", &[]).expect("sync");
    assert_eq!(total.as_f64(), Some(0.0));
    assert!(
        list_shows(&lists2, &with_bob, |c| s(c, "messageRemindType")
            == "AcceptNotNotify")
        .await,
        "the second instance did not get the remind type"
    );

    // Discard (set before the first message, on a group-less C2C): nothing is delivered.
    let discard = obj(&format!(
        r#"{{"userIDList":["{carol_id}"],"messageRemindType":"Discard"}}"#
    ));
    ok(&alice, "setMessageRemindType", &[discard]).await;
    send_text(&carol, &alice_id, C2C, "into the void").await;
    send_text(&bob, &alice_id, C2C, "still here").await;
    assert!(received
        .wait_message(5_000, |m| s(m, "from") == bob_id
            && s(m, "payload.text") == "still here")
        .await
        .is_some());
    assert!(
        received.messages().iter().all(|m| s(m, "from") != carol_id),
        "a discarded conversation's message was delivered"
    );
    // Kept by the server: the history has it, unread stays 0.
    let page = ok(
        &alice,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"{with_carol}"}}"#))],
    )
    .await;
    assert_eq!(items(&get(&page, "messageList")).len(), 1);
    let alice3 = login_as(&alice_id).await;
    let c = conversation(&alice3, &with_carol).await;
    assert_eq!(
        (s(&c, "messageRemindType"), n(&c, "unreadCount")),
        ("Discard".to_owned(), 0.0)
    );

    // Refusals.
    let bad = obj(&format!(
        r#"{{"userID":"{bob_id}","messageRemindType":"Loud"}}"#
    ));
    let e = rejects(&alice, "setMessageRemindType", &[bad]).await;
    assert_eq!(code(&e), 20001.0, "{}", show(&e));
    let e = rejects(
        &alice,
        "setMessageRemindType",
        &[obj(r#"{"messageRemindType":"Discard"}"#)],
    )
    .await;
    assert_eq!(code(&e), 2905.0, "{}", show(&e));
    let not_member = obj(r#"{"groupID":"no_such_group_r","messageRemindType":"Discard"}"#);
    let e = rejects(&alice, "setMessageRemindType", &[not_member]).await;
    assert_eq!(code(&e), 10010.0, "{}", show(&e));
    for t in [&alice, &alice2, &alice3, &bob, &carol] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn clear_history_empties_the_conversation_for_this_user_only() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let lists2 = Recorder::new(&alice2, "CONVERSATION_LIST_UPDATED");
    let with_bob = format!("C2C{bob_id}");
    send_text(&bob, &alice_id, C2C, "one").await;
    send_text(&bob, &alice_id, C2C, "two").await;
    assert!(list_shows(&lists2, &with_bob, |c| n(c, "unreadCount") == 2.0).await);
    let history = |tim: JsValue, id: String| async move {
        let options = obj(&format!(r#"{{"conversationID":"{id}"}}"#));
        items(&get(
            &ok(&tim, "getMessageList", &[options]).await,
            "messageList",
        ))
    };
    assert_eq!(history(alice2.clone(), with_bob.clone()).await.len(), 2);

    let data = ok(
        &alice,
        "clearHistoryMessage",
        &[JsValue::from_str(&with_bob)],
    )
    .await;
    assert_eq!(s(&data, "conversationID"), with_bob);
    let c = conversation(&alice, &with_bob).await;
    assert_eq!(n(&c, "unreadCount"), 0.0);
    // No message left: tim-js-sdk's empty lastMessage (never absent).
    assert_eq!(n(&c, "lastMessage.lastSequence"), 0.0, "{}", show(&c));
    assert!(history(alice.clone(), with_bob.clone()).await.is_empty());
    // The other instance: unread 0, history gone; the peer keeps everything.
    let cleared = list_shows(&lists2, &with_bob, |c| {
        n(c, "unreadCount") == 0.0 && n(c, "lastMessage.lastSequence") == 0.0
    })
    .await;
    assert!(cleared, "the second instance did not follow");
    assert!(history(alice2.clone(), with_bob.clone()).await.is_empty());
    assert_eq!(
        history(bob.clone(), format!("C2C{alice_id}")).await.len(),
        2
    );
    // New messages show again.
    send_text(&bob, &alice_id, C2C, "three").await;
    assert!(list_shows(&lists2, &with_bob, |c| n(c, "unreadCount") == 1.0).await);
    let after = history(alice2.clone(), with_bob.clone()).await;
    assert_eq!(
        after
            .iter()
            .map(|m| s(m, "payload.text"))
            .collect::<Vec<_>>(),
        ["three"]
    );

    let e = rejects(
        &alice,
        "clearHistoryMessage",
        &[JsValue::from_str("nonsense")],
    )
    .await;
    assert_eq!(code(&e), 2503.0, "{}", show(&e));
    for t in [&alice, &alice2, &bob] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn conversation_groups_sync_with_their_events() {
    let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let carol = login_as(&carol_id).await;
    let group_lists2 = Recorder::new(&alice2, "CONVERSATION_GROUP_LIST_UPDATED");
    let in_group2 = Recorder::new(&alice2, "CONVERSATION_IN_GROUP_UPDATED");
    let lists2 = Recorder::new(&alice2, "CONVERSATION_LIST_UPDATED");
    let group_lists = Recorder::new(&alice, "CONVERSATION_GROUP_LIST_UPDATED");
    let (with_bob, with_carol) = (format!("C2C{bob_id}"), format!("C2C{carol_id}"));
    send_text(&bob, &alice_id, C2C, "b").await;
    send_text(&carol, &alice_id, C2C, "c").await;
    assert!(list_shows(&lists2, &with_carol, |_| true).await);

    let create = obj(&format!(
        r#"{{"groupName":"work","conversationIDList":["{with_bob}","C2Cnobody_g"]}}"#
    ));
    let data = ok(&alice, "createConversationGroup", &[create]).await;
    assert_eq!(
        strings(&get(&data, "successConversationIDList")),
        [with_bob.clone()]
    );
    assert_eq!(
        n(&items(&get(&data, "failureConversationIDList"))[0], "code"),
        2500.0
    );
    assert!(
        group_lists
            .wait(5_000, |d| d.last().is_some_and(|l| strings(l) == ["work"]))
            .await
    );
    assert!(
        group_lists2
            .wait(5_000, |d| d.last().is_some_and(|l| strings(l) == ["work"]))
            .await
    );
    assert!(
        list_shows(&lists2, &with_bob, |c| strings(&get(
            c,
            "conversationGroupList"
        )) == ["work"])
        .await
    );
    let names = ok(&alice, "getConversationGroupList", &[]).await;
    assert_eq!(strings(&names), ["work"]);

    // Add: CONVERSATION_IN_GROUP_UPDATED with the group's conversations.
    let add = obj(&format!(
        r#"{{"groupName":"work","conversationIDList":["{with_carol}"]}}"#
    ));
    ok(&alice, "addConversationsToGroup", &[add]).await;
    let moved = in_group2
        .wait(5_000, |d| {
            d.last().is_some_and(|e| {
                let mut ids: Vec<String> = items(&get(e, "conversationList"))
                    .iter()
                    .map(|c| s(c, "conversationID"))
                    .collect();
                ids.sort();
                let mut want = vec![with_bob.clone(), with_carol.clone()];
                want.sort();
                s(e, "groupName") == "work" && ids == want
            })
        })
        .await;
    assert!(
        moved,
        "no CONVERSATION_IN_GROUP_UPDATED: {:?}",
        in_group2.data().iter().map(show).collect::<Vec<_>>()
    );
    let c = conversation(&alice, &with_carol).await;
    assert_eq!(strings(&get(&c, "conversationGroupList")), ["work"]);

    // Remove, rename, delete.
    let remove = obj(&format!(
        r#"{{"groupName":"work","conversationIDList":["{with_bob}"]}}"#
    ));
    ok(&alice, "deleteConversationsFromGroup", &[remove]).await;
    let c = conversation(&alice, &with_bob).await;
    assert!(items(&get(&c, "conversationGroupList")).is_empty());
    ok(
        &alice,
        "renameConversationGroup",
        &[obj(r#"{"oldName":"work","newName":"job"}"#)],
    )
    .await;
    assert!(
        group_lists2
            .wait(5_000, |d| d.last().is_some_and(|l| strings(l) == ["job"]))
            .await
    );
    assert!(
        list_shows(&lists2, &with_carol, |c| strings(&get(
            c,
            "conversationGroupList"
        )) == ["job"])
        .await
    );
    // A fresh login has them.
    let alice3 = login_as(&alice_id).await;
    assert_eq!(
        strings(&ok(&alice3, "getConversationGroupList", &[]).await),
        ["job"]
    );
    let c = conversation(&alice3, &with_carol).await;
    assert_eq!(strings(&get(&c, "conversationGroupList")), ["job"]);

    // Refusals.
    let taken = obj(&format!(
        r#"{{"groupName":"job","conversationIDList":["{with_bob}"]}}"#
    ));
    let e = rejects(&alice, "createConversationGroup", &[taken]).await;
    assert_eq!(code(&e), 51012.0, "{}", show(&e));
    let e = rejects(
        &alice,
        "deleteConversationGroup",
        &[JsValue::from_str("nope")],
    )
    .await;
    assert_eq!(code(&e), 51009.0, "{}", show(&e));
    let long = obj(&format!(
        r#"{{"groupName":"{}","conversationIDList":["{with_bob}"]}}"#,
        "n".repeat(33)
    ));
    let e = rejects(&alice, "createConversationGroup", &[long]).await;
    assert_eq!(code(&e), 51011.0, "{}", show(&e));
    let e = rejects(
        &alice,
        "renameConversationGroup",
        &[obj(r#"{"oldName":"job"}"#)],
    )
    .await;
    assert_eq!(code(&e), 2905.0, "{}", show(&e));

    ok(
        &alice,
        "deleteConversationGroup",
        &[JsValue::from_str("job")],
    )
    .await;
    assert!(
        group_lists2
            .wait(5_000, |d| d.last().is_some_and(|l| items(l).is_empty()))
            .await
    );
    assert!(strings(&ok(&alice2, "getConversationGroupList", &[]).await).is_empty());
    for t in [&alice, &alice2, &alice3, &bob, &carol] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
fn settings_frames_are_encoded_exactly_as_the_protocol_serializes_them() {
    use tim_protocol::{req, ClientFrame, ConvGroupAction, Request};
    use tim_sdk::web::codec;
    let requests = [
        Request::ConvSettings(req::ConvSettings {
            conversation_ids: vec!["C2Ca".into(), "GROUPg".into()],
            mark_set: 3,
            mark_clear: 8,
            custom_data: Some("d\"".into()),
            remind: None,
            clear_history: false,
        }),
        Request::ConvSettings(req::ConvSettings {
            conversation_ids: vec![],
            mark_set: 0,
            mark_clear: 0,
            custom_data: None,
            remind: Some("Discard".into()),
            clear_history: true,
        }),
        Request::ConvGroup(req::ConvGroup {
            action: ConvGroupAction::Rename,
            name: "a".into(),
            new_name: "b".into(),
            conversation_ids: vec!["C2Cx".into()],
        }),
    ];
    for (i, req) in requests.into_iter().enumerate() {
        let frame = ClientFrame { id: i as u32, req };
        let manual = codec::encode(&frame).expect("encode");
        let serde = js_sys::JSON::stringify(&codec::to_js(&frame).expect("serde")).expect("json");
        assert_eq!(manual.as_string(), serde.as_string(), "frame {i}");
    }
}

#[wasm_bindgen_test]
async fn conversation_list_returns_the_newest_100_then_pages() {
    let alice_id = unique("alice");
    let prefix = unique("p");
    // 103 peers write before alice logs in (admin REST, each a distinct conversation).
    for i in 0..103 {
        let body = obj(&format!(
            r#"{{"From_Account":"{prefix}{i:03}","To_Account":"{alice_id}",
                "MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"m{i}"}}}}]}}"#
        ));
        rest("openim/sendmsg", &body).await;
    }
    let alice = login_as(&alice_id).await;
    let data = ok(&alice, "getConversationList", &[]).await;
    let first = items(&get(&data, "conversationList"));
    assert_eq!(first.len(), 100);
    assert!(b(&data, "isSyncCompleted"));
    assert!(!b(&data, "isFinished"));
    assert_eq!(n(&data, "nextSeq"), 100.0);
    // (Messages carry second timestamps: within one second the order is by conversation ID.)

    let next = obj(r#"{"nextSeq":100,"count":100}"#);
    let data = ok(&alice, "getConversationList", &[next]).await;
    let rest_page = items(&get(&data, "conversationList"));
    assert_eq!(rest_page.len(), 3);
    assert!(b(&data, "isFinished"));
    let mut seen: Vec<String> = first
        .iter()
        .chain(rest_page.iter())
        .map(|c| s(c, "conversationID"))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 103, "pages overlap or miss conversations");
    // Small pages, nextSeq as seed 004 passes it (a string).
    let data = ok(
        &alice,
        "getConversationList",
        &[obj(r#"{"nextSeq":"1","count":1}"#)],
    )
    .await;
    let one = items(&get(&data, "conversationList"));
    assert_eq!(s(&one[0], "conversationID"), s(&first[1], "conversationID"));
    assert_eq!(n(&data, "nextSeq"), 2.0);
    destroy(&alice).await;
}
