//! The connection: open/close reports, heartbeat (ping when idle, declare dead when silent),
//! and reconnecting with backoff. A connection lost before the first login fails login();
//! after it, the session survives and reconnects forever.

use tim_protocol::Request;

use super::requests::{Internal, JobKind};
use super::session::{Link, Session, Stage};
use super::timers::backoff_delay;
use super::*;

impl Core {
    pub(super) fn on_connected(&mut self, now: u64) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if !matches!(s.link, Link::Connecting { .. }) {
            return;
        }
        s.link = Link::Up {
            stage: Stage::Login,
        };
        s.last_rx = now;
        let req = Request::Login {
            user_id: s.user_id.clone(),
            user_sig: s.user_sig.clone(),
        };
        self.emit(Event::NetStateChange(NetState::Connected));
        self.transmit_internal(now, Internal::Login, req);
    }

    pub(super) fn on_disconnected(&mut self, now: u64) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        if matches!(s.link, Link::Down { .. }) {
            return;
        }
        if s.ready {
            self.emit(Event::NetStateChange(NetState::Disconnected));
            self.schedule_reconnect(now);
        } else {
            self.fail_first_login(SdkError::new(codes::NETWORK_ERROR, "connection failed"));
        }
    }

    /// We give up on the socket ourselves (dead heartbeat, failed re-login step, timeout).
    pub(super) fn drop_connection(&mut self, now: u64) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        if matches!(s.link, Link::Down { .. }) {
            return;
        }
        if !s.ready {
            return self.fail_first_login(SdkError::new(
                codes::NETWORK_TIMEOUT,
                "no answer from the server",
            ));
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
        let delay = backoff_delay(&self.config, s.attempts, &mut self.rng);
        s.attempts = s.attempts.saturating_add(1);
        s.link = Link::Down {
            retry_at: now.saturating_add(delay),
        };
    }

    pub(super) fn on_timeout(&mut self, now: u64) {
        self.expire_requests(now);
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let c = &self.config;
        match s.link {
            Link::Down { retry_at } if now >= retry_at => {
                s.link = Link::Connecting { since: now };
                self.out.push_back(Output::Connect);
                self.emit(Event::NetStateChange(NetState::Connecting));
            }
            Link::Connecting { since } if now >= since.saturating_add(c.request_timeout_ms) => {
                self.drop_connection(now);
            }
            Link::Up { .. } if now >= s.last_rx.saturating_add(c.heartbeat_timeout_ms) => {
                self.drop_connection(now);
            }
            Link::Up { stage }
                if stage != Stage::Login
                    && now >= s.last_tx.saturating_add(c.heartbeat_interval_ms) =>
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
            // setAllMessageRead has a job per conversation but one Promise.
            if matches!(job.kind, JobKind::ReadAll { .. }) && failed.contains(&job.op) {
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
        match s.link {
            Link::Down { retry_at } => Some(retry_at),
            Link::Connecting { since } => Some(since.saturating_add(c.request_timeout_ms)),
            Link::Up { stage } => {
                let dead = s.last_rx.saturating_add(c.heartbeat_timeout_ms);
                let ping = (stage != Stage::Login)
                    .then(|| s.last_tx.saturating_add(c.heartbeat_interval_ms));
                Some(ping.map_or(dead, |p| p.min(dead)))
            }
        }
    }
}
