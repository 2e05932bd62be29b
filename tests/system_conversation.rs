//! Browser test of the system conversation `@TIM#SYSTEM`: the admin REST API creating a group
//! with a user or adding one leaves a group system notice there, which arrives as
//! MESSAGE_RECEIVED and GROUP_SYSTEM_NOTICE_RECEIVED, is listed, paged and read like any
//! conversation, and cannot be sent to. Same setup as `browser.rs`.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SYSTEM: &str = "@TIM#SYSTEM";

#[wasm_bindgen_test]
async fn group_system_notices_arrive_in_the_system_conversation() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let group_id = unique("sysg");
    let bob = login(&unique("n"), &bob_id).await;
    let received = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let notices = Recorder::new(&bob, "GROUP_SYSTEM_NOTICE_RECEIVED");
    assert_eq!(type_str("CONV_SYSTEM"), SYSTEM);

    let body = obj(&format!(
        r#"{{"Owner_Account":"{alice_id}","Type":"Work","GroupId":"{group_id}","Name":"Sys group",
            "MemberList":[{{"Member_Account":"{bob_id}"}}]}}"#
    ));
    rest("group_open_http_svc/create_group", &body).await;
    assert!(
        notices.wait(5_000, |d| !d.is_empty()).await,
        "no GROUP_SYSTEM_NOTICE_RECEIVED"
    );
    let data = &notices.data()[0];
    assert_eq!(n(data, "type"), 7.0, "{}", show(data));
    let m = get(data, "message");
    assert_eq!(s(&m, "type"), type_str("MSG_GRP_SYS_NOTICE"));
    assert_eq!(
        (
            s(&m, "conversationID"),
            s(&m, "conversationType"),
            s(&m, "from")
        ),
        (SYSTEM.to_owned(), SYSTEM.to_owned(), SYSTEM.to_owned())
    );
    assert_eq!(n(&m, "payload.operationType"), 7.0);
    assert_eq!(s(&m, "payload.operatorID"), alice_id);
    assert_eq!(
        (
            s(&m, "payload.groupProfile.groupID"),
            s(&m, "payload.groupProfile.name")
        ),
        (group_id.clone(), "Sys group".to_owned())
    );
    let id = s(&m, "ID");
    assert!(
        received
            .wait_message(5_000, |r| s(r, "ID") == id)
            .await
            .is_some(),
        "the notice is a MESSAGE_RECEIVED too"
    );

    // Listed, with an unread count; history; read.
    let list = items(&get(
        &ok(&bob, "getConversationList", &[]).await,
        "conversationList",
    ));
    let system = list
        .iter()
        .find(|c| s(c, "conversationID") == SYSTEM)
        .expect("@TIM#SYSTEM is listed");
    assert_eq!(
        (s(system, "type"), n(system, "unreadCount")),
        (SYSTEM.to_owned(), 1.0)
    );
    let page = ok(
        &bob,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"{SYSTEM}"}}"#))],
    )
    .await;
    let messages = items(&get(&page, "messageList"));
    assert_eq!(
        messages.iter().map(|m| s(m, "ID")).collect::<Vec<_>>(),
        [id.clone()]
    );
    ok(
        &bob,
        "setMessageRead",
        &[obj(&format!(r#"{{"conversationID":"{SYSTEM}"}}"#))],
    )
    .await;
    let profile = ok(&bob, "getConversationProfile", &[JsValue::from_str(SYSTEM)]).await;
    assert_eq!(n(&profile, "conversation.unreadCount"), 0.0);

    // Added to another group: a second notice; a later login finds both in the history.
    let other = unique("sysg2");
    let body = obj(&format!(
        r#"{{"Type":"Work","GroupId":"{other}","Name":"Other"}}"#
    ));
    rest("group_open_http_svc/create_group", &body).await;
    let add = obj(&format!(
        r#"{{"GroupId":"{other}","MemberList":[{{"Member_Account":"{bob_id}"}}]}}"#
    ));
    rest("group_open_http_svc/add_group_member", &add).await;
    assert!(notices.wait(5_000, |d| d.len() == 2).await);
    let bob2 = login(&unique("n"), &bob_id).await;
    let page = ok(
        &bob2,
        "getMessageList",
        &[obj(&format!(r#"{{"conversationID":"{SYSTEM}"}}"#))],
    )
    .await;
    let groups: Vec<String> = items(&get(&page, "messageList"))
        .iter()
        .map(|m| s(m, "payload.groupProfile.groupID"))
        .collect();
    assert_eq!(groups, [group_id, other]);

    // Nobody sends to it.
    let e = call_sync(
        &bob,
        "createTextMessage",
        &[text_options("x", SYSTEM, "hi")],
    )
    .expect_err("createTextMessage must throw");
    assert_eq!(n(&e, "code"), 2106.0, "{}", show(&e));
    destroy(&bob).await;
    destroy(&bob2).await;
}
