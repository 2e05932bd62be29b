//! Idle sessions: open and log in N sockets (from several 127.0.0.x source addresses), hold
//! them, close them all; the server's RSS before, while open and after every socket is gone.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::client::login_many;
use crate::cpu::{CpuMeter, CpuUse};
use crate::server::Server;

/// What one run measured.
pub struct Sessions {
    /// Sockets asked for.
    pub wanted: usize,
    /// Sockets logged in (the rest failed: fd or port limits, refusals).
    pub opened: usize,
    /// The first failure, if any.
    pub first_error: Option<String>,
    /// Logins per second while opening.
    pub logins_per_sec: f64,
    /// Server RSS before opening, with all open, and after all closed, bytes.
    pub rss_before: u64,
    pub rss_open: u64,
    pub rss_closed: u64,
    /// CPU used while logging in.
    pub cpu: CpuUse,
}

impl Sessions {
    /// RSS added per open session, bytes.
    pub fn rss_per_session(&self) -> f64 {
        self.rss_open.saturating_sub(self.rss_before) as f64 / self.opened.max(1) as f64
    }
}

/// Opens `n` sessions spread over `spread` source addresses, `parallel` logins at a time.
pub async fn run(
    server: &Arc<Server>,
    n: usize,
    spread: usize,
    parallel: usize,
) -> Result<Sessions> {
    let users: Vec<String> = (0..n).map(|i| format!("idle{n}-{i}")).collect();
    let rss_before = server.rss();
    let cpu = CpuMeter::start(server.pid());
    let start = Instant::now();
    let outcomes = login_many(server, &users, spread, parallel).await;
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu.finish();
    let mut clients = Vec::with_capacity(n);
    let mut first_error = None;
    for outcome in outcomes {
        match outcome {
            Ok((client, _)) => clients.push(client),
            Err(e) => {
                first_error.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
    let opened = clients.len();
    let rss_open = server.rss();
    // Dropping the streams closes the TCP connections at once (a FIN each, no close
    // handshake): as a crowd of vanished browsers would.
    drop(clients);
    server
        .wait_stats(Duration::from_secs(60), |s| s["openSockets"] == 0)
        .await?;
    Ok(Sessions {
        wanted: n,
        opened,
        first_error,
        logins_per_sec: opened as f64 / secs,
        rss_before,
        rss_open,
        rss_closed: settled_rss(server, rss_before, rss_open).await,
        cpu,
    })
}

/// RSS once the closed sessions' memory is back: the server hands freed heap back on a timer
/// (10 s by default) after sockets close, so read it until it falls within a quarter of the
/// growth, or for 15 s, and report the lowest reading.
async fn settled_rss(server: &Server, before: u64, open: u64) -> u64 {
    let target = before + open.saturating_sub(before) / 4;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut lowest = server.rss();
    while lowest > target && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        lowest = lowest.min(server.rss());
    }
    lowest
}
