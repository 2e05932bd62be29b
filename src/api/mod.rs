//! The wasm-bindgen surface: a class exported to JavaScript as `TIM`, with tim-js-sdk's names.
//!
//! ```js
//! import init, { TIM } from './pkg/tim_sdk.js';
//! await init();
//! const tim = TIM.create({ SDKAppID: 1400000000 });
//! tim.on(TIM.EVENT.MESSAGE_RECEIVED, (event) => console.log(event.data));
//! await tim.login({ userID: 'alice', userSig });
//! ```
//!
//! `TIM.create` returns the same instance for the same `SDKAppID`, as tim-js-sdk does. Two
//! non-standard options: `serverURL` (e.g. `ws://127.0.0.1:8080`; default: the page's origin
//! with `ws:`/`wss:`) and `instanceName`, which makes a separate instance per name, so one page
//! can host two users (`TIM.create({SDKAppID, instanceName: 'bob'})`).
//!
//! Every async method returns a Promise that resolves `{code: 0, data}` or rejects with
//! `{code, message, data?}`; bad input never throws from them. The `create*Message` methods are
//! synchronous and throw `{code, message}` on invalid options, and so are `findMessage` and
//! `getTotalUnreadMessageCount`, which need no network. Events reach listeners as
//! `{name, data}`; `MESSAGE_REVOKED`, `MESSAGE_MODIFIED` and `MESSAGE_READ_BY_PEER` carry an
//! array of Messages in their new state.
//!
//! Message objects carry one non-standard field, `version` (0 until modified; the server's
//! edit counter): `modifyMessage` sends the version of the object it is given, so editing a
//! stale copy fails with `MESSAGE_MODIFY_CONFLICT` instead of overwriting a newer edit.

mod bulk;
mod conversations;
mod emitter;
mod engine;
mod files;
mod groups;
mod instance;
mod js;
mod local;
mod receipts;
mod registry;

use std::rc::Rc;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;

use self::instance::{err, Instance, Settle};
use crate::core::{codes, Command, MessageKind, SdkError};
use crate::web::js::options;
use crate::web::js::read as fields;
use crate::web::log;

/// A Tencent Cloud Chat SDK instance; exported to JavaScript as `TIM`.
#[wasm_bindgen(js_name = TIM)]
pub struct Tim {
    inner: Rc<Instance>,
}

fn message_kind_call(tim: &Tim, kind: MessageKind, options: JsValue) -> Result<JsValue, JsValue> {
    let made = if tim.inner.destroyed.get() {
        Err(err(codes::INVALID_OPERATION, "instance destroyed"))
    } else {
        Ok(options::create_options(&options, false))
    };
    made.and_then(|options| tim.inner.driver.create_message(kind, options))
        .and_then(|message| js::to_plain(&message))
        .map_err(|e| js::error_value(&e, None))
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `TIM.create({SDKAppID, serverURL?, instanceName?, cache?})`: the instance for that
    /// SDKAppID (and instance name), made on first use. Throws `{code, message}` without a
    /// valid SDKAppID. `cache: {maxMessagesPerConversation, maxMessages}` bounds the message
    /// cache (defaults 5 000 and 200 000; the oldest go first).
    #[wasm_bindgen(unchecked_return_type = "TIM")]
    pub fn create(
        #[wasm_bindgen(
            unchecked_param_type = "{ SDKAppID: number, serverURL?: string, instanceName?: string, cache?: { maxMessagesPerConversation?: number, maxMessages?: number } }"
        )]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        registry::create(&options).map_err(|e| js::error_value(&e, None))
    }

    /// `TIM.VERSION`.
    #[wasm_bindgen(getter = VERSION)]
    pub fn version() -> String {
        env!("CARGO_PKG_VERSION").to_owned()
    }

    /// `login({userID, userSig})`: resolves `{code: 0, data: {repeatLogin}}` once the SDK is
    /// ready; `SDK_READY` follows in the next task, so it is heard whether listened for before
    /// `login()` or after awaiting it. The first login fails within seconds with
    /// `NETWORK_ERROR` (2800) or `NETWORK_TIMEOUT` (2801), naming the URL, when the socket
    /// does not open or the login gets no answer.
    pub fn login(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ userID: string, userSig: string }")]
        options: JsValue,
    ) -> Promise {
        let user_id = fields::string(&options, "userID").filter(|s| !s.is_empty());
        let user_sig = fields::string(&options, "userSig").filter(|s| !s.is_empty());
        let Some(user_id) = user_id else {
            return js::rejected(&err(codes::NO_IDENTIFIER, "userID is required"));
        };
        let Some(user_sig) = user_sig else {
            return js::rejected(&err(codes::NO_USERSIG, "userSig is required"));
        };
        self.inner
            .call(Command::Login { user_id, user_sig }, Settle::Plain)
    }

    /// `logout()`.
    pub fn logout(&self) -> Promise {
        self.inner.call(Command::Logout, Settle::Plain)
    }

    /// `destroy(options?)`: logs out if needed, emits `SDK_DESTROY`, closes the socket, drops
    /// every listener and timer. A later `TIM.create` makes a fresh instance. Non-standard:
    /// `{clearCache: true}` also deletes the last user's message cache (else it is kept).
    pub fn destroy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ clearCache?: boolean }")] options: Option<JsValue>,
    ) -> Promise {
        let clear = options.and_then(|o| fields::boolean(&o, "clearCache")) == Some(true);
        let name = self.inner.driver.cache_name().filter(|_| clear);
        let done = self.inner.destroy();
        match name {
            Some(name) => crate::web::cache::then_drop(&done, &name),
            None => done,
        }
    }

    /// `on(eventName, handler, context?)`: `handler` is called with `{name, data}` and `this`
    /// bound to `context`.
    pub fn on(
        &self,
        #[wasm_bindgen(js_name = eventName, unchecked_param_type = "string")] event_name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: { name: string, data: any }) => void")]
        handler: JsValue,
        context: Option<JsValue>,
    ) {
        let context = context.unwrap_or(JsValue::UNDEFINED);
        match (event_name.as_string(), handler.dyn_into::<Function>()) {
            (Some(name), Ok(handler)) if !self.inner.destroyed.get() => {
                self.inner.emitter.on(name, handler, context)
            }
            _ => log::warn("on(eventName, handler) ignored", &JsValue::UNDEFINED),
        }
    }

    /// `off(eventName, handler?, context?)`: removes by identity.
    pub fn off(
        &self,
        #[wasm_bindgen(js_name = eventName, unchecked_param_type = "string")] event_name: JsValue,
        handler: Option<JsValue>,
        context: Option<JsValue>,
    ) {
        let handler = handler.unwrap_or(JsValue::UNDEFINED);
        let context = context.unwrap_or(JsValue::UNDEFINED);
        let Some(name) = event_name.as_string() else {
            return;
        };
        let handler = handler.dyn_into::<Function>().ok();
        self.inner.emitter.off(&name, handler.as_ref(), &context);
    }

    /// `setLogLevel(level)`: 0 all, 1 release, 2 warnings, 3 errors, 4 none.
    #[wasm_bindgen(js_name = setLogLevel)]
    pub fn set_log_level(&self, level: JsValue) {
        if let Some(level) = level.as_f64() {
            log::set_level(level as i32);
        }
    }

    /// `createTextMessage({to, conversationType, payload: {text}, priority?, cloudCustomData?})`.
    #[wasm_bindgen(js_name = createTextMessage)]
    pub fn create_text_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        message_kind_call(self, MessageKind::Text, options)
    }

    /// `createTextAtMessage({to, conversationType, payload: {text, atUserList}})`.
    #[wasm_bindgen(js_name = createTextAtMessage)]
    pub fn create_text_at_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        message_kind_call(self, MessageKind::TextAt, options)
    }

    /// `createCustomMessage({to, conversationType, payload: {data, description, extension}})`.
    #[wasm_bindgen(js_name = createCustomMessage)]
    pub fn create_custom_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        message_kind_call(self, MessageKind::Custom, options)
    }

    /// `createFaceMessage({to, conversationType, payload: {index, data}})`.
    #[wasm_bindgen(js_name = createFaceMessage)]
    pub fn create_face_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        message_kind_call(self, MessageKind::Face, options)
    }

    /// `createLocationMessage({to, conversationType, payload: {description, longitude, latitude}})`.
    #[wasm_bindgen(js_name = createLocationMessage)]
    pub fn create_location_message(&self, options: JsValue) -> Result<JsValue, JsValue> {
        message_kind_call(self, MessageKind::Location, options)
    }

    /// `sendMessage(message, options?)`: updates `message` in place (`status`, `time`,
    /// `sequence`) and resolves `{code: 0, data: {message}}`; on failure `message.status` is
    /// `"fail"` and the rejection carries `data.message`. `options.onlineUserOnly`: delivered
    /// only to recipients connected now (not stored, `sequence` 0, not unread, never synced);
    /// `options.offlinePushInfo` (`{disablePush, title, description, extension, ...}`) is
    /// stored with the message and given to the server's push webhook for offline recipients.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, message: JsValue, options: Option<JsValue>) -> Promise {
        self.send(message, options, None)
    }

    /// `resendMessage(message)`: sends again a message whose send failed (`status: "fail"`),
    /// with the same `ID` (the server stores it once, so the peer never gets two). Anything
    /// else rejects with `INVALID_OPERATION` (2905).
    #[wasm_bindgen(js_name = resendMessage)]
    pub fn resend_message(&self, message: JsValue) -> Promise {
        match message_arg(&message) {
            Ok((view, object)) => match self.inner.job(&view.id) {
                Some(job) => files::upload_then_send(
                    &self.inner,
                    job,
                    view,
                    object,
                    Command::ResendMessage,
                    None,
                ),
                None => self
                    .inner
                    .call(Command::ResendMessage(view), Settle::Send(object)),
            },
            Err(e) => js::rejected(&e),
        }
    }

    /// `revokeMessage(message)`: resolves `{message}` with `isRevoked: true` (the object passed
    /// in is updated too). Refused (not the sender, after the revoke window, unknown message):
    /// rejects with `MESSAGE_REVOKE_FAIL` (2110) and the server's reason as `message`.
    #[wasm_bindgen(js_name = revokeMessage)]
    pub fn revoke_message(&self, message: JsValue) -> Promise {
        match message_arg(&message) {
            Ok((view, object)) => self
                .inner
                .call(Command::RevokeMessage(view), Settle::Update(object)),
            Err(e) => js::rejected(&e),
        }
    }

    /// `modifyMessage(message)`: the sender edits the `payload` (text, custom) or
    /// `cloudCustomData` of a sent message. Resolves `{message}` with `isModified: true` and
    /// the new `version`. An edit of an outdated `version` rejects with
    /// `MESSAGE_MODIFY_CONFLICT` (2480) and `data.message` = the current version when known;
    /// other refusals keep the server's code (20026 not the sender, 20028 type change,
    /// 20022 no such message); invalid payloads reject with 2905.
    #[wasm_bindgen(js_name = modifyMessage)]
    pub fn modify_message(&self, message: JsValue) -> Promise {
        match message_arg(&message) {
            Ok((view, object)) => self
                .inner
                .call(Command::ModifyMessage(view), Settle::Update(object)),
            Err(e) => js::rejected(&e),
        }
    }

    /// `deleteMessage([message, ...])`: deletes for this user (all their instances), not for
    /// the peer. The messages must belong to one conversation. Resolves `{messageList}` with
    /// the passed objects, now `isDeleted: true`; refusals reject with `MESSAGE_DELETE_FAIL`
    /// (2111).
    #[wasm_bindgen(js_name = deleteMessage)]
    pub fn delete_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "any[]")] messages: JsValue,
    ) -> Promise {
        let Some(list) = array_of(&messages) else {
            return js::rejected(&err(
                codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
                "deleteMessage needs an array of messages",
            ));
        };
        let mut views = Vec::with_capacity(list.len());
        let mut objects = Vec::with_capacity(list.len());
        for item in &list {
            match message_arg(item) {
                Ok((view, object)) => {
                    views.push(view);
                    objects.push(object);
                }
                Err(e) => return js::rejected(&e),
            }
        }
        self.inner
            .call(Command::DeleteMessage(views), Settle::Delete(objects))
    }

    /// `findMessage(messageID)`: the message with that ID this instance knows (sent, received,
    /// fetched or created here) as a plain object, or `null`. Synchronous.
    #[wasm_bindgen(js_name = findMessage)]
    pub fn find_message(
        &self,
        #[wasm_bindgen(js_name = messageID)] message_id: JsValue,
    ) -> JsValue {
        let found = message_id
            .as_string()
            .filter(|_| !self.inner.destroyed.get())
            .and_then(|id| self.inner.driver.find_message(&id));
        found
            .and_then(|m| js::to_plain(&m).ok())
            .unwrap_or(JsValue::NULL)
    }

    /// `getMessageList({conversationID, nextReqMessageID?, count?})`: resolves
    /// `{messageList, nextReqMessageID, isCompleted}`, at most 15 messages, oldest first.
    #[wasm_bindgen(js_name = getMessageList)]
    pub fn get_message_list(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ conversationID: string, nextReqMessageID?: string, count?: number }"
        )]
        options: JsValue,
    ) -> Promise {
        let Some(conversation_id) =
            fields::string(&options, "conversationID").filter(|s| !s.is_empty())
        else {
            return js::rejected(&err(
                codes::INVALID_CONVERSATION_ID,
                "conversationID is required",
            ));
        };
        let next_req_message_id =
            fields::string(&options, "nextReqMessageID").filter(|s| !s.is_empty());
        let count = fields::uint(&options, "count").map(|n| n.min(u32::MAX as u64) as u32);
        self.inner.call(
            Command::GetMessageList {
                conversation_id,
                next_req_message_id,
                count,
            },
            Settle::Plain,
        )
    }

    /// `getConversationList(options?)`: resolves `{conversationList, isSyncCompleted,
    /// nextSeq, isFinished}`, pinned first, then most recent first: the newest 100, or with
    /// `{nextSeq, count}` (seed 004's paging) `count` (at most 100) from position `nextSeq`;
    /// pass the returned `nextSeq` for the next page until `isFinished`.
    #[wasm_bindgen(js_name = getConversationList)]
    pub fn get_conversation_list(&self, options: Option<JsValue>) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        // nextSeq may come as a number or a numeric string (seed 004's example).
        let next_seq = fields::uint(&options, "nextSeq")
            .or_else(|| fields::string(&options, "nextSeq").and_then(|s| s.parse().ok()));
        let count = fields::uint(&options, "count");
        let command = match (next_seq, count) {
            (None, None) => Command::GetConversationList,
            (next_seq, count) => Command::GetConversationPage {
                next_seq: next_seq.unwrap_or(0),
                count: count.map_or(u32::MAX, |c| c.min(u32::MAX as u64) as u32),
            },
        };
        self.inner.call(command, Settle::Plain)
    }

    /// `setMessageRead({conversationID})`: clears the conversation's unread count (resolves
    /// at once when it has no message yet).
    #[wasm_bindgen(js_name = setMessageRead)]
    pub fn set_message_read(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ conversationID: string }")] options: JsValue,
    ) -> Promise {
        let Some(conversation_id) =
            fields::string(&options, "conversationID").filter(|s| !s.is_empty())
        else {
            return js::rejected(&err(
                codes::INVALID_CONVERSATION_ID,
                "conversationID is required",
            ));
        };
        self.inner
            .call(Command::SetMessageRead { conversation_id }, Settle::Plain)
    }

    /// `setAllMessageRead()`: marks every conversation read; resolves when the server has
    /// answered for all of them (`MESSAGE_UNREAD_ALL_FAIL`, 2112, if one fails).
    #[wasm_bindgen(js_name = setAllMessageRead)]
    pub fn set_all_message_read(&self, options: Option<JsValue>) -> Promise {
        let _ = options;
        self.inner.call(Command::SetAllMessageRead, Settle::Plain)
    }

    /// `getTotalUnreadMessageCount()`: the unread total over the listed conversations.
    /// Synchronous, like tim-js-sdk.
    #[wasm_bindgen(js_name = getTotalUnreadMessageCount)]
    pub fn get_total_unread_message_count(&self) -> u32 {
        if self.inner.destroyed.get() {
            return 0;
        }
        self.inner.driver.total_unread()
    }

    /// `getConversationProfile(conversationID)`: resolves `{conversation}`, a fresh one
    /// (unread 0, empty `lastMessage`) for a conversation not in the list, as tim-js-sdk;
    /// `INVALID_CONVERSATION_ID` (2503) for a malformed ID.
    #[wasm_bindgen(js_name = getConversationProfile)]
    pub fn get_conversation_profile(
        &self,
        #[wasm_bindgen(js_name = conversationID, unchecked_param_type = "string")]
        conversation_id: JsValue,
    ) -> Promise {
        match conversation_arg(&conversation_id) {
            Ok(conversation_id) => self.inner.call(
                Command::GetConversationProfile { conversation_id },
                Settle::Plain,
            ),
            Err(e) => js::rejected(&e),
        }
    }

    /// `deleteConversation(conversationID)`: removes it from this user's list (every
    /// instance); its messages are kept and a new message brings it back. Resolves
    /// `{conversationID}`. The batch form `({conversationIDList, clearHistoryMessage?})`
    /// (tim-js-sdk 2.27) deletes the listed ones of the first 100 and, unless
    /// `clearHistoryMessage: false`, clears their history; resolves `{conversationIDList}`
    /// with those deleted, rejects 2500 when none is listed.
    #[wasm_bindgen(js_name = deleteConversation)]
    pub fn delete_conversation(
        &self,
        #[wasm_bindgen(
            js_name = conversationID,
            unchecked_param_type = "string | { conversationIDList: string[], clearHistoryMessage?: boolean }"
        )]
        conversation_id: JsValue,
    ) -> Promise {
        // An object without `conversationID` is the batch form.
        if fields::field(&conversation_id, "conversationID").is_undefined()
            && conversation_id.is_object()
        {
            let clear = fields::field(&conversation_id, "clearHistoryMessage");
            return match conversations::id_list(&conversation_id) {
                Ok(conversation_ids) => self.inner.call(
                    Command::DeleteConversations {
                        conversation_ids,
                        clear_history: (!clear.is_undefined()).then(|| clear.as_bool()),
                    },
                    Settle::Wrap("conversationIDList"),
                ),
                Err(e) => js::rejected(&e),
            };
        }
        match conversation_arg(&conversation_id) {
            Ok(conversation_id) => self.inner.call(
                Command::DeleteConversation {
                    conversation_id: conversation_id.clone(),
                },
                Settle::Conversation(conversation_id),
            ),
            Err(e) => js::rejected(&e),
        }
    }

    /// `pinConversation({conversationID, isPinned})`: pinned conversations come first in the
    /// list. Resolves `{conversationID}`.
    #[wasm_bindgen(js_name = pinConversation)]
    pub fn pin_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ conversationID: string, isPinned: boolean }")]
        options: JsValue,
    ) -> Promise {
        let Some(pinned) = fields::boolean(&options, "isPinned") else {
            return js::rejected(&err(codes::INVALID_OPERATION, "isPinned must be a boolean"));
        };
        match conversation_arg(&options) {
            Ok(conversation_id) => self.inner.call(
                Command::PinConversation {
                    conversation_id: conversation_id.clone(),
                    pinned,
                },
                Settle::Conversation(conversation_id),
            ),
            Err(e) => js::rejected(&e),
        }
    }
}

impl Tim {
    /// `sendMessage`, also calling `callback` with the settled value (`sendMessageV2`).
    pub(super) fn send(
        &self,
        message: JsValue,
        options: Option<JsValue>,
        callback: Option<Function>,
    ) -> Promise {
        let options = options
            .map(|o| options::send_options(&o))
            .unwrap_or_default();
        let need = || {
            err(
                codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
                "sendMessage needs a message from create*Message",
            )
        };
        if !message.is_object() {
            return js::rejected_calling(&need(), callback.as_ref());
        }
        let view = options::message(&message);
        let object: Object = message.unchecked_into();
        if view.id.is_empty() {
            return js::rejected_calling(&need(), callback.as_ref());
        }
        if let Some(job) = self.inner.job(&view.id) {
            let command = move |view| Command::SendMessageWith(view, options);
            return files::upload_then_send(&self.inner, job, view, object, command, callback);
        }
        self.inner.call_back(
            Command::SendMessageWith(view, options),
            Settle::Send(object),
            callback,
        )
    }
}

/// A message object argument: its view and the object itself (updated in place later).
fn message_arg(message: &JsValue) -> Result<(crate::core::MessageView, Object), SdkError> {
    let view = message
        .is_object()
        .then(|| options::message(message))
        .filter(|v| !v.id.is_empty());
    match view {
        Some(view) => Ok((view, message.clone().unchecked_into())),
        None => Err(err(
            codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
            "a Message object is required",
        )),
    }
}

/// The elements of an array argument.
pub(super) fn array_of(value: &JsValue) -> Option<Vec<JsValue>> {
    js_sys::Array::is_array(value).then(|| js_sys::Array::from(value).iter().collect())
}

/// A conversation ID given as a string or as `{conversationID}`.
pub(super) fn conversation_arg(value: &JsValue) -> Result<String, SdkError> {
    value
        .as_string()
        .or_else(|| fields::string(value, "conversationID"))
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err(codes::INVALID_CONVERSATION_ID, "conversationID is required"))
}
