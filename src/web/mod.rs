//! Browser adapters that drive the sans-IO [`crate::core`]: a WebSocket wrapper ([`socket`]), a
//! single re-armable timer ([`timer`]), the JSON wire codec over the browser's own
//! `JSON.parse`/`JSON.stringify` ([`codec`]), console logging ([`log`]), the JavaScript boundary ([`js`]: reading
//! arguments, building values) and the [`driver`] that owns one `Core` with its socket and timer. Every browser callback here is a value that
//! unregisters itself on drop; nothing is leaked with `forget()`.

pub mod cache;
pub mod codec;
pub mod driver;
pub mod files;
pub mod js;
pub mod log;
pub mod socket;
pub mod timer;
