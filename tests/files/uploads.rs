//! Uploads: progress and byte-identical download, image dimensions and thumbnails, limits, a
//! resumed upload after the server failed mid-way, each type's failure code.

use super::*;

#[wasm_bindgen_test]
async fn a_5_mb_file_uploads_with_progress_and_downloads_byte_identical() {
    let ids = users(2).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let bob = login(&unique("b"), &ids[1]).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let file = make_file(
        5 * 1024 * 1024 + 123,
        "report.bin",
        "application/octet-stream",
    );
    let original = hash(&file).await;
    let progress = progress_recorder();
    let options = file_options(&ids[1], &file, Some(&get(&progress, "f")));
    let message = call_sync(&alice, "createFileMessage", &[options]).expect("create");
    assert_eq!(s(&message, "type"), "TIMFileElem");
    assert_eq!(s(&message, "status"), "unSend");
    assert_eq!(s(&message, "payload.fileName"), "report.bin");

    let got = send_and_receive(&alice, &message, &bob_rx).await;
    let calls = progress_calls(&progress);
    assert!(calls.len() >= 4, "progress calls: {calls:?}");
    assert!(
        calls.windows(2).all(|w| w[0] < w[1]),
        "not monotonic: {calls:?}"
    );
    assert_eq!((calls[0], *calls.last().unwrap()), (0.0, 1.0), "{calls:?}");

    assert_eq!(s(&got, "type"), "TIMFileElem");
    assert_eq!(n(&got, "payload.fileSize"), (5 * 1024 * 1024 + 123) as f64);
    assert_eq!(s(&got, "payload.fileName"), "report.bin");
    let url = s(&got, "payload.fileUrl");
    assert!(
        url.starts_with(&format!("http://{}/files/", server())) && url.contains("?tk="),
        "{url}"
    );
    let body = fetch_file(&url).await.expect("bob downloads");
    assert_eq!(hash(&body).await, original);
    // The sender's own object shows the uploaded file too.
    assert!(s(&message, "payload.fileUrl").contains("/files/"));
    assert_eq!(s(&message, "status"), "success");
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn an_image_gets_real_dimensions_and_a_decodable_thumbnail() {
    let ids = users(2).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let bob = login(&unique("b"), &ids[1]).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let png = wait(png_file(800, 600)).await;
    let options = file_options(&ids[1], &png, None);
    let message = call_sync(&alice, "createImageMessage", &[options]).expect("create");
    let got = send_and_receive(&alice, &message, &bob_rx).await;
    assert_eq!(s(&got, "type"), "TIMImageElem");
    assert_eq!(n(&got, "payload.imageFormat"), 3.0);
    let infos = items(&path(&got, "payload.imageInfoArray"));
    assert_eq!(infos.len(), 3, "{}", show(&got));
    let dims: Vec<(f64, f64, f64)> = infos
        .iter()
        .map(|i| (n(i, "type"), n(i, "width"), n(i, "height")))
        .collect();
    assert_eq!(
        dims,
        vec![
            (0.0, 800.0, 600.0),
            (2.0, 720.0, 540.0),
            (1.0, 198.0, 149.0)
        ]
    );
    for info in &infos {
        let size = wait(image_size(&s(info, "url"))).await;
        let real: Vec<f64> = items(&size).iter().filter_map(|v| v.as_f64()).collect();
        assert_eq!(real, vec![n(info, "width"), n(info, "height")]);
        assert!(n(info, "size") > 0.0);
    }
    let original = fetch_file(&s(&infos[0], "url")).await.expect("original");
    assert_eq!(hash(&original).await, hash(&png).await);
    assert_eq!(s(&got, "payload.uuid"), s(&message, "payload.uuid"));
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn limits_and_bad_input_are_refused_before_any_byte_is_uploaded() {
    let ids = users(2).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let before = http("GET", "/debug/uploads", None).await;
    let too_big = big_blob(101, 1024 * 1024);
    let thrown = call_sync(
        &alice,
        "createFileMessage",
        &[file_options(&ids[1], &too_big, None)],
    )
    .expect_err("101 MB must be refused");
    assert_eq!(code_of(&thrown), 2402.0, "{}", show(&thrown));
    let text = make_file(10, "notes.txt", "text/plain");
    let thrown = call_sync(
        &alice,
        "createImageMessage",
        &[file_options(&ids[1], &text, None)],
    )
    .expect_err("a text file is no image");
    assert_eq!(code_of(&thrown), 2252.0);
    let empty = make_file(0, "empty.bin", "");
    let thrown = call_sync(
        &alice,
        "createFileMessage",
        &[file_options(&ids[1], &empty, None)],
    )
    .expect_err("empty");
    assert_eq!(code_of(&thrown), 2108.0);
    let file = make_file(10, "a.bin", "");
    let thrown = call_sync(
        &alice,
        "createFileMessage",
        &[file_options(&ids[1], &file, Some(&JsValue::from(5)))],
    )
    .expect_err("onProgress");
    assert_eq!(code_of(&thrown), 2109.0);
    let thrown = call_sync(
        &alice,
        "createFileMessage",
        &[file_options(&ids[1], &empty_input(), None)],
    )
    .expect_err("nothing selected");
    assert_eq!(code_of(&thrown), 2401.0);
    let mini = obj(r#"{"tempFilePaths":["wxfile://tmp.png"],"tempFiles":[{"path":"x","size":3}]}"#);
    let thrown = call_sync(
        &alice,
        "createImageMessage",
        &[file_options(&ids[1], &mini, None)],
    )
    .expect_err("mini-program object");
    assert!(
        s(&thrown, "message").contains("mini-program"),
        "{}",
        show(&thrown)
    );
    let after = http("GET", "/debug/uploads", None).await;
    assert_eq!(n(&after, "chunkBytes"), n(&before, "chunkBytes"));
    assert_eq!(n(&after, "sessions"), n(&before, "sessions"));
    destroy(&alice).await;
}

#[wasm_bindgen_test]
async fn an_upload_the_server_breaks_fails_fast_and_resends_only_what_is_missing() {
    let ids = users(2).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let bob = login(&unique("b"), &ids[1]).await;
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let log = xhr_log();
    let logged_before = log.length();
    let size = 13 * 1024 * 1024; // four chunks of 4 MiB
    let file = make_file(size, "big.bin", "");
    let original = hash(&file).await;
    let progress = progress_recorder();
    let options = file_options(&ids[1], &file, Some(&get(&progress, "f")));
    let message = call_sync(&alice, "createFileMessage", &[options]).expect("create");
    http(
        "POST",
        "/debug/upload-fault",
        Some(&obj(r#"{"afterChunks":1,"failNext":1000}"#)),
    )
    .await;
    let started = js_sys::Date::now();
    let failed = rejects(&alice, "sendMessage", std::slice::from_ref(&message)).await;
    let took = js_sys::Date::now() - started;
    http(
        "POST",
        "/debug/upload-fault",
        Some(&obj(r#"{"failNext":0}"#)),
    )
    .await;
    assert_eq!(code_of(&failed), 2400.0, "{}", show(&failed));
    assert!(took < 30_000.0, "failure took {took} ms");
    assert_eq!(s(&message, "status"), "fail");
    assert_eq!(s(&failed, "data.message.status"), "fail");

    let data = ok(&alice, "resendMessage", std::slice::from_ref(&message)).await;
    assert_eq!(s(&data, "message.status"), "success");
    let id = s(&message, "ID");
    let got = bob_rx
        .wait_message(10_000, |m| s(m, "ID") == id)
        .await
        .expect("bob gets the resent file");
    let body = fetch_file(&s(&got, "payload.fileUrl"))
        .await
        .expect("download");
    assert_eq!(hash(&body).await, original);
    let calls = progress_calls(&progress);
    assert!(calls.windows(2).all(|w| w[0] < w[1]), "{calls:?}");
    assert_eq!(*calls.last().unwrap(), 1.0);

    // One session, each chunk written once although the first send was cut off.
    let urls: Vec<String> = log
        .iter()
        .skip(logged_before as usize)
        .filter_map(|u| u.as_string())
        .collect();
    let upload_ids: std::collections::BTreeSet<String> = urls
        .iter()
        .filter_map(|u| u.strip_prefix("PUT "))
        .filter_map(|u| u.split("/files/uploads/").nth(1))
        .filter_map(|rest| rest.split('/').next().map(str::to_owned))
        .collect();
    assert_eq!(upload_ids.len(), 1, "{urls:?}");
    let upload_id = upload_ids.into_iter().next().unwrap();
    assert!(
        urls.iter()
            .any(|u| u.starts_with("GET ") && u.ends_with(&upload_id)),
        "the resend asked the server what it had: {urls:?}"
    );
    let debug = http("GET", &format!("/debug/uploads/{upload_id}"), None).await;
    let writes: Vec<f64> = items(&get(&debug, "chunkWrites"))
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    assert_eq!(writes, vec![1.0; 4], "{}", show(&debug));
    destroy(&alice).await;
    destroy(&bob).await;
}

/// The core picks a failed upload's code from the message's type; the message shows `fail`
/// and resends once the server takes chunks again.
#[wasm_bindgen_test]
async fn a_failed_video_or_audio_upload_rejects_with_its_own_code() {
    let ids = users(2).await;
    let alice = login(&unique("a"), &ids[0]).await;
    let video = make_file(3000, "clip.mp4", "video/mp4");
    let cases = [
        ("createVideoMessage", video, 2350.0),
        ("createAudioMessage", wav_file(1), 2300.0),
    ];
    for (create, file, code) in cases {
        let options = file_options(&ids[1], &file, None);
        let message = call_sync(&alice, create, &[options]).expect(create);
        let fault = r#"{"afterChunks":0,"failNext":1000}"#;
        http("POST", "/debug/upload-fault", Some(&obj(fault))).await;
        let failed = rejects(&alice, "sendMessage", std::slice::from_ref(&message)).await;
        let clear = r#"{"failNext":0}"#;
        http("POST", "/debug/upload-fault", Some(&obj(clear))).await;
        assert_eq!(code_of(&failed), code, "{create}: {}", show(&failed));
        assert!(s(&failed, "message").starts_with("upload failed: "));
        assert_eq!(s(&message, "status"), "fail");
        assert_eq!(s(&failed, "data.message.status"), "fail");
        let data = ok(&alice, "resendMessage", std::slice::from_ref(&message)).await;
        assert_eq!(s(&data, "message.status"), "success", "{create}");
    }
    destroy(&alice).await;
}
