//! A WebSocket that owns its four event closures. Dropping a [`Socket`] unregisters them and
//! closes the connection, so a replaced or abandoned socket can neither call back nor leak.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

#[wasm_bindgen]
extern "C" {
    /// A `WebSocket` seen through a `send` that takes any JS value, so a frame built by
    /// `JSON.stringify` is not copied into wasm memory and back (web-sys's takes `&str`).
    type StringSocket;
    #[wasm_bindgen(method, catch)]
    fn send(this: &StringSocket, data: &JsValue) -> Result<(), JsValue>;
}

/// What the socket reports.
#[derive(Debug)]
pub enum SocketEvent {
    /// The connection is open.
    Open,
    /// A text frame arrived (a JS string, kept in JS: it goes straight to `JSON.parse`).
    Text(JsValue),
    /// The connection failed to open or closed; no further event follows.
    Closed,
}

/// An open (or opening) WebSocket with its handlers.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Socket {
    /// Starts connecting to `url`; `on_event` receives every [`SocketEvent`] until the socket is
    /// dropped. Fails when the browser rejects the URL.
    pub fn open(url: &str, on_event: Rc<dyn Fn(SocketEvent)>) -> Result<Socket, JsValue> {
        let ws = WebSocket::new(url)?;
        let cb = on_event.clone();
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| cb(SocketEvent::Open));
        let cb = on_event.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            // The server only sends text frames; anything else is not ours to read.
            let data = e.data();
            if data.is_string() {
                cb(SocketEvent::Text(data));
            }
        });
        let cb = on_event;
        let on_close =
            Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| cb(SocketEvent::Closed));
        // `error` is always followed by `close`, which is what we act on.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {});
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
            _on_error: on_error,
        })
    }

    /// Sends a text frame given as a JS string (never copied through wasm memory). Fails when
    /// the socket is not open.
    pub fn send(&self, text: &JsValue) -> Result<(), JsValue> {
        if self.ws.ready_state() != WebSocket::OPEN {
            return Err(JsValue::from_str("socket not open"));
        }
        self.ws.unchecked_ref::<StringSocket>().send(text)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
        // Closing a socket that is already closing or closed is a no-op.
        let _ = self.ws.close();
    }
}
