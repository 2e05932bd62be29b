//! Browser tests of history navigation: getMessageListHopping (by sequence in a group, by
//! time in a C2C conversation, both directions) and findMessageByLocatorList (seed 002's
//! locator lookup), against the real server. Same setup as `browser.rs`.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn texts(data: &JsValue) -> Vec<String> {
    items(&get(data, "messageList"))
        .iter()
        .map(|m| s(m, "payload.text"))
        .collect()
}

#[wasm_bindgen_test]
async fn hopping_by_sequence_and_time_and_locator_lookup() {
    let (alice_id, bob_id, group_id) = (unique("alice"), unique("bob"), unique("hopg"));
    let body = obj(&format!(
        r#"{{"Owner_Account":"{alice_id}","Type":"Work","GroupId":"{group_id}","Name":"Hop",
            "MemberList":[{{"Member_Account":"{bob_id}"}}]}}"#
    ));
    rest("group_open_http_svc/create_group", &body).await;
    let alice = login(&unique("h"), &alice_id).await;
    let mut group_sent = Vec::new();
    let mut c2c_sent = Vec::new();
    for i in 1..=5 {
        group_sent.push(send_text(&alice, &group_id, "GROUP", &format!("g{i}")).await);
        c2c_sent.push(send_text(&alice, &bob_id, "C2C", &format!("c{i}")).await);
    }
    let bob = login(&unique("h"), &bob_id).await;
    let group_conv = format!("GROUP{group_id}");
    let c2c_conv = format!("C2C{alice_id}");
    let hop = |conv: &str, key: &str, at: f64, count: u32, direction: u32| {
        obj(&format!(
            r#"{{"conversationID":"{conv}","{key}":{at},"count":{count},"direction":{direction}}}"#
        ))
    };

    // Groups, by sequence.
    let seq3 = n(&group_sent[2], "sequence");
    let data = ok(
        &bob,
        "getMessageListHopping",
        &[hop(&group_conv, "sequence", seq3, 2, 0)],
    )
    .await;
    assert_eq!(texts(&data), ["g2", "g3"]);
    assert!(!b(&data, "isCompleted"));
    let data = ok(
        &bob,
        "getMessageListHopping",
        &[hop(&group_conv, "sequence", seq3, 15, 1)],
    )
    .await;
    assert_eq!(texts(&data), ["g3", "g4", "g5"]);
    assert!(b(&data, "isCompleted"));
    let first = items(&get(&data, "messageList"))[0].clone();
    assert_eq!(
        (s(&first, "flow"), s(&first, "from")),
        ("in".to_owned(), alice_id.clone())
    );

    // C2C, by time (seconds): everything from the first message's second on.
    let t1 = n(&c2c_sent[0], "time");
    let data = ok(
        &bob,
        "getMessageListHopping",
        &[hop(&c2c_conv, "time", t1, 15, 1)],
    )
    .await;
    assert_eq!(texts(&data), ["c1", "c2", "c3", "c4", "c5"]);
    let t5 = n(&c2c_sent[4], "time");
    let data = ok(
        &bob,
        "getMessageListHopping",
        &[hop(&c2c_conv, "time", t5, 2, 0)],
    )
    .await;
    assert_eq!(texts(&data), ["c4", "c5"]);
    let data = ok(
        &bob,
        "getMessageListHopping",
        &[hop(&c2c_conv, "time", t1 - 1.0, 5, 0)],
    )
    .await;
    assert!(texts(&data).is_empty());

    // Refusals.
    let e = rejects(
        &bob,
        "getMessageListHopping",
        &[obj(&format!(r#"{{"conversationID":"{c2c_conv}"}}"#))],
    )
    .await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    let e = rejects(
        &bob,
        "getMessageListHopping",
        &[hop("nonsense", "time", t1, 1, 0)],
    )
    .await;
    assert_eq!(n(&e, "code"), 2503.0, "{}", show(&e));

    // Locators, on a fresh instance (nothing in memory: the server is asked).
    let bob2 = login(&unique("h"), &bob_id).await;
    let locator = |m: &JsValue, random: f64, is_self: bool| {
        format!(
            r#"{{"sequence":{},"random":{random},"time":{},"isSelf":{is_self}}}"#,
            n(m, "sequence"),
            n(m, "time")
        )
    };
    let list = format!(
        "[{},{},{}]",
        locator(&c2c_sent[1], n(&c2c_sent[1], "random"), false),
        locator(&c2c_sent[3], n(&c2c_sent[3], "random"), false),
        locator(&c2c_sent[4], n(&c2c_sent[4], "random") + 1.0, false)
    );
    let options = obj(&format!(
        r#"{{"conversationID":"{c2c_conv}","locatorList":{list}}}"#
    ));
    let data = ok(&bob2, "findMessageByLocatorList", &[options.clone()]).await;
    assert_eq!(texts(&data), ["c2", "c4"], "the wrong random finds nothing");
    let found = items(&get(&data, "messageList"));
    assert_eq!(s(&found[0], "ID"), s(&c2c_sent[1], "ID"));
    // Now in memory: findMessage knows it, and a repeat is answered the same.
    assert!(!call_sync(
        &bob2,
        "findMessage",
        &[JsValue::from_str(&s(&c2c_sent[3], "ID"))]
    )
    .expect("findMessage")
    .is_null());
    assert_eq!(
        texts(&ok(&bob2, "findMessageByLocatorList", &[options]).await),
        ["c2", "c4"]
    );
    // isSelf: the sender's own view.
    let own = format!(
        r#"[{}]"#,
        locator(&group_sent[0], n(&group_sent[0], "random"), true)
    );
    let options = obj(&format!(
        r#"{{"conversationID":"{group_conv}","locatorList":{own}}}"#
    ));
    assert_eq!(
        texts(&ok(&alice, "findMessageByLocatorList", &[options.clone()]).await),
        ["g1"]
    );
    assert!(texts(&ok(&bob2, "findMessageByLocatorList", &[options]).await).is_empty());
    let e = rejects(
        &bob2,
        "findMessageByLocatorList",
        &[obj(&format!(
            r#"{{"conversationID":"{c2c_conv}","locatorList":[{{}}]}}"#
        ))],
    )
    .await;
    assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
    for t in [&alice, &bob, &bob2] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
fn hop_and_fetch_frames_are_encoded_exactly_as_the_protocol_serializes_them() {
    use tim_protocol::{req, ClientFrame, Request};
    use tim_sdk::web::codec;
    let requests = [
        Request::Hop(req::Hop {
            conversation_id: "GROUPg".into(),
            seq: Some(7),
            time: None,
            newer: true,
            count: 15,
        }),
        Request::Hop(req::Hop {
            conversation_id: "C2Ca".into(),
            seq: None,
            time: Some(1_700_000_000),
            newer: false,
            count: 1,
        }),
        Request::Fetch(req::Fetch {
            conversation_id: "C2Ca".into(),
            seqs: vec![1, 9_007_199_254_740_991],
        }),
    ];
    for (i, req) in requests.into_iter().enumerate() {
        let frame = ClientFrame { id: i as u32, req };
        let manual = codec::encode(&frame).expect("encode");
        let serde = js_sys::JSON::stringify(&codec::to_js(&frame).expect("serde")).expect("json");
        assert_eq!(manual.as_string(), serde.as_string(), "frame {i}");
    }
}
