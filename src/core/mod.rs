//! The SDK's brain, sans-IO: it owns login state, conversations, messages, the request table,
//! heartbeat and reconnect timing, and decides which events to emit. It never touches a socket,
//! a timer or a clock: the adapter feeds it commands, frames, connection changes and the current
//! time, and drains [`Output`]s (frames to send, events, Promise results, connect/disconnect).
//! That makes every behaviour testable natively with `cargo test`.
//!
//! The state is split into parts that own their data (see the README's "The core's parts"):
//! `types` (plain data in and out), the message `store` with its private write log,
//! `conversations` (with the IM `groups` list), the `requests` table, the sync `cursor`, the
//! `session` and its connection, the cache's side in `warm`; the other files add `impl Core`
//! behaviour over them.
//!
//! The driving loop, in any adapter:
//! 1. call one `handle_*` method with `now_ms` (milliseconds from any fixed origin);
//! 2. drain `poll_output()` until `None` and act on each output;
//! 3. arm one timer for `poll_timeout()` and call `handle_timeout` when it fires.

mod bulk;
pub mod cache;
pub mod codes;
mod commands;
pub mod constants;
mod conv_settings;
mod conversations;
mod create;
mod cursor;
mod drafts;
mod engine;
mod files;
mod gapless;
pub mod groups;
mod hop;
mod import;
mod inbound;
mod limits;
mod link;
mod local;
mod machine;
mod outbox;
mod profile;
mod receipts;
mod requests;
mod rich;
mod rng;
pub mod server_url;
mod session;
mod sort;
mod store;
mod timers;
mod types;
mod views;
mod warm;

// Native only: the property tests need proptest, which does not build for wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use engine::{can_i_use_module, experimental};
pub use files::{FileUrls, PickedFile, Uploaded, MAX_FILE_SIZE};
pub use groups::GroupMethod;
pub use machine::Core;
pub use types::*;
