//! Reading plain JS values (parsed frames, option objects, messages handed back by JavaScript)
//! field by field. Used instead of serde deserialization on purpose: serde-wasm-bindgen's
//! deserializer, serde's buffering of tagged enums and the float formatting in serde's error
//! messages together cost about half of the SDK's wasm. A field of the wrong type reads as
//! absent.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `value[key]`, or `undefined` when `value` is not an object or the read throws.
pub fn field(value: &JsValue, key: &'static str) -> JsValue {
    if !value.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &super::keys::key(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `value[key]` if it is a string.
pub fn string(value: &JsValue, key: &'static str) -> Option<String> {
    field(value, key).as_string()
}

/// `value[key]` if it is a finite number.
pub fn number(value: &JsValue, key: &'static str) -> Option<f64> {
    field(value, key).as_f64().filter(|n| n.is_finite())
}

/// `value[key]` if it is a non-negative integer (exact below 2^53).
pub fn uint(value: &JsValue, key: &'static str) -> Option<u64> {
    number(value, key)
        .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= 9_007_199_254_740_991.0)
        .map(|n| n as u64)
}

/// `value[key]` if it is an integer.
pub fn int(value: &JsValue, key: &'static str) -> Option<i64> {
    number(value, key)
        .filter(|n| n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0)
        .map(|n| n as i64)
}

/// `value[key]` if it is a boolean.
pub fn boolean(value: &JsValue, key: &'static str) -> Option<bool> {
    field(value, key).as_bool()
}

/// `value[key]` if it is an array; its elements (read by index, which never throws).
pub fn array(value: &JsValue, key: &'static str) -> Option<Vec<JsValue>> {
    let v = field(value, key);
    if !Array::is_array(&v) {
        return None;
    }
    let array: &Array = v.unchecked_ref();
    Some((0..array.length()).map(|i| array.get(i)).collect())
}

/// `value[key]` if it is an array of strings (other elements are skipped).
pub fn strings(value: &JsValue, key: &'static str) -> Option<Vec<String>> {
    array(value, key).map(|items| items.iter().filter_map(JsValue::as_string).collect())
}
