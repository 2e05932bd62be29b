//! Many messages in one call on the `TIM` class: `importMessageList` (seed 002
//! `TIMMsgImportMsgList`) and `batchSendMessage` (seed 002 `TIMMsgBatchSend`; its rules are the
//! core's, in `core/bulk.rs`).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::instance::Settle;
use super::{array_of, conversation_arg, js, message_arg, Tim};
use crate::core::Command;
use crate::web::js::read as fields;

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

    /// `batchSendMessage(message, userIDList)`: sends a copy of `message` (from
    /// `create*Message`; its own `to` is ignored) to each user as a C2C message. Resolves, once
    /// every copy is answered, `{successUserIDList, failureUserIDList: [{userID, code,
    /// message}]}`. Each copy's ID is `<message.ID>-<hash of userID>`, so calling again with
    /// the same message delivers nothing twice. 1 to 500 users, else rejects 2905.
    #[wasm_bindgen(js_name = batchSendMessage)]
    pub fn batch_send_message(
        &self,
        message: JsValue,
        #[wasm_bindgen(js_name = userIDList, unchecked_param_type = "string[]")] user_ids: JsValue,
    ) -> Promise {
        let (view, _) = match message_arg(&message) {
            Ok(m) => m,
            Err(e) => return js::rejected(&e),
        };
        // An entry that is not a string comes as "", which the core refuses.
        let user_ids = array_of(&user_ids)
            .unwrap_or_default()
            .iter()
            .map(|u| u.as_string().unwrap_or_default())
            .collect();
        let command = Command::BatchSendMessage {
            message: view,
            user_ids,
        };
        self.inner.call(command, Settle::Plain)
    }
}
