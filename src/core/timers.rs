//! Reconnect backoff: `reconnect_base_ms` doubling per failed attempt, capped at
//! `reconnect_max_ms`, with ±25% jitter so that many clients dropped at once do not return in
//! lockstep. There is no attempt limit: a logged-in instance reconnects forever.

use super::rng::Rng;
use super::types::Config;

/// Delay before reconnect attempt number `attempt` (0 for the first after a drop).
pub(super) fn backoff_delay(config: &Config, attempt: u32, rng: &mut Rng) -> u64 {
    let max = config.reconnect_max_ms.max(1);
    let factor = 1u64.checked_shl(attempt.min(63)).unwrap_or(u64::MAX);
    let delay = config
        .reconnect_base_ms
        .max(1)
        .saturating_mul(factor)
        .min(max);
    let quarter = delay / 4;
    let jittered = (delay - quarter).saturating_add(rng.below_or_eq(quarter.saturating_mul(2)));
    jittered.clamp(1, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_caps_and_never_stops() {
        let cfg = Config {
            reconnect_base_ms: 100,
            reconnect_max_ms: 5_000,
            ..Config::default()
        };
        let mut rng = Rng::new(42);
        for attempt in 0..200u32 {
            let d = backoff_delay(&cfg, attempt, &mut rng);
            let nominal = 100u64
                .saturating_mul(1u64.checked_shl(attempt.min(63)).unwrap_or(u64::MAX))
                .min(5_000);
            assert!(
                d >= nominal * 3 / 4 && d <= (nominal * 5 / 4).min(5_000),
                "attempt {attempt}: {d}"
            );
        }
        let firsts: std::collections::HashSet<u64> =
            (0..20).map(|_| backoff_delay(&cfg, 3, &mut rng)).collect();
        assert!(firsts.len() > 1, "jitter varies the delay");
    }
}
