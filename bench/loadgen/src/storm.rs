//! Reconnect storm: N logged-in sessions vanish at once (their sockets closed), messages are
//! sent to them while they are away and while they come back, then all reconnect together
//! (log in, sync from their cursor; retrying with backoff as the SDK does). Time until every
//! one is back, and a final sync of each must show every message acked for it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tim_protocol::{ConvType, Reply, ReqId, ServerFrame};

use crate::client::{login_many, source_addr, text_message, Client};
use crate::cpu::{CpuMeter, CpuUse};
use crate::server::Server;

/// How long a session may take to come back before the bench gives up on it.
const GIVE_UP: Duration = Duration::from_secs(120);
/// Unacked sends the sender keeps in flight.
const WINDOW: usize = 64;

/// What one run measured.
pub struct Storm {
    /// Sessions dropped.
    pub sessions: usize,
    /// Messages acked to them meanwhile (while away and while reconnecting).
    pub messages: usize,
    /// Sends refused by the server.
    pub refused: usize,
    /// From the reconnect start until the last session had logged in and synced.
    pub back_secs: f64,
    /// Connection attempts that failed and were retried.
    pub retries: u64,
    /// Sessions that never came back.
    pub lost_sessions: usize,
    /// Acked messages absent from their recipient's final sync.
    pub missing: usize,
    /// Most server threads and highest RSS seen during the reconnect.
    pub peak_threads: u64,
    pub peak_rss: u64,
    /// CPU used during the reconnect.
    pub cpu: CpuUse,
}

/// Drops `sessions` sessions and reconnects them; `per_user` messages reach each user while
/// away, one more during the reconnect.
pub async fn run(
    server: &Arc<Server>,
    sessions: usize,
    per_user: usize,
    spread: usize,
) -> Result<Storm> {
    let users: Arc<Vec<String>> =
        Arc::new((0..sessions).map(|i| format!("st{sessions}-{i}")).collect());
    let mut cursors = Vec::with_capacity(sessions);
    let mut clients = Vec::with_capacity(sessions);
    for (i, c) in login_many(server, &users, spread, 256)
        .await
        .into_iter()
        .enumerate()
    {
        let (client, cursor) = c.with_context(|| format!("login of {}", users[i]))?;
        clients.push(client);
        cursors.push(cursor);
    }
    let sender_id = format!("st{sessions}-sender");
    let (mut sender, _) = Client::login_as(server, &sender_id, None).await?;

    drop(clients);
    server
        .wait_stats(Duration::from_secs(60), |s| s["loggedIn"] == 1)
        .await?;
    let mut acked = send_round(&mut sender, &users, 0..per_user).await?;

    let sampler = server.sample();
    let cpu = CpuMeter::start(server.pid());
    let start = Instant::now();
    let back: Vec<_> = (0..sessions)
        .map(|i| {
            let (server, users) = (server.clone(), users.clone());
            let cursor = cursors[i];
            tokio::spawn(async move { come_back(&server, &users[i], cursor, i, spread).await })
        })
        .collect();
    // One more message each while the crowd reconnects: it lands before or after their login.
    let during = send_round(&mut sender, &users, per_user..per_user + 1).await?;
    acked.extend(during);

    let mut returned = Vec::with_capacity(sessions);
    let (mut retries, mut lost, mut last_back) = (0, 0, start);
    for t in back {
        match t.await? {
            Ok((client, back_at, tries)) => {
                retries += tries;
                last_back = last_back.max(back_at);
                returned.push(Some(client));
            }
            Err(_) => {
                lost += 1;
                returned.push(None);
            }
        }
    }
    let (peak_threads, peak_rss, cpu) = (sampler.peak_threads(), sampler.peak_rss(), cpu.finish());

    let expected_total = acked.len();
    let refused = sessions * (per_user + 1) - expected_total;
    let missing = verify(&mut returned, &cursors, &users, &acked).await?;
    Ok(Storm {
        sessions,
        messages: expected_total,
        refused,
        back_secs: last_back.duration_since(start).as_secs_f64(),
        retries,
        lost_sessions: lost,
        missing,
        peak_threads,
        peak_rss,
        cpu,
    })
}

/// Sends round `rounds` of messages to every user; returns `(user index, message id)` of
/// each acked one.
async fn send_round(
    sender: &mut Client,
    users: &[String],
    rounds: std::ops::Range<usize>,
) -> Result<Vec<(usize, String)>> {
    let mut todo = rounds.flat_map(|r| (0..users.len()).map(move |u| (u, r)));
    let mut in_flight: std::collections::HashMap<ReqId, (usize, String)> = Default::default();
    let mut acked = Vec::new();
    loop {
        while in_flight.len() < WINDOW {
            let Some((u, r)) = todo.next() else { break };
            let id = format!("{}-r{r}", users[u]);
            let m = text_message(ConvType::C2c, &users[u], &id, format!("storm {r}"));
            let req = sender.send_message(m).await?;
            in_flight.insert(req, (u, id));
        }
        if in_flight.is_empty() {
            return Ok(acked);
        }
        match sender.next_frame().await? {
            ServerFrame::Ok {
                id,
                data: Reply::Sent { .. },
            } => acked.extend(in_flight.remove(&id)),
            ServerFrame::Error { id: Some(id), .. } => {
                in_flight.remove(&id);
            }
            _ => {}
        }
    }
}

/// Reconnects one user (connect, log in, sync from `cursor`), retrying with backoff; returns
/// the client, when it was back, and how many attempts failed.
async fn come_back(
    server: &Server,
    user: &str,
    cursor: u64,
    i: usize,
    spread: usize,
) -> Result<(Client, Instant, u64)> {
    let deadline = Instant::now() + GIVE_UP;
    let mut failures = 0;
    let mut backoff = Duration::from_millis(100);
    loop {
        let attempt = async {
            let (mut c, _) = Client::login_as(server, user, source_addr(i, spread)).await?;
            c.sync_all(cursor).await?;
            anyhow::Ok(c)
        };
        match attempt.await {
            Ok(c) => return Ok((c, Instant::now(), failures)),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => {
                failures += 1;
                // Jittered per user, so retries do not come back in lockstep.
                let jitter = Duration::from_millis((i as u64 * 7919) % 100);
                tokio::time::sleep(backoff + jitter).await;
                backoff = (backoff * 2).min(Duration::from_secs(2));
            }
        }
    }
}

/// Each returned client syncs from its pre-drop cursor: every acked message for it must be
/// there. Returns the number missing (a lost session misses all of its own).
async fn verify(
    returned: &mut [Option<Client>],
    cursors: &[u64],
    users: &[String],
    acked: &[(usize, String)],
) -> Result<usize> {
    let mut expected: Vec<HashSet<&str>> = vec![HashSet::new(); users.len()];
    for (u, id) in acked {
        expected[*u].insert(id.as_str());
    }
    let mut missing = 0;
    let checks: Vec<_> = returned
        .iter_mut()
        .enumerate()
        .map(|(u, c)| async move {
            match c {
                Some(c) => c.sync_all(cursors[u]).await.map(Some),
                None => Ok(None),
            }
        })
        .collect();
    let results = futures_util::future::join_all(checks).await;
    for (u, r) in results.into_iter().enumerate() {
        let Some(items) = r? else {
            missing += expected[u].len();
            continue;
        };
        let seen: HashSet<&str> = items.iter().map(|i| i.message.id.as_str()).collect();
        missing += expected[u].difference(&seen).count();
    }
    Ok(missing)
}
