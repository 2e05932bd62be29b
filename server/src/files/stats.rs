//! What the debug endpoints report about uploads, and their fault injection.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Counters since start, and the injected fault.
#[derive(Default)]
pub struct Stats {
    /// Per upload: how many times each chunk index was written.
    writes: Mutex<HashMap<String, Vec<u32>>>,
    /// Bytes of chunks accepted.
    chunk_bytes: AtomicU64,
    fault: Mutex<Fault>,
}

/// After `after` more accepted chunks, refuse the next `fail` chunk PUTs.
#[derive(Default)]
struct Fault {
    after: u64,
    fail: u64,
}

impl Stats {
    /// Counts a stored chunk of `len` bytes.
    pub fn chunk_written(&self, upload: &str, idx: u32, chunks: u32, len: u64) {
        self.chunk_bytes.fetch_add(len, Ordering::Relaxed);
        let mut w = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        let counts = w
            .entry(upload.to_owned())
            .or_insert_with(|| vec![0; chunks as usize]);
        if let Some(c) = counts.get_mut(idx as usize) {
            *c += 1;
        }
        drop(w);
        let mut f = self.fault.lock().unwrap_or_else(|e| e.into_inner());
        f.after = f.after.saturating_sub(1);
    }

    /// Times each chunk of `upload` was written (`chunks` entries).
    pub fn writes(&self, upload: &str, chunks: u32) -> Vec<u32> {
        let w = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        w.get(upload)
            .cloned()
            .unwrap_or_else(|| vec![0; chunks as usize])
    }

    /// Forgets a deleted upload.
    pub fn forget(&self, upload: &str) {
        let mut w = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        w.remove(upload);
    }

    /// Bytes of chunks accepted since start.
    pub fn chunk_bytes(&self) -> u64 {
        self.chunk_bytes.load(Ordering::Relaxed)
    }

    /// Arms (or with `fail == 0` clears) the fault.
    pub fn set_fault(&self, after: u64, fail: u64) {
        let mut f = self.fault.lock().unwrap_or_else(|e| e.into_inner());
        *f = Fault { after, fail };
    }

    /// Whether this chunk PUT is to be refused by the fault (consumes one failure).
    pub fn fault_now(&self) -> bool {
        let mut f = self.fault.lock().unwrap_or_else(|e| e.into_inner());
        if f.fail > 0 && f.after == 0 {
            f.fail -= 1;
            return true;
        }
        false
    }
}
