//! Who may download: forwarding, audio/video metadata, merged messages (inline and through a
//! download key), group files.

use super::*;

#[wasm_bindgen_test]
async fn outsiders_cannot_download_forwarding_grants_the_new_recipient() {
    let ids = users(3).await;
    let (alice, bob, carol) = (
        login(&unique("a"), &ids[0]).await,
        login(&unique("b"), &ids[1]).await,
        login(&unique("c"), &ids[2]).await,
    );
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let carol_rx = Recorder::new(&carol, "MESSAGE_RECEIVED");
    let file = make_file(70_000, "secret.bin", "application/octet-stream");
    let original = hash(&file).await;
    let message = call_sync(
        &alice,
        "createFileMessage",
        &[file_options(&ids[1], &file, None)],
    )
    .expect("create");
    let got = send_and_receive(&alice, &message, &bob_rx).await;
    let bob_url = s(&got, "payload.fileUrl");

    // Carol's token, from a file of her own.
    let own = call_sync(
        &carol,
        "createFileMessage",
        &[file_options(
            &ids[0],
            &make_file(5, "c.txt", "text/plain"),
            None,
        )],
    )
    .expect("create");
    ok(&carol, "sendMessage", std::slice::from_ref(&own)).await;
    let own_url = s(&own, "payload.fileUrl");
    let carol_token = own_url.split("?tk=").nth(1).expect("token").to_owned();
    let file_path = bob_url.split('?').next().unwrap().to_owned();
    let as_carol = format!("{file_path}?tk={carol_token}");
    assert_eq!(fetch_file(&as_carol).await.err(), Some(404.0));
    assert_eq!(fetch_file(&file_path).await.err(), Some(401.0));
    let base = format!("http://{}/files/", server());
    for crafted in [
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2fblobs",
        "..%5C..%5Cwindows",
        "blobs%2F..%2F..",
    ] {
        let status = fetch_file(&format!("{base}{crafted}?tk={carol_token}")).await;
        assert_eq!(status.err(), Some(404.0), "{crafted}");
    }

    // Bob forwards what he received to carol, who may then read it.
    let forward = call_sync(
        &bob,
        "createForwardMessage",
        &[
            got.clone(),
            obj(&format!(
                r#"{{"to":"{}","conversationType":"C2C"}}"#,
                ids[2]
            )),
        ],
    )
    .expect("forward");
    assert_eq!(s(&forward, "type"), "TIMFileElem");
    assert_ne!(s(&forward, "ID"), s(&got, "ID"));
    let at_carol = send_and_receive(&bob, &forward, &carol_rx).await;
    let carol_url = s(&at_carol, "payload.fileUrl");
    assert!(carol_url.ends_with(&carol_token), "{carol_url}");
    let body = fetch_file(&carol_url).await.expect("carol downloads");
    assert_eq!(hash(&body).await, original);
    let bad = call_sync(
        &bob,
        "createForwardMessage",
        &[
            obj(r#"{"ID":"x","type":"TIMGroupTipElem"}"#),
            obj(&format!(
                r#"{{"to":"{}","conversationType":"C2C"}}"#,
                ids[2]
            )),
        ],
    );
    assert_eq!(code_of(&bad.expect_err("not forwardable")), 2453.0);
    for tim in [alice, bob, carol] {
        destroy(&tim).await;
    }
}

#[wasm_bindgen_test]
async fn audio_from_an_input_has_its_duration_and_an_unreadable_video_still_sends() {
    let ids = users(2).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let bob = login(&unique("b"), &ids[1]).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    // From an <input type="file">, as a page picks it.
    let wav = wav_file(2);
    let message = call_sync(
        &alice,
        "createAudioMessage",
        &[file_options(&ids[1], &input_with(&wav), None)],
    )
    .expect("create audio");
    let got = send_and_receive(&alice, &message, &bob_rx).await;
    assert_eq!(s(&got, "type"), "TIMSoundElem");
    assert_eq!(n(&got, "payload.second"), 2.0, "{}", show(&got));
    assert_eq!(n(&got, "payload.size"), n(&wav, "size"));
    assert!(fetch_file(&s(&got, "payload.url")).await.is_ok());

    let junk = make_file(3000, "clip.mp4", "video/mp4");
    let message = call_sync(
        &alice,
        "createVideoMessage",
        &[file_options(&ids[1], &junk, None)],
    )
    .expect("create video");
    let started = js_sys::Date::now();
    let got = send_and_receive(&alice, &message, &bob_rx).await;
    assert!(js_sys::Date::now() - started < 10_000.0);
    assert_eq!(s(&got, "type"), "TIMVideoFileElem");
    assert_eq!(
        (n(&got, "payload.videoSecond"), s(&got, "payload.thumbUrl")),
        (0.0, String::new())
    );
    assert_eq!(s(&got, "payload.videoFormat"), "mp4");
    assert_eq!(n(&got, "payload.videoSize"), 3000.0);
    assert!(fetch_file(&s(&got, "payload.videoUrl")).await.is_ok());
    destroy(&alice).await;
    destroy(&bob).await;
}

fn merger_options(to: &str, list: &Array, title: &str) -> JsValue {
    let options = obj(&format!(
        r#"{{"to":"{to}","conversationType":"C2C","payload":{{"title":"{title}",
            "abstractList":["a: 1","b: 2"],"compatibleText":"upgrade to see chat history"}}}}"#
    ));
    let _ = js_sys::Reflect::set(&get(&options, "payload"), &"messageList".into(), list);
    options
}

#[wasm_bindgen_test]
async fn merged_messages_round_trip_inline_and_through_a_download_key() {
    let ids = users(2).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let bob = login(&unique("b"), &ids[1]).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");

    let thrown = call_sync(
        &alice,
        "createMergerMessage",
        &[merger_options(&ids[1], &Array::new(), "empty")],
    )
    .expect_err("empty list");
    assert_eq!(code_of(&thrown), 2450.0);

    // Inline: a text and a file message.
    let text = send_text(&alice, &ids[1], "C2C", "first").await;
    let file = call_sync(
        &alice,
        "createFileMessage",
        &[file_options(&ids[1], &make_file(2048, "x.bin", ""), None)],
    )
    .expect("file");
    ok(&alice, "sendMessage", std::slice::from_ref(&file)).await;
    let list: Array = [text.clone(), file.clone()].iter().collect();
    let merger = call_sync(
        &alice,
        "createMergerMessage",
        &[merger_options(&ids[1], &list, "small")],
    )
    .expect("merger");
    let got = send_and_receive(&alice, &merger, &bob_rx).await;
    assert_eq!(s(&got, "type"), "TIMRelayElem");
    assert_eq!(s(&got, "payload.downloadKey"), "");
    assert_eq!(s(&got, "payload.title"), "small");
    let inner = items(&path(&got, "payload.messageList"));
    assert_eq!(inner.len(), 2);
    assert_eq!(s(&inner[0], "payload.text"), "first");
    assert_eq!(s(&inner[1], "type"), "TIMFileElem");
    assert!(fetch_file(&s(&inner[1], "payload.fileUrl")).await.is_ok());
    // Resolved with the message itself, as tim-js-sdk does (not `{code, data}`).
    let data = resolves(&bob, "downloadMergerMessage", std::slice::from_ref(&got)).await;
    assert_eq!(items(&path(&data, "payload.messageList")).len(), 2);

    // Long: stored as a file, fetched by downloadMergeMessage.
    let long_list = Array::new();
    for i in 0..30 {
        let m = send_text(&alice, &ids[1], "C2C", &format!("{i}: {}", "x".repeat(400))).await;
        long_list.push(&m);
    }
    let merger = call_sync(
        &alice,
        "createMergerMessage",
        &[merger_options(&ids[1], &long_list, "long")],
    )
    .expect("merger");
    let got = send_and_receive(&alice, &merger, &bob_rx).await;
    assert_ne!(s(&got, "payload.downloadKey"), "", "{}", show(&got));
    assert_eq!(items(&path(&got, "payload.messageList")).len(), 0);
    let data = resolves(&bob, "downloadMergeMessage", std::slice::from_ref(&got)).await;
    assert!(Object::is(&data, &got), "the message itself");
    let list = items(&path(&data, "payload.messageList"));
    assert_eq!(list.len(), 30);
    assert!(s(&list[29], "payload.text").starts_with("29: xxx"));
    assert_eq!(s(&list[0], "from"), ids[0]);
    assert_eq!(
        items(&path(&got, "payload.messageList")).len(),
        30,
        "updated in place"
    );
    let plain = obj(r#"{"ID":"m","type":"TIMRelayElem","payload":{"downloadKey":""}}"#);
    let e = rejects(&bob, "downloadMergerMessage", &[plain]).await;
    assert_eq!(code_of(&e), 2451.0);
    let missing = obj(r#"{"ID":"m","type":"TIMRelayElem","payload":{"downloadKey":"nosuchkey"}}"#);
    let e = rejects(&bob, "downloadMergeMessage", &[missing]).await;
    assert_eq!(code_of(&e), 2452.0);
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn group_members_download_a_group_file_and_non_members_cannot() {
    let ids = users(3).await;
    let group_id = unique("fg");
    let body = obj(&format!(
        r#"{{"Owner_Account":"{}","Type":"Public","GroupId":"{group_id}","Name":"Files",
            "MemberList":[{{"Member_Account":"{}"}}]}}"#,
        ids[0], ids[1]
    ));
    rest("group_open_http_svc/create_group", &body).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let bob = login(&unique("b"), &ids[1]).await;
    let carol = login(&unique("c"), &ids[2]).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let file = make_file(9_000, "minutes.txt", "text/plain");
    let options = obj(&format!(
        r#"{{"to":"{group_id}","conversationType":"GROUP","payload":{{}}}}"#
    ));
    let _ = js_sys::Reflect::set(&get(&options, "payload"), &"file".into(), &file);
    let message = call_sync(&alice, "createFileMessage", &[options]).expect("create");
    let got = send_and_receive(&alice, &message, &bob_rx).await;
    assert_eq!(s(&got, "conversationID"), format!("GROUP{group_id}"));
    let url = s(&got, "payload.fileUrl");
    let body = fetch_file(&url).await.expect("a member downloads");
    assert_eq!(hash(&body).await, hash(&file).await);

    // Carol's own token, on the group's file: not a member, nothing to see.
    let own = call_sync(
        &carol,
        "createFileMessage",
        &[file_options(
            &ids[0],
            &make_file(3, "c.txt", "text/plain"),
            None,
        )],
    )
    .expect("create");
    ok(&carol, "sendMessage", std::slice::from_ref(&own)).await;
    let carol_token = s(&own, "payload.fileUrl")
        .split("?tk=")
        .nth(1)
        .unwrap()
        .to_owned();
    let path = url.split('?').next().unwrap();
    assert_eq!(
        fetch_file(&format!("{path}?tk={carol_token}")).await.err(),
        Some(404.0)
    );
    for tim in [alice, bob, carol] {
        destroy(&tim).await;
    }
}
