//! The disk's durable-insert ceiling: plain SQLite inserts in WAL mode with
//! `synchronous=FULL` (as the server commits), one transaction per batch, on the same disk as
//! the server's data dir. Ingest is compared with the best of these rates.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::{params, Connection};

/// Rows per second at one batch size.
pub struct RawRate {
    /// Rows per transaction.
    pub batch: usize,
    /// Committed rows per second.
    pub rows_per_sec: f64,
}

/// Inserts message-sized rows into a fresh database in `dir` for about `per_batch` at each
/// batch size (at least one transaction each).
pub fn measure(dir: &Path, batches: &[usize], per_batch: Duration) -> Result<Vec<RawRate>> {
    std::fs::create_dir_all(dir)?;
    let db = Connection::open(dir.join("raw.sqlite3"))?;
    db.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE messages(conv TEXT NOT NULL, seq INTEGER NOT NULL, sender TEXT NOT NULL,
                               time INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(conv, seq));",
    )?;
    let body = format!(r#"{{"type":"TIMTextElem","text":"{}"}}"#, "x".repeat(100));
    let mut seq = 0u64;
    let mut rates = Vec::new();
    for &batch in batches {
        let start = Instant::now();
        let mut rows = 0usize;
        while rows == 0 || start.elapsed() < per_batch {
            let tx = db.unchecked_transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO messages(conv, seq, sender, time, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                for _ in 0..batch {
                    seq += 1;
                    insert.execute(params!["C2Cbench", seq, "bench", 0, body])?;
                }
            }
            tx.commit()?;
            rows += batch;
        }
        rates.push(RawRate {
            batch,
            rows_per_sec: rows as f64 / start.elapsed().as_secs_f64(),
        });
    }
    Ok(rates)
}
