//! Helpers for the browser tests: the server's address (read at compile time), UserSigs, calls
//! through the exported JS surface, event recorders, bounded waits on conditions and ordered
//! follow-ups (for "nothing else arrives" checks). Nothing here waits without a deadline, and
//! nothing waits a fixed time.
#![allow(dead_code)]

pub mod cache;

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use tim_sdk::api::Tim;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// `host:port` of the tim-server under test.
pub fn server() -> &'static str {
    match option_env!("TIM_TEST_SERVER") {
        Some(s) => s,
        None => panic!("TIM_TEST_SERVER (host:port) must be set when the tests are compiled"),
    }
}

/// The server's SDKAppID.
pub fn sdk_app_id() -> u64 {
    match option_env!("TIM_TEST_SDKAPPID").map(str::parse) {
        Some(Ok(id)) => id,
        _ => panic!("TIM_TEST_SDKAPPID must be set (a number) when the tests are compiled"),
    }
}

/// The server's secret key.
pub fn secret() -> &'static str {
    match option_env!("TIM_TEST_SECRET") {
        Some(s) => s,
        None => panic!("TIM_TEST_SECRET must be set when the tests are compiled"),
    }
}

/// Seconds since the epoch.
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A UserSig for `user_id`, valid for a day.
pub fn user_sig(user_id: &str) -> String {
    tim_protocol::usersig::generate(sdk_app_id(), secret(), user_id, 86_400, now_secs())
}

/// A user ID unique to this run, so reruns on the same database never collide.
pub fn unique(name: &str) -> String {
    let stamp = js_sys::Date::now() as u64;
    let salt = (js_sys::Math::random() * 1_000_000.0) as u64;
    format!("{name}_{stamp:x}{salt:x}")
}

/// Sleeps without blocking the page.
pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// `f`, or `None` if it takes longer than `ms`.
pub async fn timeout<F: Future>(ms: u32, f: F) -> Option<F::Output> {
    let mut f = pin!(f);
    let mut timer = pin!(TimeoutFuture::new(ms));
    poll_fn(|cx| {
        if let Poll::Ready(v) = f.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

/// Waits (polling every 20 ms, at most `ms`) until `cond` holds; returns whether it did.
pub async fn wait_until(ms: u32, mut cond: impl FnMut() -> bool) -> bool {
    wait_for(ms, || std::future::ready(cond())).await
}

/// Waits (polling every 20 ms, at most `ms`) until the async `cond` holds; returns whether it
/// did. The one polling loop of the browser tests.
pub async fn wait_for<F, Fut>(ms: u32, mut cond: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = js_sys::Date::now() + ms as f64;
    loop {
        if cond().await {
            return true;
        }
        if js_sys::Date::now() > deadline {
            return false;
        }
        sleep(20).await;
    }
}

/// Builds a plain JS object from a JSON text (test inputs written as JSON for readability).
pub fn obj(json: &str) -> JsValue {
    match JSON::parse(json) {
        Ok(v) => v,
        Err(e) => panic!("bad JSON in test: {json}: {e:?}"),
    }
}

/// `value[key]`.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `value.a.b.c` for a dotted path.
pub fn path(value: &JsValue, dotted: &str) -> JsValue {
    dotted.split('.').fold(value.clone(), |v, k| {
        if v.is_object() || v.is_function() {
            get(&v, k)
        } else {
            JsValue::UNDEFINED
        }
    })
}

/// `value[path]` as a string ("" when absent).
pub fn s(value: &JsValue, dotted: &str) -> String {
    path(value, dotted).as_string().unwrap_or_default()
}

/// `value[path]` as a number (NaN when absent).
pub fn n(value: &JsValue, dotted: &str) -> f64 {
    path(value, dotted).as_f64().unwrap_or(f64::NAN)
}

/// `value[path]` as a bool (false when absent).
pub fn b(value: &JsValue, dotted: &str) -> bool {
    path(value, dotted).as_bool().unwrap_or(false)
}

/// The elements of a JS array (empty when not an array).
pub fn items(value: &JsValue) -> Vec<JsValue> {
    if Array::is_array(value) {
        Array::from(value).iter().collect()
    } else {
        Vec::new()
    }
}

/// Renders a value for assertion messages.
pub fn show(value: &JsValue) -> String {
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Calls `target.method(...args)` exactly as JavaScript would; `Err` holds what it threw.
pub fn call_sync(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method)
        .dyn_into()
        .map_err(|_| JsValue::from_str(&format!("no method {method}")))?;
    let args: Array = args.iter().collect();
    f.apply(target, &args)
}

/// Calls an async method and awaits its Promise (at most 15 s); `Err` holds the rejection.
pub async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let returned = call_sync(target, method, args)?;
    let promise: Promise = match returned.dyn_into() {
        Ok(p) => p,
        Err(v) => panic!("{method} returned a non-Promise: {}", show(&v)),
    };
    match timeout(15_000, JsFuture::from(promise)).await {
        Some(settled) => settled,
        None => panic!("{method} did not settle within 15 s"),
    }
}

/// Like [`call`], but the call must resolve with `{code: 0}`; returns `data`.
pub async fn ok(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    match call(target, method, args).await {
        Ok(v) => {
            assert_eq!(n(&v, "code"), 0.0, "{method} resolved with {}", show(&v));
            get(&v, "data")
        }
        Err(e) => panic!("{method} rejected: {}", show(&e)),
    }
}

/// Like [`call`], but the call must resolve; returns what it resolved with.
pub async fn resolves(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    match call(target, method, args).await {
        Ok(v) => v,
        Err(e) => panic!("{method} rejected: {}", show(&e)),
    }
}

/// Like [`call`], but the call must reject; returns the error object.
pub async fn rejects(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    match call(target, method, args).await {
        Ok(v) => panic!("{method} resolved but should reject: {}", show(&v)),
        Err(e) => e,
    }
}

/// The `TIM` class as JavaScript sees it (the constructor of any instance).
pub fn tim_class(instance: &JsValue) -> JsValue {
    get(instance, "constructor")
}

/// `TIM.EVENT[name]`: the package's `TIM.EVENT` is generated from the core's table
/// (examples/js_tables.rs) and checked by tests/package/node.test.mjs.
pub fn event(_instance: &JsValue, name: &str) -> String {
    let found = tim_sdk::core::constants::EVENTS
        .iter()
        .find(|(key, _)| *key == name);
    found
        .map(|(_, value)| value.to_string())
        .unwrap_or_default()
}

/// `TIM.TYPES[name]` as a string (see [`event`]).
pub fn type_str(name: &str) -> String {
    use tim_sdk::core::constants::{TypeValue, TYPES};
    match TYPES.iter().find(|(key, _)| *key == name) {
        Some((_, TypeValue::Str(value))) => value.to_string(),
        Some((_, TypeValue::Num(n))) => n.to_string(),
        None => String::new(),
    }
}

/// `TIM.create({SDKAppID, serverURL, instanceName})`.
pub fn create(instance_name: &str) -> JsValue {
    let options = Object::new();
    let _ = Reflect::set(
        &options,
        &"SDKAppID".into(),
        &JsValue::from(sdk_app_id() as f64),
    );
    let _ = Reflect::set(
        &options,
        &"serverURL".into(),
        &JsValue::from_str(&format!("ws://{}", server())),
    );
    let _ = Reflect::set(
        &options,
        &"instanceName".into(),
        &JsValue::from_str(instance_name),
    );
    match Tim::create(options.into()) {
        Ok(tim) => tim,
        Err(e) => panic!("TIM.create threw {}", show(&e)),
    }
}

/// Every event of one name an instance emitted, recorded by a real JS handler function.
pub struct Recorder {
    pub events: Rc<RefCell<Vec<JsValue>>>,
    handler: Closure<dyn FnMut(JsValue)>,
    tim: JsValue,
    name: String,
}

impl Recorder {
    /// Registers with `tim.on(TIM.EVENT[event_key], handler)`.
    pub fn new(tim: &JsValue, event_key: &str) -> Recorder {
        let name = event(tim, event_key);
        assert!(!name.is_empty(), "TIM.EVENT.{event_key} is missing");
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        let handler =
            Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| sink.borrow_mut().push(e));
        let registered = call_sync(
            tim,
            "on",
            &[JsValue::from_str(&name), handler.as_ref().clone()],
        );
        assert!(registered.is_ok(), "on() threw");
        Recorder {
            events,
            handler,
            tim: tim.clone(),
            name,
        }
    }

    /// The `data` of every event so far.
    pub fn data(&self) -> Vec<JsValue> {
        self.events
            .borrow()
            .iter()
            .map(|e| get(e, "data"))
            .collect()
    }

    /// How many events so far.
    pub fn count(&self) -> usize {
        self.events.borrow().len()
    }

    /// Every message delivered so far (MESSAGE_RECEIVED data arrays, flattened).
    pub fn messages(&self) -> Vec<JsValue> {
        self.data().iter().flat_map(items).collect()
    }

    /// The IDs of every message delivered so far, in order.
    pub fn ids(&self) -> Vec<String> {
        self.messages().iter().map(|m| s(m, "ID")).collect()
    }

    /// Waits (at most `ms`) until `cond` holds on the recorded data.
    pub async fn wait(&self, ms: u32, mut cond: impl FnMut(&[JsValue]) -> bool) -> bool {
        wait_until(ms, || cond(&self.data())).await
    }

    /// Waits (at most `ms`) until a received message satisfies `cond`.
    pub async fn wait_message(
        &self,
        ms: u32,
        mut cond: impl FnMut(&JsValue) -> bool,
    ) -> Option<JsValue> {
        let mut found = None;
        wait_until(ms, || {
            found = self.messages().into_iter().find(|m| cond(m));
            found.is_some()
        })
        .await;
        found
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = call_sync(
            &self.tim,
            "off",
            &[JsValue::from_str(&self.name), self.handler.as_ref().clone()],
        );
    }
}

/// A fresh instance logged in as `user_id`; waits for the login Promise.
pub async fn login(instance_name: &str, user_id: &str) -> JsValue {
    let tim = create(instance_name);
    let _ = call_sync(&tim, "setLogLevel", &[JsValue::from(2)]);
    let options = Object::new();
    let _ = Reflect::set(&options, &"userID".into(), &JsValue::from_str(user_id));
    let _ = Reflect::set(
        &options,
        &"userSig".into(),
        &JsValue::from_str(&user_sig(user_id)),
    );
    ok(&tim, "login", &[options.into()]).await;
    tim
}

/// Destroys an instance (end of test), waiting for it.
pub async fn destroy(tim: &JsValue) {
    let _ = call(tim, "destroy", &[]).await;
}

/// Text message options `{to, conversationType, payload: {text}}`.
pub fn text_options(to: &str, conversation_type: &str, text: &str) -> JsValue {
    let payload = Object::new();
    let _ = Reflect::set(&payload, &"text".into(), &JsValue::from_str(text));
    let options = Object::new();
    let _ = Reflect::set(&options, &"to".into(), &JsValue::from_str(to));
    let _ = Reflect::set(
        &options,
        &"conversationType".into(),
        &JsValue::from_str(conversation_type),
    );
    let _ = Reflect::set(&options, &"payload".into(), &payload);
    options.into()
}

/// Creates and sends a text message; returns the message object after the send resolved.
pub async fn send_text(tim: &JsValue, to: &str, conversation_type: &str, text: &str) -> JsValue {
    let message = match call_sync(
        tim,
        "createTextMessage",
        &[text_options(to, conversation_type, text)],
    ) {
        Ok(m) => m,
        Err(e) => panic!("createTextMessage threw {}", show(&e)),
    };
    let data = ok(tim, "sendMessage", std::slice::from_ref(&message)).await;
    get(&data, "message")
}

/// An HTTP request to the server (cross-origin: the server answers CORS); returns the JSON body.
pub async fn http(method: &str, path_and_query: &str, body: Option<&JsValue>) -> JsValue {
    let url = format!("http://{}{}", server(), path_and_query);
    let init = Object::new();
    let _ = Reflect::set(&init, &"method".into(), &JsValue::from_str(method));
    if let Some(body) = body {
        let text = JSON::stringify(body)
            .map(JsValue::from)
            .unwrap_or(JsValue::NULL);
        let _ = Reflect::set(&init, &"body".into(), &text);
        let headers = obj(r#"{"Content-Type":"application/json"}"#);
        let _ = Reflect::set(&init, &"headers".into(), &headers);
    }
    let fetch: Function = match get(&js_sys::global(), "fetch").dyn_into() {
        Ok(f) => f,
        Err(_) => panic!("no fetch"),
    };
    let response = match fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(&url), &init) {
        Ok(p) => p,
        Err(e) => panic!("fetch {url} threw {}", show(&e)),
    };
    let response = match timeout(10_000, JsFuture::from(Promise::from(response))).await {
        Some(Ok(r)) => r,
        Some(Err(e)) => panic!("fetch {url} failed (is CORS enabled on this route?): {e:?}"),
        None => panic!("fetch {url} timed out"),
    };
    let status = n(&response, "status");
    let text = match call(&response, "text", &[]).await {
        Ok(t) => t.as_string().unwrap_or_default(),
        Err(e) => panic!("reading {url}: {}", show(&e)),
    };
    assert!(
        (200.0..300.0).contains(&status),
        "{method} {url} -> HTTP {status}: {text}"
    );
    if text.is_empty() {
        JsValue::NULL
    } else {
        JSON::parse(&text).unwrap_or(JsValue::from_str(&text))
    }
}

/// A Tencent-shaped admin REST call; asserts `ActionStatus: "OK"` and returns the reply.
pub async fn rest(service_command: &str, body: &JsValue) -> JsValue {
    let admin = "administrator";
    let query = format!(
        "/v4/{service_command}?sdkappid={}&identifier={admin}&usersig={}&random={}&contenttype=json",
        sdk_app_id(),
        user_sig(admin),
        (js_sys::Math::random() * 4_294_967_295.0) as u32
    );
    let reply = http("POST", &query, Some(body)).await;
    assert_eq!(
        s(&reply, "ActionStatus"),
        "OK",
        "{service_command}: {}",
        show(&reply)
    );
    reply
}

/// Registers accounts with `im_open_login_svc/account_import`.
pub async fn import_accounts(users: &[&str]) {
    for user in users {
        let body = Object::new();
        let _ = Reflect::set(&body, &"UserID".into(), &JsValue::from_str(user));
        rest("im_open_login_svc/account_import", &body.into()).await;
    }
}

/// The server's clock in seconds (`GET /debug/stats` → `now`): what stamps message times and
/// decides the revoke window.
pub async fn server_now() -> f64 {
    n(&http("GET", "/debug/stats", None).await, "now")
}

/// Waits (at most 10 s) until the server's clock reads later than `secs`.
pub async fn wait_server_clock_past(secs: f64) {
    let past = wait_for(10_000, move || async move { server_now().await > secs }).await;
    assert!(past, "the server's clock never passed {secs}");
}

/// The ordered follow-up of a "nothing else arrives" check: `from` sends `to` a C2C text and
/// `rx` (recording an instance of `to`) must receive it. A socket gets its frames in commit
/// order and the SDK hands them on in that order, so whatever an earlier action was still to
/// deliver to `rx` has arrived by then. Returns the follow-up's ID.
pub async fn follow_up(from: &JsValue, to: &str, rx: &Recorder) -> String {
    let sent = send_text(from, to, "C2C", "follow-up").await;
    let id = s(&sent, "ID");
    let got = rx.wait_message(10_000, |m| s(m, "ID") == id).await;
    assert!(got.is_some(), "the follow-up {id} did not arrive");
    id
}

/// `GET /debug/stats` → `openSockets`.
pub async fn open_sockets() -> f64 {
    n(&http("GET", "/debug/stats", None).await, "openSockets")
}
