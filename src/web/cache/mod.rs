//! The browser's message cache, one IndexedDB database per app and user. [`IdbStore`] is the
//! full [`crate::core::cache::CacheStore`] (tested on its own); the driver takes a leaner path
//! to the same database: [`warm_start`] reads the snapshot a new session starts from and
//! [`Batch`] writes through what the core learned, both plain JS (`idb.js`) so they cost the
//! wasm little. When IndexedDB is unusable the SDK runs from the core's own memory, with a
//! console warning: it never fails because of its cache.

mod idb_store;
mod records;

use js_sys::Array;
use tim_protocol::{ConversationInfo, Message};
use wasm_bindgen::prelude::*;

pub use idb_store::{IdbStore, OPEN_TIMEOUT_MS};

use super::codec;
use crate::core::cache::Caps;
use crate::core::CacheSink;

/// An open database of the driver's (the JS connection of `idb.js`).
pub struct Conn(JsValue);

/// The cached conversations and, for the most recent ones, `(conversation, newest page)`.
pub type Snapshot = (Vec<ConversationInfo>, Vec<(String, Vec<Message>)>);

/// Opens database `name` and reads every cached conversation and the newest `page` messages
/// of the `n` most recent; `done` gets the connection and the snapshot, or `None` (the warning
/// is logged) when IndexedDB is unusable or does not open within [`OPEN_TIMEOUT_MS`].
pub fn warm_start(
    name: &str,
    caps: Caps,
    n: u32,
    page: u32,
    done: impl FnOnce(Option<(Conn, Snapshot)>) + 'static,
) {
    let done = Closure::once_into_js(move |conn: JsValue, convs: JsValue, pages: JsValue| {
        if conn.is_null() {
            super::log::warn("message cache unavailable, using memory", &convs);
            return done(None);
        }
        // A record that does not decode is skipped: the server has it anyway.
        let convs = Array::from(&convs)
            .iter()
            .filter_map(|c| codec::conversation(&c).ok())
            .collect();
        let pages = Array::from(&pages);
        let pages = (0..pages.length() / 2)
            .map(|i| {
                let msgs = Array::from(&pages.get(2 * i + 1));
                let msgs = msgs.iter().filter_map(|m| codec::message(&m).ok());
                (
                    pages.get(2 * i).as_string().unwrap_or_default(),
                    msgs.collect(),
                )
            })
            .collect();
        done(Some((Conn(conn), (convs, pages))));
    });
    idb_store::warm_start(
        name,
        OPEN_TIMEOUT_MS,
        caps.per_conversation,
        caps.total,
        n,
        page,
        &done,
    );
}

/// One write-through batch, filled by [`crate::core::Core::take_cache_writes`].
pub struct Batch {
    messages: Array,
    deleted: Array,
    conversations: Array,
    replace: bool,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch {
            messages: Array::new(),
            deleted: Array::new(),
            conversations: Array::new(),
            replace: false,
        }
    }
}

impl CacheSink for Batch {
    fn message(&mut self, conv: &str, message: &Message) {
        self.messages.push(&records::message_record(conv, message));
    }

    fn deleted(&mut self, conv: &str, seq: u64) {
        self.deleted.push(&records::message_key(conv, seq));
    }

    fn replace_list(&mut self) {
        self.replace = true;
    }

    fn conversation(&mut self, info: &ConversationInfo) {
        self.conversations.push(&records::conversation_record(info));
    }
}

impl Conn {
    /// Queues `batch` (batches commit in order); a failure is a console warning.
    pub fn write(&self, b: Batch) {
        if b.messages.length() + b.deleted.length() + b.conversations.length() > 0 || b.replace {
            idb_store::write(
                &self.0,
                &b.messages,
                &b.deleted,
                &b.conversations,
                b.replace,
            );
        }
    }
}
