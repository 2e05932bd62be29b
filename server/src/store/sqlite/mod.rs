//! SQLite implementation of [`Store`]: WAL mode, `synchronous=FULL`, one write connection
//! (used only by the committer thread) and a small pool of read connections.

mod change;
mod checkpoint;
pub mod files;
mod group;
mod group_read;
mod notice;
mod read;
mod receipt;
mod schema;
mod settings;
mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tim_protocol::{
    Change, ConvGroup, ConvType, ConversationInfo, GroupApplication, GroupInfo, MemberInfo, Message,
};

use super::{Conv, HistoryPage, MembersPage, Outcome, Store, StoreError, SyncPage, Write};
use crate::epochs::Epoch;

/// Most idle read connections kept open.
const READ_POOL: usize = 4;
/// The write connection's page cache, in KiB: a batch of 1 000 messages dirties more pages
/// than SQLite's default 2 MiB, which then spill into the WAL mid-transaction and are read back.
const WRITER_CACHE_KIB: i64 = 64 * 1024;
/// Prepared statements the write connection keeps: the write path uses more than rusqlite's
/// default 16, and a miss re-parses the SQL.
const WRITER_STATEMENTS: usize = 128;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Backend(format!("stored message is unreadable: {e}"))
    }
}

/// The SQLite store.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    commits: AtomicU64,
    messages: AtomicU64,
}

impl SqliteStore {
    /// Opens (creating if needed) `tim.sqlite` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Backend(format!("cannot create {}: {e}", data_dir.display()))
        })?;
        let path = data_dir.join("tim.sqlite");
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend(format!(
                "journal_mode is {mode}, WAL required"
            )));
        }
        // FULL: a commit is on disk before any ack leaves the server.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // A savepoint (a batch with a refused write: `write::apply`) or a multi-row statement
        // journals every page it touches; in a temporary file that was most of the
        // committer's system calls.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        conn.set_prepared_statement_cache_capacity(WRITER_STATEMENTS);
        schema::migrate(&mut conn)?;
        checkpoint::install(&mut conn, &path)?;
        Ok(SqliteStore {
            path,
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            commits: AtomicU64::new(0),
            messages: AtomicU64::new(0),
        })
    }

    /// Runs `f` on a pooled read connection.
    fn with_reader<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.readers.lock().ok().and_then(|mut p| p.pop());
        let mut conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                c.busy_timeout(Duration::from_secs(5))?;
                c
            }
        };
        let result = f(&mut conn);
        if let Ok(mut pool) = self.readers.lock() {
            if pool.len() < READ_POOL {
                pool.push(conn);
            }
        }
        result
    }
}

impl Store for SqliteStore {
    fn concurrent_reads(&self) -> usize {
        READ_POOL
    }

    fn apply(
        &self,
        batch: &[&Write],
        now: u64,
    ) -> Result<Vec<Result<Outcome, StoreError>>, StoreError> {
        let mut conn = self
            .writer
            .lock()
            .map_err(|_| StoreError::Backend("write connection poisoned".into()))?;
        let (outcomes, sent) = write::apply(&mut conn, batch, now)?;
        self.commits.fetch_add(1, Ordering::Relaxed);
        self.messages.fetch_add(sent, Ordering::Relaxed);
        Ok(outcomes)
    }

    fn history(
        &self,
        user: &str,
        conv: &Conv,
        before_seq: Option<u64>,
        count: u32,
    ) -> Result<HistoryPage, StoreError> {
        self.with_reader(|c| read::history(c, user, conv, before_seq, count))
    }

    fn conversations(&self, user: &str) -> Result<(Vec<ConversationInfo>, u64), StoreError> {
        self.with_reader(|c| read::conversations(c, user))
    }

    fn hop(
        &self,
        user: &str,
        conv: &Conv,
        at: super::HopFrom,
        newer: bool,
        count: u32,
    ) -> Result<HistoryPage, StoreError> {
        self.with_reader(|c| read::hop(c, user, conv, at, newer, count))
    }

    fn fetch(&self, user: &str, conv: &Conv, seqs: &[u64]) -> Result<Vec<Message>, StoreError> {
        self.with_reader(|c| read::fetch(c, user, conv, seqs))
    }

    fn conv_groups(&self, user: &str) -> Result<Vec<ConvGroup>, StoreError> {
        self.with_reader(|c| settings::groups(c, user))
    }

    fn sync(&self, user: &str, since: u64, limit: u32) -> Result<SyncPage, StoreError> {
        self.with_reader(|c| read::sync(c, user, since, limit))
    }

    fn participants(&self, user: &str, conv: &Conv, now: u64) -> Result<Vec<String>, StoreError> {
        match conv {
            Conv::C2c(peer) if peer == user => Ok(vec![user.to_owned()]),
            Conv::C2c(peer) => Ok(vec![user.to_owned(), peer.clone()]),
            Conv::System => Ok(Vec::new()), // only the server writes there
            Conv::Group(_) => self.with_reader(|c| {
                let (conv_id, _) = resolve(c, user, conv)?.ok_or(StoreError::GroupNotFound)?;
                group::may_send(c, conv_id, user, now)?;
                let users = c
                    .prepare_cached("SELECT user_id FROM user_convs WHERE conv_id = ?1")?
                    .query_map([conv_id], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?;
                Ok(users)
            }),
        }
    }

    fn receipts(
        &self,
        user: &str,
        conv: &Conv,
        seqs: &[u64],
    ) -> Result<Vec<tim_protocol::Receipt>, StoreError> {
        self.with_reader(|c| receipt::counts(c, user, conv, seqs))
    }

    fn receipt_members(
        &self,
        user: &str,
        conv: &Conv,
        seq: u64,
        read: bool,
        cursor: &str,
        count: u32,
    ) -> Result<MembersPage, StoreError> {
        self.with_reader(|c| receipt::members(c, user, conv, seq, read, cursor, count))
    }

    fn group_list(&self, user: &str, ids: &[String]) -> Result<Vec<GroupInfo>, StoreError> {
        self.with_reader(|c| group_read::list(c, user, ids))
    }

    fn group_search(&self, user: &str, group_id: &str) -> Result<GroupInfo, StoreError> {
        self.with_reader(|c| group_read::search(c, user, group_id))
    }

    fn group_members(
        &self,
        user: &str,
        group_id: &str,
        cursor: &str,
        count: u32,
    ) -> Result<(Vec<MemberInfo>, String, bool), StoreError> {
        self.with_reader(|c| group_read::members_page(c, user, group_id, cursor, count))
    }

    fn group_member_info(
        &self,
        user: &str,
        group_id: &str,
        ids: &[String],
    ) -> Result<Vec<MemberInfo>, StoreError> {
        self.with_reader(|c| group_read::member_info(c, user, group_id, ids))
    }

    fn group_admin_info(&self, group_id: &str) -> Result<(GroupInfo, Vec<MemberInfo>), StoreError> {
        self.with_reader(|c| group_read::admin_info(c, group_id))
    }

    fn group_apps(&self, user: &str) -> Result<Vec<GroupApplication>, StoreError> {
        self.with_reader(|c| group::pending_for(c, user))
    }

    fn group_member_ids(&self, user: &str, group_id: &str) -> Result<Vec<String>, StoreError> {
        self.with_reader(|c| {
            let (row, _) = group_read::member_view(c, group_id, user)?;
            group_read::member_ids(c, row.conv_id)
        })
    }

    fn kicked(&self) -> Result<Vec<(String, Epoch)>, StoreError> {
        self.with_reader(|c| {
            let rows = c
                .prepare("SELECT user_id, kicked_at, kick_gen FROM users WHERE kick_gen > 0")?
                .query_map([], |r| {
                    let epoch = Epoch {
                        kicked_at: r.get(1)?,
                        generation: r.get(2)?,
                    };
                    Ok((r.get(0)?, epoch))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    fn messages_committed(&self) -> u64 {
        self.messages.load(Ordering::Relaxed)
    }

    fn unknown_peers(&self, user: &str, peers: &[String]) -> Result<Vec<String>, StoreError> {
        self.with_reader(|c| {
            let mut has_row = c.prepare_cached("SELECT 1 FROM users WHERE user_id = ?1")?;
            let mut has_conv =
                c.prepare_cached("SELECT 1 FROM convs WHERE kind = 'C' AND a = ?1 AND b = ?2")?;
            let mut unknown = Vec::new();
            for peer in peers {
                if !has_row.exists([peer])? && !has_conv.exists(c2c_key(user, peer))? {
                    unknown.push(peer.clone());
                }
            }
            Ok(unknown)
        })
    }
}

/// Parses a stored message body.
fn parse_message(body: &str) -> Result<Message, StoreError> {
    Ok(serde_json::from_str(body)?)
}

/// The `convs` key of a C2C pair: the smaller ID first so both sides find the same row.
fn c2c_key<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x <= y {
        (x, y)
    } else {
        (y, x)
    }
}

/// Finds a conversation as `user` names it: `(conv_id, last_seq)`, `None` for a C2C pair that
/// has no message yet. Groups must exist and have `user` as a member.
fn resolve(conn: &Connection, user: &str, conv: &Conv) -> Result<Option<(i64, u64)>, StoreError> {
    use rusqlite::OptionalExtension;
    match conv {
        Conv::C2c(peer) => {
            let (a, b) = c2c_key(user, peer);
            let row = conn
                .prepare_cached(
                    "SELECT conv_id, last_seq FROM convs WHERE kind = 'C' AND a = ?1 AND b = ?2",
                )?
                .query_row((a, b), |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            Ok(row)
        }
        Conv::System => {
            let row = conn
                .prepare_cached(
                    "SELECT conv_id, last_seq FROM convs WHERE kind = 'S' AND a = ?1 AND b = ''",
                )?
                .query_row([user], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            Ok(row)
        }
        Conv::Group(group_id) => {
            let (conv_id, last_seq) = group_conv(conn, group_id)?;
            if !is_member(conn, user, conv_id)? {
                return Err(StoreError::NotGroupMember);
            }
            Ok(Some((conv_id, last_seq)))
        }
    }
}

/// A group's `(conv_id, last_seq)`.
fn group_conv(conn: &Connection, group_id: &str) -> Result<(i64, u64), StoreError> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(
        "SELECT c.conv_id, c.last_seq FROM groups g JOIN convs c ON c.conv_id = g.conv_id WHERE g.group_id = ?1",
    )?
    .query_row([group_id], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()?
    .ok_or(StoreError::GroupNotFound)
}

fn is_member(conn: &Connection, user: &str, conv_id: i64) -> Result<bool, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM user_convs WHERE user_id = ?1 AND conv_id = ?2")?;
    Ok(stmt.exists((user, conv_id))?)
}

/// Messages from others after `read_seq` that `user` has not deleted.
fn unread(conn: &Connection, user: &str, conv_id: i64, read_seq: u64) -> Result<u32, StoreError> {
    let n: u64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM messages m WHERE m.conv_id = ?1 AND m.seq > ?2 AND m.sender <> ?3
             AND m.imported = 0 AND NOT EXISTS (SELECT 1 FROM deleted d
                             WHERE d.user_id = ?3 AND d.conv_id = m.conv_id AND d.seq = m.seq)",
        )?
        .query_row((conv_id, read_seq, user), |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Whether `user` deleted message `seq` of `conv_id` for themself.
fn is_deleted(conn: &Connection, user: &str, conv_id: i64, seq: u64) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM deleted WHERE user_id = ?1 AND conv_id = ?2 AND seq = ?3")?
        .exists((user, conv_id, seq))?)
}

/// The conversation ID of `conv` as its user names it.
fn conversation_id(conv: &Conv) -> String {
    match conv {
        Conv::C2c(p) => tim_protocol::conversation_id(ConvType::C2c, p),
        Conv::Group(g) => tim_protocol::conversation_id(ConvType::Group, g),
        Conv::System => tim_protocol::SYSTEM_CONVERSATION_ID.to_owned(),
    }
}

/// How `inbox.change_kind` stores a [`Change`].
fn change_code(change: Change) -> i64 {
    match change {
        Change::New => 0,
        Change::Revoked => 1,
        Change::Modified => 2,
        Change::Deleted => 3,
    }
}

/// The inverse of [`change_code`] (unknown codes read as `New`).
fn change_from_code(code: i64) -> Change {
    match code {
        1 => Change::Revoked,
        2 => Change::Modified,
        3 => Change::Deleted,
        _ => Change::New,
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_groups;
