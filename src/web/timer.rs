//! The one timer a driver needs: armed for the core's `poll_timeout()` deadline after every
//! core step, re-armed only when the deadline changes, cancelled on drop.

use gloo_timers::callback::Timeout;

/// setTimeout's delay is a signed 32-bit number of milliseconds.
const MAX_DELAY_MS: u64 = 0x7fff_ffff;

/// A single pending timeout for an absolute deadline, or none.
#[derive(Default)]
pub struct Timer {
    armed: Option<(u64, Timeout)>,
}

impl Timer {
    /// Makes the timer fire `on_fire` at `deadline_ms` (same clock as `now_ms`), or never for
    /// `None`. Keeps the pending timeout when the deadline is unchanged.
    pub fn arm(&mut self, deadline_ms: Option<u64>, now_ms: u64, on_fire: impl FnOnce() + 'static) {
        match deadline_ms {
            None => self.armed = None,
            Some(deadline) => {
                if matches!(&self.armed, Some((armed, _)) if *armed == deadline) {
                    return;
                }
                let delay = deadline.saturating_sub(now_ms).min(MAX_DELAY_MS) as u32;
                self.armed = Some((deadline, Timeout::new(delay, on_fire)));
            }
        }
    }

    /// Forgets the armed deadline after it fired, so the next `arm` schedules anew.
    pub fn fired(&mut self) {
        self.armed = None;
    }

    /// Cancels any pending timeout.
    pub fn cancel(&mut self) {
        self.armed = None;
    }
}
