//! Rich messages on the `TIM` class: the file creators (`createImageMessage`,
//! `createFileMessage`, `createVideoMessage`, `createAudioMessage`), `createMergerMessage`,
//! `createForwardMessage`, `downloadMergerMessage`, and the upload that `sendMessage` /
//! `resendMessage` run before a file message goes on the socket.

use std::rc::Rc;

use js_sys::{Function, Object, Promise, JSON};
use wasm_bindgen::prelude::*;

use super::instance::{err, show, Instance, Settle};
use super::{js, message_arg, Tim};
use crate::core::{
    codes, Command, Core, FileKind, MessageStatus, MessageView, PickedFile, SdkError, Shown,
    Uploaded,
};
use crate::web::js::object;
use crate::web::js::options;
use crate::web::js::read::{array, field, string, uint};
use crate::web::{codec, files};

/// A JS `done(error, value)` callback. Every use boxes its closure, so the wasm holds one
/// copy of wasm-bindgen's closure glue rather than one per call site.
fn done_callback(f: Box<dyn FnOnce(JsValue, JsValue)>) -> JsValue {
    Closure::once_into_js(f)
}

fn not_destroyed(tim: &Tim) -> Result<(), SdkError> {
    if tim.inner.destroyed.get() {
        return Err(err(codes::INVALID_OPERATION, "instance destroyed"));
    }
    Ok(())
}

fn file_message(tim: &Tim, kind: FileKind, options: &JsValue) -> Result<JsValue, SdkError> {
    not_destroyed(tim)?;
    let picked = files::pick_file(&field(&field(options, "payload"), "file"));
    if let Some(why) = picked.as_string() {
        let code = match kind {
            FileKind::Image => codes::MESSAGE_IMAGE_SELECT_FILE_FIRST,
            _ => codes::MESSAGE_FILE_SELECT_FILE_FIRST,
        };
        return Err(err(code, &why));
    }
    let on_progress = field(options, "onProgress");
    if !(on_progress.is_undefined() || on_progress.is_null() || on_progress.is_function()) {
        return Err(err(
            codes::MESSAGE_ONPROGRESS_FUNCTION_ERROR,
            "onProgress must be a function",
        ));
    }
    let file = PickedFile {
        name: string(&picked, "name").unwrap_or_default(),
        size: uint(&picked, "size").unwrap_or(0),
        mime: string(&picked, "type").unwrap_or_default(),
    };
    let (view, content) = tim.inner.driver.create_file_message(
        kind,
        options::create_options(options, false),
        &file,
    )?;
    let shell = codec::content_js(&content);
    let job = files::new_job(&picked, &shell, &on_progress);
    tim.inner.keep_job(view.id.clone(), job);
    js::to_plain(&view)
}

fn file_call(tim: &Tim, kind: FileKind, options: &JsValue) -> Result<JsValue, JsValue> {
    file_message(tim, kind, options).map_err(|e| js::error_value(&e, None))
}

/// The list travels inline when short; the core decides by the length of its JSON, and a long
/// one is the job's file, uploaded at send (its ID becomes the `downloadKey`).
fn merger_message(tim: &Tim, options: &JsValue) -> Result<JsValue, SdkError> {
    not_destroyed(tim)?;
    let options = options::create_options(options, true);
    let (view, content) = tim.inner.driver.create_merger_message(options)?;
    let shell = codec::content_js(&content);
    // Never fails: `content_js` builds plain objects of strings and numbers.
    let file = JSON::stringify(&field(&field(&shell, "payload"), "message_list"))
        .ok()
        .filter(|list| Core::merger_uploads_list(list.length() as usize))
        .map_or(JsValue::NULL, JsValue::from);
    let job = files::new_job(&file, &shell, &JsValue::UNDEFINED);
    tim.inner.keep_job(view.id.clone(), job);
    js::to_plain(&view)
}

fn forward_message(tim: &Tim, message: &JsValue, options: &JsValue) -> Result<JsValue, SdkError> {
    not_destroyed(tim)?;
    let (view, _) = message_arg(message).map_err(|_| {
        err(
            codes::MESSAGE_FORWARD_TYPE_INVALID,
            "createForwardMessage needs a Message",
        )
    })?;
    let view = tim
        .inner
        .driver
        .create_forward_message(&view, options::create_options(options, false))?;
    js::to_plain(&view)
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `createImageMessage({to, conversationType, payload: {file}, onProgress?})`: `file` is an
    /// `<input type="file">` (its first file), a File or a Blob of type jpg, jpeg, gif, png,
    /// bmp or webp (else throws 2252). Throws 2108 for an empty file, 2402 over 100 MB, 2109
    /// for a non-function `onProgress`. `sendMessage` uploads the original, a large (720 px)
    /// and a thumbnail (198 px) image, reporting `onProgress(0..1)`.
    #[wasm_bindgen(js_name = createImageMessage)]
    pub fn create_image_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        file_call(self, FileKind::Image, &options)
    }

    /// `createFileMessage({to, conversationType, payload: {file}, onProgress?})`: any file up to
    /// 100 MB; the checks of `createImageMessage` but the type.
    #[wasm_bindgen(js_name = createFileMessage)]
    pub fn create_file_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        file_call(self, FileKind::File, &options)
    }

    /// `createVideoMessage({to, conversationType, payload: {file}, onProgress?})`: duration and
    /// a thumbnail where the browser can decode the video (else 0 and none).
    #[wasm_bindgen(js_name = createVideoMessage)]
    pub fn create_video_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        file_call(self, FileKind::Video, &options)
    }

    /// `createAudioMessage({to, conversationType, payload: {file}, onProgress?})`: size and
    /// duration (`second`) where the browser can tell.
    #[wasm_bindgen(js_name = createAudioMessage)]
    pub fn create_audio_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        file_call(self, FileKind::Audio, &options)
    }

    /// `createMergerMessage({to, conversationType, payload: {messageList, title, abstractList,
    /// compatibleText}})`: throws 2450 without messages or compatibleText, or with a message
    /// this instance has not sent, received or fetched. A list longer than 8 KB of JSON is
    /// uploaded as a file at send and the message carries its `downloadKey` (see
    /// `downloadMergeMessage`).
    #[wasm_bindgen(js_name = createMergerMessage)]
    pub fn create_merger_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        merger_message(self, &options).map_err(|e| js::error_value(&e, None))
    }

    /// `createForwardMessage(message, {to, conversationType})` (or tim-js-sdk's
    /// `createForwardMessage({to, conversationType, payload: message})`): a new message with
    /// the content of `message`; throws 2453 for a message that cannot be forwarded.
    #[wasm_bindgen(js_name = createForwardMessage)]
    pub fn create_forward_message(
        &self,
        message: JsValue,
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let made = match options {
            Some(options) if options.is_object() => forward_message(self, &message, &options),
            _ => forward_message(self, &field(&message, "payload"), &message),
        };
        made.map_err(|e| js::error_value(&e, None))
    }

    /// `downloadMergerMessage(message)`: resolves the message itself (as tim-js-sdk does, not
    /// `{code, data}`) with `payload.messageList` filled in (downloaded when the merger carries
    /// a `downloadKey`; the object passed in is updated too). Rejects 2451 without a list or
    /// key, 2452 when the download fails.
    #[wasm_bindgen(js_name = downloadMergerMessage)]
    pub fn download_merger_message(&self, message: JsValue) -> Promise {
        download_merge(&self.inner, message)
    }

    /// `downloadMergeMessage(message)`: the name tim-js-sdk 2.27's declarations give
    /// `downloadMergerMessage`.
    #[wasm_bindgen(js_name = downloadMergeMessage)]
    pub fn download_merge_message(&self, message: JsValue) -> Promise {
        download_merge(&self.inner, message)
    }
}

fn download_merge(inner: &Rc<Instance>, message: JsValue) -> Promise {
    let payload = field(&message, "payload");
    let key = string(&payload, "downloadKey").unwrap_or_default();
    let (promise, Some(resolvers)) = js::promise(None) else {
        return js::rejected(&err(codes::UNCAUGHT_ERROR, "no Promise"));
    };
    if key.is_empty() {
        let listed = array(&payload, "messageList").is_some_and(|l| !l.is_empty());
        if listed {
            resolvers.resolve_bare(&message);
        } else {
            let e = err(
                codes::MESSAGE_MERGER_KEY_INVALID,
                "the message has no merged list",
            );
            resolvers.reject(&e, None);
        }
        return promise;
    }
    let Some(urls) = inner.driver.file_urls() else {
        resolvers.reject(&err(codes::SDK_IS_NOT_READY, "login first"), None);
        return promise;
    };
    let url = urls.absolute(&(String::from(tim_protocol::FILE_URL_PREFIX) + &key));
    let this = Rc::downgrade(inner);
    let done = done_callback(Box::new(move |error: JsValue, list: JsValue| {
        let fail = |why: &str| err(codes::MESSAGE_MERGER_DOWNLOAD_FAIL, why);
        let list = match (this.upgrade(), error.as_string()) {
            (_, Some(why)) => Err(fail(&why)),
            (None, _) => Err(fail("instance destroyed")),
            (Some(inner), None) => codec::merged_list(&list)
                .map(|list| inner.driver.merged_views(&list))
                .map_err(|_| fail("the merged list is unreadable")),
        };
        match list.and_then(|views| js::to_plain(&views)) {
            Ok(views) => {
                if payload.is_object() {
                    object::set(payload.unchecked_ref(), "messageList", &views);
                }
                resolvers.resolve_bare(&message);
            }
            Err(e) => resolvers.reject(&e, None),
        }
    }));
    files::fetch_json(&url, &done);
    promise
}

/// `sendMessage` / `resendMessage` of a message whose files are not uploaded yet: runs (or
/// resumes) the upload, then sends the completed message. A failure rejects as the core says
/// ([`Core::upload_failed`], [`Core::upload_stopped`]).
pub(super) fn upload_then_send(
    inner: &Rc<Instance>,
    job: JsValue,
    view: MessageView,
    object: Object,
    command: impl FnOnce(MessageView) -> Command + 'static,
    callback: Option<Function>,
) -> Promise {
    let data = |o: &Object| object::with("message", o);
    if files::job_busy(&job) {
        let e = err(
            codes::INVALID_OPERATION,
            "this message is already being sent",
        );
        return js::rejected_calling(&e, callback.as_ref());
    }
    let Some(urls) = inner.driver.file_urls() else {
        let (e, shown) = Core::upload_stopped(err(
            codes::SDK_IS_NOT_READY,
            "not logged in, or the server gave no file token",
        ));
        show(&object, shown);
        return js::rejected_calling(&e, callback.as_ref());
    };
    let (promise, Some(resolvers)) = js::promise(callback) else {
        return js::rejected(&err(codes::UNCAUGHT_ERROR, "no Promise"));
    };
    show(&object, Shown::Status(MessageStatus::UnSend));
    let this = Rc::downgrade(inner);
    let done = done_callback(Box::new(move |error: JsValue, uploaded: JsValue| {
        let filled = match (this.upgrade(), error.is_null()) {
            (Some(inner), true) => inner
                .driver
                .fill_draft(view, &uploads(&uploaded), second(&uploaded))
                .map(|view| (inner, view))
                .map_err(Core::upload_stopped),
            (None, _) => Err(Core::upload_stopped(err(
                codes::INVALID_OPERATION,
                "instance destroyed",
            ))),
            (_, false) => Err(Core::upload_failed(
                &view,
                uint(&error, "code").map(|c| c as u32),
                &string(&error, "message").unwrap_or_default(),
            )),
        };
        match filled {
            Ok((inner, view)) => {
                if let Ok(payload) = js::to_plain(&view.payload) {
                    object::set(&object, "payload", &payload);
                }
                inner.forget_job(&view.id);
                inner.call_with(command(view), Settle::Send(object), resolvers);
            }
            Err((e, shown)) => {
                show(&object, shown);
                resolvers.reject(&e, Some(&data(&object)));
            }
        }
    }));
    files::run_job(&job, &urls.origin, &urls.token, &done);
    promise
}

/// What `files.js` uploaded for a message, in upload order.
fn uploads(result: &JsValue) -> Vec<Uploaded> {
    let mut out = Vec::new();
    for u in array(result, "uploads").unwrap_or_default() {
        out.push(Uploaded {
            file_id: string(&u, "id").unwrap_or_default(),
            url: string(&u, "url").unwrap_or_default(),
            size: uint(&u, "size").unwrap_or(0),
            width: uint(&u, "w").unwrap_or(0) as u32,
            height: uint(&u, "h").unwrap_or(0) as u32,
        });
    }
    out
}

/// A video's or sound's duration as `files.js` measured it.
fn second(result: &JsValue) -> u32 {
    uint(result, "second").unwrap_or(0) as u32
}
