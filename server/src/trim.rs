//! The server's allocator, and giving the memory of closed connections back to the system.
//!
//! mimalloc rather than glibc's malloc: the committer thread allocates every frame that the
//! socket tasks on other threads free, and glibc takes the allocating arena's lock for each
//! such free: that contention, with malloc itself, was a third of the committer's time.
//! Both keep freed memory for reuse, so after a burst of connections closed the server stayed
//! at its peak RSS. mimalloc keeps it per thread: after sockets have closed (at most every
//! `Config::trim_interval`) every runtime thread collects its own heap the next time it parks
//! (`on_thread_park`), and a blocking thread collects what exited threads left.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::state::AppState;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Bumped to ask every runtime thread to collect its heap.
static GENERATION: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COLLECTED: Cell<u64> = const { Cell::new(0) };
}

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
                GENERATION.fetch_add(1, Ordering::Relaxed);
                let _ = tokio::task::spawn_blocking(collect).await;
            }
            last = now;
        }
    });
}

/// For `tokio::runtime::Builder::on_thread_park`: collects this thread's heap once per
/// request (a relaxed load otherwise: it runs every time a worker goes idle).
pub fn on_thread_park() {
    let wanted = GENERATION.load(Ordering::Relaxed);
    if COLLECTED.get() != wanted {
        COLLECTED.set(wanted);
        collect();
    }
}

fn collect() {
    // SAFETY: mi_collect only frees memory no live allocation uses; callable at any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
}
