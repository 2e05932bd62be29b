//! tim-sdk: a drop-in for the Tencent Cloud Chat web SDK (`tim-js-sdk`), compiled to WebAssembly.
//!
//! Layers, with dependencies pointing one way:
//! - [`core`]: the sans-IO brain (conversations, messages, send queue, sync, events). Native.
//! - `web`: browser adapters (WebSocket, timers) driving the core. wasm32 only.
//! - `api`: the wasm-bindgen surface with tim-js-sdk's names. wasm32 only.
#![warn(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(target_arch = "wasm32")]
pub mod api;
