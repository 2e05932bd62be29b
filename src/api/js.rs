//! The JS boundary in one place: the one helper that makes Promises, the one conversion from
//! [`SdkError`] to the `{code, message, data?}` object every rejection and throw carries, and
//! readers for option objects that never throw on bad input.

use js_sys::{Function, Object, Promise};
use wasm_bindgen::JsValue;

use crate::core::SdkError;
use crate::web::js::object;
use crate::web::js::views::ToJs;

/// The settle functions of a Promise made by [`promise`].
pub struct Resolvers {
    resolve: Function,
    reject: Function,
    /// Also called with the settled value (`sendMessageV2`).
    callback: Option<Function>,
}

impl Resolvers {
    /// Resolves with `{code: 0, data}`.
    pub fn resolve(self, data: &JsValue) {
        let value = Object::new();
        object::set(&value, "code", &JsValue::from(0));
        object::set(&value, "data", data);
        self.settle(&self.resolve, &value.into());
    }

    /// Resolves with `value` itself (the few calls tim-js-sdk settles without `{code, data}`).
    pub fn resolve_bare(self, value: &JsValue) {
        self.settle(&self.resolve, value);
    }

    /// Rejects with `{code, message, data?}`.
    pub fn reject(self, error: &SdkError, data: Option<&JsValue>) {
        self.settle(&self.reject, &error_value(error, data));
    }

    fn settle(&self, with: &Function, value: &JsValue) {
        let _ = with.call1(&JsValue::UNDEFINED, value);
        call_back(self.callback.as_ref(), value);
    }
}

/// Calls `callback(value)`; a throwing callback changes nothing.
fn call_back(callback: Option<&Function>, value: &JsValue) {
    if let Some(callback) = callback {
        let _ = callback.call1(&JsValue::NULL, value);
    }
}

/// A pending Promise and the functions that settle it; `callback` is called with the same
/// value when it settles.
pub fn promise(callback: Option<Function>) -> (Promise, Option<Resolvers>) {
    let mut resolvers = None;
    let promise = Promise::new(&mut |resolve, reject| {
        resolvers = Some(Resolvers {
            resolve,
            reject,
            callback: callback.clone(),
        })
    });
    (promise, resolvers)
}

/// A Promise already rejected with `error`.
pub fn rejected(error: &SdkError) -> Promise {
    Promise::reject(&error_value(error, None))
}

/// A Promise already rejected with `error`, after calling `callback` with the same value.
pub fn rejected_calling(error: &SdkError, callback: Option<&Function>) -> Promise {
    let value = error_value(error, None);
    call_back(callback, &value);
    Promise::reject(&value)
}

/// The JS value of an error: a plain `{code, message}` object, plus `data` when given.
pub fn error_value(error: &SdkError, data: Option<&JsValue>) -> JsValue {
    let value = Object::new();
    object::set(&value, "code", &JsValue::from(error.code));
    object::set(&value, "message", &JsValue::from_str(&error.message));
    if let Some(data) = data {
        object::set(&value, "data", data);
    }
    value.into()
}

/// A response, event payload or message as plain JS (objects, numbers). Never fails now that
/// the views are built by hand (`web::views`); the `Result` keeps the call sites unchanged.
pub fn to_plain<T: ToJs + ?Sized>(value: &T) -> Result<JsValue, SdkError> {
    Ok(value.to_js())
}
