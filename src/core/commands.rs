//! API calls that need a ready session: sendMessage, getMessageList, setMessageRead. Each
//! becomes a job in the request table, transmitted now if the session is live or after the
//! next re-login otherwise.

use tim_protocol::{parse_conversation_id, req, OutboundMessage, Request, MAX_HISTORY_PAGE};

use super::create::outbound_of;
use super::limits;
use super::requests::JobKind;
use super::*;

pub(super) fn bad_conversation_id() -> SdkError {
    SdkError::new(
        codes::INVALID_CONVERSATION_ID,
        "conversationID must be C2C<userID> or GROUP<groupID>",
    )
}

/// How a failed send shows its message: `fail`.
pub(super) const FAILED: Shown = Shown::Status(MessageStatus::Fail);

impl Core {
    fn deadline(&self, now: u64) -> u64 {
        now.saturating_add(self.config.request_timeout_ms)
    }

    pub(super) fn cmd_send(&mut self, now: u64, op: OpId, view: MessageView, options: SendOptions) {
        // A bare `{ID}` of a message created here is completed from the draft.
        let view = match self.drafts.get(&view.id) {
            Some(draft) if view.msg_type.is_empty() => draft.clone(),
            _ => view,
        };
        let me = self.user_id().unwrap_or("").to_owned();
        let outbound = match outbound_of(&view, &me, self.drafts.content(&view.id)) {
            Ok(o) => OutboundMessage {
                online_user_only: options.online_user_only,
                offline_push_info: options.offline_push_info,
                ..o
            },
            Err(e) => {
                self.drafts.set_status(&view.id, MessageStatus::Fail);
                return self.fail_showing(op, e, FAILED);
            }
        };
        // Refused before the outbox: a send the server cannot take is never queued or resent.
        if let Err(e) = self.check_outbound(&outbound) {
            self.drafts.set_status(&view.id, MessageStatus::Fail);
            return self.fail_showing(op, e, FAILED);
        }
        if self.sending(&outbound.id) {
            let err = SdkError::new(
                codes::INVALID_OPERATION,
                "this message is already being sent",
            );
            return self.fail_showing(op, err, FAILED);
        }
        let conv = tim_protocol::conversation_id(outbound.conv_type, &outbound.to);
        self.enqueue_send(now, op, conv, outbound);
    }

    pub(super) fn cmd_history(
        &mut self,
        now: u64,
        op: OpId,
        conv: &str,
        next: Option<&str>,
        count: Option<u32>,
    ) {
        if !limits::conversation_id_ok(conv) {
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
        if self.page_from_known(now, op, conv, before_seq, count) {
            return;
        }
        let req = Request::History(req::History {
            conversation_id: conv.to_owned(),
            before_seq,
            count,
        });
        let kind = JobKind::History {
            conv: conv.to_owned(),
            before: before_seq,
        };
        self.add_call(now, op, kind, req);
    }

    pub(super) fn cmd_read(&mut self, now: u64, op: OpId, conv: &str) {
        if !limits::conversation_id_ok(conv) {
            return self.complete(op, Err(bad_conversation_id()));
        }
        let before = self.conversation_views();
        let Some(seq) = self.session.as_mut().and_then(|s| s.convs.mark_read(conv)) else {
            // Nothing to read yet (no message, or a group not in the list): tim-js-sdk resolves.
            return self.complete(op, Ok(Response::Empty {}));
        };
        self.publish(before, true);
        let req = Request::Read(req::Read {
            conversation_id: conv.to_owned(),
            seq,
        });
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

fn need_message() -> SdkError {
    SdkError::new(
        codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
        "a Message object is required",
    )
}

/// The checks of the conversation calls: a well-formed ID of a listed conversation.
pub(super) fn listed_conversation(core: &Core, conv: &str) -> Result<(), SdkError> {
    if !limits::conversation_id_ok(conv) {
        return Err(bad_conversation_id());
    }
    let listed = core.session.as_ref().is_some_and(|s| s.convs.listed(conv));
    if listed {
        Ok(())
    } else {
        Err(SdkError::new(
            codes::CONVERSATION_NOT_FOUND,
            "no such conversation",
        ))
    }
}

impl Core {
    /// Where a message handed back by JavaScript lives on the server: from the store, or from
    /// the object's own `conversationID` + `sequence` for a message not fetched here.
    pub(super) fn locate_view(&self, view: &MessageView) -> Option<(String, u64)> {
        let s = self.session.as_ref()?;
        if let Some((conv, seq)) = s.convs.store.locate(&view.id) {
            return Some((conv.to_owned(), seq));
        }
        let known = view.sequence > 0 && parse_conversation_id(&view.conversation_id).is_some();
        known.then(|| (view.conversation_id.clone(), view.sequence))
    }

    /// Queues a request of call `op`, unless its frame is over the limit: then the call fails
    /// at once (its other jobs dropped).
    pub(super) fn add_call(&mut self, now: u64, op: OpId, kind: JobKind, req: Request) {
        if let Err(e) = self.check_frame(&req) {
            self.requests.remove_op(op);
            return self.fail_job(super::requests::Job::answered(op, kind), e);
        }
        let deadline = self.deadline(now);
        self.requests.add_job(op, kind, req, deadline);
        self.flush_jobs(now);
    }

    pub(super) fn cmd_revoke(&mut self, now: u64, op: OpId, view: &MessageView) {
        if view.id.is_empty() {
            return self.complete(op, Err(need_message()));
        }
        let Some((conversation_id, seq)) = self.locate_view(view) else {
            let err = SdkError::new(codes::MESSAGE_REVOKE_FAIL, "the message was never sent");
            return self.complete(op, Err(err));
        };
        let req = Request::Revoke(req::Revoke {
            conversation_id,
            seq,
        });
        self.add_call(now, op, JobKind::Revoke, req);
    }

    /// `resendMessage`: a refusal here (2905: not a failed message, or being sent) leaves
    /// the message's status alone; any other failure makes it `fail`, as a send's does.
    pub(super) fn cmd_resend(&mut self, now: u64, op: OpId, view: MessageView) {
        if view.id.is_empty() {
            return self.fail_showing(op, need_message(), FAILED);
        }
        if let Some(s) = self.session.as_mut() {
            if s.outbox.adopt(&view.id, op) {
                return; // the outbox of an earlier session is sending it
            }
        }
        // The object's own status counts too: a send refused before it reached the core
        // (not logged in) marks only the object.
        let failed = view.status == MessageStatus::Fail
            || self
                .drafts
                .get(&view.id)
                .is_some_and(|d| d.status == MessageStatus::Fail);
        let stored = self
            .session
            .as_ref()
            .is_some_and(|s| s.convs.store.get(&view.id).is_some());
        if stored || !failed || self.sending(&view.id) {
            let err = SdkError::new(
                codes::INVALID_OPERATION,
                "only a failed message can be resent",
            );
            return self.complete(op, Err(err));
        }
        self.cmd_send(now, op, view, SendOptions::default());
    }

    pub(super) fn cmd_modify(&mut self, now: u64, op: OpId, view: &MessageView) {
        if view.id.is_empty() {
            return self.complete(op, Err(need_message()));
        }
        let Some((conversation_id, seq)) = self.locate_view(view) else {
            let err = SdkError::new(
                codes::INVALID_OPERATION,
                "only a sent message can be modified",
            );
            return self.complete(op, Err(err));
        };
        let content = match super::create::content_of(&view.msg_type, &view.payload) {
            Ok(c) => c,
            Err(e) => return self.complete(op, Err(e)),
        };
        if let Err(e) = limits::content(&content, &view.cloud_custom_data) {
            return self.complete(op, Err(e));
        }
        let req = Request::Modify(req::Modify {
            conversation_id,
            seq,
            version: view.version,
            content,
            cloud_custom_data: view.cloud_custom_data.clone(),
        });
        let kind = JobKind::Modify {
            message_id: view.id.clone(),
        };
        self.add_call(now, op, kind, req);
    }

    pub(super) fn cmd_delete(&mut self, now: u64, op: OpId, views: Vec<MessageView>) {
        let fail = |m: &str| SdkError::new(codes::MESSAGE_DELETE_FAIL, m);
        if views.is_empty() {
            return self.complete(op, Err(fail("no message to delete")));
        }
        if views.iter().any(|v| v.id.is_empty()) {
            return self.complete(op, Err(need_message()));
        }
        let mut conv: Option<String> = None;
        let mut seqs = Vec::new();
        for v in &views {
            let (c, seq) = match self.locate_view(v) {
                Some((c, seq)) => (c, Some(seq)),
                None => (v.conversation_id.clone(), None), // never sent: local only
            };
            if conv.as_ref().is_some_and(|known| *known != c) {
                let err = fail("the messages must belong to one conversation");
                return self.complete(op, Err(err));
            }
            conv = Some(c);
            seqs.extend(seq);
        }
        let conv = conv.unwrap_or_default();
        let ids: Vec<String> = views.into_iter().map(|v| v.id).collect();
        if seqs.is_empty() {
            return self.on_deleted(op, &conv, &[], &ids);
        }
        let req = Request::Delete(req::Delete {
            conversation_id: conv.clone(),
            seqs: seqs.clone(),
        });
        self.add_call(now, op, JobKind::Delete { conv, seqs, ids }, req);
    }

    /// Deleted for this user: gone from the store, the list follows.
    pub(super) fn on_deleted(&mut self, op: OpId, conv: &str, seqs: &[u64], ids: &[String]) {
        let before = self.conversation_views();
        if let Some(s) = self.session.as_mut() {
            s.convs.delete(conv, seqs, ids);
        }
        for id in ids {
            self.drafts.remove(id);
        }
        self.publish(before, false);
        self.complete(op, Ok(Response::Empty {}));
    }

    /// A conversation not in the list (no message yet, a group never written to) answers as
    /// a fresh one, like tim-js-sdk; only a malformed ID is refused.
    pub(super) fn cmd_conversation_profile(&mut self, op: OpId, conv: &str) {
        let found = self
            .session
            .as_ref()
            .and_then(|s| s.convs.profile_or_fresh(conv));
        let result = found
            .map(|c| Response::Conversation {
                conversation: Box::new(c),
            })
            .ok_or_else(bad_conversation_id);
        self.complete(op, result);
    }

    /// `setConversationDraft` (3.x): local; a listed conversation only (2500 otherwise).
    pub(super) fn cmd_draft(&mut self, op: OpId, conv: &str, text: String) {
        if let Err(e) = listed_conversation(self, conv) {
            return self.complete(op, Err(e));
        }
        let before = self.conversation_views();
        if let Some(s) = self.session.as_mut() {
            s.convs.set_draft(conv, text);
        }
        self.publish(before, false);
        let found = self.session.as_ref().and_then(|s| s.convs.profile(conv));
        let result = found.map(|c| Response::Conversation {
            conversation: Box::new(c),
        });
        self.complete(op, result.ok_or_else(bad_conversation_id));
    }

    pub(super) fn cmd_delete_conversation(&mut self, now: u64, op: OpId, conv: String) {
        if let Err(e) = listed_conversation(self, &conv) {
            return self.complete(op, Err(e));
        }
        let req = Request::DeleteConversation(req::DeleteConversation {
            conversation_id: conv.clone(),
        });
        self.add_call(now, op, JobKind::DeleteConversation { conv }, req);
    }

    pub(super) fn cmd_pin(&mut self, now: u64, op: OpId, conv: String, pinned: bool) {
        if let Err(e) = listed_conversation(self, &conv) {
            return self.complete(op, Err(e));
        }
        let req = Request::Pin(req::Pin {
            conversation_id: conv.clone(),
            pinned,
        });
        self.add_call(now, op, JobKind::Pin { conv, pinned }, req);
    }

    /// Reads every listed conversation with unread messages; settles when all are answered.
    pub(super) fn cmd_read_all(&mut self, now: u64, op: OpId) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let mut reads = Vec::new();
        for conv in s.convs.with_unread() {
            if let Some(seq) = s.convs.mark_read(&conv) {
                reads.push((conv, seq));
            }
        }
        if reads.is_empty() {
            return self.complete(op, Ok(Response::Empty {}));
        }
        self.publish(before, true);
        let deadline = self.deadline(now);
        for (conv, seq) in reads {
            let req = Request::Read(req::Read {
                conversation_id: conv.clone(),
                seq,
            });
            self.requests
                .add_job(op, JobKind::ReadAll { conv }, req, deadline);
        }
        self.flush_jobs(now);
    }
}
