//! Browser tests against a live tim-server, through the same JS surface a page uses: the
//! instances come from `TIM.create`, every method is called as JavaScript calls it (by name,
//! on the JS object), and events arrive at real JS handler functions.
//!
//! Run by the project's test script, which starts the server and exports, before compiling:
//! `TIM_TEST_SERVER` (host:port), `TIM_TEST_SDKAPPID`, `TIM_TEST_SECRET`; then
//! `CHROMEDRIVER=$(command -v chromedriver) wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Object, Reflect};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const C2C: &str = "C2C";
const GROUP: &str = "GROUP";

#[path = "browser/messaging.rs"]
mod messaging;
#[path = "browser/robustness.rs"]
mod robustness;
#[path = "browser/surface.rs"]
mod surface;

async fn login_as(user_id: &str) -> JsValue {
    login(&unique("i"), user_id).await
}

fn conversation<'a>(list: &'a [JsValue], id: &str) -> Option<&'a JsValue> {
    list.iter().find(|c| s(c, "conversationID") == id)
}

fn thrown_code(result: Result<JsValue, JsValue>, what: &str) -> f64 {
    match result {
        Ok(v) => panic!("{what} must throw, returned {}", show(&v)),
        Err(e) => {
            assert!(
                !s(&e, "message").is_empty(),
                "{what}: error without message: {}",
                show(&e)
            );
            n(&e, "code")
        }
    }
}

fn wasm_memory_bytes() -> f64 {
    let memory = wasm_bindgen::memory();
    n(&get(&memory, "buffer"), "byteLength")
}
