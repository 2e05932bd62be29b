//! The IndexedDB [`CacheStore`]: the requests and transactions are in `idb.js` (a few hundred
//! bytes of JS instead of ~50 KB gzip of wasm for a crate wrapping them); here the records are
//! built and read. Every call is one short transaction that awaits only IndexedDB itself
//! (never the network), so another tab is never kept waiting. The connection gives way on
//! `versionchange` (another tab upgrading, or the database being deleted) or when the browser
//! closes it, and the next call reopens it.

use js_sys::{Array, Object};
use tim_protocol::{ConversationInfo, Message};
use wasm_bindgen::prelude::*;

use super::records::*;
use crate::core::cache::{
    Answers, CacheError, CacheStore, Caps, Changes, Op, OutboxEntry, SeqRanges, Snapshot, Trim,
};
use crate::web::js::object::set;
use crate::web::js::read::{field, uint};

#[wasm_bindgen(module = "/src/web/cache/idb.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = openDb)]
    async fn open_db(name: &str, ms: u32) -> Result<JsValue, JsValue>;
    /// See `idb.js`; `done` is called once.
    #[wasm_bindgen(js_name = warmStart)]
    pub(super) fn warm_start(
        name: &str,
        ms: u32,
        n: u32,
        limit: u32,
        warn: &JsValue,
        done: &JsValue,
    );
    /// Lets go of a driver's connection (closes after its queued batches).
    pub(super) fn finish(conn: &JsValue);
    /// `p`, settled once database `name` is deleted.
    #[wasm_bindgen(js_name = thenDrop)]
    pub fn then_drop(p: &js_sys::Promise, name: &str) -> js_sys::Promise;
    /// See `idb.js`; `done(ranges, messages)` is called once.
    #[wasm_bindgen(js_name = readPage)]
    pub(super) fn read_page(conn: &JsValue, conv: &str, before: f64, limit: u32, done: &JsValue);
    #[wasm_bindgen(js_name = closeDb)]
    fn close_db(conn: &JsValue);
    /// Queues one batch after the connection's earlier ones (at once, not when awaited);
    /// settles once it is committed.
    pub(super) fn enqueue(conn: &JsValue, batch: &Object) -> js_sys::Promise;
    #[wasm_bindgen(catch, js_name = snapshot)]
    async fn snapshot_js(conn: &JsValue, n: u32, limit: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = knownPage)]
    async fn known_page_js(
        conn: &JsValue,
        conv: &str,
        before: f64,
        limit: u32,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = newest)]
    async fn newest_js(
        conn: &JsValue,
        conv: &str,
        before: f64,
        limit: u32,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = getAll)]
    async fn get_all(conn: &JsValue, store: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = getOne)]
    async fn get_one(conn: &JsValue, store: &str, key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = countMessages)]
    async fn count_messages(conn: &JsValue, conv: Option<String>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearAll)]
    async fn clear_all(conn: &JsValue) -> Result<JsValue, JsValue>;
}

/// How long opening may take before the SDK goes on without its cache (an upgrade blocked by
/// another tab's open connection would otherwise hold login).
pub const OPEN_TIMEOUT_MS: u32 = 3000;

/// A [`CacheStore`] in one IndexedDB database.
pub struct IdbStore {
    /// The JS connection `{name, db, reopened}`.
    conn: JsValue,
    caps: Caps,
}

fn fail(reason: JsValue) -> CacheError {
    match reason.as_string().as_deref() {
        Some("unavailable") => CacheError::Unavailable,
        Some("QuotaExceededError") => CacheError::Quota,
        _ => CacheError::Failed,
    }
}

fn num(v: u64) -> JsValue {
    JsValue::from_f64(v as f64)
}

fn list<T>(items: &[T], f: impl Fn(&T) -> JsValue) -> Array {
    items.iter().map(f).collect()
}

fn each<T, R>(
    records: JsValue,
    f: impl Fn(&JsValue) -> Result<T, R>,
) -> Result<Vec<T>, CacheError> {
    Array::from(&records)
        .iter()
        .map(|r| f(&r).map_err(|_| CacheError::Failed))
        .collect()
}

/// One batch as `idb.js` applies it (see `applyBatch` there), for the driver's write-through
/// and [`IdbStore::apply`] alike. Its `trim` runs the batch's [`Trim`] inside the transaction
/// (left to the JS GC: the driver does not wait for its batches).
pub(super) fn batch_record(c: &Changes, caps: Caps) -> Object {
    let b = Object::new();
    set(&b, "removed", &list(&c.removed_conversations, |v| v.into()));
    let messages: Array = c
        .messages
        .iter()
        .filter(|(_, m)| m.seq > 0)
        .map(|(conv, m)| JsValue::from(message_record(conv, m)))
        .collect();
    set(&b, "messages", &messages);
    set(
        &b,
        "deleted",
        &list(&c.deleted, |(conv, s)| message_key(conv, *s)),
    );
    let convs = list(&c.conversations, |i| conversation_record(i).into());
    set(&b, "conversations", &convs);
    set(&b, "replace", &c.replace_conversations.into());
    let mut trim = Trim::<JsValue>::new(c, caps);
    let trim = Closure::<dyn FnMut(Array) -> JsValue>::new(move |got: Array| {
        let ops = Array::new();
        let more = trim.next(&got, |op| {
            ops.push(&op_record(op));
        });
        if more {
            ops.into()
        } else {
            JsValue::NULL
        }
    });
    set(&b, "trim", &trim.into_js_value());
    if let Some(cursor) = c.cursor {
        set(&b, "cursor", &num(cursor));
    }
    if let Some(token) = &c.file_token {
        set(&b, "token", &token.into());
    }
    set(
        &b,
        "outboxPut",
        &list(&c.outbox_put, |e| outbox_record(e).into()),
    );
    set(&b, "outboxRemove", &list(&c.outbox_remove, |p| num(*p)));
    b
}

/// A request of the trim as `idb.js` `exec` runs it: `[kind, conversation (null: all), x]`.
fn op_record(op: Op<JsValue>) -> Array {
    let (kind, conv, x) = match op {
        Op::Count(c) => (0, c, JsValue::UNDEFINED),
        Op::Oldest(c, n) => (1, c, num(n)),
        Op::Ranges(c) => (2, Some(c), JsValue::UNDEFINED),
        Op::Delete(c, seq) => (3, Some(c), num(seq)),
        Op::Put(c, r) => {
            let flat = Array::new();
            for &(lo, hi) in r.spans() {
                flat.push(&num(lo));
                flat.push(&num(hi));
            }
            (4, Some(c), flat.into())
        }
    };
    Array::of3(&kind.into(), conv.unwrap_or(&JsValue::NULL), &x)
}

/// The answers of one round, as `exec` resolves them, by request (IndexedDB's own values: a
/// count, keys `[c, s]`, a ranges record; nothing for a write).
impl Answers<JsValue> for Array {
    fn count(&self, i: usize) -> u64 {
        self.get(i as u32).as_f64().unwrap_or(0.0) as u64
    }

    fn key(&self, i: usize, j: usize) -> Option<(JsValue, u64)> {
        let keys = self.get(i as u32).unchecked_into::<Array>();
        if j as u32 >= keys.length() {
            return None;
        }
        let key = keys.get(j as u32).unchecked_into::<Array>();
        Some((key.get(0), key.get(1).as_f64()? as u64))
    }

    fn ranges(&self, i: usize) -> Vec<(u64, u64)> {
        ranges_of_flat(&field(&self.get(i as u32), "r"))
    }
}

impl IdbStore {
    /// The database name of one user of one app.
    pub fn name_for(sdk_app_id: u64, user_id: &str) -> String {
        format!("tim-{sdk_app_id}-{user_id}")
    }

    /// Opens (creating or upgrading) database `name`.
    pub async fn open(name: &str, caps: Caps) -> Result<IdbStore, CacheError> {
        let conn = open_db(name, OPEN_TIMEOUT_MS)
            .await
            .map_err(|_| CacheError::Unavailable)?;
        Ok(IdbStore { conn, caps })
    }

    /// How often the connection had to be reopened (closed by the browser or another tab).
    pub fn reopened(&self) -> u32 {
        uint(&self.conn, "reopened").unwrap_or(0) as u32
    }

    /// Closes the connection (the next call reopens it).
    pub fn close(&self) {
        close_db(&self.conn);
    }
}

impl CacheStore for IdbStore {
    async fn apply(&self, c: &Changes) -> Result<(), CacheError> {
        if c.is_empty() {
            return Ok(());
        }
        let committed = enqueue(&self.conn, &batch_record(c, self.caps));
        wasm_bindgen_futures::JsFuture::from(committed)
            .await
            .map_err(fail)?;
        Ok(())
    }

    async fn newest(
        &self,
        conv: &str,
        before: u64,
        limit: u32,
    ) -> Result<Vec<Message>, CacheError> {
        if limit == 0 || before <= 1 {
            return Ok(Vec::new());
        }
        // Keys are JS numbers: exact up to 2^53, far above any seq.
        let before = before.min(1 << 53) as f64;
        let page = newest_js(&self.conn, conv, before, limit)
            .await
            .map_err(fail)?;
        each(page, crate::web::codec::message)
    }

    async fn conversations(&self) -> Result<Vec<ConversationInfo>, CacheError> {
        let all = get_all(&self.conn, "conversations").await.map_err(fail)?;
        each(all, conversation_of)
    }

    async fn ranges(&self, conv: &str) -> Result<SeqRanges, CacheError> {
        let stored = get_one(&self.conn, "ranges", conv).await.map_err(fail)?;
        Ok(ranges_of(&stored))
    }

    async fn cursor(&self) -> Result<u64, CacheError> {
        let stored = get_one(&self.conn, "meta", "cursor").await.map_err(fail)?;
        Ok(stored.as_f64().unwrap_or(0.0) as u64)
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, CacheError> {
        let all = get_all(&self.conn, "outbox").await.map_err(fail)?;
        each(all, outbox_of)
    }

    async fn snapshot(&self, n: u32, page: u32) -> Result<Snapshot, CacheError> {
        let read = snapshot_js(&self.conn, n, page).await.map_err(fail)?;
        Ok(super::snapshot_of(&read))
    }

    async fn known_page(
        &self,
        conv: &str,
        before: u64,
        limit: u32,
    ) -> Result<(Vec<(u64, u64)>, Vec<Message>), CacheError> {
        let before = before.min(1 << 53) as f64;
        let read = Array::from(
            &known_page_js(&self.conn, conv, before, limit)
                .await
                .map_err(fail)?,
        );
        Ok(super::page_of(&read.get(0), &read.get(1)))
    }

    async fn file_token(&self) -> Result<String, CacheError> {
        let stored = get_one(&self.conn, "meta", "fileToken")
            .await
            .map_err(fail)?;
        Ok(stored.as_string().unwrap_or_default())
    }

    async fn count(&self, conv: Option<&str>) -> Result<u32, CacheError> {
        let n = count_messages(&self.conn, conv.map(str::to_owned))
            .await
            .map_err(fail)?;
        Ok(n.as_f64().unwrap_or(0.0) as u32)
    }

    async fn clear(&self) -> Result<(), CacheError> {
        clear_all(&self.conn).await.map_err(fail)?;
        Ok(())
    }
}
