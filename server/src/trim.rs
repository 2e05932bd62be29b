//! Gives the memory of closed connections back to the system. glibc keeps freed heap memory
//! for reuse, so after a burst of connections closed the server stayed at its peak RSS;
//! `malloc_trim` returns the free pages. It runs after sockets have closed, at most every
//! `Config::trim_interval`, off the async threads (it walks every arena).

use crate::state::AppState;
use std::sync::atomic::Ordering;

/// Trims the heap after every `trim_interval` in which sockets closed, until shutdown.
pub fn spawn(state: AppState) {
    let interval = state.config.trim_interval;
    tokio::spawn(async move {
        let mut last = state.closed_sockets.load(Ordering::Relaxed);
        loop {
            tokio::select! {
                _ = state.shutdown.cancelled() => return,
                _ = tokio::time::sleep(interval) => {}
            }
            let now = state.closed_sockets.load(Ordering::Relaxed);
            if now != last {
                let _ = tokio::task::spawn_blocking(trim).await;
            }
            last = now;
        }
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: malloc_trim only releases free memory; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
