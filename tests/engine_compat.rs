//! Browser tests of what engines written for @tencentcloud/chat 3.x (TUIKit) expect: SDK_READY
//! heard whether it is listened for before `login()` or after awaiting it, `isReady`,
//! `getLoginUser`, `getServerTime`, `callExperimentalAPI`, fresh conversations, the full
//! `lastMessage`, `draftText`, the 3.x event keys, and a first login to a wrong server URL
//! that fails in seconds, naming the URL.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Function, Object, Promise, Reflect};
use support::*;
use tim_sdk::api::Tim;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn login_options(user_id: &str) -> JsValue {
    let options = Object::new();
    let _ = Reflect::set(&options, &"userID".into(), &JsValue::from_str(user_id));
    let sig = JsValue::from_str(&user_sig(user_id));
    let _ = Reflect::set(&options, &"userSig".into(), &sig);
    options.into()
}

/// Runs `body` as the body of an async JS function of `(tim, options, READY)` and awaits it
/// (at most 10 s): app code exactly as JavaScript writes it.
async fn run_js(tim: &JsValue, options: &JsValue, body: &str) -> JsValue {
    let source = String::from("return (async () => {") + body + "})();";
    let f = Function::new_with_args("tim, options, READY", &source);
    let ready = JsValue::from_str(&event(tim, "SDK_READY"));
    let promise: Promise = match f.call3(&JsValue::NULL, tim, options, &ready) {
        Ok(p) => p.into(),
        Err(e) => panic!("the script threw {}", show(&e)),
    };
    match timeout(10_000, JsFuture::from(promise)).await {
        Some(Ok(v)) => v,
        Some(Err(e)) => panic!("the script rejected {}", show(&e)),
        None => panic!("the script did not finish within 10 s"),
    }
}

/// An instance with its own `serverURL`.
fn create_at(instance_name: &str, server_url: &str) -> JsValue {
    let options = obj(&format!(
        r#"{{"SDKAppID":{},"serverURL":"{server_url}","instanceName":"{instance_name}"}}"#,
        sdk_app_id()
    ));
    Tim::create(options).unwrap_or_else(|e| panic!("TIM.create threw {}", show(&e)))
}

#[wasm_bindgen_test]
async fn sdk_ready_is_heard_when_listened_for_after_awaiting_login() {
    let user = unique("ready_after");
    let tim = create(&unique("i"));
    // TUIKit's engine: await login(), then wait for SDK_READY.
    let got = run_js(
        &tim,
        &login_options(&user),
        r#"
        const res = await tim.login(options);
        const readyAtResolve = tim.isReady();
        const ready = await new Promise((resolve) => {
          const t = setTimeout(() => resolve('no SDK_READY within 5 s'), 5000);
          tim.on(READY, () => { clearTimeout(t); resolve('ready:' + tim.isReady()); });
        });
        return { code: res.code, readyAtResolve, ready };
        "#,
    )
    .await;
    assert_eq!(n(&got, "code"), 0.0, "{}", show(&got));
    assert_eq!(s(&got, "ready"), "ready:true", "{}", show(&got));
    assert!(b(&got, "readyAtResolve"), "ready once login resolved");
    assert!(call_sync(&tim, "isReady", &[]).unwrap().is_truthy());
    destroy(&tim).await;
}

#[wasm_bindgen_test]
async fn sdk_ready_is_heard_when_listened_for_before_login() {
    let user = unique("ready_before");
    let tim = create(&unique("i"));
    let got = run_js(
        &tim,
        &login_options(&user),
        r#"
        const seen = [];
        tim.on(READY, () => seen.push('ready:' + tim.isReady()));
        // Through an extra async layer, as a facade around the SDK would add.
        const login = async (o) => await tim.login(o);
        await login(options).then(() => seen.push('resolved'));
        const start = Date.now();
        while (!seen.includes('ready:true') && Date.now() - start < 5000) {
          await new Promise((r) => setTimeout(r, 10));
        }
        return seen;
        "#,
    )
    .await;
    let seen: Vec<String> = items(&got).iter().filter_map(|v| v.as_string()).collect();
    assert_eq!(seen, ["resolved", "ready:true"]);
    destroy(&tim).await;
}

#[wasm_bindgen_test]
async fn is_ready_and_login_user_follow_login_and_logout() {
    let user = unique("who");
    let tim = create(&unique("i"));
    let is_ready = || call_sync(&tim, "isReady", &[]).unwrap().as_bool();
    let user_of = |tim: &JsValue| call_sync(tim, "getLoginUser", &[]).unwrap().as_string();
    assert_eq!(is_ready(), Some(false));
    assert_eq!(user_of(&tim).as_deref(), Some(""));
    let ready = Recorder::new(&tim, "SDK_READY");
    ok(&tim, "login", &[login_options(&user)]).await;
    assert_eq!(user_of(&tim), Some(user.clone()));
    assert!(ready.wait(5_000, |d| d.len() == 1).await, "SDK_READY");
    assert_eq!(is_ready(), Some(true));
    ok(&tim, "logout", &[]).await;
    assert_eq!(is_ready(), Some(false));
    assert_eq!(user_of(&tim).as_deref(), Some(""));
    destroy(&tim).await;
    assert_eq!(is_ready(), Some(false), "destroyed");
}

#[wasm_bindgen_test]
async fn server_time_is_seconds_on_the_servers_clock() {
    let tim = create(&unique("i"));
    let time = |tim: &JsValue| call_sync(tim, "getServerTime", &[]).unwrap().as_f64();
    let local = || js_sys::Date::now() / 1000.0;
    let before = time(&tim).expect("a number before login");
    assert!((before - local()).abs() <= 1.0, "local clock before login");
    ok(&tim, "login", &[login_options(&unique("clock"))]).await;
    let t = time(&tim).expect("a number");
    assert_eq!(t.fract(), 0.0, "whole seconds");
    // The server runs on this machine: its clock is ours, within the estimate's error.
    assert!((t - local()).abs() <= 2.0, "{t} vs {}", local());
    destroy(&tim).await;
}

#[wasm_bindgen_test]
async fn call_experimental_api_answers_like_3x_and_never_throws() {
    let tim = create(&unique("i"));
    let enabled = |v: JsValue| {
        let tim = tim.clone();
        async move {
            let data = ok(
                &tim,
                "callExperimentalAPI",
                &[JsValue::from_str("isCommercialAbilityEnabled"), v],
            )
            .await;
            path(&data, "enabled").as_bool().expect("data.enabled")
        }
    };
    assert!(enabled(JsValue::from(512)).await, "conversation marks");
    assert!(
        enabled(JsValue::from(1536)).await,
        "marks + conversation groups"
    );
    assert!(
        enabled(JsValue::from_str("1024")).await,
        "parseInt'd like 3.x"
    );
    assert!(
        !enabled(JsValue::from(128)).await,
        "user status: not implemented"
    );
    for args in [
        vec![JsValue::from_str("noSuchAPI"), JsValue::from(1)],
        vec![JsValue::from_str("isCommercialAbilityEnabled"), obj("{}")],
        vec![JsValue::from(42), JsValue::UNDEFINED],
        vec![],
    ] {
        let e = rejects(&tim, "callExperimentalAPI", &args).await;
        assert_eq!(n(&e, "code"), 2905.0, "{}", show(&e));
        assert!(!s(&e, "message").is_empty());
    }
    // canIUseModule answers synchronously, with a boolean, as 3.x does.
    for param in [
        JsValue::from_str("group-module"),
        obj(r#"["relationship-module"]"#),
    ] {
        let answer = call_sync(
            &tim,
            "callExperimentalAPI",
            &[JsValue::from_str("canIUseModule"), param],
        );
        assert_eq!(answer.ok().and_then(|v| v.as_bool()), Some(false));
    }
    destroy(&tim).await;
}

#[wasm_bindgen_test]
async fn my_profile_is_the_logged_in_user() {
    let tim = create(&unique("p"));
    let e = rejects(&tim, "getMyProfile", &[]).await;
    assert_eq!(n(&e, "code"), 2999.0, "before login: {}", show(&e));
    destroy(&tim).await;
    let alice = unique("alice");
    let tim = login(&unique("p"), &alice).await;
    let profile = ok(&tim, "getMyProfile", &[]).await;
    assert_eq!(s(&profile, "userID"), alice);
    assert_eq!(s(&profile, "nick"), "");
    assert_eq!(s(&profile, "gender"), "Gender_Type_Unknown");
    assert_eq!(s(&profile, "allowType"), "AllowType_Type_NeedConfirm");
    assert!(js_sys::Array::is_array(&get(
        &profile,
        "profileCustomField"
    )));
    destroy(&tim).await;
}

#[wasm_bindgen_test]
async fn conversations_without_messages_answer_fresh() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login(&unique("i"), &alice_id).await;
    let with_bob = format!("C2C{bob_id}");
    let conv = get(
        &ok(
            &alice,
            "getConversationProfile",
            &[JsValue::from_str(&with_bob)],
        )
        .await,
        "conversation",
    );
    assert_eq!(s(&conv, "conversationID"), with_bob, "{}", show(&conv));
    assert_eq!(s(&conv, "type"), "C2C");
    assert_eq!(n(&conv, "unreadCount"), 0.0);
    assert_eq!(s(&conv, "userProfile.userID"), bob_id);
    assert_eq!(s(&conv, "draftText"), "");
    // tim-js-sdk's empty lastMessage, never absent.
    let last = get(&conv, "lastMessage");
    assert_eq!(
        show(&last),
        r#"{"lastTime":0,"lastSequence":0,"fromAccount":"","type":"","payload":null,"messageForShow":"","isRevoked":false,"cloudCustomData":"","onlineOnlyFlag":false,"nick":"","nameCard":"","version":0,"isPeerRead":false,"revoker":null}"#
    );
    let group = get(
        &ok(
            &alice,
            "getConversationProfile",
            &[JsValue::from_str("GROUPnot_joined")],
        )
        .await,
        "conversation",
    );
    assert_eq!(s(&group, "groupProfile.groupID"), "not_joined");
    let read = obj(&format!(r#"{{"conversationID":"{with_bob}"}}"#));
    ok(&alice, "setMessageRead", &[read]).await;
    for bad in ["bob", ""] {
        let e = rejects(&alice, "getConversationProfile", &[JsValue::from_str(bad)]).await;
        assert_eq!(n(&e, "code"), 2503.0, "{bad}: {}", show(&e));
    }
    let list = ok(&alice, "getConversationList", &[]).await;
    assert!(
        items(&get(&list, "conversationList")).is_empty(),
        "nothing listed"
    );

    // Once written to: the real conversation, its lastMessage complete, and a draft.
    send_text(&alice, &bob_id, "C2C", "hello").await;
    let list = ok(&alice, "getConversationList", &[]).await;
    let listed = items(&get(&list, "conversationList"));
    assert_eq!(listed.len(), 1);
    let last = get(&listed[0], "lastMessage");
    assert_eq!(s(&last, "payload.text"), "hello", "{}", show(&last));
    for key in ["nick", "nameCard", "cloudCustomData"] {
        assert_eq!(get(&last, key).as_string().as_deref(), Some(""), "{key}");
    }
    let lists = Recorder::new(&alice, "CONVERSATION_LIST_UPDATED");
    let draft = obj(&format!(
        r#"{{"conversationID":"{with_bob}","draftText":"half a thought"}}"#
    ));
    let data = ok(&alice, "setConversationDraft", &[draft]).await;
    assert_eq!(s(&data, "conversation.draftText"), "half a thought");
    let shown = lists
        .wait(5_000, |d| {
            d.iter().any(|l| {
                items(l)
                    .iter()
                    .any(|c| s(c, "draftText") == "half a thought")
            })
        })
        .await;
    assert!(shown, "CONVERSATION_LIST_UPDATED carries the draft");
    let nobody = obj(r#"{"conversationID":"C2Cnobody_here","draftText":"x"}"#);
    let e = rejects(&alice, "setConversationDraft", &[nobody]).await;
    assert_eq!(n(&e, "code"), 2500.0);
    destroy(&alice).await;
}

/// A login that must reject: (the rejection, how many milliseconds it took).
async fn failed_login(tim: &JsValue) -> (JsValue, f64) {
    let start = js_sys::Date::now();
    let e = rejects(tim, "login", &[login_options(&unique("lost"))]).await;
    (e, js_sys::Date::now() - start)
}

#[wasm_bindgen_test]
async fn login_to_a_closed_port_fails_fast_naming_the_url() {
    let url = "ws://127.0.0.1:1/ws";
    let tim = create_at(&unique("closed"), "ws://127.0.0.1:1");
    for attempt in 0..2 {
        let (e, took) = failed_login(&tim).await;
        let code = n(&e, "code");
        assert!(code == 2800.0 || code == 2801.0, "{}", show(&e));
        assert!(s(&e, "message").contains(url), "{}", show(&e));
        assert!(took < 3_000.0, "attempt {attempt}: {took} ms");
        // Still usable: nothing half logged in.
        assert_eq!(
            call_sync(&tim, "isReady", &[]).unwrap().as_bool(),
            Some(false)
        );
        assert_eq!(
            call_sync(&tim, "getLoginUser", &[]).unwrap().as_string(),
            Some(String::new())
        );
        let e = rejects(&tim, "getConversationList", &[]).await;
        assert_eq!(n(&e, "code"), 2999.0);
        call_sync(
            &tim,
            "createTextMessage",
            &[text_options("bob", "C2C", "x")],
        )
        .expect("create*Message still works");
    }
    destroy(&tim).await;
}

#[wasm_bindgen_test]
async fn login_to_an_unreachable_host_fails_within_the_connect_timeout() {
    // Nothing answers there: the socket either fails at once or never opens.
    let url = "ws://10.255.255.1:81/ws";
    let tim = create_at(&unique("blackhole"), url);
    let (e, took) = failed_login(&tim).await;
    let code = n(&e, "code");
    assert!(code == 2800.0 || code == 2801.0, "{}", show(&e));
    assert!(s(&e, "message").contains(url), "{}", show(&e));
    // 3 s from the socket's start; the cache opens first.
    assert!(took < 3_500.0, "{took} ms");
    // The same instance logs in to nothing else, but is not stuck: it rejects again.
    let (e, _) = failed_login(&tim).await;
    assert!(s(&e, "message").contains(url));
    destroy(&tim).await;
}

#[wasm_bindgen_test]
async fn login_to_a_websocket_that_never_answers_fails_in_seconds() {
    // Like a dev server's unrelated WebSocket: it opens, and the login gets no answer.
    let url = format!("ws://{}/debug/silent-ws", server());
    let tim = create_at(&unique("silent"), &url);
    let (e, took) = failed_login(&tim).await;
    assert_eq!(n(&e, "code"), 2801.0, "{}", show(&e));
    assert_eq!(s(&e, "message"), format!("no answer from {url}"));
    assert!(took < 3_500.0, "{took} ms");
    destroy(&tim).await;
}
