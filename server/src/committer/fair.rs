//! The committer's waiting writes, one FIFO per user, taken round-robin into batches: each
//! user's writes keep their order, and a user with a long backlog gets one write per turn like
//! everyone else. Writes of different users were submitted concurrently, so any interleaving
//! of them is an order they could have arrived in.

use std::collections::{HashMap, VecDeque};

use super::Job;
use crate::store::Write;

/// Waiting jobs by user, and the users with jobs in turn order.
#[derive(Default)]
pub(super) struct FairQueue {
    by_user: HashMap<String, VecDeque<Job>>,
    turns: VecDeque<String>,
    len: usize,
}

impl FairQueue {
    pub fn push(&mut self, job: Job) {
        let user = actor(&job.write);
        let queue = self.by_user.entry(user.to_owned()).or_default();
        if queue.is_empty() {
            self.turns.push_back(user.to_owned());
        }
        queue.push_back(job);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Up to `max` jobs, one per user per round.
    pub fn batch(&mut self, max: usize) -> Vec<Job> {
        let mut jobs = Vec::with_capacity(max.min(self.len));
        while jobs.len() < max {
            let Some(user) = self.turns.pop_front() else {
                break;
            };
            let Some(queue) = self.by_user.get_mut(&user) else {
                continue;
            };
            if let Some(job) = queue.pop_front() {
                jobs.push(job);
                self.len -= 1;
            }
            if queue.is_empty() {
                self.by_user.remove(&user);
            } else {
                self.turns.push_back(user);
            }
        }
        jobs
    }
}

/// The user a write is done for (`""` for the administrator's writes that act for no user).
fn actor(write: &Write) -> &str {
    match write {
        Write::Send(w) => &w.from,
        Write::Import { from, .. } => from,
        Write::Revoke(w) => &w.user,
        Write::Modify(w) => &w.user,
        Write::ConvSettings(w) => &w.user,
        Write::ConvGroup(w) => &w.user,
        Write::Group(op) => op.actor.user().unwrap_or(""),
        Write::Read { user, .. }
        | Write::Cursor { user }
        | Write::Profile { user, .. }
        | Write::Delete { user, .. }
        | Write::ConvState { user, .. }
        | Write::Receipt { user, .. } => user,
        _ => "",
    }
}
