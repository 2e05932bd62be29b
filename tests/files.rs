//! Browser tests of rich messages against the real server: chunked upload with progress,
//! byte-identical download, image dimensions and thumbnails, size and type limits, a resumed
//! upload after the server failed mid-way, each type's upload failure code, download access
//! control, forwarding, audio/video metadata, merged messages (inline and stored as a file),
//! group files, and the codec of the new contents against the protocol's serde.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Array, Object, Promise};
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function makeFile(size, name, type) {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >> 13)) & 255;
  return new File([b], name, { type });
}
export function bigBlob(parts, partSize) {
  const p = new Blob([new Uint8Array(partSize)]);
  return new Blob(new Array(parts).fill(p));
}
export async function pngFile(w, h) {
  const c = new OffscreenCanvas(w, h), g = c.getContext('2d');
  g.fillStyle = '#c33'; g.fillRect(0, 0, w, h);
  g.fillStyle = '#33c'; g.fillRect(w / 4, h / 4, w / 2, h / 2);
  const b = await c.convertToBlob({ type: 'image/png' });
  return new File([b], 'pic.png', { type: 'image/png' });
}
export function wavFile(seconds) {
  const rate = 8000, n = rate * seconds, buf = new ArrayBuffer(44 + n), v = new DataView(buf);
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, 'RIFF'); v.setUint32(4, 36 + n, true); str(8, 'WAVE'); str(12, 'fmt ');
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate, true); v.setUint16(32, 1, true);
  v.setUint16(34, 8, true); str(36, 'data'); v.setUint32(40, n, true);
  for (let i = 0; i < n; i++) v.setUint8(44 + i, 128 + Math.round(60 * Math.sin(i / 5)));
  return new File([buf], 'voice.wav', { type: 'audio/wav' });
}
export async function sha256(blob) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}
export async function download(url) {
  const r = await fetch(url);
  return r.ok ? await r.blob() : r.status;
}
export async function imageSize(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error('HTTP ' + r.status);
  const bmp = await createImageBitmap(await r.blob());
  return [bmp.width, bmp.height];
}
export function inputWith(file) {
  const input = document.createElement('input'), dt = new DataTransfer();
  input.type = 'file';
  dt.items.add(file);
  input.files = dt.files;
  return input;
}
export function emptyInput() {
  return Object.assign(document.createElement('input'), { type: 'file' });
}
export function progressRecorder() {
  const calls = [];
  return { calls, f: (p) => calls.push(p) };
}
// Records the URLs of every XHR the page opens (the SDK's upload requests).
export function xhrLog() {
  if (!XMLHttpRequest.prototype.__logged) {
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.__logged = [];
    XMLHttpRequest.prototype.open = function (m, u, ...rest) {
      XMLHttpRequest.prototype.__logged.push(m + ' ' + u);
      return open.call(this, m, u, ...rest);
    };
  }
  return XMLHttpRequest.prototype.__logged;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = makeFile)]
    fn make_file(size: u32, name: &str, mime: &str) -> JsValue;
    #[wasm_bindgen(js_name = bigBlob)]
    fn big_blob(parts: u32, part_size: u32) -> JsValue;
    #[wasm_bindgen(js_name = pngFile)]
    fn png_file(w: u32, h: u32) -> Promise;
    #[wasm_bindgen(js_name = wavFile)]
    fn wav_file(seconds: u32) -> JsValue;
    fn sha256(blob: &JsValue) -> Promise;
    fn download(url: &str) -> Promise;
    #[wasm_bindgen(js_name = imageSize)]
    fn image_size(url: &str) -> Promise;
    #[wasm_bindgen(js_name = inputWith)]
    fn input_with(file: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = emptyInput)]
    fn empty_input() -> JsValue;
    #[wasm_bindgen(js_name = progressRecorder)]
    fn progress_recorder() -> JsValue;
    #[wasm_bindgen(js_name = xhrLog)]
    fn xhr_log() -> Array;
}

async fn wait(p: Promise) -> JsValue {
    match timeout(20_000, JsFuture::from(p)).await {
        Some(Ok(v)) => v,
        Some(Err(e)) => panic!("rejected: {}", show(&e)),
        None => panic!("timed out"),
    }
}

async fn hash(blob: &JsValue) -> String {
    wait(sha256(blob)).await.as_string().unwrap_or_default()
}

/// The body of a download, or its HTTP status when not 2xx.
async fn fetch_file(url: &str) -> Result<JsValue, f64> {
    let got = wait(download(url)).await;
    match got.as_f64() {
        Some(status) => Err(status),
        None => Ok(got),
    }
}

/// `{to, conversationType: "C2C", payload: {file}, onProgress?}`.
fn file_options(to: &str, file: &JsValue, on_progress: Option<&JsValue>) -> JsValue {
    let options = obj(&format!(
        r#"{{"to":"{to}","conversationType":"C2C","payload":{{}}}}"#
    ));
    let _ = js_sys::Reflect::set(&get(&options, "payload"), &"file".into(), file);
    if let Some(f) = on_progress {
        let _ = js_sys::Reflect::set(&options, &"onProgress".into(), f);
    }
    options
}

fn progress_calls(recorder: &JsValue) -> Vec<f64> {
    items(&get(recorder, "calls"))
        .iter()
        .filter_map(|v| v.as_f64())
        .collect()
}

fn code_of(thrown: &JsValue) -> f64 {
    n(thrown, "code")
}

async fn users(n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n).map(|i| unique(&format!("f{i}"))).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    import_accounts(&refs).await;
    ids
}

/// Sends `message` from `from` and returns what `to_rx` received with the same ID.
async fn send_and_receive(from: &JsValue, message: &JsValue, to_rx: &Recorder) -> JsValue {
    let data = ok(from, "sendMessage", std::slice::from_ref(message)).await;
    assert_eq!(s(&data, "message.status"), "success", "{}", show(&data));
    let id = s(message, "ID");
    to_rx
        .wait_message(10_000, |m| s(m, "ID") == id)
        .await
        .unwrap_or_else(|| panic!("message {id} not received"))
}

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

/// Every file and merger content, nested merger included.
fn rich_contents() -> Vec<tim_protocol::Content> {
    use tim_protocol::{Content, ImageInfo, MergedMessage};
    let image = Content::Image {
        uuid: "i1".into(),
        image_format: 3,
        image_info_array: vec![
            ImageInfo {
                width: 800,
                height: 600,
                size: 12_345,
                url: "/files/i1".into(),
                kind: 0,
            },
            ImageInfo {
                width: 198,
                height: 149,
                size: 999,
                url: "/files/i3".into(),
                kind: 1,
            },
        ],
    };
    let file = Content::File {
        uuid: "f1".into(),
        file_name: "r\"e\u{4f60}.bin".into(),
        file_size: 104_857_600,
        file_url: "/files/f1".into(),
    };
    let video = Content::Video {
        video_uuid: "v1".into(),
        video_url: "/files/v1".into(),
        video_size: 5,
        video_second: 61,
        video_format: "mp4".into(),
        thumb_uuid: "t1".into(),
        thumb_url: "/files/t1".into(),
        thumb_width: 720,
        thumb_height: 405,
        thumb_size: 77,
    };
    let sound = Content::Sound {
        uuid: "s1".into(),
        url: "/files/s1".into(),
        size: 3,
        second: 2,
    };
    let merged = |id: &str, content| MergedMessage {
        id: id.into(),
        from: "alice".into(),
        nick: "Al".into(),
        avatar: String::new(),
        time: 1_700_000_000,
        content,
    };
    let inner = Content::Merger {
        title: "inner".into(),
        abstract_list: vec![],
        compatible_text: "c".into(),
        message_list: vec![merged("m1", sound.clone())],
        download_key: String::new(),
        layers_over_limit: false,
    };
    let outer = Content::Merger {
        title: "outer".into(),
        abstract_list: vec!["a: 1".into(), "b: 2".into()],
        compatible_text: "upgrade".into(),
        message_list: vec![merged("m2", image.clone()), merged("m3", inner)],
        download_key: "k1".into(),
        layers_over_limit: true,
    };
    vec![image, file, video, sound, outer]
}

#[wasm_bindgen_test]
fn rich_contents_encode_as_the_protocol_serializes_them_and_decode_back() {
    use tim_protocol::{Change, ClientFrame, ConvType, Message, Request, ServerFrame};
    use tim_sdk::web::codec;
    for (i, content) in rich_contents().into_iter().enumerate() {
        let frame = ClientFrame {
            id: i as u32,
            req: Request::Modify(tim_protocol::req::Modify {
                conversation_id: "C2Cbob".into(),
                seq: 5,
                version: 1,
                content: content.clone(),
                cloud_custom_data: String::new(),
            }),
        };
        let manual = codec::encode(&frame).expect("encode");
        let serde = js_sys::JSON::stringify(&codec::to_js(&frame).expect("serde")).expect("json");
        assert_eq!(manual.as_string(), serde.as_string(), "content {i}");

        let push = ServerFrame::Push {
            sync_seq: 9,
            message: Message {
                id: format!("m{i}"),
                conv_type: ConvType::C2c,
                from: "alice".into(),
                to: "bob".into(),
                seq: 3,
                time: 1_700_000_001,
                random: 7,
                client_time: 1_700_000_000,
                priority: "Normal".into(),
                content,
                cloud_custom_data: String::new(),
                at_user_list: vec![],
                nick: String::new(),
                avatar: String::new(),
                revoked: false,
                version: 0,
                need_read_receipt: false,
                offline_push_info: String::new(),
            },
            change: Change::New,
        };
        let text = js_sys::JSON::stringify(&codec::to_js(&push).expect("serde")).expect("json");
        let decoded = codec::decode(&text.into()).expect("decode");
        assert_eq!(decoded, push, "content {i}");
    }
}
