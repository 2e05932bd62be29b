//! Property names as JS strings, made once: reading or building an object field by field
//! otherwise decodes every key from wasm memory (a TextDecoder call each), a large part of
//! turning a page of cached messages into Rust and back into JS. Keys are `'static`, so
//! their address names them; a slot taken by another key is simply replaced.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

const SLOTS: usize = 128;

thread_local! {
    static KEYS: RefCell<[(usize, Option<JsValue>); SLOTS]> =
        const { RefCell::new([const { (0, None) }; SLOTS]) };
}

/// `key` as a JS string.
#[inline(never)]
pub fn key(key: &'static str) -> JsValue {
    let id = key.as_ptr() as usize ^ (key.len() << 20);
    let slot = (id ^ (id >> 7)) % SLOTS;
    KEYS.with(|keys| {
        let Ok(mut keys) = keys.try_borrow_mut() else {
            return JsValue::from_str(key);
        };
        let entry = &mut keys[slot];
        if entry.0 != id || entry.1.is_none() {
            *entry = (id, Some(JsValue::from_str(key)));
        }
        entry.1.clone().unwrap_or(JsValue::UNDEFINED)
    })
}
