//! `batchSendMessage(message, userIDList)` (seed 002 `TIMMsgBatchSend`): one C2C copy per
//! user, each an ordinary send with an ID derived from the message ID and the user, so a
//! repeated batch (or a retransmission) never delivers twice to anyone. Resolves once every
//! copy is answered, with `{successUserIDList, failureUserIDList: [{userID, code, message}]}`.

use tim_protocol::{Message, OutboundMessage, Request};

use super::create::outbound_of;
use super::requests::JobKind;
use super::*;

/// Most users one batch may name (Tencent's limit).
const MAX_BATCH: usize = 500;

/// An open batch: its call and what has been answered.
pub(crate) struct Batch {
    op: OpId,
    success: Vec<String>,
    failure: Vec<BatchFailure>,
}

/// The copy's ID for `user`: stable, and short enough for the server's 128-byte limit.
fn copy_id(message_id: &str, user: &str) -> String {
    // FNV-1a: deterministic, no table.
    let hash = user.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{message_id}-{hash:016x}")
}

impl Core {
    pub(super) fn cmd_batch_send(
        &mut self,
        now: u64,
        op: OpId,
        view: MessageView,
        user_ids: Vec<String>,
    ) {
        let mut users: Vec<String> = Vec::with_capacity(user_ids.len());
        for u in user_ids {
            if !u.is_empty() && !users.contains(&u) {
                users.push(u);
            }
        }
        if users.is_empty() || users.len() > MAX_BATCH {
            let err = SdkError::new(
                codes::INVALID_OPERATION,
                "userIDList must name 1 to 500 users",
            );
            return self.complete(op, Err(err));
        }
        let view = match self.drafts.get(&view.id) {
            Some(draft) if view.msg_type.is_empty() => draft.clone(),
            _ => view,
        };
        let me = self.user_id().unwrap_or("").to_owned();
        let mut copies: Vec<(String, OutboundMessage)> = Vec::with_capacity(users.len());
        for user in users {
            let per_user = MessageView {
                to: user.clone(),
                conversation_type: "C2C".to_owned(),
                conversation_id: String::new(),
                ..view.clone()
            };
            match outbound_of(&per_user, &me) {
                Ok(m) => {
                    let id = copy_id(&view.id, &user);
                    copies.push((user, OutboundMessage { id, ..m }));
                }
                Err(e) => return self.complete(op, Err(e)),
            }
        }
        if let Some(s) = self.session.as_mut() {
            s.own_ids.extend(copies.iter().map(|(_, m)| m.id.clone()));
        }
        self.batches.push(Batch {
            op,
            success: Vec::new(),
            failure: Vec::new(),
        });
        let deadline = now.saturating_add(self.config.request_timeout_ms);
        for (user, message) in copies {
            let req = Request::Send { message };
            self.requests
                .add_job(op, JobKind::BatchSend { user }, req, deadline);
        }
        self.flush_jobs(now);
    }

    pub(super) fn on_batch_sent(
        &mut self,
        now: u64,
        op: OpId,
        user: String,
        m: &Message,
        sync_seq: u64,
    ) {
        let before = self.conversation_views();
        if let Some(s) = self.session.as_mut() {
            s.cursor.process(sync_seq);
            s.convs.add_message(m, true);
        }
        self.publish(before, false);
        if let Some(b) = self.batches.iter_mut().find(|b| b.op == op) {
            b.success.push(user);
        }
        self.finish_batch(op);
        self.maybe_sync(now);
    }

    pub(super) fn on_batch_failed(&mut self, op: OpId, user: String, err: SdkError) {
        if let Some(b) = self.batches.iter_mut().find(|b| b.op == op) {
            b.failure.push(BatchFailure {
                user_id: user,
                code: err.code,
                message: err.message,
            });
        }
        self.finish_batch(op);
    }

    /// Settles the call once no copy is waiting.
    fn finish_batch(&mut self, op: OpId) {
        if self.requests.has_op(op) {
            return;
        }
        let Some(i) = self.batches.iter().position(|b| b.op == op) else {
            return;
        };
        let b = self.batches.swap_remove(i);
        self.complete(
            op,
            Ok(Response::Batch {
                success_user_id_list: b.success,
                failure_user_id_list: b.failure,
            }),
        );
    }
}
