//! A login session: from `login()` through SDK_READY to logout, kick or a rejected signature.
//! `login()` resolves once the first conversation list is in; SDK_READY follows in a later
//! task ([`Output::Yield`]), so both `on(SDK_READY); login()` and `await login();
//! on(SDK_READY)` (TUIKit's engine) hear it.

use std::collections::HashSet;

use tim_protocol::{codes as server_codes, Request};

use super::conversations::Conversations;
use super::cursor::SyncCursor;
use super::requests::{Internal, JobKind};
use super::warm::CacheState;
use super::*;

/// Where the socket is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Link {
    /// No socket; reconnect at `retry_at`.
    Down { retry_at: u64 },
    /// `Output::Connect` issued at `since`.
    Connecting { since: u64 },
    /// Open, at this step of (re-)login.
    Up { stage: Stage },
}

/// Steps after the socket opens: login, then (on reconnect) catch up, then the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    Login,
    Sync,
    Conversations,
    Live,
}

pub(super) struct Session {
    pub(super) user_id: String,
    pub(super) user_sig: String,
    /// SDK_READY has fired; from then on the session survives connection loss.
    pub(super) ready: bool,
    /// login() calls to settle at SDK_READY, with their `repeatLogin`.
    pub(super) login_ops: Vec<(OpId, bool)>,
    /// The socket and its timing (see `link.rs`).
    pub(super) conn: Connection,
    pub(super) cursor: SyncCursor,
    pub(super) convs: Conversations,
    /// Messages saved on this instance only.
    pub(super) local: super::local::LocalMessages,
    /// Message IDs this instance sent: never MESSAGE_RECEIVED here.
    pub(super) own_ids: HashSet<String>,
    pub(super) total_emitted: Option<u32>,
    /// A push came before SDK_READY and was left for a catch-up sync right after it, so no
    /// MESSAGE_RECEIVED precedes SDK_READY.
    pub(super) catch_up: bool,
    /// The persistent cache's side of the session (see `warm.rs`).
    pub(super) cache: CacheState,
    /// Sends not yet answered (see `outbox.rs`).
    pub(super) outbox: super::outbox::Outbox,
}

/// The socket of a session.
pub(super) struct Connection {
    pub(super) link: Link,
    /// Failed reconnect attempts since the last successful login.
    pub(super) attempts: u32,
    pub(super) last_tx: u64,
    pub(super) last_rx: u64,
}

impl Connection {
    fn opening(now: u64) -> Connection {
        Connection {
            link: Link::Connecting { since: now },
            attempts: 0,
            last_tx: now,
            last_rx: now,
        }
    }
}

/// Server codes that mean the UserSig itself is bad: retrying cannot help.
fn is_usersig_error(code: u32) -> bool {
    matches!(
        code,
        server_codes::USERSIG_EXPIRED
            | server_codes::USERSIG_MALFORMED
            | server_codes::USERSIG_VERIFY_FAILED
            | server_codes::USERSIG_IDENTIFIER_MISMATCH
            | server_codes::USERSIG_SDKAPPID_MISMATCH
    )
}

impl Core {
    pub(super) fn cmd_login(&mut self, now: u64, op: OpId, user_id: String, user_sig: String) {
        if user_id.is_empty() {
            return self.complete(
                op,
                Err(SdkError::new(codes::NO_IDENTIFIER, "userID is required")),
            );
        }
        if user_sig.is_empty() {
            return self.complete(
                op,
                Err(SdkError::new(codes::NO_USERSIG, "userSig is required")),
            );
        }
        // Refused by the server at every (re)login attempt, or dropping the connection.
        if let Err(e) = self.check_login(&user_id, &user_sig) {
            return self.complete(op, Err(e));
        }
        if let Some(s) = self.session.as_mut() {
            if s.user_id != user_id {
                let err = SdkError::new(
                    codes::REPEAT_LOGIN,
                    "already logged in as another user: logout first",
                );
                return self.complete(op, Err(err));
            }
            // A fresh signature is kept for the next re-login.
            s.user_sig = user_sig;
            if !s.ready {
                s.login_ops.push((op, true));
                return;
            }
            return self.complete(op, Ok(Response::Login { repeat_login: true }));
        }
        let mut convs = Conversations::new(&user_id);
        convs.files.origin = self.config.file_origin.clone();
        self.session = Some(Session {
            convs,
            local: Default::default(),
            user_id,
            user_sig,
            ready: false,
            login_ops: vec![(op, false)],
            conn: Connection::opening(now),
            cursor: SyncCursor::default(),
            own_ids: HashSet::new(),
            total_emitted: None,
            catch_up: false,
            cache: CacheState::default(),
            outbox: Default::default(),
        });
        match self.session.as_mut() {
            Some(s) if self.config.persistent_cache => {
                s.cache.opening = true;
                let user_id = s.user_id.clone();
                self.out.push_back(Output::OpenCache { user_id });
            }
            _ => self.out.push_back(Output::Connect),
        }
        self.emit(Event::NetStateChange(NetState::Connecting));
    }

    pub(super) fn cmd_logout(&mut self, op: OpId) {
        let Some(s) = self.session.as_ref() else {
            return self.complete(
                op,
                Err(SdkError::new(codes::SDK_IS_NOT_READY, "not logged in")),
            );
        };
        if matches!(s.conn.link, Link::Up { .. }) {
            let id = self.requests.fresh_id();
            self.out
                .push_back(Output::Transmit(tim_protocol::ClientFrame {
                    id,
                    req: Request::Logout,
                }));
        }
        self.teardown(SdkError::new(codes::SDK_IS_NOT_READY, "logged out"));
        self.emit(Event::SdkNotReady);
        self.complete(op, Ok(Response::Empty {}));
    }

    /// Ends the session: close, fail every pending call with `err`, forget all state.
    pub(super) fn teardown(&mut self, err: SdkError) {
        let Some(s) = self.session.take() else { return };
        if !matches!(s.conn.link, Link::Down { .. }) {
            self.out.push_back(Output::Disconnect);
        }
        for (op, _) in s.login_ops {
            self.complete(op, Err(err.clone()));
        }
        self.fail_parked(&s.outbox, &err);
        let mut failed: Vec<OpId> = Vec::new();
        for job in self.requests.clear() {
            // The cached outbox sends an unanswered send at the next login; its call fails.
            // setAllMessageRead has a job per conversation but one Promise.
            if !failed.contains(&job.op) {
                failed.push(job.op);
                let shown = match &job.kind {
                    JobKind::Send { .. } => super::commands::FAILED,
                    _ => Shown::Object,
                };
                self.fail_showing(job.op, err.clone(), shown);
            }
        }
        self.drafts.clear();
    }

    /// The server ended the session (or refused our signature on re-login).
    pub(super) fn kicked(&mut self, reason: String) {
        self.emit(Event::KickedOut(reason));
        if self.session.as_ref().is_some_and(|s| s.ready) {
            self.emit(Event::SdkNotReady);
        }
        self.teardown(SdkError::new(codes::SDK_IS_NOT_READY, "kicked out"));
    }

    /// The first login failed: reject login() and return to logged out.
    pub(super) fn fail_first_login(&mut self, err: SdkError) {
        if self
            .session
            .as_ref()
            .is_some_and(|s| !matches!(s.conn.link, Link::Down { .. }))
        {
            self.emit(Event::NetStateChange(NetState::Disconnected));
        }
        self.teardown(err);
    }

    /// Reply::Login: first time, everything so far is history; later, catch up from the cursor.
    pub(super) fn on_logged_in(&mut self, now: u64, sync_seq: u64) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        s.conn.attempts = 0;
        if s.ready {
            s.conn.link = Link::Up { stage: Stage::Sync };
            let since = s.cursor.base();
            self.transmit_sync(now, since);
        } else if (1..=sync_seq).contains(&s.cache.stored_cursor) {
            // A warm start: only what was delivered since the cached cursor, then the list.
            s.cursor.reset(s.cache.stored_cursor);
            s.conn.link = Link::Up { stage: Stage::Sync };
            let since = s.cursor.base();
            self.transmit_sync(now, since);
        } else {
            s.cursor.reset(sync_seq);
            s.conn.link = Link::Up {
                stage: Stage::Conversations,
            };
            self.transmit_internal(now, Internal::Conversations, Request::Conversations);
        }
    }

    /// The login was refused.
    pub(super) fn on_login_error(&mut self, now: u64, err: SdkError) {
        let ready = self.session.as_ref().is_some_and(|s| s.ready);
        match (ready, is_usersig_error(err.code)) {
            (false, _) => self.fail_first_login(err),
            (true, true) => self.kicked("userSigExpired".to_owned()),
            (true, false) => self.drop_connection(now),
        }
    }

    /// Reply::Conversations: the authoritative list. Completes (re-)login.
    pub(super) fn on_conversations(&mut self, now: u64, infos: &[tim_protocol::ConversationInfo]) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if s.cache.warm && !s.ready {
            s.convs.hide_unlisted(infos);
        }
        s.convs.apply_snapshot(infos);
        let peer_read = s.convs.apply_peer_reads(infos);
        s.conn.link = Link::Up { stage: Stage::Live };
        if s.ready {
            // Read receipts missed while disconnected.
            let views: Vec<MessageView> =
                peer_read.iter().map(|m| s.convs.message_view(m)).collect();
            if !views.is_empty() {
                self.emit(Event::MessageReadByPeer(views));
            }
            self.publish(before, false);
        } else {
            s.ready = true;
            let total = s.convs.total();
            s.total_emitted = Some(total);
            let list = s.convs.views();
            let ops = std::mem::take(&mut s.login_ops);
            let catch_up = std::mem::take(&mut s.catch_up);
            let since = s.cursor.base();
            self.emit(Event::ConversationListUpdated(list));
            self.emit(Event::TotalUnreadMessageCountUpdated(total));
            for (op, repeat_login) in ops {
                self.complete(op, Ok(Response::Login { repeat_login }));
            }
            self.out.push_back(Output::Yield);
            self.emit(Event::SdkReady);
            if catch_up {
                self.transmit_sync(now, since);
            }
        }
        self.transmit_group_list(now);
        self.flush_jobs(now);
        self.maybe_sync(now);
    }
}
