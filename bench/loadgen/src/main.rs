//! `tim-loadgen`: a native load generator for `tim-server`. Starts the given server binary on
//! a fresh temporary data dir per phase, drives it over the wire protocol (`tim-protocol`)
//! with real WebSocket clients, and prints a compact table: durable ingest beside the disk's
//! raw SQLite insert rate, idle sessions' memory, group fan-out, and a reconnect storm.
//! `scripts/bench-server.sh` builds and runs it.

mod client;
mod cpu;
mod fanout;
mod ingest;
mod rawsql;
mod server;
mod sessions;
mod stats;
mod storm;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};

use crate::server::Server;
use crate::stats::{load1, load_averages, mib, thousands};

/// File descriptors kept free besides the sockets, in the bench and in the server (which
/// inherits the bench's limit): /proc reads, the database, the HTTP calls of the bench.
const FD_RESERVE: u64 = 100;

/// Load bench of tim-server (see scripts/bench-server.sh).
#[derive(Parser)]
#[command(about)]
struct Opts {
    /// The tim-server binary (a release build: `cargo build --profile server -p tim-server`).
    #[arg(long, default_value = "target/server/tim-server")]
    server: PathBuf,
    /// Extra flag for every server started (repeat it), e.g. `--server-arg=--max-connections=60000`.
    #[arg(long = "server-arg", allow_hyphen_values = true)]
    server_args: Vec<String>,
    /// The phases to run.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = Phase::all())]
    phases: Vec<Phase>,
    /// The bigger sizes too: 50 000 idle sessions, a group of 5 000.
    #[arg(long)]
    big: bool,
    /// Ingest: numbers of concurrent sending clients.
    #[arg(long, value_delimiter = ',', default_value = "1,4,16,256")]
    ingest_clients: Vec<usize>,
    /// Ingest: unacked sends each client keeps in flight.
    #[arg(long, default_value_t = 32)]
    window: usize,
    /// Ingest: seconds of sending per row.
    #[arg(long, default_value_t = 5.0)]
    ingest_secs: f64,
    /// Raw SQLite: rows per transaction.
    #[arg(long, value_delimiter = ',', default_value = "1,10,100,1000")]
    raw_batches: Vec<usize>,
    /// Raw SQLite: seconds per batch size.
    #[arg(long, default_value_t = 1.5)]
    raw_secs: f64,
    /// Idle sessions: sizes (`--big` adds 50000).
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    sessions: Vec<usize>,
    /// Source addresses 127.0.0.1..=N the sockets are spread over.
    #[arg(long, default_value_t = 8)]
    spread: usize,
    /// Fan-out: group sizes, sender included (`--big` adds 5000).
    #[arg(long, value_delimiter = ',', default_value = "100,1000")]
    groups: Vec<usize>,
    /// Fan-out: deliveries to aim at per group (messages = this / receivers, 20..=2000).
    #[arg(long, default_value_t = 200_000)]
    deliveries: usize,
    /// Reconnect storm: sessions dropped at once.
    #[arg(long, default_value_t = 5000)]
    storm: usize,
    /// Reconnect storm: messages sent to each session while it is away.
    #[arg(long, default_value_t = 2)]
    storm_messages: usize,
    /// Where the data dirs go (default: a new temporary dir, removed at the end).
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Phase {
    Ingest,
    Sessions,
    Fanout,
    Storm,
}

impl Phase {
    fn all() -> Vec<Phase> {
        vec![Phase::Ingest, Phase::Sessions, Phase::Fanout, Phase::Storm]
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut o = Opts::parse();
    if o.big {
        o.sessions.push(50_000);
        o.groups.push(5_000);
    }
    // Every socket is an fd here and in the server (which inherits this limit).
    let fds = rlimit::increase_nofile_limit(u64::MAX).context("raising RLIMIT_NOFILE")?;
    let temp;
    let work = match &o.work_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_owned()
        }
    };
    println!(
        "tim-server load bench: {} cores, load average {}, fd limit {fds}, data under {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_averages(),
        work.display()
    );
    let bench = Bench {
        o: &o,
        work: &work,
        max_sockets: fds.saturating_sub(FD_RESERVE) as usize,
    };
    if o.phases.contains(&Phase::Ingest) {
        bench.ingest().await?;
    }
    if o.phases.contains(&Phase::Sessions) {
        bench.sessions().await?;
    }
    if o.phases.contains(&Phase::Fanout) {
        bench.fanout().await?;
    }
    if o.phases.contains(&Phase::Storm) {
        bench.storm().await?;
    }
    println!("\nload average at the end: {}", load_averages());
    Ok(())
}

struct Bench<'a> {
    o: &'a Opts,
    work: &'a Path,
    /// Most sockets one process can hold here (each side holds one fd per session).
    max_sockets: usize,
}

impl Bench<'_> {
    /// A fresh server over its own data dir `name`.
    async fn server(&self, name: &str) -> Result<Arc<Server>> {
        let dir = self.work.join(name);
        Ok(Arc::new(
            Server::start(&self.o.server, &dir, &self.o.server_args).await?,
        ))
    }

    async fn ingest(&self) -> Result<()> {
        let o = self.o;
        println!(
            "\ndurable ingest: C2C text of 100 bytes, {} unacked sends per client, {} s per row",
            o.window, o.ingest_secs
        );
        println!(" clients     acked/s   p50 ms   p99 ms   max ms  refused  msg/commit  threads  load1  srv%       top thread  top% gen%");
        let mut best_ingest = 0f64;
        for &n in &o.ingest_clients {
            let server = self.server(&format!("ingest-{n}")).await?;
            let duration = Duration::from_secs_f64(o.ingest_secs);
            let mut r = server.explain(ingest::run(&server, n, o.window, duration).await)?;
            let rate = r.acked as f64 / r.secs.max(1e-9);
            best_ingest = best_ingest.max(rate);
            let [p50, p99, max] = r.latencies.summary();
            let refused = match r.refused_code {
                Some(code) => format!("{} ({code})", r.refused),
                None => "0".into(),
            };
            println!(
                "{n:>8} {:>11} {p50:>8.1} {p99:>8.1} {max:>8.1} {refused:>8} {:>11.1} {:>8} {:>6} {}",
                thousands(rate),
                r.per_commit,
                r.peak_threads,
                load1(),
                r.cpu
            );
        }
        println!(
            "raw SQLite inserts (WAL, synchronous=FULL, same disk), {} s per row",
            o.raw_secs
        );
        println!("   batch      rows/s");
        let dir = self.work.join("raw");
        let (batches, secs) = (o.raw_batches.clone(), Duration::from_secs_f64(o.raw_secs));
        let rates =
            tokio::task::spawn_blocking(move || rawsql::measure(&dir, &batches, secs)).await??;
        let mut best_raw = 0f64;
        for r in &rates {
            best_raw = best_raw.max(r.rows_per_sec);
            println!("{:>8} {:>11}", r.batch, thousands(r.rows_per_sec));
        }
        println!(
            " best ingest / best raw = {:.2}",
            best_ingest / best_raw.max(1e-9)
        );
        Ok(())
    }

    async fn sessions(&self) -> Result<()> {
        let o = self.o;
        println!(
            "\nidle sessions: logged-in sockets from {} source addresses, 256 logins at a time",
            o.spread
        );
        println!(" sessions   opened  logins/s  RSS before  per session    RSS open  RSS closed  load1  srv%       top thread  top% gen%");
        for &n in &o.sessions {
            if n > self.max_sockets {
                println!(
                    "{n:>9} capped at {} by the fd limit (raise the hard RLIMIT_NOFILE)",
                    self.max_sockets
                );
            }
            let n = n.min(self.max_sockets);
            let server = self.server(&format!("sessions-{n}")).await?;
            let r = server.explain(sessions::run(&server, n, o.spread, 256).await)?;
            println!(
                "{n:>9} {:>8} {:>9} {:>11} {:>8.1} KiB {:>11} {:>11} {:>6} {}",
                r.opened,
                thousands(r.logins_per_sec),
                mib(r.rss_before),
                r.rss_per_session() / 1024.0,
                mib(r.rss_open),
                mib(r.rss_closed),
                load1(),
                r.cpu
            );
            if let Some(e) = r.first_error {
                println!("          {} failed, the first: {e}", r.wanted - r.opened);
            }
        }
        Ok(())
    }

    async fn fanout(&self) -> Result<()> {
        let o = self.o;
        println!("\nfan-out: one member sends to a group whose members are all connected");
        println!(" members  messages  deliveries  deliveries/s   p50 ms   p99 ms   max ms  load1  srv%       top thread  top% gen%");
        for &members in &o.groups {
            let server = self.server(&format!("fanout-{members}")).await?;
            let receivers = members.saturating_sub(1).max(1);
            let messages = (o.deliveries / receivers).clamp(20, 2000);
            let mut r = server.explain(fanout::run(&server, members, messages).await)?;
            let [p50, p99, max] = r.latencies.summary();
            println!(
                "{members:>8} {:>9} {:>11} {:>13} {p50:>8.1} {p99:>8.1} {max:>8.1} {:>6} {}",
                r.messages,
                thousands(r.deliveries as f64),
                thousands(r.deliveries as f64 / r.secs.max(1e-9)),
                load1(),
                r.cpu
            );
        }
        Ok(())
    }

    async fn storm(&self) -> Result<()> {
        let o = self.o;
        println!(
            "\nreconnect storm: sessions closed at once, {} messages each while away and 1 during the reconnect",
            o.storm_messages
        );
        println!(" sessions  messages  refused  back in s  retries  lost  missing  threads    peak RSS  load1  srv%       top thread  top% gen%");
        let server = self.server(&format!("storm-{}", o.storm)).await?;
        let r = server.explain(storm::run(&server, o.storm, o.storm_messages, o.spread).await)?;
        println!(
            "{:>9} {:>9} {:>8} {:>10.2} {:>8} {:>5} {:>8} {:>8} {:>11} {:>6} {}",
            r.sessions,
            thousands(r.messages as f64),
            r.refused,
            r.back_secs,
            r.retries,
            r.lost_sessions,
            r.missing,
            r.peak_threads,
            mib(r.peak_rss),
            load1(),
            r.cpu
        );
        Ok(())
    }
}
