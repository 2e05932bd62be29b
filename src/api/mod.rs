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
mod js;
mod read;

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use self::emitter::Emitter;
use self::js::Resolvers;
use crate::core::constants::{TypeValue, EVENTS, TYPES};
use crate::core::{codes, Command, Config, Event, MessageKind, OpId, Response, SdkError};
use crate::web::driver::{self, Driver, Sink};
use crate::web::log;
use crate::web::read as fields;

/// How long `destroy()` waits for the logout answer before closing anyway.
const DESTROY_LOGOUT_WAIT_MS: u32 = 3_000;

/// How a finished call settles its Promise.
enum Settle {
    /// Resolve `{code: 0, data: <response>}`.
    Plain,
    /// `sendMessage`: update the caller's message object in place and resolve `{message}` with it.
    Send(Object),
    /// `destroy()` after its logout: tear down, then resolve.
    Destroy,
}

struct Pending {
    op: OpId,
    resolvers: Resolvers,
    settle: Settle,
}

/// One SDK instance: the driver (core + socket + timer), the listeners and the open calls.
struct Instance {
    id: u32,
    driver: Rc<Driver>,
    emitter: Emitter,
    pending: RefCell<Vec<Pending>>,
    next_op: Cell<OpId>,
    destroyed: Cell<bool>,
    destroy_timer: RefCell<Option<Timeout>>,
}

/// A live instance, by (SDKAppID, instanceName), with the JS object `TIM.create` returned.
struct Entry {
    id: u32,
    app_id: u64,
    name: Option<String>,
    value: JsValue,
}

thread_local! {
    static INSTANCES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    static NEXT_INSTANCE: Cell<u32> = const { Cell::new(1) };
    static EVENT_TABLE: OnceCell<JsValue> = const { OnceCell::new() };
    static TYPES_TABLE: OnceCell<JsValue> = const { OnceCell::new() };
}

fn err(code: u32, message: &str) -> SdkError {
    SdkError::new(code, message)
}

impl Instance {
    fn new(app_id: u64, url: String) -> Rc<Instance> {
        let config = Config {
            sdk_app_id: app_id,
            seed: driver::random_seed(),
            ..Config::default()
        };
        let id = NEXT_INSTANCE.with(|n| n.replace(n.get().wrapping_add(1)));
        Rc::new_cyclic(|this: &Weak<Instance>| {
            let sink: Weak<dyn Sink> = this.clone();
            Instance {
                id,
                driver: Driver::new(config, url, sink),
                emitter: Emitter::default(),
                pending: RefCell::new(Vec::new()),
                next_op: Cell::new(1),
                destroyed: Cell::new(false),
                destroy_timer: RefCell::new(None),
            }
        })
    }

    fn next_op(&self) -> OpId {
        self.next_op.replace(self.next_op.get() + 1)
    }

    /// Starts an API call and returns its Promise.
    fn call(&self, command: Command, settle: Settle) -> Promise {
        if self.destroyed.get() {
            return js::rejected(&err(codes::INVALID_OPERATION, "instance destroyed"));
        }
        let (promise, Some(resolvers)) = js::promise() else {
            return js::rejected(&err(codes::UNCAUGHT_ERROR, "no Promise"));
        };
        let op = self.next_op();
        if let Ok(mut pending) = self.pending.try_borrow_mut() {
            pending.push(Pending {
                op,
                resolvers,
                settle,
            });
        }
        if !self.driver.command(op, command) {
            if let Some(p) = self.take_pending(op) {
                p.resolvers
                    .reject(&err(codes::INVALID_OPERATION, "SDK busy"), None);
            }
        }
        promise
    }

    fn take_pending(&self, op: OpId) -> Option<Pending> {
        let mut pending = self.pending.try_borrow_mut().ok()?;
        let index = pending.iter().position(|p| p.op == op)?;
        Some(pending.swap_remove(index))
    }

    fn destroy(self: &Rc<Self>) -> Promise {
        if self.destroyed.replace(true) {
            return Promise::resolve(&done_value());
        }
        let id = self.id;
        INSTANCES.with(|all| {
            if let Ok(mut all) = all.try_borrow_mut() {
                all.retain(|entry| entry.id != id);
            }
        });
        let (promise, Some(resolvers)) = js::promise() else {
            self.teardown();
            return Promise::resolve(&done_value());
        };
        if self.driver.user_id().is_none() {
            self.teardown();
            resolvers.resolve(&Object::new());
            return promise;
        }
        // Log out first; whichever comes first, the answer or the deadline, tears down.
        let op = self.next_op();
        if let Ok(mut pending) = self.pending.try_borrow_mut() {
            pending.push(Pending {
                op,
                resolvers,
                settle: Settle::Destroy,
            });
        }
        let this = Rc::downgrade(self);
        let timer = Timeout::new(DESTROY_LOGOUT_WAIT_MS, move || {
            if let Some(instance) = this.upgrade() {
                instance.teardown();
            }
        });
        if let Ok(mut slot) = self.destroy_timer.try_borrow_mut() {
            *slot = Some(timer);
        }
        if !self.driver.command(op, Command::Logout) {
            self.teardown();
        }
        promise
    }

    /// Closes the socket, stops timers, emits `SDK_DESTROY`, drops every listener and settles
    /// every open call (`destroy()` resolves, anything else rejects). Idempotent.
    fn teardown(&self) {
        self.driver.shutdown();
        let timer = self
            .destroy_timer
            .try_borrow_mut()
            .ok()
            .and_then(|mut t| t.take());
        drop(timer);
        let pending = self
            .pending
            .try_borrow_mut()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        self.emitter
            .emit(Event::SdkDestroy.name(), &JsValue::UNDEFINED);
        self.emitter.clear();
        let gone = err(codes::INVALID_OPERATION, "instance destroyed");
        for p in pending {
            match p.settle {
                Settle::Destroy => p.resolvers.resolve(&Object::new()),
                Settle::Send(message) => {
                    js::set(&message, "status", &JsValue::from_str("fail"));
                    p.resolvers
                        .reject(&gone, Some(&js::object_with("message", &message)));
                }
                Settle::Plain => p.resolvers.reject(&gone, None),
            }
        }
    }
}

fn done_value() -> JsValue {
    let value = Object::new();
    js::set(&value, "code", &JsValue::from(0));
    js::set(&value, "data", &Object::new());
    value.into()
}

impl Sink for Instance {
    fn event(&self, event: Event) {
        let data = match &event {
            Event::SdkReady | Event::SdkNotReady | Event::SdkDestroy => Ok(JsValue::UNDEFINED),
            Event::MessageReceived(list) => js::to_plain(list),
            Event::ConversationListUpdated(list) => js::to_plain(list),
            Event::TotalUnreadMessageCountUpdated(n) => Ok(JsValue::from(*n)),
            Event::NetStateChange(state) => {
                js::to_plain(state).map(|s| js::object_with("state", &s))
            }
            Event::KickedOut(kind) => Ok(js::object_with("type", &JsValue::from_str(kind))),
            Event::Error(error) => Ok(js::error_value(error, None)),
        };
        match data {
            Ok(data) => self.emitter.emit(event.name(), &data),
            Err(e) => log::error(event.name(), &js::error_value(&e, None)),
        }
    }

    fn complete(&self, op: OpId, result: Result<Response, SdkError>) {
        let Some(p) = self.take_pending(op) else {
            return;
        };
        match (p.settle, result) {
            (Settle::Destroy, _) => {
                // Put it back so teardown settles it together with everything else.
                if let Ok(mut pending) = self.pending.try_borrow_mut() {
                    pending.push(Pending {
                        op,
                        resolvers: p.resolvers,
                        settle: Settle::Destroy,
                    });
                }
                self.teardown();
            }
            (Settle::Send(message), Ok(response)) => {
                let sent = match &response {
                    Response::Message { message: sent } => js::to_plain(sent),
                    other => js::to_plain(other),
                };
                match sent {
                    Ok(sent) => {
                        // Like Object.assign, but a frozen or exotic object cannot make it throw.
                        for key in Object::keys(sent.unchecked_ref::<Object>()).iter() {
                            if let (Some(name), Ok(value)) =
                                (key.as_string(), Reflect::get(&sent, &key))
                            {
                                js::set(&message, &name, &value);
                            }
                        }
                        p.resolvers.resolve(&js::object_with("message", &message));
                    }
                    Err(e) => p
                        .resolvers
                        .reject(&e, Some(&js::object_with("message", &message))),
                }
            }
            (Settle::Send(message), Err(e)) => {
                js::set(&message, "status", &JsValue::from_str("fail"));
                p.resolvers
                    .reject(&e, Some(&js::object_with("message", &message)));
            }
            (Settle::Plain, Ok(response)) => match js::to_plain(&response) {
                Ok(data) => p.resolvers.resolve(&data),
                Err(e) => p.resolvers.reject(&e, None),
            },
            (Settle::Plain, Err(e)) => p.resolvers.reject(&e, None),
        }
    }
}

/// A Tencent Cloud Chat SDK instance; exported to JavaScript as `TIM`.
#[wasm_bindgen(js_name = TIM)]
pub struct Tim {
    inner: Rc<Instance>,
}

fn frozen_table(entries: impl Iterator<Item = (&'static str, JsValue)>) -> JsValue {
    let object = Object::new();
    for (name, value) in entries {
        js::set(&object, name, &value);
    }
    Object::freeze(&object).into()
}

/// The WebSocket URL for a `serverURL` option, or for the page's origin when absent.
fn socket_url(server_url: Option<String>) -> Result<String, SdkError> {
    let base = match server_url {
        Some(url) => url,
        None => {
            let location = web_sys::window().map(|w| w.location());
            let origin = location.and_then(|l| Some((l.protocol().ok()?, l.host().ok()?)));
            let Some((protocol, host)) = origin else {
                return Err(err(
                    codes::INVALID_OPERATION,
                    "serverURL is required outside a page",
                ));
            };
            let scheme = if protocol == "https:" {
                "wss://"
            } else {
                "ws://"
            };
            let mut url = String::from(scheme);
            url.push_str(&host);
            url
        }
    };
    let base = base.trim_end_matches('/');
    let mut url = if let Some(rest) = base.strip_prefix("http://") {
        String::from("ws://") + rest
    } else if let Some(rest) = base.strip_prefix("https://") {
        String::from("wss://") + rest
    } else {
        base.to_owned()
    };
    let path_given = url
        .split_once("://")
        .is_some_and(|(_, rest)| rest.contains('/'));
    if !path_given {
        url.push_str(tim_protocol::WS_PATH);
    }
    Ok(url)
}

fn create(options: &JsValue) -> Result<JsValue, SdkError> {
    let app_id = fields::uint(options, "SDKAppID").filter(|n| *n > 0);
    let Some(app_id) = app_id else {
        return Err(err(
            codes::NO_ACCOUNT_TYPE,
            "SDKAppID must be a positive integer",
        ));
    };
    let name = fields::string(options, "instanceName");
    let existing = INSTANCES.with(|all| {
        let all = all.try_borrow().ok()?;
        all.iter()
            .find(|e| e.app_id == app_id && e.name == name)
            .map(|e| e.value.clone())
    });
    if let Some(existing) = existing {
        return Ok(existing);
    }
    let url = socket_url(fields::string(options, "serverURL"))?;
    let instance = Instance::new(app_id, url);
    let id = instance.id;
    let value = JsValue::from(Tim { inner: instance });
    INSTANCES.with(|all| {
        if let Ok(mut all) = all.try_borrow_mut() {
            all.push(Entry {
                id,
                app_id,
                name,
                value: value.clone(),
            });
        }
    });
    Ok(value)
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
        create(&options).map_err(|e| js::error_value(&e, None))
    }

    /// `TIM.EVENT`: event names (frozen; the same object on every read).
    #[wasm_bindgen(getter = EVENT)]
    pub fn event() -> JsValue {
        EVENT_TABLE.with(|t| {
            t.get_or_init(|| {
                frozen_table(
                    EVENTS
                        .iter()
                        .map(|(name, value)| (*name, JsValue::from_str(value))),
                )
            })
            .clone()
        })
    }

    /// `TIM.TYPES`: constants (frozen; the same object on every read).
    #[wasm_bindgen(getter = TYPES)]
    pub fn types() -> JsValue {
        TYPES_TABLE.with(|t| {
            t.get_or_init(|| {
                frozen_table(TYPES.iter().map(|(name, value)| {
                    let value = match value {
                        TypeValue::Str(s) => JsValue::from_str(s),
                        TypeValue::Num(n) => JsValue::from(*n),
                    };
                    (*name, value)
                }))
            })
            .clone()
        })
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
