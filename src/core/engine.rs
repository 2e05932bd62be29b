//! The small synchronous calls engines written for @tencentcloud/chat 3.x (TUIKit) make:
//! `isReady`, `getLoginUser`, `getServerTime` and `callExperimentalAPI`.

use super::*;

/// `isCommercialAbilityEnabled` feature bits (3.x's table) this SDK implements: conversation
/// marks (bit 9) and conversation groups (bit 10). Every other ability answers `false`.
const IMPLEMENTED_ABILITIES: u64 = (1 << 9) | (1 << 10);

/// The names of `callExperimentalAPI` that only feed Tencent's statistics: accepted, no-op.
const STAT_ONLY: &[&str] = &["isFeatureEnabledForStat", "statTUIKeyFeatures"];

impl Core {
    /// `isReady()`: the session is ready: from login()'s resolution (SDK_READY is the next
    /// output after it) until logout, kick or SDK_NOT_READY.
    pub fn is_ready(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.ready)
    }

    /// `getServerTime()`: seconds on the server's clock, from the offset learnt from its
    /// replies; the local clock until the first login reply.
    pub fn server_time(&self, now_ms: u64) -> u64 {
        // i64 (not i128, which costs the wasm its division routines): ms since 1970 fit.
        let now = i64::try_from(now_ms).unwrap_or(i64::MAX);
        (now.saturating_add(self.clock_offset_ms).max(0) / 1000) as u64
    }

    /// A reply carrying the server's clock (whole seconds) arrived at `now`: its mid-second
    /// is the best guess of the server's time now (error ≤ 0.5 s plus the one-way latency).
    pub(super) fn learn_clock(&mut self, now: u64, server_secs: u64) {
        let server_ms = i64::try_from(server_secs)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000)
            .saturating_add(500);
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        self.clock_offset_ms = server_ms.saturating_sub(now);
    }
}

/// 3.x's optional modules (`canIUseModule`) this SDK has: none yet ('group-module' comes with
/// groups, 'relationship-module' with friends), so engines skip those services.
const IMPLEMENTED_MODULES: &[&str] = &[];

/// `callExperimentalAPI('canIUseModule', name)`: synchronous in 3.x, a boolean.
pub fn can_i_use_module(name: &str) -> bool {
    IMPLEMENTED_MODULES.contains(&name)
}

/// `callExperimentalAPI(name, param)`: `param` is the feature number when the call passed a
/// number (or numeric string). Unknown names reject with `INVALID_OPERATION`, as 3.x does.
pub fn experimental(name: &str, param: Option<u64>) -> Result<Response, SdkError> {
    if name == "isCommercialAbilityEnabled" {
        let Some(mask) = param else {
            return Err(SdkError::new(
                codes::INVALID_OPERATION,
                "isCommercialAbilityEnabled needs a feature number",
            ));
        };
        return Ok(Response::Enabled {
            enabled: mask & !IMPLEMENTED_ABILITIES == 0,
        });
    }
    if STAT_ONLY.contains(&name) {
        return Ok(Response::Empty {});
    }
    Err(SdkError::new(
        codes::INVALID_OPERATION,
        String::from("callExperimentalAPI: unknown API ") + name,
    ))
}
