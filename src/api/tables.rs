//! `TIM.EVENT` and `TIM.TYPES` as frozen JS objects, built once from the core's tables.

use std::cell::OnceCell;

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::js;
use crate::core::constants::{TypeValue, EVENTS, TYPES};

thread_local! {
    static EVENT_TABLE: OnceCell<JsValue> = const { OnceCell::new() };
    static TYPES_TABLE: OnceCell<JsValue> = const { OnceCell::new() };
}

fn frozen_table(entries: impl Iterator<Item = (&'static str, JsValue)>) -> JsValue {
    let object = Object::new();
    for (name, value) in entries {
        js::set(&object, name, &value);
    }
    Object::freeze(&object).into()
}

/// `TIM.EVENT`: the same frozen object on every read.
pub(super) fn events() -> JsValue {
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

/// `TIM.TYPES`: the same frozen object on every read.
pub(super) fn types() -> JsValue {
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
