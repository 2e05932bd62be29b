//! Wire protocol between the tim SDK and tim-server.
//!
//! One JSON text frame per WebSocket message. The client sends [`ClientFrame`]s, each with a
//! request id; the server answers each with exactly one [`ServerFrame::Ok`] or
//! [`ServerFrame::Error`] carrying that id, and pushes unsolicited frames (new messages, read
//! state, kick) at any time. Every definition here is shared: the SDK decodes with the browser's
//! `JSON.parse` + serde-wasm-bindgen, the server with serde_json, so shapes must stay plain
//! (no `flatten`, no untagged enums) to decode identically on both sides.
#![warn(missing_docs)]

pub mod codes;
mod content;
mod conversation;
mod frame;
mod group;
mod message;
pub mod req;
#[cfg(feature = "usersig")]
pub mod usersig;
#[cfg(feature = "validate")]
pub mod validate;

pub use content::*;
pub use conversation::*;
pub use frame::*;
pub use group::*;
pub use message::*;

/// Largest text frame either side accepts; larger frames are answered with an error.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Largest page the server returns for `History`, matching `getMessageList`'s documented cap.
pub const MAX_HISTORY_PAGE: u32 = 15;

/// Largest page of group members the server returns (`getGroupMemberList`'s cap).
pub const MAX_MEMBER_PAGE: u32 = 100;

/// Largest page the server returns for `Sync`.
pub const MAX_SYNC_PAGE: u32 = 100;

/// Path of the WebSocket endpoint on the server.
pub const WS_PATH: &str = "/ws";
