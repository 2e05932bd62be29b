//! The request table. Frames on the wire carry increasing ids; each id maps to either a step of
//! the connection's own work (login, sync, ...) or a *job*: an API call waiting for the server.
//! Jobs outlive connections: on a drop they are kept and retransmitted after re-login (the
//! server deduplicates sends by message ID), and only their deadline fails them.

use std::collections::{HashSet, VecDeque};

use tim_protocol::{ReqId, Request};

use super::types::{ConversationFailure, OpId, PageAsk, SettingsChange};

/// The connection's own requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Internal {
    Login,
    Sync,
    Conversations,
    /// The group list, re-read after the conversations.
    GroupList,
    Ping,
}

/// What an API call waits for.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum JobKind {
    Send {
        message_id: String,
    },
    History {
        conv: String,
        /// The page is of messages before this sequence (`None`: the newest).
        before: Option<u64>,
    },
    /// Gapless getMessageList: the messages just below the known span are being fetched;
    /// then the page of `count` below `top` is served (see `gapless.rs`).
    Fill(PageAsk),
    Read {
        conv: String,
    },
    /// One conversation of `setAllMessageRead`; the call settles with its last job.
    ReadAll {
        conv: String,
    },
    Revoke,
    Modify {
        message_id: String,
    },
    Delete {
        conv: String,
        seqs: Vec<u64>,
        ids: Vec<String>,
    },
    DeleteConversation {
        conv: String,
    },
    /// One request of a batch deleteConversation (a hide, or the clear of them all; the
    /// request tells which). The call settles with its last job and resolves with `ids`.
    DeleteConversations {
        ids: Vec<String>,
    },
    Pin {
        conv: String,
        pinned: bool,
    },
    /// importMessageList.
    Import,
    /// sendMessageReadReceipt.
    ReadReceipt,
    /// getMessageReadReceiptList of `conv`.
    ReceiptList {
        conv: String,
    },
    /// getGroupMessageReadMemberList.
    ReceiptMembers {
        message_id: String,
        read: bool,
    },
    /// A settings call on the IDs of `change`; `failure`: those refused before sending.
    Settings {
        change: SettingsChange,
        failure: Vec<ConversationFailure>,
    },
    /// findMessageByLocatorList: what the server is asked for, and what was found here.
    Locate {
        conv: String,
        locators: Vec<super::types::Locator>,
        found: Vec<super::types::MessageView>,
    },
    /// A conversation-group call; `results` for those that report per conversation.
    Group {
        results: Option<(Vec<String>, Vec<ConversationFailure>)>,
    },
    /// An IM-group call (see `groups`).
    Grp {
        method: super::GroupMethod,
        group_id: String,
        offset: u64,
    },
}

impl JobKind {
    /// Answered with the requester's own `sync_seq` for the delivery it causes: while on the
    /// wire, a hole in the cursor may be that delivery and is no reason to sync.
    fn acked_with_sync_seq(&self) -> bool {
        matches!(
            self,
            JobKind::Send { .. } | JobKind::Revoke | JobKind::Modify { .. }
        )
    }
}

#[derive(Clone, Debug)]
pub(super) struct Job {
    pub(super) op: OpId,
    pub(super) kind: JobKind,
    pub(super) req: Request,
    pub(super) deadline: u64,
    /// The id it was transmitted with on the current connection.
    wire: Option<ReqId>,
}

impl Job {
    /// A job already taken out of the table, rebuilt to be failed.
    pub(super) fn answered(op: OpId, kind: JobKind) -> Job {
        Job {
            op,
            kind,
            req: Request::Ping,
            deadline: 0,
            wire: None,
        }
    }
}

/// The answer to a request id.
#[derive(Debug)]
pub(super) enum Answered {
    Internal(Internal),
    Job(Box<Job>),
}

/// Indexed so that every operation a burst of sends exercises (add, transmit, answer, next
/// deadline, in-flight count) costs O(log n): a linear scan per step made a burst O(n²).
/// The indexes are `VecDeque`s searched by bisection rather than `BTreeMap`s (each map type
/// costs kilobytes of wasm): entries arrive in key order and mostly leave from the front,
/// where removing is O(1).
#[derive(Default)]
pub(super) struct Requests {
    next_id: ReqId,
    /// The connection's own steps on the wire (a handful at most).
    internals: Vec<(ReqId, Internal, Option<u64>)>,
    /// Jobs on the wire: (request id, job key), in transmission order.
    wire: VecDeque<(ReqId, u64)>,
    /// (key, job) by key, which is call order. Deadlines never decrease along it (see
    /// `add_job`), so the first job is always the next to expire.
    jobs: VecDeque<(u64, Job)>,
    next_job: u64,
    /// Jobs not yet on this connection, in call order.
    queued: VecDeque<u64>,
    /// Message IDs of the sends in `jobs`.
    send_ids: HashSet<String>,
    /// Sends on the wire and not answered yet.
    sends_on_wire: u64,
    /// The latest deadline given to a job.
    last_deadline: u64,
}

impl Requests {
    /// An empty table whose next id follows `last` (tests start it just below the wrap).
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(super) fn starting_after(last: ReqId) -> Requests {
        Requests {
            next_id: last,
            ..Requests::default()
        }
    }

    /// An id for a request nobody waits an answer for (logout).
    pub(super) fn fresh_id(&mut self) -> ReqId {
        self.alloc()
    }

    fn alloc(&mut self) -> ReqId {
        // Increasing per instance; wrapping after 4 billion requests is harmless since the
        // table is emptied on every reconnect.
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    /// Registers a connection step; returns the id to transmit it with.
    pub(super) fn internal(&mut self, what: Internal, deadline: Option<u64>) -> ReqId {
        let id = self.alloc();
        self.internals.push((id, what, deadline));
        id
    }

    pub(super) fn internal_pending(&self, what: Internal) -> bool {
        self.internals.iter().any(|(_, w, _)| *w == what)
    }

    /// Queues an API call; it is transmitted by [`Requests::transmit_queued`].
    pub(super) fn add_job(&mut self, op: OpId, kind: JobKind, req: Request, deadline: u64) {
        self.next_job += 1;
        let key = self.next_job;
        if let JobKind::Send { message_id } = &kind {
            self.send_ids.insert(message_id.clone());
        }
        // A clock stepping back may not move a deadline before an earlier call's.
        let deadline = deadline.max(self.last_deadline);
        self.last_deadline = deadline;
        self.queued.push_back(key);
        let job = Job {
            op,
            kind,
            req,
            deadline,
            wire: None,
        };
        self.jobs.push_back((key, job));
    }

    fn job_at(&self, key: u64) -> Option<usize> {
        self.jobs.binary_search_by(|(k, _)| k.cmp(&key)).ok()
    }

    /// Where request `id` is in `wire`. Ids increase along it but may wrap: they are
    /// compared by their distance from the first.
    fn wire_at(&self, id: ReqId) -> Option<usize> {
        let base = self.wire.front()?.0;
        let d = id.wrapping_sub(base);
        self.wire
            .binary_search_by(|(r, _)| r.wrapping_sub(base).cmp(&d))
            .ok()
    }

    /// Gives every job not yet on this connection an id, in call order.
    pub(super) fn transmit_queued(&mut self) -> Vec<(ReqId, Request)> {
        let mut out = Vec::with_capacity(self.queued.len());
        while let Some(key) = self.queued.pop_front() {
            let id = self.alloc();
            if let Some(i) = self.job_at(key) {
                let job = &mut self.jobs[i].1;
                job.wire = Some(id);
                if job.kind.acked_with_sync_seq() {
                    self.sends_on_wire += 1;
                }
                out.push((id, job.req.clone()));
                self.wire.push_back((id, key));
            }
        }
        out
    }

    /// Removes and returns what request `id` was for.
    pub(super) fn answer(&mut self, id: ReqId) -> Option<Answered> {
        if let Some(i) = self.internals.iter().position(|(r, _, _)| *r == id) {
            return Some(Answered::Internal(self.internals.swap_remove(i).1));
        }
        let (_, key) = self.wire.remove(self.wire_at(id)?)?;
        self.remove_job(key).map(|j| Answered::Job(Box::new(j)))
    }

    /// Removes a job from every index.
    fn remove_job(&mut self, key: u64) -> Option<Job> {
        let (_, job) = self.jobs.remove(self.job_at(key)?)?;
        if let JobKind::Send { message_id } = &job.kind {
            self.send_ids.remove(message_id);
        }
        if job.kind.acked_with_sync_seq() && job.wire.is_some() {
            self.sends_on_wire = self.sends_on_wire.saturating_sub(1);
        }
        if let Some(i) = job.wire.and_then(|id| self.wire_at(id)) {
            self.wire.remove(i);
        } else {
            self.queued.retain(|k| *k != key);
        }
        Some(job)
    }

    /// Whether call `op` still has a job waiting.
    pub(super) fn has_op(&self, op: OpId) -> bool {
        self.jobs.iter().any(|(_, j)| j.op == op)
    }

    /// Drops every job of call `op` (its answers, if they come, are ignored).
    pub(super) fn remove_op(&mut self, op: OpId) {
        self.remove_where(&|j| j.op == op);
    }

    /// The connection is gone: nothing is on the wire any more; jobs wait for the next one.
    pub(super) fn connection_lost(&mut self) {
        self.internals.clear();
        self.wire.clear();
        self.sends_on_wire = 0;
        for (_, job) in self.jobs.iter_mut() {
            job.wire = None;
        }
        self.queued = self.jobs.iter().map(|(k, _)| *k).collect();
    }

    /// Drops the jobs matching `f` (their answers, if they come, are ignored).
    pub(super) fn remove_where(&mut self, f: &dyn Fn(&Job) -> bool) {
        let keys: Vec<u64> = self
            .jobs
            .iter()
            .filter(|(_, j)| f(j))
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            self.remove_job(key);
        }
    }

    /// Sends transmitted on this connection and not answered yet.
    pub(super) fn sends_in_flight(&self) -> u64 {
        self.sends_on_wire
    }

    pub(super) fn has_send(&self, message_id: &str) -> bool {
        self.send_ids.contains(message_id)
    }

    /// Removes and returns the jobs and connection steps whose deadline passed.
    pub(super) fn expire(&mut self, now: u64) -> (Vec<Internal>, Vec<Job>) {
        let mut internals = Vec::new();
        self.internals.retain(|(_, what, deadline)| {
            let late = deadline.is_some_and(|d| d <= now);
            if late {
                internals.push(*what);
            }
            !late
        });
        let mut jobs = Vec::new();
        while let Some(&(key, ref job)) = self.jobs.front() {
            if job.deadline > now {
                break;
            }
            jobs.extend(self.remove_job(key));
        }
        (internals, jobs)
    }

    pub(super) fn next_deadline(&self) -> Option<u64> {
        let internal = self.internals.iter().filter_map(|(_, _, d)| *d);
        let job = self.jobs.front().map(|(_, j)| j.deadline);
        internal.chain(job).min()
    }

    /// Forgets everything but the id counter (logout, kick); returns the jobs to fail.
    pub(super) fn clear(&mut self) -> Vec<Job> {
        self.internals.clear();
        self.wire.clear();
        self.queued.clear();
        self.send_ids.clear();
        self.sends_on_wire = 0;
        std::mem::take(&mut self.jobs)
            .into_iter()
            .map(|(_, j)| j)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_jobs_survive_reconnects() {
        let mut r = Requests::default();
        let login = r.internal(Internal::Login, Some(100));
        r.add_job(
            7,
            JobKind::Send {
                message_id: "m".into(),
            },
            Request::Ping,
            50,
        );
        r.add_job(
            8,
            JobKind::Read {
                conv: "C2Cb".into(),
            },
            Request::Ping,
            60,
        );
        let sent = r.transmit_queued();
        assert_eq!(
            sent.iter().map(|s| s.0).collect::<Vec<_>>(),
            vec![login + 1, login + 2]
        );
        assert_eq!(r.sends_in_flight(), 1);
        assert!(r.transmit_queued().is_empty());
        r.connection_lost();
        assert_eq!(r.sends_in_flight(), 0);
        assert!(r.answer(login).is_none());
        let again = r.transmit_queued();
        assert_eq!(
            again.iter().map(|s| s.0).collect::<Vec<_>>(),
            vec![login + 3, login + 4]
        );
        assert_eq!(r.next_deadline(), Some(50));
        let (internals, jobs) = r.expire(55);
        assert!(internals.is_empty());
        assert_eq!(jobs.iter().map(|j| j.op).collect::<Vec<_>>(), vec![7]);
        assert!(
            r.answer(login + 3).is_none(),
            "expired job's id is forgotten"
        );
        assert!(matches!(r.answer(login + 4), Some(Answered::Job(j)) if j.op == 8));
        assert_eq!(r.next_deadline(), None);
    }

    #[test]
    fn answers_found_across_id_wrap_and_out_of_order() {
        let mut r = Requests {
            next_id: ReqId::MAX - 1,
            ..Requests::default()
        };
        for op in 1..=4 {
            r.add_job(op, JobKind::Revoke, Request::Ping, 10);
        }
        let ids: Vec<ReqId> = r.transmit_queued().iter().map(|s| s.0).collect();
        assert_eq!(ids, vec![ReqId::MAX, 0, 1, 2]);
        for (id, op) in [(1, 3), (ReqId::MAX, 1), (2, 4), (0, 2)] {
            assert!(matches!(r.answer(id), Some(Answered::Job(j)) if j.op == op));
            assert!(r.answer(id).is_none(), "answered once");
        }
        assert!(!r.has_op(1) && r.sends_in_flight() == 0);
    }
}
