//! The wire codec, on the browser's own JSON: frames are built field by field as JS objects
//! and then `JSON.stringify`-ed, and decoded with `JSON.parse` and a field-by-field reader
//! ([`super::js::read`]). This keeps `serde_json` (about 15 KB gzip), serde's deserialization
//! machinery and the serializers of every request type out of the wasm (the views handed to
//! JavaScript are built by hand too, in [`super::js::views`]). Both directions use the protocol's own
//! types, so a change in `tim_protocol` fails to compile here rather than drifting silently
//! (and a browser test compares the encoder with the protocol's serde derive); unknown fields
//! are ignored, missing required ones make the frame undecodable.
//!
//! Each direction is its own file: `encode.rs` (client frames, and the wire shape of contents
//! and submitted messages) and `decode.rs` (server frames, and messages, contents and
//! conversations, which the cache records keep in the wire shape).

mod decode;
mod encode;

use serde::Serialize;
use wasm_bindgen::JsValue;

pub use decode::{content, decode, merged_list};
pub(crate) use decode::{conversation, message};
pub(crate) use encode::outbound_js;
pub use encode::{content_js, encode, request_bytes};

/// Serializes any value to a plain JS value: objects (not Maps), numbers (not BigInts). The
/// SDK no longer calls it (it would pull serde-wasm-bindgen into the wasm): browser tests
/// compare the hand-written encoders and views with it.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

/// Why a frame could not be decoded (for the log).
pub(crate) type Bad = &'static str;
