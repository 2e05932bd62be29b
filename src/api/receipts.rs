//! Read receipts on the `TIM` class: `sendMessageReadReceipt`, `getMessageReadReceiptList`,
//! `getGroupMessageReadMemberList` (their events come through the emitter as usual).

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::instance::{err, Settle};
use super::{array_of, js, message_arg, Tim};
use crate::core::{codes, Command, MessageView, SdkError};
use crate::web::js::read as fields;

/// Largest `count` of `getGroupMessageReadMemberList`.
const MAX_MEMBER_PAGE: u64 = 100;

/// The messages of a `messageList` argument and their objects.
fn message_list(value: &JsValue) -> Result<(Vec<MessageView>, Vec<Object>), SdkError> {
    let list = array_of(value).ok_or_else(|| {
        err(
            codes::READ_RECEIPT_MESSAGE_LIST_EMPTY,
            "messageList must be a non-empty array of messages",
        )
    })?;
    let mut views = Vec::with_capacity(list.len());
    let mut objects = Vec::with_capacity(list.len());
    for item in &list {
        let (view, object) = message_arg(item)?;
        views.push(view);
        objects.push(object);
    }
    Ok((views, objects))
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `sendMessageReadReceipt(messageList)`: acknowledges reading messages of one
    /// conversation that were sent with `needReadReceipt: true` (others and own messages are
    /// ignored); each sender gets `MESSAGE_READ_RECEIPT_RECEIVED`. Resolves `{}`; an empty list
    /// rejects with `READ_RECEIPT_MESSAGE_LIST_EMPTY` (2114), mixed conversations or unsent
    /// messages with `INVALID_OPERATION` (2905).
    #[wasm_bindgen(js_name = sendMessageReadReceipt)]
    pub fn send_message_read_receipt(
        &self,
        #[wasm_bindgen(js_name = messageList, unchecked_param_type = "any[]")] list: JsValue,
    ) -> Promise {
        match message_list(&list) {
            Ok((views, _)) => self
                .inner
                .call(Command::SendMessageReadReceipt(views), Settle::Plain),
            Err(e) => js::rejected(&e),
        }
    }

    /// `getMessageReadReceiptList(messageList)`: resolves `{messageList}` with the objects
    /// passed in, each that asked for receipts now carrying
    /// `readReceiptInfo: {messageID, readCount, unreadCount}`.
    #[wasm_bindgen(js_name = getMessageReadReceiptList)]
    pub fn get_message_read_receipt_list(
        &self,
        #[wasm_bindgen(js_name = messageList, unchecked_param_type = "any[]")] list: JsValue,
    ) -> Promise {
        match message_list(&list) {
            Ok((views, objects)) => self.inner.call(
                Command::GetMessageReadReceiptList(views),
                Settle::Receipts(objects),
            ),
            Err(e) => js::rejected(&e),
        }
    }

    /// `getGroupMessageReadMemberList({message, filter, cursor, count})`: `filter` 0 lists
    /// members who read the message, 1 those who did not; resolves
    /// `{isCompleted, cursor, messageID, readUserIDList | unreadUserIDList}` (pass `cursor`
    /// back for the next page; `count` default and maximum 100).
    #[wasm_bindgen(js_name = getGroupMessageReadMemberList)]
    pub fn get_group_message_read_member_list(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ message: any, filter: number, cursor?: string, count?: number }"
        )]
        options: JsValue,
    ) -> Promise {
        let read = match fields::uint(&options, "filter") {
            Some(0) => true,
            Some(1) => false,
            _ => return js::rejected(&err(codes::INVALID_OPERATION, "filter must be 0 or 1")),
        };
        let (message, _) = match message_arg(&fields::field(&options, "message")) {
            Ok(m) => m,
            Err(e) => return js::rejected(&e),
        };
        let cursor = fields::string(&options, "cursor").unwrap_or_default();
        let count = fields::uint(&options, "count")
            .unwrap_or(MAX_MEMBER_PAGE)
            .clamp(1, MAX_MEMBER_PAGE) as u32;
        let command = Command::GetGroupMessageReadMemberList {
            message,
            read,
            cursor,
            count,
        };
        self.inner.call(command, Settle::Plain)
    }
}
