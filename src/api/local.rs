//! The seed-004 / C-API message calls with no tim-js-sdk counterpart: local-only messages
//! (`TIMMsgSaveMsg`, `TIMMsgDelete`) and the Electron `TIMMsgSendMessageV2`, which settles a
//! Promise and also calls a callback.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::instance::{err, Settle};
use super::{js, Tim};
use crate::core::{
    codes, Command, CreateMessageOptions, MessageKind, MessageView, Payload, SdkError,
};
use crate::web::js::options;
use crate::web::js::read as fields;

/// The message to save: `data` is a Message from `create*Message` (its `to` must be the
/// target), or a string that becomes a custom message's `data`.
fn local_message(
    tim: &Tim,
    data: &JsValue,
    to: &str,
    conv_type: &str,
) -> Result<MessageView, SdkError> {
    if let Some(text) = data.as_string() {
        let options = CreateMessageOptions {
            to: Some(to.to_owned()),
            conversation_type: Some(conv_type.to_owned()),
            payload: Some(Payload {
                data: Some(text),
                ..Payload::default()
            }),
            ..CreateMessageOptions::default()
        };
        return tim
            .inner
            .driver
            .create_message(MessageKind::Custom, options);
    }
    let view = data
        .is_object()
        .then(|| options::message(data))
        .filter(|v| !v.id.is_empty())
        .ok_or_else(|| {
            err(
                codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
                "data must be a Message or a string",
            )
        })?;
    if view.to != to || view.conversation_type != conv_type {
        return Err(err(
            codes::INVALID_OPERATION,
            "the message is for another conversation",
        ));
    }
    Ok(view)
}

fn insert(tim: &Tim, options: &JsValue, target_key: &'static str, conv_type: &str) -> Promise {
    let Some(to) = fields::string(options, target_key).filter(|s| !s.is_empty()) else {
        return js::rejected(&err(
            codes::INVALID_OPERATION,
            "userID or groupID is required",
        ));
    };
    let sender = fields::string(options, "sender").unwrap_or_default();
    match local_message(tim, &fields::field(options, "data"), &to, conv_type) {
        Ok(message) => tim
            .inner
            .call(Command::SaveLocalMessage { message, sender }, Settle::Plain),
        Err(e) => js::rejected(&e),
    }
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `insertC2CMessageToLocalStorage({userID, sender, data})`: saves a message in the C2C
    /// conversation with `userID` on this instance only (never sent). `sender` is this user
    /// or the peer; `data` a Message from `create*Message` or a string (custom message data).
    /// Resolves `{message}`; the message pages in `getMessageList` after the newest message
    /// the conversation had when it was saved.
    #[wasm_bindgen(js_name = insertC2CMessageToLocalStorage)]
    pub fn insert_c2c_message_to_local_storage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ userID: string, sender: string, data: any }")]
        options: JsValue,
    ) -> Promise {
        insert(self, &options, "userID", "C2C")
    }

    /// `insertGroupMessageToLocalStorage({groupID, sender, data})`: as the C2C variant, in a
    /// group conversation; `sender` is any userID.
    #[wasm_bindgen(js_name = insertGroupMessageToLocalStorage)]
    pub fn insert_group_message_to_local_storage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ groupID: string, sender: string, data: any }")]
        options: JsValue,
    ) -> Promise {
        insert(self, &options, "groupID", "GROUP")
    }

    /// `deleteMessageFromLocalStorage({msgID} | {conversationID})`: deletes on this instance
    /// only, never on the server. With `msgID`: that message (a local one for good; a server
    /// one stays hidden here). With `conversationID`: its local messages, and the cached server
    /// messages, which the next `getMessageList` fetches again. Unknown `msgID`:
    /// `MESSAGE_DELETE_FAIL` (2111).
    #[wasm_bindgen(js_name = deleteMessageFromLocalStorage)]
    pub fn delete_message_from_local_storage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ msgID?: string, conversationID?: string }")]
        options: JsValue,
    ) -> Promise {
        let message_id = fields::string(&options, "msgID").filter(|s| !s.is_empty());
        let conversation_id = fields::string(&options, "conversationID").filter(|s| !s.is_empty());
        self.inner.call(
            Command::DeleteLocalMessage {
                message_id,
                conversation_id,
            },
            Settle::Plain,
        )
    }

    /// `sendMessageV2(message, options?, callback?)`: `sendMessage`, whose Promise settles as
    /// usual and which also calls `callback(result)` with the same `{code, data}` or
    /// `{code, message}` object (Electron's `TIMMsgSendMessageV2`).
    #[wasm_bindgen(js_name = sendMessageV2)]
    pub fn send_message_v2(
        &self,
        message: JsValue,
        options: Option<JsValue>,
        callback: Option<JsValue>,
    ) -> Promise {
        let callback = callback.and_then(|c| c.dyn_into::<Function>().ok());
        self.send(message, options, callback)
    }
}
