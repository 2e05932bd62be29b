//! Console logging gated by `tim.setLogLevel(n)` (tim-js-sdk levels: 0 everything, 1 release,
//! 2 warnings and errors, 3 errors only, 4 nothing). The level is shared by all instances, as
//! tim-js-sdk's logger is. The default is 1, tim-js-sdk's recommended production level: level 0
//! prints every wire frame, which costs more than a quarter of the SDK's time under load.

use std::cell::Cell;

use wasm_bindgen::JsValue;

thread_local! {
    static LEVEL: Cell<i32> = const { Cell::new(1) };
}

/// Sets the level (`setLogLevel`).
pub fn set_level(level: i32) {
    LEVEL.with(|l| l.set(level));
}

fn enabled(at: i32) -> bool {
    LEVEL.with(|l| l.get() <= at)
}

/// Logs a warning with a detail value.
pub fn warn(what: &str, detail: &JsValue) {
    if enabled(2) {
        web_sys::console::warn_3(&JsValue::from_str("tim:"), &JsValue::from_str(what), detail);
    }
}

/// Logs an error with a detail value. Errors are shown unless the level is 4 (none).
pub fn error(what: &str, detail: &JsValue) {
    if enabled(3) {
        web_sys::console::error_3(&JsValue::from_str("tim:"), &JsValue::from_str(what), detail);
    }
}

/// Logs an informational line (level 1 and below).
pub fn info(what: &str, detail: &str) {
    if enabled(1) {
        web_sys::console::log_3(
            &JsValue::from_str("tim:"),
            &JsValue::from_str(what),
            &JsValue::from_str(detail),
        );
    }
}

/// Logs wire traffic (level 0 only); `detail` is a JS value, so nothing is built unless shown.
pub fn trace(what: &str, detail: &JsValue) {
    if enabled(0) {
        web_sys::console::debug_3(&JsValue::from_str("tim:"), &JsValue::from_str(what), detail);
    }
}
