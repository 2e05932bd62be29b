//! `importMessageList({conversationID, messageList})` (seed 002 `TIMMsgImportMsgList`): this
//! user's messages, made with `create*Message`, stored into a conversation as history. Each
//! keeps its `time` (the server caps it at now); sequences are assigned after the existing
//! ones, in time order; nothing is delivered, pushed or counted unread, so the result is seen
//! through `getMessageList`.

use tim_protocol::{req, Message, Request};

use super::create::outbound_of;
use super::requests::JobKind;
use super::*;

/// Most messages one call may import (the server's limit).
const MAX_IMPORT: usize = 100;

impl Core {
    pub(super) fn cmd_import(&mut self, now: u64, op: OpId, conv: &str, views: &[MessageView]) {
        match self.import_request(conv, views) {
            Ok(req) => self.add_call(now, op, JobKind::Import, req),
            Err(e) => self.complete(op, Err(e)),
        }
    }

    fn import_request(&self, conv: &str, views: &[MessageView]) -> Result<Request, SdkError> {
        if !super::limits::conversation_id_ok(conv) {
            return Err(SdkError::new(
                codes::INVALID_CONVERSATION_ID,
                "conversationID must be C2C<userID> or GROUP<groupID>",
            ));
        }
        if views.is_empty() || views.len() > MAX_IMPORT {
            return Err(SdkError::new(
                codes::INVALID_OPERATION,
                "messageList must hold 1 to 100 messages",
            ));
        }
        let me = self.user_id().unwrap_or("");
        let mut messages = Vec::with_capacity(views.len());
        for view in views {
            // Refuses messages created by another user (importing as someone else).
            let mut m = outbound_of(view, me, self.drafts.content(&view.id))?;
            if tim_protocol::conversation_id(m.conv_type, &m.to) != conv {
                return Err(SdkError::new(
                    codes::INVALID_OPERATION,
                    "every message must belong to conversationID",
                ));
            }
            super::limits::outbound(&m)?;
            if view.time > 0 {
                m.client_time = view.time;
            }
            messages.push(m);
        }
        Ok(Request::Import(req::Import { messages }))
    }

    pub(super) fn on_imported(&mut self, op: OpId, messages: &[Message]) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let message_list = messages.iter().map(|m| s.convs.message_view(m)).collect();
        for m in messages {
            self.drafts.remove(&m.id);
        }
        self.complete(op, Ok(Response::Imported { message_list }));
    }
}
