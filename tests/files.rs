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
// Names the stage that failed: the request, or the body (a full disk fails the latter).
export async function download(url) {
  let r;
  try { r = await fetch(url); } catch (e) { throw new Error('fetch ' + url + ': ' + e); }
  try { return r.ok ? await r.blob() : r.status; } catch (e) { throw new Error('body ' + r.status + ' ' + r.headers.get('content-length') + ': ' + e); }
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
        // `{:?}` shows a JS Error (a failed fetch) that `show` prints as `{}`.
        Some(Err(e)) => panic!("rejected: {} {e:?}", show(&e)),
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

#[path = "files/contents.rs"]
mod contents;
#[path = "files/sharing.rs"]
mod sharing;
#[path = "files/uploads.rs"]
mod uploads;
