//! The conversation-management calls of the `TIM` class: marks, customData, remind type,
//! clearing history and conversation groups. Each is this user's own state, kept by the server
//! and synced to the user's other instances (`CONVERSATION_LIST_UPDATED` there, and the group
//! events for groups).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::instance::{err, Settle};
use super::{array_of, conversation_arg, js, Tim};
use crate::core::{codes, Command, SdkError, SettingsChange};
use crate::web::js::read as fields;
use tim_protocol::ConvGroupAction;

fn invalid(message: &str) -> SdkError {
    err(codes::INVALID_OPERATION, message)
}

/// `options.conversationIDList`: an array of strings.
pub(super) fn id_list(options: &JsValue) -> Result<Vec<String>, SdkError> {
    let list = array_of(&fields::field(options, "conversationIDList"))
        .ok_or_else(|| invalid("conversationIDList must be an array of conversation IDs"))?;
    list.iter()
        .map(|v| {
            v.as_string().ok_or_else(|| {
                err(
                    codes::INVALID_CONVERSATION_ID,
                    "conversationID must be a string",
                )
            })
        })
        .collect()
}

fn group_name(options: &JsValue, key: &'static str) -> Result<String, SdkError> {
    options
        .as_string()
        .filter(|_| key == "groupName")
        .or_else(|| fields::string(options, key))
        .ok_or_else(|| invalid("a conversation group name is required"))
}

impl Tim {
    fn settings(&self, change: Result<SettingsChange, SdkError>, settle: Settle) -> Promise {
        match change {
            Ok(change) => self
                .inner
                .call(Command::SetConversationSettings(change), settle),
            Err(e) => js::rejected(&e),
        }
    }

    fn group_call(
        &self,
        action: ConvGroupAction,
        names: Result<(String, String), SdkError>,
        conversation_ids: Result<Vec<String>, SdkError>,
    ) -> Promise {
        let command = names.and_then(|(name, new_name)| {
            Ok(Command::ConversationGroup {
                action,
                name,
                new_name,
                conversation_ids: conversation_ids?,
            })
        });
        match command {
            Ok(command) => self.inner.call(command, Settle::Plain),
            Err(e) => js::rejected(&e),
        }
    }
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `markConversation({conversationIDList, markType, enableMark})`: sets or clears the
    /// `CONV_MARK_TYPE_*` bits of `markType` in each conversation's `markList`. Resolves
    /// `{successConversationIDList, failureConversationIDList: [{conversationID, code, message}]}`
    /// (a conversation not in the list fails with 2500).
    #[wasm_bindgen(js_name = markConversation)]
    pub fn mark_conversation(&self, options: JsValue) -> Promise {
        let change = (|| {
            let mark = fields::uint(&options, "markType")
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n != 0)
                .ok_or_else(|| invalid("markType must be a CONV_MARK_TYPE_* value"))?;
            let enable = fields::boolean(&options, "enableMark")
                .ok_or_else(|| invalid("enableMark must be a boolean"))?;
            Ok(SettingsChange {
                conversation_ids: id_list(&options)?,
                mark_set: if enable { mark } else { 0 },
                mark_clear: if enable { 0 } else { mark },
                per_conversation: true,
                ..SettingsChange::default()
            })
        })();
        self.settings(change, Settle::Plain)
    }

    /// `setConversationCustomData({conversationIDList, customData})`: at most 256 bytes.
    /// Resolves like `markConversation`.
    #[wasm_bindgen(js_name = setConversationCustomData)]
    pub fn set_conversation_custom_data(&self, options: JsValue) -> Promise {
        let change = (|| {
            let data = fields::string(&options, "customData")
                .ok_or_else(|| invalid("customData must be a string"))?;
            Ok(SettingsChange {
                conversation_ids: id_list(&options)?,
                custom_data: Some(data),
                per_conversation: true,
                ..SettingsChange::default()
            })
        })();
        self.settings(change, Settle::Plain)
    }

    /// `setMessageRemindType({userID | userIDList | groupID, messageRemindType})`:
    /// `MSG_REMIND_ACPT_AND_NOTE` (default), `MSG_REMIND_ACPT_NOT_NOTE` (received and counted
    /// in the conversation, left out of the total unread) or `MSG_REMIND_DISCARD` (the server
    /// keeps the conversation's new messages in its history but neither delivers them here
    /// nor counts them unread). Resolves `{}`.
    #[wasm_bindgen(js_name = setMessageRemindType)]
    pub fn set_message_remind_type(&self, options: JsValue) -> Promise {
        let change = (|| {
            let remind = fields::string(&options, "messageRemindType")
                .ok_or_else(|| invalid("messageRemindType must be a MSG_REMIND_* value"))?;
            let mut ids: Vec<String> = fields::strings(&options, "userIDList")
                .unwrap_or_default()
                .into_iter()
                .chain(fields::string(&options, "userID"))
                .map(|u| format!("C2C{u}"))
                .collect();
            ids.extend(fields::string(&options, "groupID").map(|g| format!("GROUP{g}")));
            if ids.is_empty() {
                return Err(invalid("userID, userIDList or groupID is required"));
            }
            Ok(SettingsChange {
                conversation_ids: ids,
                remind: Some(remind),
                ..SettingsChange::default()
            })
        })();
        self.settings(change, Settle::Plain)
    }

    /// `clearHistoryMessage(conversationID)`: clears the conversation's messages for this user
    /// (every instance; the peer keeps them) and its unread count; the conversation stays
    /// listed. Resolves `{conversationID}`.
    #[wasm_bindgen(js_name = clearHistoryMessage)]
    pub fn clear_history_message(
        &self,
        #[wasm_bindgen(js_name = conversationID, unchecked_param_type = "string")]
        conversation_id: JsValue,
    ) -> Promise {
        let change = conversation_arg(&conversation_id).map(|id| SettingsChange {
            conversation_ids: vec![id],
            clear_history: true,
            ..SettingsChange::default()
        });
        let id = conversation_arg(&conversation_id).unwrap_or_default();
        self.settings(change, Settle::Conversation(id))
    }

    /// `createConversationGroup({groupName, conversationIDList})`: resolves
    /// `{successConversationIDList, failureConversationIDList}`. A taken name rejects with
    /// 51012, more than 20 groups with 51010, a name of 0 or more than 32 bytes with 51011.
    #[wasm_bindgen(js_name = createConversationGroup)]
    pub fn create_conversation_group(&self, options: JsValue) -> Promise {
        let names = group_name(&options, "groupName").map(|n| (n, String::new()));
        self.group_call(ConvGroupAction::Create, names, id_list(&options))
    }

    /// `getConversationGroupList()`: resolves with the group names.
    #[wasm_bindgen(js_name = getConversationGroupList)]
    pub fn get_conversation_group_list(&self) -> Promise {
        self.inner
            .call(Command::GetConversationGroupList, Settle::Plain)
    }

    /// `deleteConversationGroup(groupName)`: an unknown group rejects with 51009.
    #[wasm_bindgen(js_name = deleteConversationGroup)]
    pub fn delete_conversation_group(&self, group: JsValue) -> Promise {
        let names = group_name(&group, "groupName").map(|n| (n, String::new()));
        self.group_call(ConvGroupAction::Delete, names, Ok(Vec::new()))
    }

    /// `renameConversationGroup({oldName, newName})`.
    #[wasm_bindgen(js_name = renameConversationGroup)]
    pub fn rename_conversation_group(&self, options: JsValue) -> Promise {
        let names = group_name(&options, "oldName")
            .and_then(|old| Ok((old, group_name(&options, "newName")?)));
        self.group_call(ConvGroupAction::Rename, names, Ok(Vec::new()))
    }

    /// `addConversationsToGroup({groupName, conversationIDList})`: resolves like
    /// `createConversationGroup`; fires `CONVERSATION_IN_GROUP_UPDATED`.
    #[wasm_bindgen(js_name = addConversationsToGroup)]
    pub fn add_conversations_to_group(&self, options: JsValue) -> Promise {
        let names = group_name(&options, "groupName").map(|n| (n, String::new()));
        self.group_call(ConvGroupAction::Add, names, id_list(&options))
    }

    /// `deleteConversationsFromGroup({groupName, conversationIDList})`.
    #[wasm_bindgen(js_name = deleteConversationsFromGroup)]
    pub fn delete_conversations_from_group(&self, options: JsValue) -> Promise {
        let names = group_name(&options, "groupName").map(|n| (n, String::new()));
        self.group_call(ConvGroupAction::Remove, names, id_list(&options))
    }
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `getMessageListHopping({conversationID, sequence | time, count?, direction?})`: up to
    /// `count` (default and maximum 15) messages from `sequence` (groups) or server `time` in
    /// seconds (C2C), inclusive; `direction` 0 (default) older, 1 newer. Resolves
    /// `{messageList, isCompleted}` (oldest first; `isCompleted`: nothing further that way).
    #[wasm_bindgen(js_name = getMessageListHopping)]
    pub fn get_message_list_hopping(&self, options: JsValue) -> Promise {
        let conversation_id = match conversation_arg(&fields::field(&options, "conversationID")) {
            Ok(id) => id,
            Err(e) => return js::rejected(&e),
        };
        let command = Command::GetMessageListHopping {
            conversation_id,
            sequence: fields::uint(&options, "sequence"),
            time: fields::uint(&options, "time"),
            count: fields::uint(&options, "count").map(|n| n.min(u32::MAX as u64) as u32),
            newer: fields::uint(&options, "direction") == Some(1),
        };
        self.inner.call(command, Settle::Plain)
    }

    /// `findMessageByLocatorList({conversationID, locatorList: [{sequence, random?, time?,
    /// isSelf?}]})` (seed 002's `TIMMsgFindByMsgLocatorList`): resolves `{messageList}` with
    /// the messages found (from memory, else from the server); a locator whose `random`,
    /// `time` or `isSelf` does not match finds nothing.
    #[wasm_bindgen(js_name = findMessageByLocatorList)]
    pub fn find_message_by_locator_list(&self, options: JsValue) -> Promise {
        let conversation_id = match conversation_arg(&fields::field(&options, "conversationID")) {
            Ok(id) => id,
            Err(e) => return js::rejected(&e),
        };
        let Some(list) = array_of(&fields::field(&options, "locatorList")) else {
            return js::rejected(&invalid("locatorList must be an array"));
        };
        let mut locators = Vec::with_capacity(list.len());
        for l in &list {
            let Some(seq) = fields::uint(l, "sequence") else {
                return js::rejected(&invalid("each locator needs a sequence"));
            };
            locators.push(crate::core::Locator {
                seq,
                random: fields::uint(l, "random").map_or(0, |r| r as u32),
                time: fields::uint(l, "time").unwrap_or(0),
                is_self: fields::boolean(l, "isSelf"),
            });
        }
        let command = Command::FindMessageByLocators {
            conversation_id,
            locators,
        };
        self.inner.call(command, Settle::Plain)
    }
}
