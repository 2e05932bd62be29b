//! The server under test: a `tim-server` child process on a free port and a fresh data dir
//! (each phase gets its own, so one phase's data and heap do not skew the next), its RSS and
//! thread count from `/proc`, and a minimal HTTP client for its REST and debug endpoints.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::Value;
use tim_protocol::usersig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::client::unix_secs;

/// The SDKAppID and key the bench's servers run with (the UserSigs are minted here).
const SDKAPPID: u64 = 1_400_000_002;
const SECRET_KEY: &str = "bench-secret-key";
/// The server's default administrator identity (REST API).
const ADMIN: &str = "administrator";
/// Validity of minted UserSigs.
const SIG_SECS: u64 = 86_400;

/// A running server; killed when dropped.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    pid: u32,
    child: Mutex<Child>,
    log: PathBuf,
}

impl Server {
    /// Starts `binary` with its data in `data_dir` (created) and `extra` flags appended, and
    /// waits until it accepts connections.
    pub async fn start(binary: &Path, data_dir: &Path, extra: &[String]) -> Result<Server> {
        std::fs::create_dir_all(data_dir)?;
        let addr = free_port()?;
        let log = data_dir.with_extension("log");
        let out = std::fs::File::create(&log)?;
        let child = Command::new(binary)
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(data_dir)
            .args([
                "--sdkappid",
                &SDKAPPID.to_string(),
                "--secret-key",
                SECRET_KEY,
            ])
            .args(["--www", &data_dir.join("www").to_string_lossy()])
            .arg("--debug-endpoints")
            // The bench measures the server, not its per-user message rate limit (issue 12),
            // which one bench client would hit at once; `extra` may set it back.
            .args(["--msg-rate", "0"])
            .args(extra)
            .stdout(out.try_clone()?)
            .stderr(out)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let server = Server {
            addr,
            pid: child.id(),
            child: Mutex::new(child),
            log,
        };
        for _ in 0..200 {
            if TcpStream::connect(addr).await.is_ok() {
                return Ok(server);
            }
            server.explain(Ok(()))?;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("server did not open {addr}")
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// `outcome`, or the server's exit status and the end of its log if it has exited (the
    /// likelier cause of a failed phase).
    pub fn explain<T>(&self, outcome: Result<T>) -> Result<T> {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        match child.try_wait() {
            Ok(Some(status)) => {
                let why = outcome.err().map(|e| format!("{e:#}")).unwrap_or_default();
                bail!(
                    "server exited ({status}) [{why}]; its log ends:\n{}",
                    self.log_tail()
                )
            }
            _ => outcome,
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// A UserSig for `user`.
    pub fn user_sig(&self, user: &str) -> String {
        usersig::generate(SDKAPPID, SECRET_KEY, user, SIG_SECS, unix_secs())
    }

    /// `POST /v4/<command>` as the administrator; fails unless `ActionStatus` is OK.
    pub async fn rest(&self, command: &str, body: Value) -> Result<Value> {
        let query = format!(
            "sdkappid={SDKAPPID}&identifier={ADMIN}&usersig={}&random=1&contenttype=json",
            self.user_sig(ADMIN)
        );
        let reply = http(self.addr, "POST", &format!("/v4/{command}?{query}"), &body).await?;
        let reply: Value = serde_json::from_str(&reply)?;
        if reply["ActionStatus"] != "OK" {
            bail!("{command} failed: {reply}");
        }
        Ok(reply)
    }

    /// `/debug/stats`: `openSockets`, `loggedIn`, `commits`, `messages`.
    pub async fn stats(&self) -> Result<Value> {
        let reply = http(self.addr, "GET", "/debug/stats", &Value::Null).await?;
        Ok(serde_json::from_str(&reply)?)
    }

    /// Polls `/debug/stats` every 20 ms until `done` holds (or `within` has passed).
    pub async fn wait_stats(&self, within: Duration, done: impl Fn(&Value) -> bool) -> Result<()> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let stats = self.stats().await?;
            if done(&stats) {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                bail!("server stats never matched: {stats}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Resident memory (VmRSS) of the server, bytes.
    pub fn rss(&self) -> u64 {
        proc_status(self.pid()).map_or(0, |s| s.rss)
    }

    /// Samples RSS and thread count every 50 ms until the returned guard is dropped.
    pub fn sample(&self) -> Sampler {
        Sampler::start(self.pid())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|p| p.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Peak RSS and thread count of a process while it runs.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    peak_rss: Arc<AtomicU64>,
    peak_threads: Arc<AtomicU64>,
}

impl Sampler {
    fn start(pid: u32) -> Sampler {
        let sampler = Sampler {
            stop: Arc::default(),
            peak_rss: Arc::default(),
            peak_threads: Arc::default(),
        };
        let (stop, rss, threads) = (
            sampler.stop.clone(),
            sampler.peak_rss.clone(),
            sampler.peak_threads.clone(),
        );
        // A plain thread: the bench's runtime may be too busy to sample on time.
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some(s) = proc_status(pid) {
                    rss.fetch_max(s.rss, Ordering::Relaxed);
                    threads.fetch_max(s.threads, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        sampler
    }

    /// Highest RSS seen so far, bytes.
    pub fn peak_rss(&self) -> u64 {
        self.peak_rss.load(Ordering::Relaxed)
    }

    /// Most threads seen so far.
    pub fn peak_threads(&self) -> u64 {
        self.peak_threads.load(Ordering::Relaxed)
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

struct ProcStatus {
    rss: u64,
    threads: u64,
}

fn proc_status(pid: u32) -> Option<ProcStatus> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..].split_whitespace().next()?.parse().ok()
    };
    Some(ProcStatus {
        rss: field("VmRSS:")? * 1024,
        threads: field("Threads:")?,
    })
}

/// A free port on 127.0.0.1 (bound then released; the server binds it right after).
fn free_port() -> Result<SocketAddr> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// One HTTP/1.1 request with `Connection: close`; returns the body of a 200 answer.
async fn http(addr: SocketAddr, method: &str, path: &str, body: &Value) -> Result<String> {
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let mut s = TcpStream::connect(addr).await?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await?;
    s.write_all(body.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), s.read_to_end(&mut raw))
        .await
        .context("HTTP answer timed out")??;
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").context("not an HTTP answer")?;
    if !head.starts_with("HTTP/1.1 200") {
        bail!("{method} {path}: {head}");
    }
    Ok(body.to_owned())
}
