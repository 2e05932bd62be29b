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
//! synchronous and throw `{code, message}` on invalid options. Events reach listeners as
//! `{name, data}`.

mod emitter;
mod instance;
mod js;
mod read;
mod registry;
mod tables;

use std::rc::Rc;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;

use self::instance::{err, Instance, Settle};
use crate::core::{codes, Command, MessageKind};
use crate::web::log;
use crate::web::read as fields;

/// A Tencent Cloud Chat SDK instance; exported to JavaScript as `TIM`.
#[wasm_bindgen(js_name = TIM)]
pub struct Tim {
    inner: Rc<Instance>,
}

fn message_kind_call(tim: &Tim, kind: MessageKind, options: JsValue) -> Result<JsValue, JsValue> {
    let made = if tim.inner.destroyed.get() {
        Err(err(codes::INVALID_OPERATION, "instance destroyed"))
    } else {
        Ok(read::create_options(&options))
    };
    made.and_then(|options| tim.inner.driver.create_message(kind, options))
        .and_then(|message| js::to_plain(&message))
        .map_err(|e| js::error_value(&e, None))
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `TIM.create({SDKAppID, serverURL?, instanceName?})`: the instance for that SDKAppID (and
    /// instance name), made on first use. Throws `{code, message}` without a valid SDKAppID.
    #[wasm_bindgen(unchecked_return_type = "TIM")]
    pub fn create(
        #[wasm_bindgen(
            unchecked_param_type = "{ SDKAppID: number, serverURL?: string, instanceName?: string }"
        )]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        registry::create(&options).map_err(|e| js::error_value(&e, None))
    }

    /// `TIM.EVENT`: event names (frozen; the same object on every read).
    #[wasm_bindgen(getter = EVENT)]
    pub fn event() -> JsValue {
        tables::events()
    }

    /// `TIM.TYPES`: constants (frozen; the same object on every read).
    #[wasm_bindgen(getter = TYPES)]
    pub fn types() -> JsValue {
        tables::types()
    }

    /// `TIM.VERSION`.
    #[wasm_bindgen(getter = VERSION)]
    pub fn version() -> String {
        env!("CARGO_PKG_VERSION").to_owned()
    }

    /// `login({userID, userSig})`: resolves `{code: 0, data: {repeatLogin}}` once the SDK is
    /// ready (after `SDK_READY`).
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

    /// `destroy()`: logs out if needed, emits `SDK_DESTROY`, closes the socket, drops every
    /// listener and timer. A later `TIM.create` makes a fresh instance.
    pub fn destroy(&self) -> Promise {
        self.inner.destroy()
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
    /// `"fail"` and the rejection carries `data.message`. `options` (`onlineUserOnly`,
    /// `offlinePushInfo`) is accepted and not used yet.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, message: JsValue, options: Option<JsValue>) -> Promise {
        let _ = options;
        let need = || {
            err(
                codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
                "sendMessage needs a message from create*Message",
            )
        };
        if !message.is_object() {
            return js::rejected(&need());
        }
        let view = read::message(&message);
        let object: Object = message.unchecked_into();
        if view.id.is_empty() {
            return js::rejected(&need());
        }
        self.inner
            .call(Command::SendMessage(view), Settle::Send(object))
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

    /// `getConversationList()`: resolves `{conversationList}`, most recent first.
    #[wasm_bindgen(js_name = getConversationList)]
    pub fn get_conversation_list(&self) -> Promise {
        self.inner.call(Command::GetConversationList, Settle::Plain)
    }

    /// `setMessageRead({conversationID})`: clears the conversation's unread count.
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
}
