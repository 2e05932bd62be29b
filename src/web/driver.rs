//! The driver: one [`Core`] with its socket and timer. Every input (API command, decoded frame,
//! connection change, timeout) goes through [`Driver::step`]: the core is fed with
//! `now_ms = Date.now()`, its outputs are drained into a queue, every borrow is released, and
//! only then are outputs executed. Outputs that reach user code (events, Promise settlement) go
//! to a [`Sink`]; a handler may call back into the SDK re-entrantly, in which case its outputs
//! join the queue and the outermost step executes them in order.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use tim_protocol::{req, ClientFrame, Message, Request};
use wasm_bindgen::JsValue;

use super::cache::{warm_start, Conn, IdbStore};
use super::socket::{Socket, SocketEvent};
use super::timer::Timer;
use super::{codec, log};
use crate::core::cache::{Caps, Snapshot, PAGE};
use crate::core::{
    codes, Command, Config, Core, CreateMessageOptions, Event, FileKind, FileUrls, MergedView,
    MessageKind, MessageView, OpId, Output, PageAsk, PickedFile, Response, SdkError, Shown,
    Uploaded,
};
use tim_protocol::{Content, MergedMessage};

fn busy() -> SdkError {
    SdkError::new(codes::INVALID_OPERATION, "SDK busy")
}

/// Where events and API results go: implemented by the API layer.
pub trait Sink {
    /// Emit an event to the listeners.
    fn event(&self, event: Event);
    /// Settle the Promise of call `op`; `shown` is a rejection's `data.message` (see
    /// [`Output::Complete`]).
    fn complete(&self, op: OpId, result: Result<Response, SdkError>, shown: Shown);
}

/// How many of the most recent conversations get their newest page loaded at warm start.
const WARM_PAGES: u32 = 20;

/// Milliseconds since the Unix epoch: the clock the core runs on.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A PRNG seed from `Math.random`.
pub fn random_seed() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (hi << 32) | lo
}

#[derive(Default)]
struct Io {
    socket: Option<Socket>,
    /// Identifies the current socket, so a late event from a replaced one is ignored.
    generation: u32,
    timer: Timer,
    /// Set while yielded (`Output::Yield`): the queue resumes when this fires.
    resume: Option<gloo_timers::callback::Timeout>,
    shut: bool,
}

/// The persistent cache of the logged-in user (see `core::warm`).
#[derive(Default)]
struct CacheSlot {
    /// Whose cache is open or opening.
    user: String,
    /// Opening and loading: the core's writes wait in the core.
    loading: bool,
    /// `None`: no cache (IndexedDB unusable), the SDK runs from the core's memory.
    conn: Option<Conn>,
    /// The connection failed during use: the SDK runs from memory until the next login.
    lost: bool,
}

/// Owns a core, its socket and its timer.
pub struct Driver {
    cache: RefCell<CacheSlot>,
    caps: Cell<Caps>,
    sdk_app_id: u64,
    core: RefCell<Core>,
    io: RefCell<Io>,
    queue: RefCell<VecDeque<Output>>,
    draining: Cell<bool>,
    url: String,
    sink: Weak<dyn Sink>,
    this: Weak<Driver>,
}

impl Driver {
    /// A driver for a logged-out core that connects to `url` when the core asks.
    pub fn new(config: Config, url: String, sink: Weak<dyn Sink>) -> Rc<Driver> {
        Rc::new_cyclic(|this| Driver {
            cache: RefCell::default(),
            caps: Cell::new(Caps::default()),
            sdk_app_id: config.sdk_app_id,
            core: RefCell::new(Core::new(config)),
            io: RefCell::new(Io::default()),
            queue: RefCell::new(VecDeque::new()),
            draining: Cell::new(false),
            url,
            sink,
            this: this.clone(),
        })
    }

    /// The logged-in (or logging-in) user.
    pub fn user_id(&self) -> Option<String> {
        self.with_core(|c| c.user_id().map(str::to_owned)).flatten()
    }

    /// A synchronous read of the core (`None` only if it is busy, which never happens
    /// outside a step).
    pub fn with_core<R>(&self, read: impl FnOnce(&Core) -> R) -> Option<R> {
        self.core.try_borrow().ok().map(|c| read(&c))
    }

    /// Runs an API command; its result reaches [`Sink::complete`] with `op`. False when the
    /// driver is shut down and the command was not taken (nothing will complete).
    pub fn command(&self, op: OpId, command: Command) -> bool {
        self.step(|core, now| core.handle_command(now, op, command))
            .is_some()
    }

    /// `create*Message`: synchronous, no network.
    pub fn create_message(
        &self,
        kind: MessageKind,
        options: CreateMessageOptions,
    ) -> Result<MessageView, SdkError> {
        self.step(|core, now| core.create_message(kind, options, now))
            .unwrap_or_else(|| Err(busy()))
    }

    /// `createImageMessage` & co.: the message and the content to upload.
    pub fn create_file_message(
        &self,
        kind: FileKind,
        options: CreateMessageOptions,
        file: &PickedFile,
    ) -> Result<(MessageView, Content), SdkError> {
        self.step(|core, now| core.create_file_message(kind, options, file, now))
            .unwrap_or_else(|| Err(busy()))
    }

    /// `createForwardMessage`.
    pub fn create_forward_message(
        &self,
        message: &MessageView,
        options: CreateMessageOptions,
    ) -> Result<MessageView, SdkError> {
        self.step(|core, now| core.create_forward_message(message, options, now))
            .unwrap_or_else(|| Err(busy()))
    }

    /// `createMergerMessage`: the message and its content.
    pub fn create_merger_message(
        &self,
        options: CreateMessageOptions,
    ) -> Result<(MessageView, Content), SdkError> {
        self.step(|core, now| core.create_merger_message(options, now))
            .unwrap_or_else(|| Err(busy()))
    }

    /// A created message once its files are uploaded (see [`Core::fill_draft`]).
    pub fn fill_draft(
        &self,
        view: MessageView,
        uploads: &[Uploaded],
        second: u32,
    ) -> Result<MessageView, SdkError> {
        match self.core.try_borrow_mut() {
            Ok(mut core) => core.fill_draft(view, uploads, second),
            Err(_) => Err(SdkError::new(codes::INVALID_OPERATION, "SDK busy")),
        }
    }

    /// A downloaded merger list as JavaScript sees it.
    pub fn merged_views(&self, list: &[MergedMessage]) -> Vec<MergedView> {
        self.core
            .try_borrow()
            .map(|c| c.merged_views(list))
            .unwrap_or_default()
    }

    /// The file server and this user's token, once logged in.
    pub fn file_urls(&self) -> Option<FileUrls> {
        self.core.try_borrow().ok()?.file_urls()
    }

    /// `findMessage`: synchronous, no network.
    pub fn find_message(&self, id: &str) -> Option<MessageView> {
        self.core.try_borrow().ok()?.find_message(id)
    }

    /// `getTotalUnreadMessageCount`: synchronous, no network.
    pub fn total_unread(&self) -> u32 {
        self.core.try_borrow().map_or(0, |c| c.total_unread())
    }

    /// The bounds of the cache opened at the next login.
    pub fn set_cache_caps(&self, caps: Caps) {
        self.caps.set(caps);
    }

    /// The database of the last user that logged in, if any.
    pub fn cache_name(&self) -> Option<String> {
        let slot = self.cache.try_borrow().ok()?;
        (!slot.user.is_empty()).then(|| IdbStore::name_for(self.sdk_app_id, &slot.user))
    }

    /// Stops everything: closes the socket, cancels the timer, drops queued outputs. Later
    /// inputs are ignored.
    pub fn shutdown(&self) {
        let socket = {
            let Ok(mut io) = self.io.try_borrow_mut() else {
                return;
            };
            io.shut = true;
            io.timer.cancel();
            io.resume = None;
            io.generation = io.generation.wrapping_add(1);
            io.socket.take()
        };
        drop(socket);
        // The cache closes once its queued batches are written.
        let conn = self
            .cache
            .try_borrow_mut()
            .ok()
            .and_then(|mut slot| slot.conn.take());
        drop(conn);
        // Free the conversations and messages now rather than when JavaScript collects the
        // instance; the fresh core is never driven.
        if let Ok(mut core) = self.core.try_borrow_mut() {
            *core = Core::new(Config::default());
        }
        if let Ok(mut queue) = self.queue.try_borrow_mut() {
            queue.clear();
        }
    }

    fn is_shut(&self) -> bool {
        self.io.try_borrow().map(|io| io.shut).unwrap_or(true)
    }

    /// Feeds one input to the core, re-arms the timer and executes the outputs. Returns what the
    /// input itself returns (for `create_message`), or `None` if the core could not be borrowed.
    fn step<R>(&self, input: impl FnOnce(&mut Core, u64) -> R) -> Option<R> {
        if self.is_shut() {
            return None;
        }
        let now = now_ms();
        let (result, deadline) = {
            // The core is never borrowed across user code, so this always succeeds; if a bug
            // ever broke that, the input is dropped and logged rather than panicking.
            let Ok(mut core) = self.core.try_borrow_mut() else {
                log::error("core busy; input dropped", &JsValue::NULL);
                return None;
            };
            let result = input(&mut core, now);
            if let Ok(mut queue) = self.queue.try_borrow_mut() {
                while let Some(out) = core.poll_output() {
                    queue.push_back(out);
                }
            }
            (result, core.poll_timeout())
        };
        if self.is_shut() {
            if let Ok(mut queue) = self.queue.try_borrow_mut() {
                queue.clear();
            }
            return Some(result);
        }
        self.arm_timer(deadline, now);
        self.write_cache();
        self.drain();
        Some(result)
    }

    /// Opens `user`'s cache and hands what it holds to the core (see `core::warm`).
    fn open_cache(&self, user: &str) {
        {
            let Ok(mut slot) = self.cache.try_borrow_mut() else {
                return;
            };
            if slot.user == user && slot.loading {
                return;
            }
            *slot = CacheSlot {
                user: user.to_owned(),
                loading: true,
                ..CacheSlot::default()
            };
        }
        let (this, that) = (self.this.clone(), self.this.clone());
        let owner = user.to_owned();
        let name = IdbStore::name_for(self.sdk_app_id, user);
        let lost = move |why: String| {
            if let Some(driver) = that.upgrade() {
                driver.cache_lost(&why);
            }
        };
        warm_start(
            &name,
            self.caps.get(),
            WARM_PAGES,
            PAGE,
            lost,
            move |opened| {
                if let Some(driver) = this.upgrade() {
                    driver.cache_opened(&owner, opened);
                }
            },
        );
    }

    /// The connection failed during use (`idb.js` closed it): memory from now on.
    fn cache_lost(&self, why: &str) {
        if let Ok(mut slot) = self.cache.try_borrow_mut() {
            slot.lost = true;
        }
        self.cache_warning("message cache lost", why);
    }

    /// `TIM.EVENT.ERROR` with [`codes::CACHE_UNAVAILABLE`] (and a console warning).
    fn cache_warning(&self, what: &str, why: &str) {
        let message = String::from(what) + " (" + why + "); running from memory";
        log::warn(&message, &JsValue::UNDEFINED);
        if let (Some(sink), false) = (self.sink.upgrade(), self.is_shut()) {
            sink.event(Event::Error(SdkError::new(
                codes::CACHE_UNAVAILABLE,
                message,
            )));
        }
    }

    fn cache_opened(&self, user: &str, opened: Result<(Conn, Snapshot), String>) {
        let mine = self
            .cache
            .try_borrow()
            .is_ok_and(|slot| slot.loading && slot.user == user);
        if !mine {
            return; // another user's cache is opening
        }
        let logged_in = self.user_id().as_deref() == Some(user);
        if let (Err(why), true) = (&opened, logged_in) {
            self.cache_warning("message cache unavailable", why);
        }
        let (conn, held) = match opened {
            Ok((conn, held)) => (Some(conn).filter(|_| logged_in), Some(held)),
            Err(_) => (None, None),
        };
        // The core ignores it when that user is no longer logging in.
        let _ = self.step(|core, now| core.handle_cache_opened(now, user, held));
        if let Ok(mut slot) = self.cache.try_borrow_mut() {
            slot.loading = false;
            slot.conn = conn;
        }
        self.write_cache();
    }

    /// Writes through what the core learned since the last write (one batch, queued in JS).
    fn write_cache(&self) {
        let (Ok(slot), Ok(mut core)) = (self.cache.try_borrow(), self.core.try_borrow_mut()) else {
            return;
        };
        if slot.loading {
            return;
        }
        match &slot.conn {
            Some(conn) if !slot.lost => conn.write(&core.take_cache_writes()),
            _ => core.forget_cache_writes(),
        }
    }

    fn arm_timer(&self, deadline: Option<u64>, now: u64) {
        let this = self.this.clone();
        if let Ok(mut io) = self.io.try_borrow_mut() {
            io.timer.arm(deadline, now, move || {
                if let Some(driver) = this.upgrade() {
                    driver.on_timeout();
                }
            });
        }
    }

    fn on_timeout(&self) {
        if let Ok(mut io) = self.io.try_borrow_mut() {
            io.timer.fired();
        }
        let _ = self.step(|core, now| core.handle_timeout(now));
    }

    /// Executes queued outputs; only the outermost call drains, so order is kept even when a
    /// handler re-enters the SDK. At `Output::Yield` the rest waits for a `setTimeout(0)`
    /// task, so the Promise reactions of what came before (login's) run first.
    fn drain(&self) {
        let yielded = self.io.try_borrow().is_ok_and(|io| io.resume.is_some());
        if yielded || self.draining.replace(true) {
            return;
        }
        loop {
            let next = self
                .queue
                .try_borrow_mut()
                .ok()
                .and_then(|mut q| q.pop_front());
            match next {
                None => break,
                Some(Output::Yield) => {
                    self.yield_task();
                    break;
                }
                Some(output) => self.execute(output),
            }
        }
        self.draining.set(false);
    }

    fn yield_task(&self) {
        let this = self.this.clone();
        let resume = gloo_timers::callback::Timeout::new(0, move || {
            if let Some(driver) = this.upgrade() {
                if let Ok(mut io) = driver.io.try_borrow_mut() {
                    io.resume = None;
                }
                driver.drain();
            }
        });
        if let Ok(mut io) = self.io.try_borrow_mut() {
            io.resume = Some(resume);
        }
    }

    fn execute(&self, output: Output) {
        match output {
            Output::Connect => self.connect(),
            Output::OpenCache { user_id } => self.open_cache(&user_id),
            Output::Disconnect => self.disconnect(),
            Output::Transmit(frame) => self.transmit(&frame),
            Output::Event(event) => {
                if let Some(sink) = self.sink.upgrade() {
                    sink.event(event);
                }
            }
            Output::Complete { op, result, shown } => {
                if let Some(sink) = self.sink.upgrade() {
                    sink.complete(op, result, shown);
                }
            }
            Output::ReadCache { ask, before, limit } => self.read_cache(ask, before, limit),
            Output::Yield => {} // handled by `drain`
        }
    }

    /// A getMessageList page from the cache (see `core::gapless`); none without one.
    fn read_cache(&self, ask: PageAsk, before: u64, limit: u32) {
        let this = self.this.clone();
        let conv = ask.conv.clone();
        let answer = move |ranges: Vec<(u64, u64)>, page: Vec<Message>| {
            if let Some(driver) = this.upgrade() {
                let _ = driver.step(|core, now| {
                    core.handle_cache_page(now, ask, before, limit, &ranges, &page)
                });
            }
        };
        match self.cache.try_borrow() {
            Ok(slot) if slot.conn.is_some() && !slot.lost => {
                if let Some(conn) = &slot.conn {
                    conn.read_page(&conv, before, limit, answer);
                }
            }
            _ => answer(Vec::new(), Vec::new()),
        }
    }

    fn connect(&self) {
        let this = self.this.clone();
        let (old, opened) = {
            let Ok(mut io) = self.io.try_borrow_mut() else {
                return;
            };
            if io.shut {
                return;
            }
            io.generation = io.generation.wrapping_add(1);
            let generation = io.generation;
            let on_event: Rc<dyn Fn(SocketEvent)> = Rc::new(move |event| {
                if let Some(driver) = this.upgrade() {
                    driver.on_socket(generation, event);
                }
            });
            let old = io.socket.take();
            log::info("connecting to", &self.url);
            match Socket::open(&self.url, on_event) {
                Ok(socket) => {
                    io.socket = Some(socket);
                    (old, Ok(()))
                }
                Err(e) => (old, Err(e)),
            }
        };
        drop(old);
        if let Err(e) = opened {
            log::error("cannot open WebSocket", &e);
            let _ = self.step(|core, now| core.handle_disconnected(now));
        }
    }

    fn disconnect(&self) {
        let old = self.io.try_borrow_mut().ok().and_then(|mut io| {
            io.generation = io.generation.wrapping_add(1);
            io.socket.take()
        });
        drop(old);
    }

    fn transmit(&self, frame: &ClientFrame) {
        let text = match codec::encode(frame) {
            Ok(text) => text,
            Err(e) => return log::error("cannot encode frame", &e),
        };
        if matches!(frame.req, Request::Login(req::Login { .. })) {
            log::trace("send", &JsValue::from_str("login (UserSig not logged)"));
        } else {
            log::trace("send", &text);
        }
        let sent = match self.io.try_borrow() {
            Ok(io) => match &io.socket {
                Some(socket) => socket.send(&text),
                None => Err(JsValue::from_str("no socket")),
            },
            Err(_) => Err(JsValue::NULL),
        };
        // The core times the request out and reconnects; nothing else to do here.
        if let Err(e) = sent {
            log::warn("frame not sent", &e);
        }
    }

    fn on_socket(&self, generation: u32, event: SocketEvent) {
        let current = self
            .io
            .try_borrow()
            .map(|io| !io.shut && io.generation == generation)
            .unwrap_or(false);
        if !current {
            return;
        }
        match event {
            SocketEvent::Open => {
                log::info("connected", &self.url);
                let _ = self.step(|core, now| core.handle_connected(now));
            }
            SocketEvent::Text(text) => {
                log::trace("recv", &text);
                match codec::decode(&text) {
                    Ok(frame) => {
                        let _ = self.step(|core, now| core.handle_frame(now, frame));
                    }
                    Err(e) => log::warn("undecodable frame ignored", &e),
                }
            }
            SocketEvent::Closed => {
                log::info("disconnected from", &self.url);
                let old = self
                    .io
                    .try_borrow_mut()
                    .ok()
                    .and_then(|mut io| io.socket.take());
                drop(old);
                let _ = self.step(|core, now| core.handle_disconnected(now));
            }
        }
    }
}
