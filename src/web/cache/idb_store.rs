//! The IndexedDB [`CacheStore`]. Every call is one short transaction that awaits only
//! IndexedDB itself (never the network), so another tab is never kept waiting. The
//! connection closes itself on `versionchange` (another tab upgrading, or the database being
//! deleted) and the next call reopens it; a connection the browser closed is reopened too.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use idb::{
    CursorDirection, Database, DatabaseEvent, Event, Factory, KeyRange, ObjectStore, Query,
    Request, Transaction, TransactionMode, TransactionResult,
};
use js_sys::Array;
use tim_protocol::{ConversationInfo, Message};
use wasm_bindgen::{JsCast, JsValue};

use super::records::*;
use super::schema::{self, ALL, BY_TIME, CONVERSATIONS, MESSAGES, META, OUTBOX, RANGES};
use crate::core::cache::{CacheError, CacheStore, Caps, Changes, OutboxEntry, SeqRanges};

/// One open connection; `closed` is set by its `versionchange`/`close` handlers.
struct Conn {
    db: Database,
    closed: Rc<Cell<bool>>,
}

/// A [`CacheStore`] in one IndexedDB database.
pub struct IdbStore {
    name: String,
    caps: Caps,
    conn: RefCell<Option<Rc<Conn>>>,
    reopened: Cell<u32>,
}

fn fail(e: idb::Error) -> CacheError {
    match e {
        idb::Error::DomException(d) if d.name() == "QuotaExceededError" => CacheError::Quota,
        _ => CacheError::Failed,
    }
}

fn unreadable(_: &'static str) -> CacheError {
    CacheError::Failed
}

fn num(v: u64) -> JsValue {
    JsValue::from_f64(v as f64)
}

/// Keys `[conv, lo]..[conv, hi]`, the upper bound excluded when `open_hi`.
fn conv_range(conv: &str, lo: u64, hi: f64, open_hi: bool) -> Result<Query, CacheError> {
    let c = JsValue::from_str(conv);
    let lower = Array::of2(&c, &num(lo));
    let upper = Array::of2(&c, &JsValue::from_f64(hi));
    KeyRange::bound(&lower, &upper, Some(false), Some(open_hi))
        .map(Query::from)
        .map_err(fail)
}

fn all_of(conv: &str) -> Result<Query, CacheError> {
    conv_range(conv, 0, f64::INFINITY, false)
}

async fn open_db(name: &str) -> Result<Conn, CacheError> {
    let unavailable = |_| CacheError::Unavailable;
    let factory = Factory::new().map_err(unavailable)?;
    let mut request = factory
        .open(name, Some(schema::VERSION))
        .map_err(unavailable)?;
    request.on_upgrade_needed(|event| {
        let ok = match (event.database(), event.old_version()) {
            (Ok(db), Ok(old)) => schema::upgrade(&db, old).is_ok(),
            _ => false,
        };
        if !ok {
            // A half-made schema must not be committed: the open then fails.
            if let Some(t) = event.target().ok().and_then(|r| r.transaction()) {
                let _ = t.abort();
            }
        }
    });
    let mut db = request.await.map_err(unavailable)?;
    let closed = Rc::new(Cell::new(false));
    let on_change = closed.clone();
    db.on_version_change(move |event| {
        // Let the other tab upgrade or delete; this store reopens on its next call.
        on_change.set(true);
        if let Some(target) = event.target() {
            target.unchecked_into::<web_sys::IdbDatabase>().close();
        }
    });
    let on_close = closed.clone();
    db.on_close(move |_| on_close.set(true));
    Ok(Conn { db, closed })
}

impl IdbStore {
    /// The database name of one user of one app.
    pub fn name_for(sdk_app_id: u64, user_id: &str) -> String {
        format!("tim-{sdk_app_id}-{user_id}")
    }

    /// Opens (creating or upgrading) database `name`.
    pub async fn open(name: &str, caps: Caps) -> Result<IdbStore, CacheError> {
        let conn = open_db(name).await?;
        Ok(IdbStore {
            name: name.to_owned(),
            caps,
            conn: RefCell::new(Some(Rc::new(conn))),
            reopened: Cell::new(0),
        })
    }

    /// How often the connection had to be reopened (closed by the browser or another tab).
    pub fn reopened(&self) -> u32 {
        self.reopened.get()
    }

    /// Closes the connection (the next call reopens it).
    pub fn close(&self) {
        if let Some(conn) = self.conn.borrow_mut().take() {
            conn.db.close();
        }
    }

    async fn connection(&self) -> Result<Rc<Conn>, CacheError> {
        let current = self.conn.borrow().clone();
        if let Some(conn) = current.filter(|c| !c.closed.get()) {
            return Ok(conn);
        }
        self.conn.borrow_mut().take();
        let conn = Rc::new(open_db(&self.name).await?);
        self.reopened.set(self.reopened.get() + 1);
        *self.conn.borrow_mut() = Some(conn.clone());
        Ok(conn)
    }

    /// A transaction on `stores`; a connection closed behind our back is reopened once.
    async fn tx(&self, stores: &[&str], mode: TransactionMode) -> Result<Transaction, CacheError> {
        let conn = self.connection().await?;
        if let Ok(t) = conn.db.transaction(stores, mode) {
            return Ok(t);
        }
        conn.closed.set(true);
        let conn = self.connection().await?;
        conn.db
            .transaction(stores, mode)
            .map_err(|_| CacheError::Unavailable)
    }
}

fn store(t: &Transaction, name: &str) -> Result<ObjectStore, CacheError> {
    t.object_store(name).map_err(fail)
}

async fn done(t: Transaction) -> Result<(), CacheError> {
    match t.await.map_err(fail)? {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => Err(CacheError::Failed),
    }
}

/// Seq of a `[conv, seq]` key.
fn seq_of_key(key: &JsValue) -> Option<(String, u64)> {
    let a: &Array = key.dyn_ref()?;
    Some((a.get(0).as_string()?, a.get(1).as_f64()? as u64))
}

impl IdbStore {
    /// Enforces the caps after this batch's writes; returns, per conversation, the highest
    /// evicted seq (the known ranges forget everything up to it).
    async fn evict(
        &self,
        messages: &ObjectStore,
        touched: &BTreeSet<&str>,
    ) -> Result<BTreeMap<String, u64>, CacheError> {
        let mut upto: BTreeMap<String, u64> = BTreeMap::new();
        for conv in touched {
            let count = messages
                .count(Some(all_of(conv)?))
                .map_err(fail)?
                .await
                .map_err(fail)?;
            let over = count.saturating_sub(self.caps.per_conversation);
            if over == 0 {
                continue;
            }
            let keys = messages
                .get_all_keys(Some(all_of(conv)?), Some(over))
                .map_err(fail)?
                .await
                .map_err(fail)?;
            if let Some((_, last)) = keys.last().and_then(seq_of_key) {
                messages
                    .delete(conv_range(conv, 0, last as f64, false)?)
                    .map_err(fail)?;
                upto.insert(conv.to_string(), last);
            }
        }
        let total = messages.count(None).map_err(fail)?.await.map_err(fail)?;
        let over = total.saturating_sub(self.caps.total);
        if over > 0 {
            let index = messages.index(BY_TIME).map_err(fail)?;
            let keys = index
                .get_all_keys(None, Some(over))
                .map_err(fail)?
                .await
                .map_err(fail)?;
            for key in &keys {
                messages.delete(Query::from(key.clone())).map_err(fail)?;
                if let Some((conv, seq)) = seq_of_key(key) {
                    let e = upto.entry(conv).or_default();
                    *e = (*e).max(seq);
                }
            }
        }
        Ok(upto)
    }
}

impl CacheStore for IdbStore {
    async fn apply(&self, c: &Changes) -> Result<(), CacheError> {
        if c.is_empty() {
            return Ok(());
        }
        let t = self.tx(&ALL, TransactionMode::ReadWrite).await?;
        let (messages, conversations) = (store(&t, MESSAGES)?, store(&t, CONVERSATIONS)?);
        let (ranges, meta, outbox) = (store(&t, RANGES)?, store(&t, META)?, store(&t, OUTBOX)?);
        // Writes are queued without awaiting each: a transaction runs its requests in order,
        // and any failure aborts it, which `done` reports.
        for conv in &c.removed_conversations {
            let key = JsValue::from_str(conv);
            conversations
                .delete(Query::from(key.clone()))
                .map_err(fail)?;
            ranges.delete(Query::from(key)).map_err(fail)?;
            messages.delete(all_of(conv)?).map_err(fail)?;
        }
        for (conv, m) in c.messages.iter().filter(|(_, m)| m.seq > 0) {
            messages.put(&message_record(conv, m), None).map_err(fail)?;
        }
        for (conv, seq) in &c.deleted {
            messages
                .delete(Query::from(message_key(conv, *seq)))
                .map_err(fail)?;
        }
        for info in &c.conversations {
            conversations
                .put(&conversation_record(info), None)
                .map_err(fail)?;
        }
        let touched: BTreeSet<&str> = c.messages.iter().map(|(conv, _)| conv.as_str()).collect();
        let evicted = self.evict(&messages, &touched).await?;
        let mut changed: BTreeSet<&str> = c.known.iter().map(|(conv, ..)| conv.as_str()).collect();
        changed.extend(evicted.keys().map(String::as_str));
        for conv in changed {
            let stored = ranges
                .get(Query::from(JsValue::from_str(conv)))
                .map_err(fail)?;
            let mut r = stored
                .await
                .map_err(fail)?
                .map(|v| ranges_of(&v))
                .unwrap_or_default();
            for (_, lo, hi) in c.known.iter().filter(|k| k.0 == conv) {
                r.insert(*lo, *hi);
            }
            if let Some(upto) = evicted.get(conv) {
                r.remove(1, *upto);
            }
            ranges.put(&ranges_record(conv, &r), None).map_err(fail)?;
        }
        if let Some(cursor) = c.cursor {
            let key = JsValue::from_str("cursor");
            let stored = meta
                .get(Query::from(key.clone()))
                .map_err(fail)?
                .await
                .map_err(fail)?;
            let old = stored.and_then(|v| v.as_f64()).unwrap_or(0.0) as u64;
            if cursor > old {
                meta.put(&num(cursor), Some(&key)).map_err(fail)?;
            }
        }
        for e in &c.outbox_put {
            outbox.put(&outbox_record(e), None).map_err(fail)?;
        }
        for pos in &c.outbox_remove {
            outbox.delete(Query::from(num(*pos))).map_err(fail)?;
        }
        done(t).await
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
        let before = before.min(1 << 53);
        let t = self.tx(&[MESSAGES], TransactionMode::ReadOnly).await?;
        let messages = store(&t, MESSAGES)?;
        // Seqs are dense, so the `limit` seqs below `before` are usually the page: one read.
        let lo = before.saturating_sub(limit.into());
        let window = conv_range(conv, lo, before as f64, true)?;
        let mut records = messages
            .get_all(Some(window), None)
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let short = limit as usize - records.len().min(limit as usize);
        if short > 0 && lo > 0 {
            // Holes (deleted, evicted or never fetched): walk further down.
            let below = conv_range(conv, 0, lo as f64, true)?;
            let cursor = messages.open_cursor(Some(below), Some(CursorDirection::Prev));
            let mut older = Vec::new();
            if let Some(cursor) = cursor.map_err(fail)?.await.map_err(fail)? {
                let mut cursor = cursor.into_managed();
                while older.len() < short {
                    match cursor.value().map_err(fail)? {
                        Some(v) => older.push(v),
                        None => break,
                    }
                    cursor.next(None).await.map_err(fail)?;
                }
            }
            older.reverse();
            older.append(&mut records);
            records = older;
        }
        let from = records.len().saturating_sub(limit as usize);
        records[from..]
            .iter()
            .map(|r| message_of(r).map_err(unreadable))
            .collect()
    }

    async fn conversations(&self) -> Result<Vec<ConversationInfo>, CacheError> {
        let t = self.tx(&[CONVERSATIONS], TransactionMode::ReadOnly).await?;
        let all = store(&t, CONVERSATIONS)?
            .get_all(None, None)
            .map_err(fail)?
            .await
            .map_err(fail)?;
        all.iter()
            .map(|r| conversation_of(r).map_err(unreadable))
            .collect()
    }

    async fn ranges(&self, conv: &str) -> Result<SeqRanges, CacheError> {
        let t = self.tx(&[RANGES], TransactionMode::ReadOnly).await?;
        let key = Query::from(JsValue::from_str(conv));
        let stored = store(&t, RANGES)?
            .get(key)
            .map_err(fail)?
            .await
            .map_err(fail)?;
        Ok(stored.map(|v| ranges_of(&v)).unwrap_or_default())
    }

    async fn cursor(&self) -> Result<u64, CacheError> {
        let t = self.tx(&[META], TransactionMode::ReadOnly).await?;
        let key = Query::from(JsValue::from_str("cursor"));
        let stored = store(&t, META)?
            .get(key)
            .map_err(fail)?
            .await
            .map_err(fail)?;
        Ok(stored.and_then(|v| v.as_f64()).unwrap_or(0.0) as u64)
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, CacheError> {
        let t = self.tx(&[OUTBOX], TransactionMode::ReadOnly).await?;
        let all = store(&t, OUTBOX)?
            .get_all(None, None)
            .map_err(fail)?
            .await
            .map_err(fail)?;
        all.iter()
            .map(|r| outbox_of(r).map_err(unreadable))
            .collect()
    }

    async fn count(&self, conv: Option<&str>) -> Result<u32, CacheError> {
        let t = self.tx(&[MESSAGES], TransactionMode::ReadOnly).await?;
        let query = conv.map(all_of).transpose()?;
        store(&t, MESSAGES)?
            .count(query)
            .map_err(fail)?
            .await
            .map_err(fail)
    }

    async fn clear(&self) -> Result<(), CacheError> {
        let t = self.tx(&ALL, TransactionMode::ReadWrite).await?;
        for name in ALL {
            store(&t, name)?.clear().map_err(fail)?;
        }
        done(t).await
    }
}
