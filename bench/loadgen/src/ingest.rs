//! Durable ingest: N logged-in clients each keep a bounded window of C2C text sends in flight
//! (a send is answered only once committed to SQLite) for a fixed time; acked messages per
//! second and the latency from writing a send to reading its ack.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use tim_protocol::{ConvType, Reply, ReqId, ServerFrame};
use tokio::sync::Barrier;

use crate::client::{login_many, text_message, Client};
use crate::cpu::{CpuMeter, CpuUse};
use crate::server::Server;
use crate::stats::Latencies;

/// What one run measured.
pub struct Ingest {
    /// Sends answered `Sent`.
    pub acked: u64,
    /// Sends answered with an error (e.g. a rate limit), and the last such code.
    pub refused: u64,
    pub refused_code: Option<u32>,
    /// From the common start to the last answer.
    pub secs: f64,
    /// Send-to-ack latencies.
    pub latencies: Latencies,
    /// Most server threads seen.
    pub peak_threads: u64,
    /// CPU used while sending.
    pub cpu: CpuUse,
    /// Messages per SQLite transaction (the committer's group commit).
    pub per_commit: f64,
}

#[derive(Default)]
struct Tally {
    acked: u64,
    refused: u64,
    refused_code: Option<u32>,
    latencies: Latencies,
    last_answer: Option<Instant>,
}

/// Runs `clients` senders for `duration`, each with at most `window` unacked sends. Client `i`
/// sends to client `i + 1` (a ring, so every recipient is a real, connected user); a single
/// client sends to a peer that only reads.
pub async fn run(
    server: &Arc<Server>,
    clients: usize,
    window: usize,
    duration: Duration,
) -> Result<Ingest> {
    let mut users: Vec<String> = (0..clients).map(|i| format!("in{clients}-{i}")).collect();
    if clients == 1 {
        users.push(format!("in{clients}-peer"));
    }
    let mut connected = Vec::with_capacity(users.len());
    for (i, c) in login_many(server, &users, 4, 64)
        .await
        .into_iter()
        .enumerate()
    {
        match c {
            Ok((client, _)) => connected.push(client),
            Err(e) => bail!("login of {} failed: {e:#}", users[i]),
        }
    }
    let peer = (clients == 1)
        .then(|| connected.pop())
        .flatten()
        .map(|mut c| tokio::spawn(async move { while c.next_frame().await.is_ok() {} }));

    let before = server.stats().await?;
    let sampler = server.sample();
    let cpu = CpuMeter::start(server.pid());
    let ready = Arc::new(Barrier::new(clients + 1));
    let tasks: Vec<_> = connected
        .into_iter()
        .enumerate()
        .map(|(i, client)| {
            let me = users[i].clone();
            let to = users[(i + 1) % users.len()].clone();
            let ready = ready.clone();
            tokio::spawn(async move {
                // Everyone leaves the barrier together: the common start.
                ready.wait().await;
                drive(client, &me, &to, window, Instant::now() + duration).await
            })
        })
        .collect();
    ready.wait().await;
    let start = Instant::now();

    let mut total = Tally::default();
    for t in tasks {
        let tally = t.await??;
        total.acked += tally.acked;
        total.refused += tally.refused;
        total.refused_code = tally.refused_code.or(total.refused_code);
        total.latencies.merge(tally.latencies);
        total.last_answer = total.last_answer.max(tally.last_answer);
    }
    let cpu = cpu.finish();
    if let Some(p) = peer {
        p.abort();
    }
    let end = total.last_answer.unwrap_or(start);
    let after = server.stats().await?;
    let delta = |key: &str| after[key].as_u64().unwrap_or(0) - before[key].as_u64().unwrap_or(0);
    Ok(Ingest {
        acked: total.acked,
        refused: total.refused,
        refused_code: total.refused_code,
        secs: end.duration_since(start).as_secs_f64(),
        latencies: total.latencies,
        peak_threads: sampler.peak_threads(),
        cpu,
        per_commit: delta("messages") as f64 / delta("commits").max(1) as f64,
    })
}

/// One client's loop: keep `window` sends in flight until `deadline`, then collect the rest.
async fn drive(
    mut c: Client,
    me: &str,
    to: &str,
    window: usize,
    deadline: Instant,
) -> Result<Tally> {
    let body = "x".repeat(100);
    let mut in_flight: HashMap<ReqId, Instant> = HashMap::with_capacity(window);
    let mut tally = Tally::default();
    let mut n = 0u64;
    loop {
        while in_flight.len() < window && Instant::now() < deadline {
            n += 1;
            let m = text_message(ConvType::C2c, to, &format!("{me}-{n}"), body.clone());
            let sent_at = Instant::now();
            let id = c.send_message(m).await?;
            in_flight.insert(id, sent_at);
        }
        if in_flight.is_empty() {
            break;
        }
        let (id, refused) = match c.next_frame().await? {
            ServerFrame::Ok {
                id,
                data: Reply::Sent { .. },
            } => (id, None),
            ServerFrame::Error {
                id: Some(id), code, ..
            } => (id, Some(code)),
            // The ring's pushes from the previous client.
            _ => continue,
        };
        let Some(sent_at) = in_flight.remove(&id) else {
            continue;
        };
        tally.last_answer = Some(Instant::now());
        match refused {
            None => {
                tally.acked += 1;
                tally.latencies.push(sent_at.elapsed());
            }
            Some(code) => {
                tally.refused += 1;
                tally.refused_code = Some(code);
            }
        }
    }
    c.close().await;
    Ok(tally)
}
