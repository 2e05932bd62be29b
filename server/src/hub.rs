//! Who is connected: every live socket's outbound channel, and which are logged in as whom.
//!
//! Frames reach a socket only through its bounded outbound channel, written without waiting
//! (`try_send`), so the committer thread can fan out without blocking. Answers to a socket's own
//! requests cannot fill it: each carries one of the socket's [`MAX_IN_FLIGHT`] permits until it
//! is written, and the reader stops reading requests while none is free (backpressure on a
//! client that sends faster than it reads). Only pushes from others can fill the channel, which
//! means the socket stopped reading: it is killed, and its client reconnects and resyncs. The lock is a
//! std mutex held only for map operations and channel pushes, never across an `.await`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::ws::Utf8Bytes;
use tim_protocol::ServerFrame;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

/// Requests per socket that may await their answer (queued, committing or being written).
pub const MAX_IN_FLIGHT: usize = 256;

/// Frames buffered per socket before it counts as stuck: every possible answer plus room for
/// a burst of pushes.
pub const OUTBOUND_CAPACITY: usize = MAX_IN_FLIGHT + 4096;

/// Identifies one socket for the life of the process.
pub type ConnId = u64;

/// What the socket task should do next.
#[derive(Debug)]
pub enum Outbound {
    /// Write this text frame; an answer holds its request's permit until written.
    Text(Utf8Bytes, Option<OwnedSemaphorePermit>),
    /// Send a close frame with this code and reason, then end the connection (after any
    /// frames queued before it).
    Close(u16, &'static str),
}

/// The handle other tasks hold to reach one socket.
#[derive(Clone, Debug)]
pub struct ConnHandle {
    /// Socket identity.
    pub id: ConnId,
    tx: mpsc::Sender<Outbound>,
    kill: CancellationToken,
    in_flight: Arc<Semaphore>,
}

impl ConnHandle {
    /// A handle and the receiving end its socket task drains.
    pub fn new(id: ConnId) -> (ConnHandle, mpsc::Receiver<Outbound>) {
        let (tx, rx) = mpsc::channel(OUTBOUND_CAPACITY);
        (
            ConnHandle {
                id,
                tx,
                kill: CancellationToken::new(),
                in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            },
            rx,
        )
    }

    /// Queues `out`; a socket that cannot keep up is killed rather than waited for.
    pub fn send(&self, out: Outbound) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(out) {
            tracing::warn!(conn = self.id, "outbound queue full, dropping connection");
            self.kill.cancel();
        }
    }

    /// Serializes and queues a frame.
    pub fn send_frame(&self, frame: &ServerFrame) {
        if let Some(text) = encode(frame) {
            self.send(Outbound::Text(text, None));
        }
    }

    /// Queues the answer to a request, releasing the request's permit once it is written.
    pub fn send_answer(&self, frame: &ServerFrame, permit: Option<OwnedSemaphorePermit>) {
        if let Some(text) = encode(frame) {
            self.send(Outbound::Text(text, permit));
        }
    }

    /// Waits until this socket may take one more request.
    pub async fn request_permit(&self) -> Option<OwnedSemaphorePermit> {
        self.in_flight.clone().acquire_owned().await.ok()
    }

    /// Requests read and not yet answered on the wire, counting the permit held for the next
    /// read (`MAX_IN_FLIGHT`: the reader has stopped), and frames queued for the writer
    /// (`/debug/backlog`).
    pub fn backlog(&self) -> (usize, usize) {
        (
            MAX_IN_FLIGHT - self.in_flight.available_permits(),
            self.tx.max_capacity() - self.tx.capacity(),
        )
    }

    /// Ends the socket at once, without a close frame (also how its tasks stop each other).
    pub fn kill(&self) {
        self.kill.cancel();
    }

    /// Resolves when the socket has been killed.
    pub fn killed(&self) -> tokio_util::sync::WaitForCancellationFuture<'_> {
        self.kill.cancelled()
    }
}

/// Serializes a frame once, so it can be shared by every socket it goes to.
pub fn encode(frame: &ServerFrame) -> Option<Utf8Bytes> {
    match serde_json::to_string(frame) {
        Ok(s) => Some(s.into()),
        Err(e) => {
            tracing::error!("cannot encode frame: {e}");
            None
        }
    }
}

/// The registry of logged-in sockets.
pub struct Hub {
    users: Mutex<HashMap<String, HashMap<ConnId, ConnHandle>>>,
    sessions: Mutex<Sessions>,
    max_sessions_per_user: usize,
    next_id: AtomicU64,
    /// Injected by `/debug` routes only: see [`DebugFaults`].
    pub faults: Mutex<DebugFaults>,
}

/// Connection faults the browser tests inject (set only through `--debug-endpoints`).
#[derive(Default)]
pub struct DebugFaults {
    /// Users whose logins are refused until then.
    pub held: HashMap<String, std::time::Instant>,
    /// Users whose next committed send kills the socket instead of answering.
    pub drop_after_send: std::collections::HashSet<String>,
}

impl Hub {
    /// Whether `user`'s logins are refused for now (`/debug/drop?holdMs=`).
    pub fn held(&self, user: &str) -> bool {
        let f = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        f.held
            .get(user)
            .is_some_and(|t| *t > std::time::Instant::now())
    }

    /// Whether the committed send of `user` is to be answered by killing the socket (once).
    pub fn take_drop_after_send(&self, user: &str) -> bool {
        let mut f = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        f.drop_after_send.remove(user)
    }
}

/// Session slots: counted from login (before the socket is registered, so concurrent logins
/// cannot all slip under the cap) until the connection ends.
#[derive(Default)]
struct Sessions {
    per_user: HashMap<String, usize>,
    owner: HashMap<ConnId, String>,
}

impl Hub {
    /// An empty hub allowing each user `max_sessions_per_user` logged-in sockets.
    pub fn new(max_sessions_per_user: usize) -> Hub {
        Hub {
            users: Mutex::default(),
            sessions: Mutex::default(),
            max_sessions_per_user,
            next_id: AtomicU64::new(0),
            faults: Mutex::default(),
        }
    }

    /// Takes one of `user`'s session slots for `conn` (a no-op if it holds one); false when
    /// `user` has no free slot, so one UserSig cannot be replayed on any number of sockets.
    pub fn claim_session(&self, user: &str, conn: ConnId) -> bool {
        let mut s = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if s.owner.contains_key(&conn) {
            return true;
        }
        let count = s.per_user.entry(user.to_owned()).or_default();
        if *count >= self.max_sessions_per_user {
            if *count == 0 {
                s.per_user.remove(user);
            }
            return false;
        }
        *count += 1;
        s.owner.insert(conn, user.to_owned());
        true
    }

    /// Gives back the session slot `conn` holds, if any (its connection ended).
    pub fn release_session(&self, conn: ConnId) {
        let mut s = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let Some(user) = s.owner.remove(&conn) else {
            return;
        };
        if let Some(count) = s.per_user.get_mut(&user) {
            *count -= 1;
            if *count == 0 {
                s.per_user.remove(&user);
            }
        }
    }

    /// A fresh socket identity.
    pub fn next_id(&self) -> ConnId {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, HashMap<ConnId, ConnHandle>>) -> T) -> T {
        // A panic elsewhere while holding the lock leaves the maps consistent: keep going.
        let mut guard = self.users.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// `conn` now receives `user`'s pushes.
    pub fn register(&self, user: &str, conn: ConnHandle) {
        self.with(|u| u.entry(user.to_owned()).or_default().insert(conn.id, conn));
    }

    /// `conn` no longer receives `user`'s pushes.
    pub fn unregister(&self, user: &str, conn: ConnId) {
        self.with(|u| {
            if let Some(conns) = u.get_mut(user) {
                conns.remove(&conn);
                if conns.is_empty() {
                    u.remove(user);
                }
            }
        });
    }

    /// Queues `frame` on every socket of `user` except `except`.
    pub fn push(&self, user: &str, except: Option<ConnId>, frame: &ServerFrame) {
        self.push_with(user, except, || encode(frame));
    }

    /// [`Hub::push`] of a frame that `encode` makes only if `user` has a socket to send it to.
    pub fn push_with(
        &self,
        user: &str,
        except: Option<ConnId>,
        encode: impl FnOnce() -> Option<Utf8Bytes>,
    ) {
        self.with(|u| {
            let Some(conns) = u.get(user) else { return };
            let targets = conns.values().filter(|c| Some(c.id) != except);
            let mut encode = Some(encode);
            let mut text = None;
            for conn in targets {
                let Some(t) = text.get_or_insert_with(|| encode.take().and_then(|f| f())) else {
                    return;
                };
                conn.send(Outbound::Text(t.clone(), None));
            }
        });
    }

    /// Sends `Kicked{reason}` then closes every socket of `user`; returns how many.
    pub fn kick(&self, user: &str, reason: &str) -> usize {
        let conns = self.with(|u| u.remove(user)).unwrap_or_default();
        let frame = ServerFrame::Kicked {
            reason: reason.to_owned(),
        };
        for conn in conns.values() {
            conn.send_frame(&frame);
            conn.send(Outbound::Close(1000, "kicked"));
        }
        conns.len()
    }

    /// Kills every socket of `user` without a word; returns how many.
    pub fn drop_user(&self, user: &str) -> usize {
        let conns = self.with(|u| u.remove(user)).unwrap_or_default();
        conns.values().for_each(ConnHandle::kill);
        conns.len()
    }

    /// Whether `user` has a logged-in socket.
    pub fn is_online(&self, user: &str) -> bool {
        self.with(|u| u.contains_key(user))
    }

    /// [`ConnHandle::backlog`] of each of `user`'s sockets.
    pub fn backlog(&self, user: &str) -> Vec<(usize, usize)> {
        self.with(|u| {
            u.get(user)
                .map(|conns| conns.values().map(ConnHandle::backlog).collect())
                .unwrap_or_default()
        })
    }

    /// Number of logged-in sockets.
    pub fn logged_in(&self) -> usize {
        self.with(|u| u.values().map(HashMap::len).sum())
    }
}
