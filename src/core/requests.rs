//! The request table. Frames on the wire carry increasing ids; each id maps to either a step of
//! the connection's own work (login, sync, ...) or a *job*: an API call waiting for the server.
//! Jobs outlive connections: on a drop they are kept and retransmitted after re-login (the
//! server deduplicates sends by message ID), and only their deadline fails them.

use std::collections::BTreeMap;

use tim_protocol::{ReqId, Request};

use super::types::OpId;

/// The connection's own requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Internal {
    Login,
    Sync,
    Conversations,
    Ping,
}

/// What an API call waits for.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum JobKind {
    Send { message_id: String },
    History { conv: String },
    Read { conv: String },
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

#[derive(Clone, Copy, Debug)]
enum Pending {
    Internal(Internal, Option<u64>),
    Job(u64),
}

/// The answer to a request id.
#[derive(Debug)]
pub(super) enum Answered {
    Internal(Internal),
    Job(Box<Job>),
}

#[derive(Default)]
pub(super) struct Requests {
    next_id: ReqId,
    wire: BTreeMap<ReqId, Pending>,
    jobs: BTreeMap<u64, Job>,
    next_job: u64,
}

impl Requests {
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
        self.wire.insert(id, Pending::Internal(what, deadline));
        id
    }

    pub(super) fn internal_pending(&self, what: Internal) -> bool {
        self.wire
            .values()
            .any(|p| matches!(p, Pending::Internal(w, _) if *w == what))
    }

    /// Queues an API call; it is transmitted by [`Requests::transmit_queued`].
    pub(super) fn add_job(&mut self, op: OpId, kind: JobKind, req: Request, deadline: u64) {
        self.next_job += 1;
        self.jobs.insert(
            self.next_job,
            Job {
                op,
                kind,
                req,
                deadline,
                wire: None,
            },
        );
    }

    /// Gives every job not yet on this connection an id, in call order.
    pub(super) fn transmit_queued(&mut self) -> Vec<(ReqId, Request)> {
        let keys: Vec<u64> = self
            .jobs
            .iter()
            .filter(|(_, j)| j.wire.is_none())
            .map(|(k, _)| *k)
            .collect();
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let id = self.alloc();
            if let Some(job) = self.jobs.get_mut(&key) {
                job.wire = Some(id);
                out.push((id, job.req.clone()));
                self.wire.insert(id, Pending::Job(key));
            }
        }
        out
    }

    /// Removes and returns what request `id` was for.
    pub(super) fn answer(&mut self, id: ReqId) -> Option<Answered> {
        match self.wire.remove(&id)? {
            Pending::Internal(what, _) => Some(Answered::Internal(what)),
            Pending::Job(key) => self.jobs.remove(&key).map(|j| Answered::Job(Box::new(j))),
        }
    }

    /// The connection is gone: nothing is on the wire any more; jobs wait for the next one.
    pub(super) fn connection_lost(&mut self) {
        self.wire.clear();
        for job in self.jobs.values_mut() {
            job.wire = None;
        }
    }

    /// Sends transmitted on this connection and not answered yet.
    pub(super) fn sends_in_flight(&self) -> u64 {
        self.jobs
            .values()
            .filter(|j| j.wire.is_some() && matches!(j.kind, JobKind::Send { .. }))
            .count() as u64
    }

    pub(super) fn has_send(&self, message_id: &str) -> bool {
        self.jobs
            .values()
            .any(|j| matches!(&j.kind, JobKind::Send { message_id: m } if m == message_id))
    }

    /// Removes and returns the jobs and connection steps whose deadline passed.
    pub(super) fn expire(&mut self, now: u64) -> (Vec<Internal>, Vec<Job>) {
        let late: Vec<ReqId> = self
            .wire
            .iter()
            .filter(|(_, p)| matches!(p, Pending::Internal(_, Some(d)) if *d <= now))
            .map(|(id, _)| *id)
            .collect();
        let internals = late
            .iter()
            .filter_map(|id| match self.wire.remove(id) {
                Some(Pending::Internal(w, _)) => Some(w),
                _ => None,
            })
            .collect();
        let keys: Vec<u64> = self
            .jobs
            .iter()
            .filter(|(_, j)| j.deadline <= now)
            .map(|(k, _)| *k)
            .collect();
        let jobs: Vec<Job> = keys.iter().filter_map(|k| self.jobs.remove(k)).collect();
        for job in &jobs {
            if let Some(id) = job.wire {
                self.wire.remove(&id);
            }
        }
        (internals, jobs)
    }

    pub(super) fn next_deadline(&self) -> Option<u64> {
        let internal = self.wire.values().filter_map(|p| match p {
            Pending::Internal(_, d) => *d,
            Pending::Job(_) => None,
        });
        internal.chain(self.jobs.values().map(|j| j.deadline)).min()
    }

    /// Forgets everything but the id counter (logout, kick); returns the jobs to fail.
    pub(super) fn clear(&mut self) -> Vec<Job> {
        self.wire.clear();
        std::mem::take(&mut self.jobs).into_values().collect()
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
}
