//! The file plumbing in `files.js`: picking a file, preparing and uploading it, downloading a
//! merger's list. Callbacks are Node-style `done(error, value)` closures made with
//! `Closure::once_into_js`, which keeps a futures executor out of the wasm.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/files.js")]
extern "C" {
    /// The Blob/File of `payload.file` (an `<input type="file">`, File or Blob), or a string
    /// saying why there is none (a mini-program object, nothing selected, another type).
    #[wasm_bindgen(js_name = pickFile)]
    pub fn pick_file(value: &JsValue) -> JsValue;

    /// An upload job for `file` of a message whose content is `shell` (wire shape): a Blob, or
    /// a merger's list as JSON text when the core says it is uploaded (null: it is not).
    #[wasm_bindgen(js_name = newJob)]
    pub fn new_job(file: &JsValue, shell: &JsValue, on_progress: &JsValue) -> JsValue;

    /// The job is running now.
    #[wasm_bindgen(js_name = jobBusy)]
    pub fn job_busy(job: &JsValue) -> bool;

    /// Runs or resumes the job: `done({code, message}, null)` (`code`: the server's, if it
    /// refused the upload; see `Core::upload_failed`) or `done(null, {uploads: [{id, url, size,
    /// w, h}], second})`, the uploads in the order `Core::fill_draft` takes.
    #[wasm_bindgen(js_name = runJob)]
    pub fn run_job(job: &JsValue, origin: &str, token: &str, done: &JsValue);

    /// GETs `url` as JSON: `done(reason, null)` or `done(null, value)`.
    #[wasm_bindgen(js_name = fetchJson)]
    pub fn fetch_json(url: &str, done: &JsValue);
}
