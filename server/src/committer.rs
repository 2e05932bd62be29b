//! Group commit. One thread owns the write path: it takes every write waiting in its channel,
//! applies them as one transaction, and only after the commit answers each requester and fans
//! out pushes, in batch order. Because a single thread queues all of these onto the sockets'
//! FIFO channels, each socket sees replies and pushes in increasing `sync_seq`, and a login
//! (whose cursor is read inside the batch) sees exactly the pushes committed after its cursor.
//! Waiting writes are queued per user and batched round-robin ([`fair`]): a user flooding the
//! committer delays another user's write by one batch at most, not by its whole backlog.

mod group_push;
mod push_frames;

use std::sync::Arc;
use std::thread::JoinHandle;

use tim_protocol::{codes, Change, Message, Reply as WireReply, ReqId, ServerFrame};
use tokio::sync::{mpsc, oneshot, OwnedSemaphorePermit};

use crate::hub::{ConnHandle, Hub};
use crate::push::{self, Pusher};
use crate::store::{Conv, Outcome, Store, StoreError, Updated, Write};
use crate::time::now_secs;
use push_frames::PushFrames;

mod fair;
use fair::FairQueue;

/// Writes that may wait for the committer before senders are slowed down.
const QUEUE: usize = 8192;

/// Where the outcome of a write goes.
#[derive(Debug)]
pub enum Reply {
    /// Answer request `req` on `conn`; pushes skip `conn` itself.
    Conn {
        /// The requesting socket.
        conn: ConnHandle,
        /// Its request id.
        req: ReqId,
        /// The request's in-flight permit, released once the answer is written.
        permit: Option<OwnedSemaphorePermit>,
    },
    /// A login: after the cursor is read, register `conn` as `user`, answer, then `ack`.
    Login {
        /// The requesting socket.
        conn: ConnHandle,
        /// Its request id.
        req: ReqId,
        /// Told whether the login took effect.
        ack: oneshot::Sender<bool>,
        /// The token for the HTTP file endpoints.
        file_token: String,
    },
    /// A REST call waiting for the outcome. `push_sender`: whether the sender's own sockets
    /// get the message (Tencent's `SyncOtherMachine`).
    Http {
        /// Receives the outcome.
        tx: oneshot::Sender<Result<Outcome, StoreError>>,
        /// Push to the sender's sockets too.
        push_sender: bool,
    },
}

/// A write and where its outcome goes.
#[derive(Debug)]
pub struct Job {
    /// The write.
    pub write: Write,
    /// Where its outcome goes.
    pub reply: Reply,
}

enum Msg {
    Job(Box<Job>),
    Stop,
}

/// Handle to submit writes; cheap to clone.
#[derive(Clone)]
pub struct Committer {
    tx: mpsc::Sender<Msg>,
}

/// Owns the committer thread; [`CommitterThread::stop`] drains and joins it.
pub struct CommitterThread {
    tx: mpsc::Sender<Msg>,
    thread: Option<JoinHandle<()>>,
}

/// Starts the committer thread, folding at most `max_batch` writes into one commit.
pub fn start(
    store: Arc<dyn Store>,
    hub: Arc<Hub>,
    pusher: Option<Pusher>,
    max_batch: usize,
) -> std::io::Result<(Committer, CommitterThread)> {
    let (tx, rx) = mpsc::channel(QUEUE);
    let thread = std::thread::Builder::new()
        .name("tim-committer".into())
        .spawn(move || run(store, Out { hub, pusher }, rx, max_batch.max(1)))?;
    Ok((
        Committer { tx: tx.clone() },
        CommitterThread {
            tx,
            thread: Some(thread),
        },
    ))
}

impl Committer {
    /// Queues a job; false if the committer has stopped (the job's reply channels are
    /// dropped, so waiting requesters see an error).
    pub async fn submit(&self, job: Job) -> bool {
        self.tx.send(Msg::Job(Box::new(job))).await.is_ok()
    }
}

impl CommitterThread {
    /// Finishes every queued write, then stops the thread.
    pub async fn stop(mut self) {
        let _ = self.tx.send(Msg::Stop).await;
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// Where committed outcomes go besides the requester: sockets and the push webhook.
struct Out {
    hub: Arc<Hub>,
    pusher: Option<Pusher>,
}

fn run(store: Arc<dyn Store>, out: Out, mut rx: mpsc::Receiver<Msg>, max_batch: usize) {
    let mut queues = FairQueue::default();
    let mut stopping = false;
    loop {
        if queues.is_empty() {
            if stopping {
                break;
            }
            match rx.blocking_recv() {
                Some(Msg::Job(j)) => queues.push(*j),
                Some(Msg::Stop) | None => stopping = true,
            }
        }
        // Take in everything waiting (up to QUEUE held here), so a user who arrived behind
        // a flood is in the very next batch.
        while !stopping && queues.len() < QUEUE {
            match rx.try_recv() {
                Ok(Msg::Job(j)) => queues.push(*j),
                Ok(Msg::Stop) => stopping = true,
                Err(_) => break,
            }
        }
        let jobs = queues.batch(max_batch);
        if !jobs.is_empty() {
            commit(&*store, &out, jobs);
        }
    }
    tracing::debug!("committer stopped");
}

fn commit(store: &dyn Store, out: &Out, jobs: Vec<Job>) {
    let now = now_secs();
    let writes: Vec<&Write> = jobs.iter().map(|j| &j.write).collect();
    match store.apply(&writes, now) {
        Ok(outcomes) => {
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                offline_push(out, &outcome);
                dispatch(&out.hub, job, outcome, now);
            }
        }
        Err(e) => {
            tracing::error!("batch of {} writes failed: {e}", writes.len());
            let msg = e.to_string();
            for job in jobs {
                dispatch(&out.hub, job, Err(StoreError::Backend(msg.clone())), now);
            }
        }
    }
}

/// Hands a new message to the push webhook for each recipient with no socket.
fn offline_push(out: &Out, outcome: &Result<Outcome, StoreError>) {
    let (Some(pusher), Ok(Outcome::Sent(sent))) = (&out.pusher, outcome) else {
        return;
    };
    if sent.duplicate {
        return;
    }
    let Some(info) = push::push_info(&sent.message) else {
        return;
    };
    for (user, _) in &sent.deliveries {
        if *user != sent.message.from && !out.hub.is_online(user) {
            pusher.offer(push::body(&sent.message, user, &info));
        }
    }
}

fn error_frame(req: ReqId, code: u32, message: String) -> ServerFrame {
    ServerFrame::Error {
        id: Some(req),
        code,
        message,
    }
}

fn dispatch(hub: &Hub, job: Job, outcome: Result<Outcome, StoreError>, now: u64) {
    let Job { write, reply } = job;
    match reply {
        Reply::Conn { conn, req, permit } => match outcome {
            Err(e) => conn.send_answer(&error_frame(req, e.code(), e.to_string()), permit),
            Ok(outcome) if matches!(&write, Write::Send(w) if hub.take_drop_after_send(&w.from)) => {
                // `/debug/drop-after-send`: committed, but the ack is lost with the socket.
                conn.kill();
                notify(hub, &write, outcome, Some(conn.id), true);
            }
            Ok(outcome) => {
                // Pushes first: once a writer has its answer, what it caused is already queued
                // for every other socket (a ping there is answered after it).
                let data = answer(&outcome);
                notify(hub, &write, outcome, Some(conn.id), true);
                conn.send_answer(&ServerFrame::Ok { id: req, data }, permit);
            }
        },
        Reply::Login {
            conn,
            req,
            ack,
            file_token,
        } => match (outcome, &write) {
            (Ok(Outcome::Cursor(sync_seq)), Write::Cursor { user }) => {
                hub.register(user, conn.clone());
                let data = WireReply::Login {
                    user_id: user.clone(),
                    server_time: now,
                    sync_seq,
                    file_token,
                };
                conn.send_frame(&ServerFrame::Ok { id: req, data });
                let _ = ack.send(true);
            }
            (Err(e), _) => {
                conn.send_frame(&error_frame(req, e.code(), e.to_string()));
                let _ = ack.send(false);
            }
            (Ok(_), _) => {
                conn.send_frame(&error_frame(
                    req,
                    codes::INTERNAL,
                    "unexpected login outcome".into(),
                ));
                let _ = ack.send(false);
            }
        },
        Reply::Http { tx, push_sender } => {
            if let Ok(outcome) = &outcome {
                notify(hub, &write, outcome.clone(), None, push_sender);
            }
            let _ = tx.send(outcome);
        }
    }
}

/// The answer to a WebSocket request whose write committed.
fn answer(outcome: &Outcome) -> WireReply {
    match outcome {
        Outcome::Sent(sent) => WireReply::Sent {
            message: sent.message.clone(),
            sync_seq: sent.sender_sync_seq,
        },
        Outcome::Read(r) => WireReply::Read {
            conversation_id: r.conversation_id.clone(),
            read_seq: r.read_seq,
            unread: r.unread,
        },
        // The requester of a revoke or modify is the sender: it sees the full message.
        Outcome::Updated(u) => WireReply::Updated {
            message: u.message.clone(),
            sync_seq: u.requester_sync_seq,
        },
        Outcome::Imported(messages) => WireReply::Imported {
            messages: messages.clone(),
        },
        Outcome::Receipts(r) => WireReply::Receipts {
            receipts: r.all.clone(),
        },
        Outcome::ConvGroups(groups) => WireReply::ConvGroups {
            groups: groups.clone(),
        },
        Outcome::Group(g) => g.reply.clone(),
        _ => WireReply::Done,
    }
}

/// Pushes what a committed write changed to the sockets concerned, except `except` (the
/// requesting socket). `push_sender`: whether the message sender's sockets get a new message.
fn notify(hub: &Hub, write: &Write, outcome: Outcome, except: Option<u64>, push_sender: bool) {
    match (outcome, write) {
        (Outcome::Sent(sent), _) => {
            let skip = (!push_sender).then_some(sent.message.from.as_str());
            fan_out(
                hub,
                &sent.message,
                Change::New,
                &sent.deliveries,
                except,
                skip,
            );
        }
        (
            Outcome::Updated(Updated {
                message,
                change,
                deliveries,
                ..
            }),
            _,
        ) => {
            fan_out(hub, &message, change, &deliveries, except, None);
        }
        (Outcome::Group(g), _) => group_push::notify(hub, g, except),
        (Outcome::Deleted(items), Write::Delete { user, .. }) => {
            for (sync_seq, message) in items {
                let frame = ServerFrame::Push {
                    sync_seq,
                    message: message.seen_by(user),
                    change: Change::Deleted,
                };
                hub.push(user, except, &frame);
            }
        }
        (Outcome::Read(r), Write::Read { user, conv, .. }) if r.changed => {
            let push = ServerFrame::ReadState {
                conversation_id: r.conversation_id,
                read_seq: r.read_seq,
                unread: r.unread,
            };
            hub.push(user, except, &push);
            // C2C read receipt: every socket of the peer, which names the conversation by us.
            if let Conv::C2c(peer) = conv {
                if peer != user {
                    let receipt = ServerFrame::PeerRead {
                        conversation_id: tim_protocol::conversation_id(
                            tim_protocol::ConvType::C2c,
                            user,
                        ),
                        read_seq: r.read_seq,
                    };
                    hub.push(peer, None, &receipt);
                }
            }
        }
        // Read receipts: every socket of each sender whose message counts moved.
        (Outcome::Receipts(r), _) => {
            for (sender, conversation_id, receipts) in r.by_sender {
                let push = ServerFrame::Receipts {
                    conversation_id,
                    receipts,
                };
                hub.push(&sender, None, &push);
            }
        }
        (Outcome::ConvState(c), Write::ConvState { user, .. }) if c.changed => {
            let push = ServerFrame::ConversationState {
                conversation_id: c.conversation_id,
                hidden: c.hidden,
                pinned: c.pinned,
            };
            hub.push(user, except, &push);
        }
        // Every socket of the user, the requester's too: its answer is a bare `Done` and the
        // push carries what the server decided (e.g. the cleared sequence).
        (Outcome::ConvSettings(changed), Write::ConvSettings(w)) => {
            for (conversation_id, settings) in changed {
                let push = ServerFrame::ConversationSettings {
                    conversation_id,
                    settings,
                };
                hub.push(&w.user, None, &push);
            }
        }
        (Outcome::ConvGroups(groups), Write::ConvGroup(w)) => {
            hub.push(&w.user, except, &ServerFrame::ConvGroups { groups });
        }
        _ => {}
    }
}

/// Pushes `change` of `message` to every participant's sockets but `except`, each seeing the
/// message as [`Message::seen_by`] shows it; `skip_user`'s sockets get nothing.
fn fan_out(
    hub: &Hub,
    message: &Message,
    change: Change,
    deliveries: &[(String, u64)],
    except: Option<u64>,
    skip_user: Option<&str>,
) {
    let mut frames = PushFrames::new(message, change);
    for (user, sync_seq) in deliveries {
        if skip_user == Some(user.as_str()) {
            continue;
        }
        hub.push_with(user, except, || frames.for_user(user, *sync_seq));
    }
}
