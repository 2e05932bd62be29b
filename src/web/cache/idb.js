// IndexedDB plumbing of the message cache (driven by idb_store.rs). Hand-written rather than
// the `idb` crate: its futures and generic wrappers cost ~50 KB gzip of wasm, this ~2 KB.
// Each call is one short transaction awaiting only IndexedDB. Values in and out are plain
// objects. A call rejects with a string: "unavailable" (the database cannot be (re)opened),
// else the DOMException name ("QuotaExceededError", ...).
//
// A connection `{name, db, reopened}` gives way on `versionchange` (another tab upgrading, or
// the database deleted) and when the browser closes it; the next call reopens it once. The
// driver's connection never recreates it (`recreate` false: a vanished database took records
// that the known ranges of later batches may claim) and dies at its first failure (`lost`: a
// failed batch leaves a hole a later one could claim known), calling `conn.warn(reason)`
// once; the SDK then runs from memory.
//
// Stores (schema v1):
// - messages: {c, s, t, m}, key [c, s] (conversation, seq): one conversation is one key range
//   in seq order; index "t" (server time) for eviction overall.
// - conversations: the wire ConversationInfo, key conversation_id.
// - ranges: {c, r: [lo, hi, ...]}, the seqs of c known contiguous.
// - meta: out-of-line keys; "cursor" is the sync cursor, "fileToken" the file download token.
// - outbox: {pos, c, m}, key pos (send order).

const ALL = ['messages', 'conversations', 'ranges', 'meta', 'outbox'];

// One step per schema version, run in order from the stored version. Append a step to
// migrate; never edit a released one.
const STEPS = [
  (db) => {
    db.createObjectStore('messages', { keyPath: ['c', 's'] }).createIndex('t', 't');
    db.createObjectStore('conversations', { keyPath: 'conversation_id' });
    db.createObjectStore('ranges', { keyPath: 'c' });
    db.createObjectStore('meta');
    db.createObjectStore('outbox', { keyPath: 'pos' });
  },
];

const why = (e) => (typeof e === 'string' ? e : (e && e.name) || 'failed');

function req(r) {
  return new Promise((ok, no) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(why(r.error));
  });
}

function connect(conn, create) {
  return new Promise((ok, no) => {
    const r = indexedDB.open(conn.name, STEPS.length);
    r.onupgradeneeded = (e) => {
      // A half-made schema must not commit: the open then fails.
      try { if (!create && !e.oldVersion) throw 0; for (let v = e.oldVersion; v < STEPS.length; v++) STEPS[v](r.result); } catch (_) { r.transaction.abort(); }
    };
    r.onsuccess = () => {
      const db = r.result;
      const gone = () => { db.close(); if (conn.db === db) conn.db = null; };
      db.onversionchange = gone;
      db.onclose = gone;
      conn.db = db;
      ok(conn);
    };
    r.onerror = () => no('unavailable');
  });
}

// Gives up after `ms` (an upgrade blocked by another tab must not hold login); a connection
// that opens later is closed.
export function openDb(name, ms) {
  const conn = { name, db: null, reopened: 0, q: Promise.resolve(), recreate: true };
  return new Promise((ok, no) => {
    const t = setTimeout(() => { conn.late = true; no('unavailable'); }, ms);
    connect(conn, true).then(() => { clearTimeout(t); if (conn.late) closeDb(conn); else ok(conn); },
      () => { clearTimeout(t); no('unavailable'); });
  });
}

export function closeDb(conn) {
  if (conn.db) conn.db.close();
  conn.db = null;
}

async function tx(conn, stores, mode) {
  for (let retry = false; ; retry = true) {
    if (conn.dead) throw 'unavailable';
    if (!conn.db) {
      try { await connect(conn, conn.recreate); } catch (_) { throw 'unavailable'; }
      conn.reopened++;
    }
    try { return conn.db.transaction(stores, mode); } catch (_) {
      // Closed behind our back: reopen once.
      if (retry) throw 'unavailable';
      conn.db = null;
    }
  }
}

function done(t) {
  return new Promise((ok, no) => {
    t.oncomplete = () => ok();
    t.onabort = () => no(why(t.error));
  });
}

// Runs `body` in one transaction; a write resolves once committed.
async function run(conn, stores, mode, body) {
  const t = await tx(conn, stores, mode);
  const end = done(t);
  end.catch(() => {});
  let out;
  try { out = await body(...stores.map((n) => t.objectStore(n))); } catch (e) {
    try { t.abort(); } catch (_) {}
    throw why(e);
  }
  if (mode === 'readwrite') await end;
  return out;
}

const conv = (c, lo, hi, openHi) => IDBKeyRange.bound([c, lo], [c, hi], false, openHi);

// One request of a batch's trim (core/cache/trim.rs `Op`, built by idb_store.rs `op_record`):
// [kind, conversation (null: all), x]. Reads resolve to what IndexedDB answers.
function exec(messages, ranges, [k, c, x]) {
  const all = c == null ? null : conv(c, 0, Infinity);
  switch (k) {
    case 0: return req(messages.count(all));
    case 1: return req((c == null ? messages.index('t') : messages).getAllKeys(all, x));
    case 2: return req(ranges.get(c));
    case 3: messages.delete([c, x]); break;
    case 4: ranges.put({ c, r: x });
  }
}

// b: {removed, messages, deleted, replace, conversations, trim, cursor?, token?, outboxPut,
// outboxRemove} (built by idb_store.rs `batch_record`), written in that order (`replace`: the
// conversations are the whole list). Then `b.trim(answers)` decides the caps and known ranges
// in Rust, in rounds inside this transaction (so no other tab's write comes between a read and
// its write): it names a round's requests and takes their results, until it is done (null).
function applyBatch(conn, b) {
  return run(conn, ALL, 'readwrite', async (messages, convs, ranges, meta, outbox) => {
    for (const c of b.removed) { convs.delete(c); ranges.delete(c); messages.delete(conv(c, 0, Infinity)); }
    for (const m of b.messages) messages.put(m);
    for (const k of b.deleted) messages.delete(k);
    if (b.replace) convs.clear();
    for (const c of b.conversations) convs.put(c);
    for (let got = [], ops; (ops = b.trim(got));) {
      got = await Promise.all(ops.map((o) => exec(messages, ranges, o)));
    }
    if (b.cursor !== undefined) {
      // Another tab may be ahead: the cursor never goes back.
      if (b.cursor > ((await req(meta.get('cursor'))) || 0)) meta.put(b.cursor, 'cursor');
    }
    if (b.token) meta.put(b.token, 'fileToken');
    for (const e of b.outboxPut) outbox.put(e);
    for (const p of b.outboxRemove) outbox.delete(p);
  });
}

// The newest `limit` messages of `c` below seq `before`, ascending.
export function newest(conn, c, before, limit) {
  return run(conn, ['messages'], 'readonly', (s) => page(s, c, before, limit));
}

async function page(s, c, before, limit) {
  // Seqs are dense, so the `limit` seqs below `before` are usually the page: one read.
  const lo = Math.max(before - limit, 0);
  let recs = await req(s.getAll(conv(c, lo, before, true)));
  const short = limit - recs.length;
  if (short > 0 && lo > 0) {
    // Holes (deleted, evicted or never fetched): walk further down.
    const older = [];
    await new Promise((ok, no) => {
      const r = s.openCursor(conv(c, 0, lo, true), 'prev');
      r.onsuccess = () => {
        const cur = r.result;
        if (cur && older.length < short) { older.push(cur.value); cur.continue(); } else ok();
      };
      r.onerror = () => no(why(r.error));
    });
    recs = older.reverse().concat(recs);
  }
  return recs.slice(-limit).map((r) => r.m);
}

// What a session starts from, read in one transaction: every conversation, the newest
// `limit` messages of the `n` most recent, the sync cursor, the outbox and the file token, as
// [conversations, [c, messages, ...], cursor, outbox, token]. The driver reads it through
// warmStart, the conformance suite through IdbStore's `snapshot`.
export function snapshot(conn, n, limit) {
  return run(conn, ['conversations', 'messages', 'meta', 'outbox'], 'readonly', async (convs, s, meta, outbox) => {
    const all = await req(convs.getAll());
    const t = (c) => (c.last_message ? c.last_message.time : 0);
    const pages = [];
    for (const c of all.slice().sort((a, b) => t(b) - t(a)).slice(0, n)) {
      pages.push(c.conversation_id, await page(s, c.conversation_id, 2 ** 53, limit));
    }
    const cursor = (await req(meta.get('cursor'))) || 0;
    const out = await req(outbox.getAll());
    const token = await req(meta.get('fileToken'));
    return [all, pages, cursor, out, token];
  });
}

// Warm start (driven by web/driver.rs): opens `name` (see openDb) and reads its snapshot;
// then done(conn, snapshot), or done(null, reason) when IndexedDB is unusable (the SDK then
// runs from memory). `warn` becomes the connection's (see `lost`).
export function warmStart(name, ms, n, limit, warn, done) {
  openDb(name, ms).then((conn) => {
    conn.warn = warn;
    conn.recreate = false;
    conn.fatal = true;
    return snapshot(conn, n, limit).then((r) => () => done(conn, r));
  }).then((f) => f(), (e) => done(null, e));
}

// The driver's connection fails for good (see the top).
function lost(conn, e) {
  if (conn.dead) return;
  conn.dead = true;
  closeDb(conn);
  const w = conn.warn;
  conn.warn = null;
  if (w) w(why(e));
}

// Queues batch `b` (see applyBatch) after the connection's earlier ones, so batches commit in
// order; settles once it is committed. On the driver's connection (`fatal`) a failure is `lost`
// before the next batch runs, so no later batch claims known what this one did not write; the
// messages stay in the SDK's memory.
export function enqueue(conn, b) {
  const p = conn.q.then(() => applyBatch(conn, b));
  conn.q = p.catch((e) => { if (conn.fatal) lost(conn, e); });
  p.catch(() => {});
  return p;
}

// Gapless paging: the known ranges of `c` (flat [lo, hi, ...]) and its newest `limit` messages
// below `before`, read in one transaction, both requests in flight at once, as [ranges,
// messages]. The driver reads it through readPage, the conformance suite through IdbStore.
export function knownPage(conn, c, before, limit) {
  return run(conn, ['ranges', 'messages'], 'readonly', (r, s) => Promise.all([req(r.get(c)), page(s, c, before, limit)]))
    .then(([r, m]) => [(r || {}).r || [], m]);
}

// knownPage for the driver: done(ranges, messages), or done([], []) when the read fails (the
// connection is then `lost`).
export function readPage(conn, c, before, limit, done) {
  knownPage(conn, c, before, limit).then(([r, m]) => done(r, m), (e) => { lost(conn, e); done([], []); });
}

// The driver lets go of `conn`: it closes once the queued batches are written, and never
// warns again.
export function finish(conn) {
  conn.warn = null;
  conn.q = conn.q.then(() => { conn.dead = true; closeDb(conn); });
}

// `p` (destroy's Promise), settled once database `name` is deleted (`destroy({clearCache})`).
export function thenDrop(p, name) {
  return p.then((v) => new Promise((ok) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = r.onerror = () => ok(v);
  }));
}

export function getAll(conn, store) {
  return run(conn, [store], 'readonly', (s) => req(s.getAll()));
}

export function getOne(conn, store, key) {
  return run(conn, [store], 'readonly', (s) => req(s.get(key)));
}

export function countMessages(conn, c) {
  return run(conn, ['messages'], 'readonly', (s) => req(s.count(c == null ? undefined : conv(c, 0, Infinity))));
}

export function clearAll(conn) {
  return run(conn, ALL, 'readwrite', async (...stores) => { stores.forEach((s) => s.clear()); });
}

export function reopened(conn) {
  return conn.reopened;
}
