//! Memory of idle sockets, in a test binary of its own: RSS is per process, and tests running
//! beside it in one process (as `cargo test` runs a file's tests) allocate and free at the
//! same time, which made the figures meaningless.

mod common;

use std::time::Duration;

use common::*;

const SHORT: Duration = Duration::from_millis(200);

fn rss_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .unwrap();
    kb * 1024
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn idle_logged_in_sockets_cost_little_memory_and_give_it_back_when_closed() {
    const SOCKETS: usize = 1000;
    let server = TestServer::start_tweaked(|c| c.trim_interval = SHORT).await;
    let _warm = bare_login(server.addr, "warm").await;
    let before = rss_bytes();
    let users: Vec<String> = (0..SOCKETS).map(|i| format!("m{i}")).collect();
    let logins = users.iter().map(|user| bare_login(server.addr, user));
    let sockets = futures_util::future::join_all(logins).await;
    let grown = rss_bytes().saturating_sub(before);
    let per_socket = grown / SOCKETS;
    eprintln!("{per_socket} bytes of RSS per idle logged-in socket (server and bare client)");
    // 128 KiB read buffers cost ~133 kB each.
    assert!(per_socket < 40 * 1024, "{per_socket} bytes per socket");

    drop(sockets);
    server.wait_stats(|s| s["openSockets"] == 1).await;
    // glibc keeps freed memory unless trimmed.
    poll_until(WAIT, || async {
        let rss = rss_bytes().saturating_sub(before);
        if rss < grown / 3 {
            Ok(())
        } else {
            Err(format!(
                "{rss} of {grown} bytes still held after the sockets closed"
            ))
        }
    })
    .await;
}
