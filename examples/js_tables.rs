//! Prints `tables.js` for the npm package: `TIM.EVENT`, `TIM.TYPES`, `TIM.VERSION` and the error
//! codes the loader answers with, from the core's tables, so the JS loader has them before the
//! wasm arrives and they are defined once.
//! Run by `scripts/build-pkg.sh`.

use tim_sdk::core::codes;
use tim_sdk::core::constants::{TypeValue, EVENTS, TYPES};

/// A JS string literal: the tables hold plain ASCII names, for which Rust's debug form is JSON's.
fn quoted(s: &str) -> String {
    format!("{s:?}")
}

fn main() {
    let mut out = String::from("export const EVENT = Object.freeze({");
    for (name, value) in EVENTS {
        out += &format!("{name}:{},", quoted(value));
    }
    out += "});\nexport const TYPES = Object.freeze({";
    for (name, value) in TYPES {
        match value {
            TypeValue::Str(s) => out += &format!("{name}:{},", quoted(s)),
            TypeValue::Num(n) => out += &format!("{name}:{n},"),
        }
    }
    out += &format!(
        "}});\nexport const VERSION = {};\n",
        quoted(env!("CARGO_PKG_VERSION"))
    );
    out += &format!(
        "export const NO_ACCOUNT_TYPE = {}, INVALID_OPERATION = {}, CANNOT_FIND_MODULE = {}, SDK_IS_NOT_READY = {};\n",
        codes::NO_ACCOUNT_TYPE,
        codes::INVALID_OPERATION,
        codes::CANNOT_FIND_MODULE,
        codes::SDK_IS_NOT_READY
    );
    print!("{out}");
}
