//! Browser tests of read receipts for messages sent with `needReadReceipt`:
//! `sendMessageReadReceipt`, `MESSAGE_READ_RECEIPT_RECEIVED` on the sender,
//! `getMessageReadReceiptList`, `getGroupMessageReadMemberList`, the refusal codes, and
//! receipts in a conversation the sender or reader deleted from their list.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Array, Reflect};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("r"), user_id).await
}

fn list(values: &[&JsValue]) -> JsValue {
    values.iter().copied().collect::<Array>().into()
}

/// Creates and sends a text message with `needReadReceipt: true`.
async fn send_receipted(tim: &JsValue, to: &str, conversation_type: &str, text: &str) -> JsValue {
    let options = text_options(to, conversation_type, text);
    let _ = Reflect::set(&options, &"needReadReceipt".into(), &JsValue::TRUE);
    let message = call_sync(tim, "createTextMessage", &[options]).expect("create");
    assert!(b(&message, "needReadReceipt"), "{}", show(&message));
    ok(tim, "sendMessage", std::slice::from_ref(&message)).await;
    message
}

/// Makes a group with `owner` and `members` (admin REST).
async fn group(owner: &str, members: &[&str]) -> String {
    let group_id = unique("grp");
    let mut users = vec![owner];
    users.extend_from_slice(members);
    import_accounts(&users).await;
    let member_list: Vec<String> = members
        .iter()
        .map(|m| format!(r#"{{"Member_Account":"{m}"}}"#))
        .collect();
    let body = obj(&format!(
        r#"{{"Owner_Account":"{owner}","Type":"Public","GroupId":"{group_id}","Name":"Receipts",
            "MemberList":[{}]}}"#,
        member_list.join(",")
    ));
    rest("group_open_http_svc/create_group", &body).await;
    group_id
}

async fn read_members(
    tim: &JsValue,
    message: &JsValue,
    filter: u32,
    cursor: &str,
    count: u32,
) -> JsValue {
    let options = obj(&format!(
        r#"{{"filter":{filter},"cursor":"{cursor}","count":{count}}}"#
    ));
    let _ = Reflect::set(&options, &"message".into(), message);
    ok(tim, "getGroupMessageReadMemberList", &[options]).await
}

fn strings_of(value: &JsValue) -> Vec<String> {
    items(value).iter().filter_map(JsValue::as_string).collect()
}

#[wasm_bindgen_test]
async fn group_receipts_reach_the_sender_and_are_listed() {
    let (alice_id, bob_id, carol_id, dave_id) = (
        unique("alice"),
        unique("bob"),
        unique("carol"),
        unique("dave"),
    );
    let group_id = group(&alice_id, &[&bob_id, &carol_id, &dave_id]).await;
    let alice = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let carol = login_as(&carol_id).await;
    let receipts = Recorder::new(&alice, "MESSAGE_READ_RECEIPT_RECEIVED");
    let receipts2 = Recorder::new(&alice2, "MESSAGE_READ_RECEIPT_RECEIVED");
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let carol_rx = Recorder::new(&carol, "MESSAGE_RECEIVED");

    let asked = send_receipted(&alice, &group_id, "GROUP", "please ack").await;
    let plain = send_text(&alice, &group_id, "GROUP", "no ack needed").await;
    let id = s(&asked, "ID");
    let got = bob_rx
        .wait_message(5_000, |m| s(m, "ID") == id)
        .await
        .expect("bob got it");
    assert!(
        b(&got, "needReadReceipt"),
        "the flag travels: {}",
        show(&got)
    );
    let got_plain = bob_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&plain, "ID"))
        .await
        .expect("bob got the plain one");
    assert!(!b(&got_plain, "needReadReceipt"));

    // Bob acknowledges both; only the one that asked counts.
    let data = ok(&bob, "sendMessageReadReceipt", &[list(&[&got, &got_plain])]).await;
    assert!(data.is_object(), "{}", show(&data));
    for (who, r) in [("alice", &receipts), ("alice's 2nd instance", &receipts2)] {
        let seen = r
            .wait(5_000, |d| {
                d.iter().flat_map(items).any(|e| s(&e, "messageID") == id)
            })
            .await;
        assert!(seen, "{who} got no MESSAGE_READ_RECEIPT_RECEIVED");
    }
    let event = receipts.data();
    let entries: Vec<JsValue> = event.iter().flat_map(items).collect();
    assert_eq!(entries.len(), 1, "{}", show(&entries[0]));
    let e = &entries[0];
    assert_eq!(s(e, "groupID"), group_id);
    assert_eq!(s(e, "conversationID"), format!("GROUP{group_id}"));
    assert_eq!(
        (n(e, "readCount"), n(e, "unreadCount")),
        (1.0, 2.0),
        "{}",
        show(e)
    );

    // A repeat changes nothing and tells nobody.
    ok(&bob, "sendMessageReadReceipt", &[list(&[&got])]).await;
    let carol_copy = carol_rx
        .wait_message(5_000, |m| s(m, "ID") == id)
        .await
        .expect("carol got it");
    ok(&carol, "sendMessageReadReceipt", &[list(&[&carol_copy])]).await;
    assert!(
        receipts
            .wait(5_000, |d| d
                .iter()
                .flat_map(items)
                .any(|e| n(&e, "readCount") == 2.0))
            .await
    );
    // Carol's receipt was sent after bob's repeat: an event for the repeat came before it.
    let counts: Vec<f64> = receipts
        .data()
        .iter()
        .flat_map(items)
        .map(|e| n(&e, "readCount"))
        .collect();
    assert_eq!(counts, vec![1.0, 2.0], "no event for the repeat");

    // Counts on demand, written onto the objects passed in.
    let data = ok(&alice, "getMessageReadReceiptList", &[list(&[&asked])]).await;
    let listed = items(&get(&data, "messageList"));
    assert_eq!(listed.len(), 1);
    assert_eq!(
        n(&listed[0], "readReceiptInfo.readCount"),
        2.0,
        "{}",
        show(&listed[0])
    );
    assert_eq!(n(&listed[0], "readReceiptInfo.unreadCount"), 1.0);
    assert_eq!(
        n(&asked, "readReceiptInfo.readCount"),
        2.0,
        "the object itself"
    );
    // Any member may ask.
    let data = ok(&bob, "getMessageReadReceiptList", &[list(&[&got])]).await;
    assert_eq!(
        n(
            &items(&get(&data, "messageList"))[0],
            "readReceiptInfo.readCount"
        ),
        2.0
    );

    // Who read, who did not, paged.
    let page = read_members(&alice, &asked, 0, "", 1).await;
    assert_eq!(s(&page, "messageID"), id);
    assert!(!b(&page, "isCompleted"), "{}", show(&page));
    let mut readers = strings_of(&get(&page, "readUserIDList"));
    assert_eq!(readers.len(), 1);
    assert!(get(&page, "unreadUserIDList").is_undefined());
    let page = read_members(&alice, &asked, 0, &s(&page, "cursor"), 1).await;
    assert!(b(&page, "isCompleted"), "{}", show(&page));
    readers.extend(strings_of(&get(&page, "readUserIDList")));
    readers.sort();
    let mut expected = vec![bob_id.clone(), carol_id.clone()];
    expected.sort();
    assert_eq!(readers, expected);
    let page = read_members(&alice, &asked, 1, "", 100).await;
    assert!(b(&page, "isCompleted"));
    assert_eq!(
        strings_of(&get(&page, "unreadUserIDList")),
        vec![dave_id.clone()]
    );

    for t in [&alice, &alice2, &bob, &carol] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn receipt_refusals() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let e = rejects(&bob, "sendMessageReadReceipt", &[Array::new().into()]).await;
    assert_eq!(n(&e, "code"), 2114.0, "empty list: {}", show(&e));
    let e = rejects(&bob, "getMessageReadReceiptList", &[Array::new().into()]).await;
    assert_eq!(n(&e, "code"), 2114.0, "{}", show(&e));
    let e = rejects(&bob, "sendMessageReadReceipt", &[JsValue::NULL]).await;
    assert_eq!(n(&e, "code"), 2114.0, "{}", show(&e));
    // An unsent message has no receipts.
    let draft = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, "C2C", "x")],
    )
    .expect("create");
    let e = rejects(&alice, "getMessageReadReceiptList", &[list(&[&draft])]).await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    // Messages of two conversations.
    let carol_id = unique("carol");
    let one = send_receipted(&alice, &bob_id, "C2C", "one").await;
    let two = send_receipted(&alice, &carol_id, "C2C", "two").await;
    let e = rejects(&alice, "getMessageReadReceiptList", &[list(&[&one, &two])]).await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    // Bad filter.
    let options = obj(r#"{"filter":7}"#);
    let _ = Reflect::set(&options, &"message".into(), &one);
    let e = rejects(&alice, "getGroupMessageReadMemberList", &[options]).await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    for t in [&alice, &bob] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn receipts_in_deleted_conversations_still_count() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let receipts = Recorder::new(&alice, "MESSAGE_READ_RECEIPT_RECEIVED");
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let asked = send_receipted(&alice, &bob_id, "C2C", "read me").await;
    let id = s(&asked, "ID");
    let got = bob_rx
        .wait_message(5_000, |m| s(m, "ID") == id)
        .await
        .expect("delivered");
    // Both sides delete the conversation from their lists.
    ok(
        &alice,
        "deleteConversation",
        &[JsValue::from_str(&format!("C2C{bob_id}"))],
    )
    .await;
    ok(
        &bob,
        "deleteConversation",
        &[JsValue::from_str(&format!("C2C{alice_id}"))],
    )
    .await;

    ok(&bob, "sendMessageReadReceipt", &[list(&[&got])]).await;
    let seen = receipts
        .wait(5_000, |d| {
            d.iter().flat_map(items).any(|e| s(&e, "messageID") == id)
        })
        .await;
    assert!(seen, "the sender still hears of it");
    let e = receipts
        .data()
        .iter()
        .flat_map(items)
        .next()
        .expect("entry");
    assert_eq!(s(&e, "conversationID"), format!("C2C{bob_id}"));
    assert!(
        get(&e, "groupID").is_undefined(),
        "C2C entries carry no groupID"
    );
    assert_eq!((n(&e, "readCount"), n(&e, "unreadCount")), (1.0, 0.0));
    let data = ok(&alice, "getMessageReadReceiptList", &[list(&[&asked])]).await;
    let m = &items(&get(&data, "messageList"))[0];
    assert_eq!(n(m, "readReceiptInfo.readCount"), 1.0, "{}", show(m));
    // Still deleted: a receipt is not a message.
    let conversations = ok(&alice, "getConversationList", &[]).await;
    assert!(
        items(&get(&conversations, "conversationList"))
            .iter()
            .all(|c| s(c, "conversationID") != format!("C2C{bob_id}")),
        "{}",
        show(&conversations)
    );
    for t in [&alice, &bob] {
        destroy(t).await;
    }
}
