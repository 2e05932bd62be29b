//! The browser's message cache, one IndexedDB database per app and user. [`IdbStore`] is the
//! full [`crate::core::cache::CacheStore`], run by the conformance suite, and the driver does
//! exactly what it does: [`Conn::write`] is `IdbStore::apply` without the wait, [`warm_start`]
//! reads `IdbStore::snapshot`, and [`Conn::read_page`] reads `IdbStore::known_page` (the same
//! `idb.js` functions and the same decoding). When IndexedDB is unusable, or fails during use, the SDK runs from the core's
//! own memory, with a warning (the driver's `ERROR` event): it never fails because of its cache.

mod idb_store;
mod records;

use js_sys::Array;
use tim_protocol::Message;
use wasm_bindgen::prelude::*;

pub use idb_store::{then_drop, IdbStore, OPEN_TIMEOUT_MS};

use super::codec;
use crate::core::cache::{Caps, Changes, Snapshot};
use idb_store::batch_record;

/// An open database of the driver's (the JS connection of `idb.js`) and its warning callback,
/// alive as long as the connection may call it.
pub struct Conn(JsValue, #[allow(dead_code)] Closure<dyn Fn(JsValue)>, Caps);

impl Drop for Conn {
    fn drop(&mut self) {
        idb_store::finish(&self.0);
    }
}

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
    let done = Closure::once_into_js(move |conn: JsValue, read: JsValue| {
        if conn.is_null() {
            return done(Err(read.as_string().unwrap_or_default()));
        }
        done(Ok((Conn(conn, lost, caps), snapshot_of(&read))));
    });
    idb_store::warm_start(name, OPEN_TIMEOUT_MS, n, page, &warn, &done);
}

/// A snapshot as `idb.js` `snapshot` reads it (for the driver's warm start and
/// [`IdbStore`]'s `snapshot` alike). A record that does not decode is skipped: the server has
/// it anyway.
pub(super) fn snapshot_of(read: &JsValue) -> Snapshot {
    let read = Array::from(read);
    let pages = Array::from(&read.get(1));
    Snapshot {
        conversations: Array::from(&read.get(0))
            .iter()
            .filter_map(|c| codec::conversation(&c).ok())
            .collect(),
        pages: (0..pages.length() / 2)
            .map(|i| {
                let conv = pages.get(2 * i).as_string().unwrap_or_default();
                (conv, messages(&pages.get(2 * i + 1)))
            })
            .collect(),
        cursor: read.get(2).as_f64().unwrap_or(0.0) as u64,
        outbox: Array::from(&read.get(3))
            .iter()
            .filter_map(|e| records::outbox_of(&e).ok())
            .collect(),
        file_token: read.get(4).as_string().unwrap_or_default(),
    }
}

/// A page as `idb.js` `knownPage` reads it: the known ranges and the messages.
pub(super) fn page_of(ranges: &JsValue, page: &JsValue) -> (Vec<(u64, u64)>, Vec<Message>) {
    (records::ranges_of_flat(ranges), messages(page))
}

// A record that does not decode is skipped: the server has it anyway.
fn messages(records: &JsValue) -> Vec<Message> {
    Array::from(records)
        .iter()
        .filter_map(|m| codec::message(&m).ok())
        .collect()
}

impl Conn {
    /// Queues `changes` as [`IdbStore`]'s `apply` does (batches commit in order); a failure
    /// loses the connection.
    pub fn write(&self, changes: &Changes) {
        if !changes.is_empty() {
            // Handled in `idb.js`: a failure calls the connection's `lost`.
            let _ = idb_store::enqueue(&self.0, &batch_record(changes, self.2));
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
            let (spans, messages) = page_of(&ranges, &page);
            done(spans, messages)
        });
        idb_store::read_page(&self.0, conv, before as f64, limit, &done);
    }
}
