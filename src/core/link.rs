//! The connection: open/close reports, heartbeat (ping when idle, declare dead when silent),
//! and reconnecting with backoff. A connection lost before SDK_READY fails login(), and so
//! does a socket not open, or a login not answered, within `connect_timeout_ms` (a wrong
//! server URL fails in seconds, naming the URL); after SDK_READY the session survives and
//! reconnects forever.

use tim_protocol::{req, Request};

use super::requests::Internal;
use super::session::{Link, Session, Stage};
use super::timers::backoff_delay;
use super::*;

impl Core {
    pub(super) fn on_connected(&mut self, now: u64) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if !matches!(s.conn.link, Link::Connecting { .. }) {
            return;
        }
        s.conn.link = Link::Up {
            stage: Stage::Login,
        };
        s.conn.last_rx = now;
        let req = Request::Login(req::Login {
            user_id: s.user_id.clone(),
            user_sig: s.user_sig.clone(),
        });
        self.emit(Event::NetStateChange(NetState::Connected));
        self.transmit_internal(now, Internal::Login, req);
    }

    pub(super) fn on_disconnected(&mut self, now: u64) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        if matches!(s.conn.link, Link::Down { .. }) {
            return;
        }
        if s.ready {
            self.emit(Event::NetStateChange(NetState::Disconnected));
            self.schedule_reconnect(now);
        } else {
            let what = match s.conn.link {
                Link::Connecting { .. } => "could not connect to ",
                _ => "connection lost during login to ",
            };
            let err = SdkError::new(codes::NETWORK_ERROR, String::from(what) + self.url());
            self.fail_first_login(err);
        }
    }

    /// The server's URL for error messages.
    fn url(&self) -> &str {
        match self.config.server_url.as_str() {
            "" => "the server",
            url => url,
        }
    }

    /// How long the link may wait for the socket to open, and for the login answer.
    fn open_timeout(&self, s: &Session) -> u64 {
        if s.ready {
            self.config.request_timeout_ms
        } else {
            self.config.connect_timeout_ms
        }
    }

    /// When an open link counts as dead: the login answer is bounded like the open.
    fn dead_at(&self, s: &Session, stage: Stage) -> u64 {
        let silence = match stage {
            Stage::Login => self.open_timeout(s).min(self.config.heartbeat_timeout_ms),
            _ => self.config.heartbeat_timeout_ms,
        };
        s.conn.last_rx.saturating_add(silence)
    }

    /// We give up on the socket ourselves (dead heartbeat, failed re-login step, timeout).
    pub(super) fn drop_connection(&mut self, now: u64) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        if matches!(s.conn.link, Link::Down { .. }) {
            return;
        }
        if !s.ready {
            let what = match s.conn.link {
                Link::Connecting { .. } => "could not connect to ",
                _ => "no answer from ",
            };
            let err = SdkError::new(codes::NETWORK_TIMEOUT, String::from(what) + self.url());
            return self.fail_first_login(err);
        }
        self.out.push_back(Output::Disconnect);
        self.emit(Event::NetStateChange(NetState::Disconnected));
        self.schedule_reconnect(now);
    }

    fn schedule_reconnect(&mut self, now: u64) {
        self.park_sends();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let delay = backoff_delay(&self.config, s.conn.attempts, &mut self.rng);
        s.conn.attempts = s.conn.attempts.saturating_add(1);
        s.conn.link = Link::Down {
            retry_at: now.saturating_add(delay),
        };
    }

    pub(super) fn on_timeout(&mut self, now: u64) {
        self.expire_requests(now);
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let c = &self.config;
        match s.conn.link {
            Link::Down { retry_at } if now >= retry_at => {
                if let Some(s) = self.session.as_mut() {
                    s.conn.link = Link::Connecting { since: now };
                }
                self.out.push_back(Output::Connect);
                self.emit(Event::NetStateChange(NetState::Connecting));
            }
            Link::Connecting { since }
                if !s.cache.opening && now >= since.saturating_add(self.open_timeout(s)) =>
            {
                self.drop_connection(now);
            }
            Link::Up { stage } if now >= self.dead_at(s, stage) => self.drop_connection(now),
            Link::Up { stage }
                if stage != Stage::Login
                    && now >= s.conn.last_tx.saturating_add(c.heartbeat_interval_ms) =>
            {
                self.transmit_internal(now, Internal::Ping, Request::Ping);
            }
            _ => {}
        }
    }

    fn expire_requests(&mut self, now: u64) {
        let (internals, jobs) = self.requests.expire(now);
        let mut failed: Vec<OpId> = Vec::new();
        for job in jobs {
            // setAllMessageRead and a batch deleteConversation have several jobs but one
            // Promise.
            if failed.contains(&job.op) {
                continue;
            }
            failed.push(job.op);
            self.fail_job(
                job,
                SdkError::new(codes::NETWORK_TIMEOUT, "request timed out"),
            );
        }
        if internals.iter().any(|w| *w != Internal::Ping) {
            self.drop_connection(now);
        }
    }

    /// The link's next deadline: reconnect, connect timeout, heartbeat.
    pub(super) fn link_deadline(&self, s: &Session) -> Option<u64> {
        let c = &self.config;
        match s.conn.link {
            Link::Down { retry_at } => Some(retry_at),
            // Waiting for the cache: the connect timeout starts when the socket is asked for.
            Link::Connecting { .. } if s.cache.opening => None,
            Link::Connecting { since } => Some(since.saturating_add(self.open_timeout(s))),
            Link::Up { stage } => {
                let dead = self.dead_at(s, stage);
                let ping = (stage != Stage::Login)
                    .then(|| s.conn.last_tx.saturating_add(c.heartbeat_interval_ms));
                Some(ping.map_or(dead, |p| p.min(dead)))
            }
        }
    }
}
