//! CPU used during a phase, from `/proc`: the server's, its busiest thread's (the committer
//! at ~100% means the writer is the limit; the server near 100% × cores means the CPU is),
//! and the load generator's own (it shares the machine's cores with the server).

use std::collections::HashMap;
use std::time::Instant;

/// `/proc` reports CPU time in USER_HZ ticks, 100 per second on Linux.
const TICKS_PER_SEC: f64 = 100.0;

/// CPU times at the start of a phase.
pub struct CpuMeter {
    pid: u32,
    wall: Instant,
    server: u64,
    own: u64,
    threads: HashMap<String, u64>,
}

/// CPU used over a phase, in percent of one core.
pub struct CpuUse {
    /// The whole server process.
    pub server: f64,
    /// Its busiest thread: name and use.
    pub top_thread: (String, f64),
    /// The load generator.
    pub own: f64,
}

impl CpuMeter {
    /// Reads the server's (`pid`) and this process's CPU times now.
    pub fn start(pid: u32) -> CpuMeter {
        CpuMeter {
            pid,
            wall: Instant::now(),
            server: ticks(&format!("/proc/{pid}/stat")),
            own: ticks("/proc/self/stat"),
            threads: thread_ticks(pid),
        }
    }

    /// The use since [`CpuMeter::start`].
    pub fn finish(&self) -> CpuUse {
        let secs = self.wall.elapsed().as_secs_f64().max(1e-3);
        let pct = |t: u64| t as f64 / TICKS_PER_SEC / secs * 100.0;
        let top_thread = thread_ticks(self.pid)
            .into_iter()
            .map(|(key, t)| {
                let before = self.threads.get(&key).copied().unwrap_or(0);
                (key, t.saturating_sub(before))
            })
            .max_by_key(|(_, t)| *t)
            .map(|(key, t)| (thread_name(&key), pct(t)))
            .unwrap_or_default();
        CpuUse {
            server: pct(ticks(&format!("/proc/{}/stat", self.pid)).saturating_sub(self.server)),
            top_thread,
            own: pct(ticks("/proc/self/stat").saturating_sub(self.own)),
        }
    }
}

impl std::fmt::Display for CpuUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, pct) = &self.top_thread;
        write!(
            f,
            "{:>4.0}% {:>16} {:>4.0}% {:>4.0}%",
            self.server, name, pct, self.own
        )
    }
}

/// utime + stime of a `stat` file (fields 14 and 15, counted after the parenthesized name,
/// which may itself contain spaces).
fn ticks(stat_path: &str) -> u64 {
    std::fs::read_to_string(stat_path).map_or(0, |stat| stat_ticks(&stat))
}

fn stat_ticks(stat: &str) -> u64 {
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // `rest` starts at field 3 (state): utime is field 14, stime 15.
    field(11) + field(12)
}

/// Per thread (`"<tid> <name>"`), its CPU ticks.
fn thread_ticks(pid: u32) -> HashMap<String, u64> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return HashMap::new();
    };
    tasks
        .flatten()
        .map(|t| {
            let dir = t.path();
            let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            let tid = t.file_name().to_string_lossy().into_owned();
            let key = format!("{tid} {}", name.trim());
            (key, ticks(&dir.join("stat").to_string_lossy()))
        })
        .collect()
}

fn thread_name(key: &str) -> String {
    key.split_once(' ').map_or(key, |(_, name)| name).to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn utime_and_stime_after_a_name_with_spaces() {
        let stat = "42 (tokio rt) worker) S 1 42 42 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 4 0";
        assert_eq!(super::stat_ticks(stat), 281);
    }
}
