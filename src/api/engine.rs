//! Calls of @tencentcloud/chat 3.x that engines written for it (TUIKit) make: `isReady`,
//! `getLoginUser`, `getServerTime`, `callExperimentalAPI`, `setConversationDraft` and
//! `getMyProfile`. The
//! first three are synchronous reads of the core; none ever throws.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::instance::{err, Settle};
use super::{conversation_arg, js, Tim};
use crate::core::{can_i_use_module, codes, experimental, Command};
use crate::web::driver;
use crate::web::js::object;
use crate::web::js::read as fields;

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `isReady()`: true from when `login()` resolves (SDK_READY follows in the next task)
    /// until logout, kick or SDK_NOT_READY; false before login.
    #[wasm_bindgen(js_name = isReady)]
    pub fn is_ready(&self) -> bool {
        !self.inner.destroyed.get() && self.inner.driver.with_core(|c| c.is_ready()) == Some(true)
    }

    /// `getLoginUser()`: the userID of the current (or pending) login, `''` when none.
    #[wasm_bindgen(js_name = getLoginUser)]
    pub fn get_login_user(&self) -> String {
        match self.inner.destroyed.get() {
            true => String::new(),
            false => self.inner.driver.user_id().unwrap_or_default(),
        }
    }

    /// `getServerTime()`: the server's clock in seconds, estimated from the offset learnt
    /// from its login and heartbeat replies; the local clock before the first login.
    #[wasm_bindgen(js_name = getServerTime)]
    pub fn get_server_time(&self) -> f64 {
        let now = driver::now_ms();
        let secs = self.inner.driver.with_core(|c| c.server_time(now));
        secs.unwrap_or(now / 1000) as f64
    }

    /// `callExperimentalAPI(name, param)`: `'isCommercialAbilityEnabled'` with a feature
    /// number resolves `{enabled}` (true when every asked ability is implemented here: marks,
    /// conversation groups); the statistics-only names resolve `{}`; any other name rejects
    /// with `INVALID_OPERATION` (2905), as 3.x does.
    #[wasm_bindgen(js_name = callExperimentalAPI, unchecked_return_type = "Promise<any> | boolean")]
    pub fn call_experimental_api(&self, name: JsValue, param: JsValue) -> JsValue {
        let name = name.as_string().unwrap_or_default();
        if name == "canIUseModule" {
            // Synchronous in 3.x; engines pass the name alone or in an array.
            let module = param
                .as_string()
                .or_else(|| js_sys::Reflect::get_u32(&param, 0).ok()?.as_string());
            return can_i_use_module(&module.unwrap_or_default()).into();
        }
        // 3.x reads the number with parseInt, so a numeric string is accepted too (parsed by
        // JS: Rust's str parsing costs the wasm about 1 KB).
        let number = match param.as_string() {
            Some(text) => js_sys::Number::parse_int(&text, 10),
            None => param.as_f64().unwrap_or(f64::NAN),
        };
        let param = (number.is_finite() && number >= 0.0).then_some(number as u64);
        let settled = match experimental(&name, param) {
            Ok(data) => match js::to_plain(&data) {
                Ok(data) => Promise::resolve(&resolved(&data)),
                Err(e) => js::rejected(&e),
            },
            Err(e) => js::rejected(&e),
        };
        settled.into()
    }

    /// `getMyProfile()`: resolves the logged-in user's Profile (tim-js-sdk's defaults until
    /// profiles are kept by the server); `SDK_IS_NOT_READY` (2999) before login.
    #[wasm_bindgen(js_name = getMyProfile)]
    pub fn get_my_profile(&self) -> Promise {
        self.inner.call(Command::GetMyProfile, Settle::Plain)
    }

    /// `setConversationDraft({conversationID, draftText})` (3.x): this instance's draft of a
    /// listed conversation (`CONVERSATION_NOT_FOUND`, 2500, otherwise), shown as the
    /// conversation's `draftText`; resolves `{conversation}`. Not synced, not cached.
    #[wasm_bindgen(js_name = setConversationDraft)]
    pub fn set_conversation_draft(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ conversationID: string, draftText: string }")]
        options: JsValue,
    ) -> Promise {
        let Some(draft_text) = fields::string(&options, "draftText") else {
            return js::rejected(&err(codes::INVALID_OPERATION, "draftText must be a string"));
        };
        match conversation_arg(&fields::field(&options, "conversationID")) {
            Ok(conversation_id) => self.inner.call(
                Command::SetConversationDraft {
                    conversation_id,
                    draft_text,
                },
                Settle::Plain,
            ),
            Err(e) => js::rejected(&e),
        }
    }
}

/// `{code: 0, data}`.
fn resolved(data: &JsValue) -> JsValue {
    let value = object::with("code", &JsValue::from(0));
    object::set(value.unchecked_ref(), "data", data);
    value
}
