//! The one helper set that builds plain JS objects, for the wire codec, the cache records,
//! the views and the API: field by field (no serde in the wasm), never throwing (a frozen or
//! exotic object is left as it is), with property names made once ([`super::keys`]).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use super::keys::key;

/// `object[name] = value`.
pub fn set(object: &Object, name: &'static str, value: &JsValue) {
    let _ = Reflect::set(object, &key(name), value);
}

/// `object[name] = value` for a name known only at run time.
pub fn set_dyn(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), value);
}

/// A string field.
pub fn set_str(object: &Object, name: &'static str, value: &str) {
    set(object, name, &JsValue::from_str(value));
}

/// A number field; every number the SDK writes is far below 2^53.
pub fn set_num(object: &Object, name: &'static str, value: f64) {
    set(object, name, &JsValue::from_f64(value));
}

/// A boolean field.
pub fn set_bool(object: &Object, name: &'static str, value: bool) {
    set(object, name, &JsValue::from_bool(value));
}

/// A single-field object `{name: value}`.
pub fn with(name: &'static str, value: &JsValue) -> JsValue {
    let object = Object::new();
    set(&object, name, value);
    object.into()
}
