//! API calls that need a ready session: sendMessage, getMessageList, setMessageRead. Each
//! becomes a job in the request table, transmitted now if the session is live or after the
//! next re-login otherwise.

use tim_protocol::{parse_conversation_id, Request, MAX_HISTORY_PAGE};

use super::create::outbound_of;
use super::requests::JobKind;
use super::*;

fn bad_conversation_id() -> SdkError {
    SdkError::new(
        codes::INVALID_CONVERSATION_ID,
        "conversationID must be C2C<userID> or GROUP<groupID>",
    )
}

impl Core {
    fn deadline(&self, now: u64) -> u64 {
        now.saturating_add(self.config.request_timeout_ms)
    }

    pub(super) fn cmd_send(&mut self, now: u64, op: OpId, view: MessageView) {
        // A bare `{ID}` of a message created here is completed from the draft.
        let view = match self.drafts.get(&view.id) {
            Some(draft) if view.msg_type.is_empty() => draft.clone(),
            _ => view,
        };
        let me = self.user_id().unwrap_or("").to_owned();
        let outbound = match outbound_of(&view, &me) {
            Ok(o) => o,
            Err(e) => {
                self.drafts.set_status(&view.id, "fail");
                return self.complete(op, Err(e));
            }
        };
        if self.requests.has_send(&outbound.id) {
            return self.complete(
                op,
                Err(SdkError::new(
                    codes::INVALID_OPERATION,
                    "this message is already being sent",
                )),
            );
        }
        if let Some(s) = self.session.as_mut() {
            s.own_ids.insert(outbound.id.clone());
        }
        let kind = JobKind::Send {
            message_id: outbound.id.clone(),
        };
        let deadline = self.deadline(now);
        self.requests
            .add_job(op, kind, Request::Send { message: outbound }, deadline);
        self.flush_jobs(now);
    }

    pub(super) fn cmd_history(
        &mut self,
        now: u64,
        op: OpId,
        conv: &str,
        next: Option<&str>,
        count: Option<u32>,
    ) {
        if parse_conversation_id(conv).is_none() {
            return self.complete(op, Err(bad_conversation_id()));
        }
        let count = count.unwrap_or(MAX_HISTORY_PAGE).clamp(1, MAX_HISTORY_PAGE);
        let before_seq = match next.filter(|n| !n.is_empty()) {
            None => None,
            Some(id) => {
                let found = self.session.as_ref().and_then(|s| s.convs.store.locate(id));
                match found {
                    Some((c, seq)) if c == conv => Some(seq),
                    _ => {
                        let err = SdkError::new(
                            codes::INVALID_OPERATION,
                            "nextReqMessageID is not a message of this conversation",
                        );
                        return self.complete(op, Err(err));
                    }
                }
            }
        };
        let req = Request::History {
            conversation_id: conv.to_owned(),
            before_seq,
            count,
        };
        let deadline = self.deadline(now);
        self.requests.add_job(
            op,
            JobKind::History {
                conv: conv.to_owned(),
            },
            req,
            deadline,
        );
        self.flush_jobs(now);
    }

    pub(super) fn cmd_read(&mut self, now: u64, op: OpId, conv: &str) {
        if parse_conversation_id(conv).is_none() {
            return self.complete(op, Err(bad_conversation_id()));
        }
        let before = self.conversation_views();
        let Some(seq) = self.session.as_mut().and_then(|s| s.convs.mark_read(conv)) else {
            return self.complete(
                op,
                Err(SdkError::new(
                    codes::CONVERSATION_NOT_FOUND,
                    "no such conversation",
                )),
            );
        };
        self.publish(before, true);
        let req = Request::Read {
            conversation_id: conv.to_owned(),
            seq,
        };
        let deadline = self.deadline(now);
        self.requests.add_job(
            op,
            JobKind::Read {
                conv: conv.to_owned(),
            },
            req,
            deadline,
        );
        self.flush_jobs(now);
    }
}
