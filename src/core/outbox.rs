//! The outbox (issue 4): every `sendMessage` not yet answered, in send order, mirrored in the
//! persistent cache. A send is *parked* while the session is not live (socket down, re-login,
//! warm start before SDK_READY): it has no request and no deadline, shows in its
//! conversation's newest `getMessageList` page with status `unSend`, and becomes a request
//! (in order) once the session is live. A connection loss parks the sends on the wire again.
//! The outbox outlives the session (logout, destroy, a closed tab): the next login of the
//! user loads it from the cache and sends it. Resending is safe: the message ID is the
//! server's dedup key, so a send whose ack was lost is answered with the stored copy.

use tim_protocol::{req, Message, OutboundMessage, Request};

use super::cache::OutboxEntry;
use super::requests::JobKind;
use super::*;

/// The call of a send loaded from the cache: nobody waits for it.
const NO_CALL: OpId = OpId::MAX;

#[derive(Default)]
pub(super) struct Outbox {
    /// `(call, entry, parked)`, in `pos` order.
    items: Vec<(OpId, OutboxEntry, bool)>,
    last_pos: u64,
    /// For the cache: entries added, and `pos` of those answered.
    put: Vec<OutboxEntry>,
    removed: Vec<u64>,
}

impl Outbox {
    /// Hands over, for the cache, the entries added and the `pos` of those answered since
    /// the last call.
    pub(super) fn take_writes(&mut self) -> (Vec<OutboxEntry>, Vec<u64>) {
        (
            std::mem::take(&mut self.put),
            std::mem::take(&mut self.removed),
        )
    }

    pub(super) fn has(&self, id: &str) -> bool {
        self.items.iter().any(|(_, e, _)| e.message.id == id)
    }

    /// Parks `entry` (its `pos` is set here, after any known one and by the clock, so entries
    /// of several instances of the user keep their order in the shared store).
    fn push(&mut self, op: OpId, mut entry: OutboxEntry, now: u64) {
        entry.pos = now.saturating_mul(1024).max(self.last_pos + 1);
        self.last_pos = entry.pos;
        self.put.push(entry.clone());
        self.items.push((op, entry, true));
    }

    /// `resendMessage` of a message the cached outbox is sending: call `op` settles with it.
    pub(super) fn adopt(&mut self, id: &str, op: OpId) -> bool {
        let item = self
            .items
            .iter_mut()
            .find(|i| i.0 == NO_CALL && i.1.message.id == id);
        item.map(|i| i.0 = op).is_some()
    }

    /// The send of message `id` was answered (or failed): it leaves the outbox.
    /// Returns the call waiting for it (it may have been adopted since it was transmitted).
    fn remove(&mut self, id: &str) -> Option<OpId> {
        let i = self.items.iter().position(|(_, e, _)| e.message.id == id)?;
        let (op, e, _) = self.items.remove(i);
        self.removed.push(e.pos);
        Some(op)
    }
}

impl Core {
    /// Parks a send; it goes out with the next [`Core::flush_jobs`] of a live session.
    pub(super) fn enqueue_send(
        &mut self,
        now: u64,
        op: OpId,
        conv: String,
        message: OutboundMessage,
    ) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        s.own_ids.insert(message.id.clone());
        let entry = OutboxEntry {
            pos: 0,
            conversation_id: conv,
            message,
        };
        s.outbox.push(op, entry, now);
        self.flush_jobs(now);
    }

    /// Whether message `id` is being sent.
    pub(super) fn sending(&self, id: &str) -> bool {
        self.session.as_ref().is_some_and(|s| s.outbox.has(id))
    }

    /// The cached outbox of the user logging in, in `pos` order (see [`Core::load_cache`]):
    /// sent once the session is live; entries this instance already holds are skipped.
    pub(super) fn load_outbox(&mut self, now_ms: u64, entries: Vec<OutboxEntry>) {
        for e in entries {
            // An entry the server cannot take (queued by an older SDK) would be refused, or
            // drop the connection, at every login: it leaves the outbox unsent.
            let refused = self.check_outbound(&e.message).is_err();
            let Some(s) = self.session.as_mut() else {
                return;
            };
            if refused {
                s.outbox.removed.push(e.pos);
            } else if !s.outbox.has(&e.message.id) && s.convs.store.get(&e.message.id).is_none() {
                s.own_ids.insert(e.message.id.clone());
                s.outbox.last_pos = s.outbox.last_pos.max(e.pos);
                s.outbox.items.push((NO_CALL, e, true));
            }
        }
        self.flush_jobs(now_ms);
    }

    /// Live session: parked sends become requests, in order (called by `flush_jobs`).
    pub(super) fn unpark_sends(&mut self, now: u64) {
        let deadline = now.saturating_add(self.config.request_timeout_ms);
        let Some(s) = self.session.as_mut() else {
            return;
        };
        for (op, e, parked) in s.outbox.items.iter_mut().filter(|i| i.2) {
            *parked = false;
            let kind = JobKind::Send {
                message_id: e.message.id.clone(),
            };
            let req = Request::Send(req::Send {
                message: e.message.clone(),
            });
            self.requests.add_job(*op, kind, req, deadline);
        }
    }

    /// The connection is gone: sends on the wire are parked again (no deadline while offline).
    pub(super) fn park_sends(&mut self) {
        self.requests.connection_lost();
        self.requests
            .remove_where(&|j| matches!(j.kind, JobKind::Send { .. }));
        if let Some(s) = self.session.as_mut() {
            s.outbox.items.iter_mut().for_each(|i| i.2 = true);
        }
    }

    /// The send of message `id` was answered or failed; returns the call to settle.
    pub(super) fn send_done(&mut self, id: &str, op: OpId) -> OpId {
        let s = self.session.as_mut();
        s.and_then(|s| s.outbox.remove(id)).unwrap_or(op)
    }

    /// Teardown: the parked sends' calls fail with `err` (the entries stay in the cache and go
    /// out with the next login of the user).
    pub(super) fn fail_parked(&mut self, outbox: &Outbox, err: &SdkError) {
        for (op, _, _) in outbox.items.iter().filter(|i| i.2 && i.0 != NO_CALL) {
            self.fail_showing(*op, err.clone(), super::commands::FAILED);
        }
    }

    /// Appends the unsent messages of `conv` to its newest getMessageList page.
    pub(super) fn add_unsent(&self, page: &mut Response, conv: &str) {
        if let Response::MessageList { message_list, .. } = page {
            message_list.extend(self.unsent_views(conv));
        }
    }

    /// The sends of `conv` still in the outbox, as `getMessageList` shows them (status
    /// `unSend`) after its newest page.
    pub(super) fn unsent_views(&self, conv: &str) -> Vec<MessageView> {
        let Some(s) = self.session.as_ref() else {
            return Vec::new();
        };
        s.outbox
            .items
            .iter()
            .filter(|(_, e, _)| {
                e.conversation_id == conv && s.convs.store.get(&e.message.id).is_none()
            })
            .map(|(_, e, _)| {
                let mut v = match self.drafts.get(&e.message.id) {
                    Some(d) => d.clone(),
                    None => s
                        .convs
                        .message_view(&unsent_message(&e.message, &s.user_id)),
                };
                v.status = MessageStatus::UnSend;
                v
            })
            .collect()
    }
}

/// An outbox message as a not yet committed message (seq 0, time of its creation).
fn unsent_message(o: &OutboundMessage, me: &str) -> Message {
    o.clone().committed(me.to_owned(), 0, o.client_time)
}
