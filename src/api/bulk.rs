//! Many messages in one call on the `TIM` class: `importMessageList` (seed 002
//! `TIMMsgImportMsgList`) and `batchSendMessage` (seed 002 `TIMMsgBatchSend`, one ordinary
//! send per user, tallied here).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use std::rc::Rc;

use super::instance::{err, BatchTally, Settle};
use super::{array_of, conversation_arg, js, message_arg, Tim};
use crate::core::{codes, Command, MessageView};
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
        let list = array_of(&user_ids).unwrap_or_default();
        let mut users: Vec<String> = Vec::with_capacity(list.len());
        for u in &list {
            match u.as_string() {
                Some(u) if !u.is_empty() => {
                    if !users.contains(&u) {
                        users.push(u);
                    }
                }
                _ => return js::rejected(&bad_user_list()),
            }
        }
        if users.is_empty() || users.len() > MAX_BATCH || self.inner.destroyed.get() {
            return js::rejected(&bad_user_list());
        }
        let (promise, Some(resolvers)) = js::promise(None) else {
            return js::rejected(&err(codes::UNCAUGHT_ERROR, "no Promise"));
        };
        let tally = Rc::new(BatchTally::new(users.len(), resolvers));
        for user in users {
            let copy = MessageView {
                id: copy_id(&view.id, &user),
                to: user.clone(),
                conversation_type: "C2C".to_owned(),
                conversation_id: String::new(),
                ..view.clone()
            };
            // Each copy is an ordinary send: idempotent by its ID, stored here on success.
            let _ = self.inner.call(
                Command::SendMessage(copy),
                Settle::BatchCopy(user, tally.clone()),
            );
        }
        promise
    }
}

/// Most users one batch may name (Tencent's limit).
const MAX_BATCH: usize = 500;

/// A copy's ID for `user`: stable, and short enough for the server's 128-byte limit.
fn copy_id(message_id: &str, user: &str) -> String {
    // FNV-1a: deterministic, no table.
    let hash = user.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{message_id}-{hash:016x}")
}

/// Rejection for a bad `userIDList`.
pub(super) fn bad_user_list() -> crate::core::SdkError {
    err(
        codes::INVALID_OPERATION,
        "userIDList must be a non-empty array of userIDs",
    )
}
