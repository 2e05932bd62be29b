//! Per-user quotas and rates (issue 12): what one user may hold or do, so that no user can
//! exhaust the server or slow down the others. [`Limits`] is the configuration (part of
//! [`crate::Config`]); [`Quotas`] the in-memory state: token buckets for messages and for
//! conversations with unknown peers, and the count of each user's chunk PUTs in progress.
//! Upload sessions are counted in SQLite (`files::upload`), so that quota survives a restart.
//! Time comes from a [`Clock`], manual in tests so refills need no sleeping.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Per-user limits; a rate of 0 means unlimited.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Messages a user may send per second, sustained (WebSocket sends, online-only ones too).
    pub msg_per_sec: u32,
    /// Messages a user may send at once before the sustained rate applies.
    pub msg_burst: u32,
    /// New C2C conversations with unknown peers (never seen by this server) per minute.
    pub unknown_peers_per_min: u32,
    /// New conversations with unknown peers a user may open at once.
    pub unknown_peer_burst: u32,
    /// Incomplete upload sessions a user may hold.
    pub max_open_uploads: u32,
    /// Total declared size of a user's incomplete upload sessions, in bytes.
    pub max_upload_bytes: u64,
    /// Chunk PUTs of one user being received at the same time.
    pub max_chunk_puts: u32,
    /// Most writes folded into one commit (the committer takes them round-robin by user).
    pub commit_batch: usize,
    /// The time the rates refill by.
    pub clock: Clock,
}

/// Default sustained message rate: Tencent's default frequency for its REST `sendmsg`.
pub const DEFAULT_MSG_PER_SEC: u32 = 200;
/// Default message burst: the project's own bursts (bench: 1 000 at once; backpressure test:
/// 6 000 pipelined) pass.
pub const DEFAULT_MSG_BURST: u32 = 10_000;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            msg_per_sec: DEFAULT_MSG_PER_SEC,
            msg_burst: DEFAULT_MSG_BURST,
            unknown_peers_per_min: 10,
            unknown_peer_burst: 100,
            max_open_uploads: 100,
            max_upload_bytes: 2 << 30,
            max_chunk_puts: 16,
            commit_batch: 1024,
            clock: Clock::default(),
        }
    }
}

/// Monotonic time in milliseconds: the process clock, or a manual one that tests advance.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicU64>>);

impl Clock {
    /// A clock that stands still until [`Clock::advance`]d.
    pub fn manual() -> Clock {
        Clock(Some(Arc::new(AtomicU64::new(0))))
    }

    /// Moves a manual clock forward (no effect on the real one).
    pub fn advance(&self, by: Duration) {
        if let Some(ms) = &self.0 {
            ms.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
        }
    }

    fn now_ms(&self) -> u64 {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        match &self.0 {
            Some(ms) => ms.load(Ordering::SeqCst),
            None => START.get_or_init(Instant::now).elapsed().as_millis() as u64,
        }
    }
}

/// A token bucket: `burst` tokens, refilled at `per_ms` tokens a millisecond.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at_ms: u64,
}

/// One rate applied per user. Full buckets are forgotten (a missing bucket is a full one), so
/// the map holds only users who spent tokens recently.
struct Rate {
    per_ms: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

/// Buckets kept before the full ones are swept out.
const SWEEP_AT: usize = 10_000;

impl Rate {
    fn new(per_sec: f64, burst: u32) -> Rate {
        Rate {
            per_ms: per_sec / 1000.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes `n` tokens of `user`'s bucket at `now_ms`; false (taking none) if it has fewer.
    fn take(&self, user: &str, n: u32, now_ms: u64) -> bool {
        if self.per_ms <= 0.0 || n == 0 {
            return true;
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= SWEEP_AT {
            let (per_ms, burst) = (self.per_ms, self.burst);
            buckets
                .retain(|_, b| b.tokens + (now_ms.saturating_sub(b.at_ms)) as f64 * per_ms < burst);
        }
        let full = Bucket {
            tokens: self.burst,
            at_ms: now_ms,
        };
        let b = buckets.entry(user.to_owned()).or_insert(full);
        let elapsed = now_ms.saturating_sub(b.at_ms) as f64;
        b.tokens = (b.tokens + elapsed * self.per_ms).min(self.burst);
        b.at_ms = now_ms;
        if b.tokens < f64::from(n) {
            return false;
        }
        b.tokens -= f64::from(n);
        true
    }
}

/// The quota state shared by every request.
pub struct Quotas {
    limits: Limits,
    messages: Rate,
    unknown_peers: Rate,
    chunk_puts: Arc<Mutex<HashMap<String, u32>>>,
    /// Users seen to exist, so sends to them skip the database check.
    known_users: Mutex<HashSet<String>>,
}

/// Known users remembered before the set starts over.
const KNOWN_USERS_KEPT: usize = 100_000;

impl Quotas {
    /// Empty state for these limits.
    pub fn new(limits: &Limits) -> Quotas {
        Quotas {
            messages: Rate::new(f64::from(limits.msg_per_sec), limits.msg_burst),
            unknown_peers: Rate::new(
                f64::from(limits.unknown_peers_per_min) / 60.0,
                limits.unknown_peer_burst,
            ),
            chunk_puts: Arc::default(),
            known_users: Mutex::default(),
            limits: limits.clone(),
        }
    }

    /// The configured limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether `user` may send one more message now (spends it if so).
    pub fn allow_message(&self, user: &str) -> bool {
        self.messages.take(user, 1, self.limits.clock.now_ms())
    }

    /// Whether `user` may open `n` conversations with unknown peers now (spends them if so).
    pub fn allow_unknown_peers(&self, user: &str, n: u32) -> bool {
        self.unknown_peers.take(user, n, self.limits.clock.now_ms())
    }

    /// Whether a conversation of anyone with `user` creates no row for an unknown peer: the
    /// limit is off, or `user` was seen to exist.
    pub fn is_known(&self, user: &str) -> bool {
        self.limits.unknown_peers_per_min == 0
            || self
                .known_users
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(user)
    }

    /// Remembers that these users exist.
    pub fn remember_known(&self, users: impl IntoIterator<Item = String>) {
        let mut known = self.known_users.lock().unwrap_or_else(|e| e.into_inner());
        for user in users {
            if known.len() >= KNOWN_USERS_KEPT {
                known.clear();
            }
            known.insert(user);
        }
    }

    /// Counts a chunk PUT of `user` until the guard drops; `None` if `user` already has
    /// `max_chunk_puts` in progress.
    pub fn start_chunk_put(&self, user: &str) -> Option<ChunkPut> {
        let mut puts = self.chunk_puts.lock().unwrap_or_else(|e| e.into_inner());
        let n = puts.entry(user.to_owned()).or_insert(0);
        if self.limits.max_chunk_puts > 0 && *n >= self.limits.max_chunk_puts {
            return None;
        }
        *n += 1;
        Some(ChunkPut(self.chunk_puts.clone(), user.to_owned()))
    }
}

/// One chunk PUT in progress; releases its count when dropped.
pub struct ChunkPut(Arc<Mutex<HashMap<String, u32>>>, String);

impl Drop for ChunkPut {
    fn drop(&mut self) {
        let mut puts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = puts.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                puts.remove(&self.1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_refuses_when_empty_and_refills_with_time() {
        let limits = Limits {
            msg_per_sec: 10,
            msg_burst: 2,
            clock: Clock::manual(),
            ..Limits::default()
        };
        let q = Quotas::new(&limits);
        assert!(q.allow_message("a") && q.allow_message("a"));
        assert!(!q.allow_message("a"));
        assert!(q.allow_message("b"), "each user has a bucket");
        limits.clock.advance(Duration::from_millis(100));
        assert!(q.allow_message("a"));
        assert!(!q.allow_message("a"));
    }

    #[test]
    fn chunk_puts_are_counted_until_dropped() {
        let q = Quotas::new(&Limits {
            max_chunk_puts: 1,
            ..Limits::default()
        });
        let first = q.start_chunk_put("a");
        assert!(first.is_some() && q.start_chunk_put("a").is_none());
        drop(first);
        assert!(q.start_chunk_put("a").is_some());
    }
}
