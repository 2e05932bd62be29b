//! One SDK instance behind a `TIM` object: the driver (core + socket + timer), the listeners,
//! and the open calls with how each settles its Promise.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::emitter::Emitter;
use super::js::{self, Resolvers};
use super::registry;
use crate::core::{codes, Command, Config, Event, MessageStatus, OpId, Response, SdkError, Shown};
use crate::web::driver::{self, Driver, Sink};
use crate::web::js::object;
use crate::web::log;
use wasm_bindgen::JsCast;

/// How long `destroy()` waits for the logout answer before closing anyway.
const DESTROY_LOGOUT_WAIT_MS: u32 = 3_000;

/// How a finished call settles its Promise.
pub(super) enum Settle {
    /// Resolve `{code: 0, data: <response>}`.
    Plain,
    /// Resolve `{code: 0, data: {<key>: <response>}}`.
    Wrap(&'static str),
    /// `sendMessage`, `resendMessage`: update the caller's message object in place and resolve
    /// `{message}` with it; on failure it takes the status the core shows (`SdkError::shown`).
    Send(Object),
    /// `revokeMessage`, `modifyMessage`: update the caller's object in place on success; a
    /// failure shows the message the core gives (a conflict's current version), else the object.
    Update(Object),
    /// `deleteMessage`: `isDeleted: true` on each object; resolve `{messageList}` with them.
    Delete(Vec<Object>),
    /// `getMessageReadReceiptList`: `readReceiptInfo` on each object; resolve `{messageList}`.
    Receipts(Vec<Object>),
    /// `deleteConversation`, `pinConversation`: resolve `{conversationID}`.
    Conversation(String),
    /// `destroy()` after its logout: tear down, then resolve.
    Destroy,
}

struct Pending {
    op: OpId,
    resolvers: Resolvers,
    settle: Settle,
}

/// One SDK instance: the driver (core + socket + timer), the listeners and the open calls.
pub(super) struct Instance {
    pub(super) id: u32,
    pub(super) driver: Rc<Driver>,
    pub(super) emitter: Emitter,
    pending: RefCell<Vec<Pending>>,
    next_op: Cell<OpId>,
    pub(super) destroyed: Cell<bool>,
    destroy_timer: RefCell<Option<Timeout>>,
    /// Upload jobs of created file messages not yet uploaded, by message ID (oldest first).
    jobs: RefCell<Vec<(String, JsValue)>>,
}

/// Upload jobs kept at most; an app that creates file messages and never sends them must not
/// hold their files forever.
const MAX_JOBS: usize = 100;

pub(super) fn err(code: u32, message: &str) -> SdkError {
    SdkError::new(code, message)
}

impl Instance {
    pub(super) fn new(app_id: u64, url: String, file_origin: String) -> Rc<Instance> {
        let config = Config {
            sdk_app_id: app_id,
            server_url: url.clone(),
            file_origin,
            seed: driver::random_seed(),
            persistent_cache: true,
            request_bytes: crate::web::codec::request_bytes,
            ..Config::default()
        };
        let id = registry::next_id();
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
                jobs: RefCell::new(Vec::new()),
            }
        })
    }

    fn next_op(&self) -> OpId {
        self.next_op.replace(self.next_op.get() + 1)
    }

    /// Starts an API call and returns its Promise.
    pub(super) fn call(&self, command: Command, settle: Settle) -> Promise {
        self.call_back(command, settle, None)
    }

    /// Starts an API call whose Promise also calls `callback` with its settled value.
    pub(super) fn call_back(
        &self,
        command: Command,
        settle: Settle,
        callback: Option<Function>,
    ) -> Promise {
        if self.destroyed.get() {
            let e = err(codes::INVALID_OPERATION, "instance destroyed");
            return js::rejected_calling(&e, callback.as_ref());
        }
        let (promise, Some(resolvers)) = js::promise(callback) else {
            return js::rejected(&err(codes::UNCAUGHT_ERROR, "no Promise"));
        };
        self.call_with(command, settle, resolvers);
        promise
    }

    /// Starts an API call that settles a Promise made earlier (after an upload).
    pub(super) fn call_with(&self, command: Command, settle: Settle, resolvers: Resolvers) {
        let op = self.next_op();
        if let Ok(mut pending) = self.pending.try_borrow_mut() {
            pending.push(Pending {
                op,
                resolvers,
                settle,
            });
        }
        if !self.driver.command(op, command) {
            self.complete(
                op,
                Err(err(codes::INVALID_OPERATION, "SDK busy")),
                Shown::Object,
            );
        }
    }

    /// Keeps the upload job of a created message.
    pub(super) fn keep_job(&self, id: String, job: JsValue) {
        if let Ok(mut jobs) = self.jobs.try_borrow_mut() {
            if jobs.len() >= MAX_JOBS {
                jobs.remove(0);
            }
            jobs.push((id, job));
        }
    }

    /// The upload job of a message, while it is not uploaded.
    pub(super) fn job(&self, id: &str) -> Option<JsValue> {
        let jobs = self.jobs.try_borrow().ok()?;
        jobs.iter()
            .find(|(j, _)| j == id)
            .map(|(_, job)| job.clone())
    }

    /// The message's files are uploaded: its content carries them now.
    pub(super) fn forget_job(&self, id: &str) {
        if let Ok(mut jobs) = self.jobs.try_borrow_mut() {
            jobs.retain(|(j, _)| j != id);
        }
    }

    fn take_pending(&self, op: OpId) -> Option<Pending> {
        let mut pending = self.pending.try_borrow_mut().ok()?;
        let index = pending.iter().position(|p| p.op == op)?;
        Some(pending.swap_remove(index))
    }

    pub(super) fn destroy(self: &Rc<Self>) -> Promise {
        if self.destroyed.replace(true) {
            return Promise::resolve(&done_value());
        }
        let id = self.id;
        registry::remove(id);
        let (promise, Some(resolvers)) = js::promise(None) else {
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
                // The core is gone: nothing will send it.
                Settle::Send(message) => {
                    object::set(
                        &message,
                        "status",
                        &JsValue::from_str(MessageStatus::Fail.as_str()),
                    );
                    p.resolvers
                        .reject(&gone, Some(&object::with("message", &message)));
                }
                Settle::Update(message) => p
                    .resolvers
                    .reject(&gone, Some(&object::with("message", &message))),
                Settle::Plain
                | Settle::Wrap(_)
                | Settle::Delete(_)
                | Settle::Receipts(_)
                | Settle::Conversation(_) => p.resolvers.reject(&gone, None),
            }
        }
    }
}

/// Copies every field of `from` onto `to`, like `Object.assign`, except that a frozen or exotic
/// object cannot make it throw.
fn assign(to: &Object, from: &JsValue) {
    for key in Object::keys(from.unchecked_ref::<Object>()).iter() {
        if let (Some(name), Ok(value)) = (key.as_string(), Reflect::get(from, &key)) {
            object::set_dyn(to, &name, &value);
        }
    }
}

fn done_value() -> JsValue {
    let value = Object::new();
    object::set(&value, "code", &JsValue::from(0));
    object::set(&value, "data", &Object::new());
    value.into()
}

impl Sink for Instance {
    fn event(&self, event: Event) {
        if !self.emitter.has(event.name()) {
            return;
        }
        let data = match &event {
            Event::SdkReady | Event::SdkNotReady | Event::SdkDestroy => Ok(JsValue::UNDEFINED),
            Event::MessageReceived(list)
            | Event::MessageRevoked(list)
            | Event::MessageModified(list)
            | Event::MessageReadByPeer(list) => js::to_plain(list),
            Event::ConversationListUpdated(list) => js::to_plain(list),
            Event::MessageReadReceiptReceived(list) => js::to_plain(list),
            Event::TotalUnreadMessageCountUpdated(n) => Ok(JsValue::from(*n)),
            Event::ConversationGroupListUpdated(names) => js::to_plain(names),
            Event::GroupSystemNoticeReceived(message) => js::to_plain(message).map(|m| {
                let data = Object::new();
                let kind = message.payload.operation_type.unwrap_or(0);
                object::set(&data, "type", &JsValue::from(kind));
                object::set(&data, "message", &m);
                data.into()
            }),
            Event::ConversationInGroupUpdated(view) => js::to_plain(view),
            Event::GroupListUpdated(list) => js::to_plain(list),
            Event::NetStateChange(state) => js::to_plain(state).map(|s| object::with("state", &s)),
            Event::KickedOut(kind) => Ok(object::with("type", &JsValue::from_str(kind))),
            Event::Error(error) => Ok(js::error_value(error, None)),
        };
        match data {
            Ok(data) => self.emitter.emit(event.name(), &data),
            Err(e) => log::error(event.name(), &js::error_value(&e, None)),
        }
    }

    fn complete(&self, op: OpId, result: Result<Response, SdkError>, shown: Shown) {
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
            (Settle::Send(message) | Settle::Update(message), Ok(response)) => {
                let updated = match &response {
                    Response::Message { message: updated } => js::to_plain(updated),
                    other => js::to_plain(other),
                };
                match updated {
                    Ok(updated) => {
                        assign(&message, &updated);
                        p.resolvers.resolve(&object::with("message", &message));
                    }
                    Err(e) => p
                        .resolvers
                        .reject(&e, Some(&object::with("message", &message))),
                }
            }
            (Settle::Send(message), Err(e)) => {
                show(&message, shown);
                p.resolvers
                    .reject(&e, Some(&object::with("message", &message)));
            }
            (Settle::Update(message), Err(e)) => {
                let shown = match shown {
                    Shown::Message(m) => js::to_plain(&*m).unwrap_or_else(|_| message.into()),
                    _ => message.into(),
                };
                p.resolvers
                    .reject(&e, Some(&object::with("message", &shown)));
            }
            (Settle::Delete(messages), Ok(_)) => {
                let list = js_sys::Array::new();
                for message in messages {
                    object::set(&message, "isDeleted", &JsValue::TRUE);
                    list.push(&message);
                }
                p.resolvers.resolve(&object::with("messageList", &list));
            }
            (Settle::Receipts(messages), Ok(Response::ReadReceipts { receipts })) => {
                let list = js_sys::Array::new();
                for message in messages {
                    let id = crate::web::js::read::string(&message, "ID").unwrap_or_default();
                    let info = receipts.iter().find(|r| r.message_id == id);
                    if let Some(Ok(info)) = info.map(js::to_plain) {
                        object::set(&message, "readReceiptInfo", &info);
                    }
                    list.push(&message);
                }
                p.resolvers.resolve(&object::with("messageList", &list));
            }
            (Settle::Conversation(id), Ok(_)) => p
                .resolvers
                .resolve(&object::with("conversationID", &JsValue::from_str(&id))),
            (Settle::Delete(_) | Settle::Receipts(_) | Settle::Conversation(_), Err(e)) => {
                p.resolvers.reject(&e, None)
            }
            (Settle::Receipts(_), Ok(_)) => p.resolvers.reject(
                &err(codes::UNCAUGHT_ERROR, "unexpected answer from the server"),
                None,
            ),
            (Settle::Plain, Ok(response)) => match js::to_plain(&response) {
                Ok(data) => p.resolvers.resolve(&data),
                Err(e) => p.resolvers.reject(&e, None),
            },
            (Settle::Wrap(key), Ok(response)) => match js::to_plain(&response) {
                Ok(data) => p.resolvers.resolve(&object::with(key, &data)),
                Err(e) => p.resolvers.reject(&e, None),
            },
            (Settle::Plain | Settle::Wrap(_), Err(e)) => p.resolvers.reject(&e, None),
        }
    }
}

/// The message object as the core says it shows (its `status`).
pub(super) fn show(message: &Object, shown: Shown) {
    if let Shown::Status(status) = shown {
        object::set(message, "status", &JsValue::from_str(status.as_str()));
    }
}
