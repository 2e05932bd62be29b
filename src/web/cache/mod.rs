//! The browser's message cache, one IndexedDB database per app and user. [`IdbStore`] is the
//! full [`crate::core::cache::CacheStore`] (tested on its own); the driver takes a leaner path
//! to the same database: [`warm_start`] reads the snapshot a new session starts from and
//! [`Batch`] writes through what the core learned, both plain JS (`idb.js`) so they cost the
//! wasm little. When IndexedDB is unusable, or fails during use, the SDK runs from the core's
//! own memory, with a warning (the driver's `ERROR` event): it never fails because of its cache.

mod idb_store;
mod records;

use js_sys::Array;
use tim_protocol::{ConversationInfo, Message};
use wasm_bindgen::prelude::*;

pub use idb_store::{then_drop, IdbStore, OPEN_TIMEOUT_MS};

use super::codec;
use crate::core::cache::{Caps, OutboxEntry};
use crate::core::CacheSink;

/// An open database of the driver's (the JS connection of `idb.js`) and its warning callback,
/// alive as long as the connection may call it.
pub struct Conn(JsValue, #[allow(dead_code)] Closure<dyn Fn(JsValue)>);

impl Drop for Conn {
    fn drop(&mut self) {
        idb_store::finish(&self.0);
    }
}

/// The cached conversations, for the most recent ones `(conversation, newest page)`, the
/// sync cursor, the outbox and the file token.
pub type Snapshot = (
    Vec<ConversationInfo>,
    Vec<(String, Vec<Message>)>,
    u64,
    Vec<OutboxEntry>,
    String,
);

/// Opens database `name` and reads every cached conversation and the newest `page` messages
/// of the `n` most recent; `done` gets the connection and the snapshot, or why not when
/// IndexedDB is unusable or does not open within [`OPEN_TIMEOUT_MS`]. `lost` is called (at
/// most once) with the reason when the connection fails later; it is then unusable.
pub fn warm_start(
    name: &str,
    caps: Caps,
    n: u32,
    page: u32,
    lost: impl Fn(String) + 'static,
    done: impl FnOnce(Result<(Conn, Snapshot), String>) + 'static,
) {
    let lost = Closure::<dyn Fn(JsValue)>::new(move |why: JsValue| {
        lost(why.as_string().unwrap_or_default())
    });
    let warn = lost.as_ref().clone();
    let done = Closure::once_into_js(
        move |conn: JsValue,
              convs: JsValue,
              pages: JsValue,
              cursor: JsValue,
              outbox: JsValue,
              token: JsValue| {
            if conn.is_null() {
                return done(Err(convs.as_string().unwrap_or_default()));
            }
            // A record that does not decode is skipped: the server has it anyway.
            let convs = Array::from(&convs)
                .iter()
                .filter_map(|c| codec::conversation(&c).ok())
                .collect();
            let pages = Array::from(&pages);
            let pages = (0..pages.length() / 2)
                .map(|i| {
                    (
                        pages.get(2 * i).as_string().unwrap_or_default(),
                        messages(&pages.get(2 * i + 1)),
                    )
                })
                .collect();
            let cursor = cursor.as_f64().unwrap_or(0.0) as u64;
            let outbox = Array::from(&outbox)
                .iter()
                .filter_map(|e| records::outbox_of(&e).ok())
                .collect();
            let token = token.as_string().unwrap_or_default();
            done(Ok((
                Conn(conn, lost),
                (convs, pages, cursor, outbox, token),
            )));
        },
    );
    idb_store::warm_start(
        name,
        OPEN_TIMEOUT_MS,
        caps.per_conversation,
        caps.total,
        n,
        page,
        &warn,
        &done,
    );
}

// A record that does not decode is skipped: the server has it anyway.
fn messages(records: &JsValue) -> Vec<Message> {
    Array::from(records)
        .iter()
        .filter_map(|m| codec::message(&m).ok())
        .collect()
}

/// One write-through batch, filled by [`crate::core::Core::take_cache_writes`].
pub struct Batch {
    messages: Array,
    deleted: Array,
    conversations: Array,
    replace: bool,
    known: Array,
    cursor: Option<f64>,
    /// "" when unchanged.
    token: String,
    outbox_put: Array,
    outbox_remove: Array,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch {
            messages: Array::new(),
            deleted: Array::new(),
            conversations: Array::new(),
            replace: false,
            known: Array::new(),
            cursor: None,
            token: String::new(),
            outbox_put: Array::new(),
            outbox_remove: Array::new(),
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

    fn known(&mut self, conv: &str, lo: u64, hi: u64) {
        let n = |v: u64| JsValue::from_f64(v as f64);
        self.known.push(&Array::of3(&conv.into(), &n(lo), &n(hi)));
    }

    fn cursor(&mut self, cursor: u64) {
        self.cursor = Some(cursor as f64);
    }

    fn file_token(&mut self, token: &str) {
        self.token = token.to_owned();
    }

    fn outbox(&mut self, put: Vec<OutboxEntry>, removed: Vec<u64>) {
        for e in &put {
            self.outbox_put.push(&records::outbox_record(e));
        }
        for p in removed {
            self.outbox_remove.push(&JsValue::from_f64(p as f64));
        }
    }
}

impl Conn {
    /// Queues `batch` (batches commit in order); a failure loses the connection.
    pub fn write(&self, b: Batch) {
        let n = b.messages.length() + b.deleted.length() + b.conversations.length();
        let n = n + b.known.length() + b.outbox_put.length() + b.outbox_remove.length();
        if n > 0 || b.replace || b.cursor.is_some() || !b.token.is_empty() {
            idb_store::write(
                &self.0,
                &b.messages,
                &b.deleted,
                &b.conversations,
                b.replace,
                &b.known,
                b.cursor,
                &b.token,
                &b.outbox_put,
                &b.outbox_remove,
            );
        }
    }

    /// Reads the known ranges of `conv` and its newest `limit` messages below `before`;
    /// `done(ranges, messages)` gets nothing when the read fails.
    pub fn read_page(
        &self,
        conv: &str,
        before: u64,
        limit: u32,
        done: impl FnOnce(Vec<(u64, u64)>, Vec<Message>) + 'static,
    ) {
        let done = Closure::once_into_js(move |ranges: JsValue, page: JsValue| {
            let spans = records::ranges_of_flat(&ranges);
            done(spans, messages(&page))
        });
        idb_store::read_page(&self.0, conv, before as f64, limit, &done);
    }
}
