//! SQL of the file store (schema version 4): upload sessions and their chunks, finished files,
//! and the grants that let conversation members read a file. The upload side runs on the file
//! store's own connection ([`crate::files`]); grants are written by the committer inside the
//! transaction of the message that refers to the files.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::store::StoreError;

/// A chunked upload session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// Opaque random ID.
    pub id: String,
    /// The uploader.
    pub user: String,
    /// Total bytes.
    pub size: u64,
    /// Bytes per chunk (the last one: the remainder).
    pub chunk_size: u64,
    /// File name as the client gave it.
    pub name: String,
    /// MIME type as the client gave it (checked).
    pub mime: String,
    /// Server time of creation, seconds.
    pub created: u64,
    /// The file it became, once complete.
    pub file_id: Option<String>,
}

impl Upload {
    /// How many chunks the file has.
    pub fn chunks(&self) -> u32 {
        u32::try_from(self.size.div_ceil(self.chunk_size)).unwrap_or(u32::MAX)
    }

    /// Byte length of chunk `idx` (0 past the end).
    pub fn chunk_len(&self, idx: u32) -> u64 {
        let start = u64::from(idx) * self.chunk_size;
        self.size.saturating_sub(start).min(self.chunk_size)
    }
}

/// A stored file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    /// Opaque random ID (`[0-9a-f]`).
    pub id: String,
    /// Lowercase hex SHA-256 of the content: the blob's key.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    /// MIME type served as `Content-Type`.
    pub mime: String,
    /// Name as uploaded.
    pub name: String,
    /// Who uploaded it.
    pub uploader: String,
    /// Server time of completion, seconds.
    pub created: u64,
}

/// Records a new upload session.
pub fn create_upload(conn: &Connection, u: &Upload) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO uploads (upload_id, user_id, size, chunk_size, name, mime, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute((
        &u.id,
        &u.user,
        u.size,
        u.chunk_size,
        &u.name,
        &u.mime,
        u.created,
    ))?;
    Ok(())
}

/// An upload session by ID.
pub fn upload(conn: &Connection, id: &str) -> Result<Option<Upload>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT upload_id, user_id, size, chunk_size, name, mime, created, file_id
             FROM uploads WHERE upload_id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Upload {
                id: r.get(0)?,
                user: r.get(1)?,
                size: r.get(2)?,
                chunk_size: r.get(3)?,
                name: r.get(4)?,
                mime: r.get(5)?,
                created: r.get(6)?,
                file_id: r.get(7)?,
            })
        })
        .optional()?)
}

/// The chunk indices an upload has stored, ascending.
pub fn received(conn: &Connection, id: &str) -> Result<Vec<u32>, StoreError> {
    let rows = conn
        .prepare_cached("SELECT idx FROM upload_chunks WHERE upload_id = ?1 ORDER BY idx")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<u32>, _>>()?;
    Ok(rows)
}

/// The recorded SHA-256 of each stored chunk, by ascending index.
pub fn chunk_hashes(conn: &Connection, id: &str) -> Result<Vec<(u32, String)>, StoreError> {
    let rows = conn
        .prepare_cached("SELECT idx, sha256 FROM upload_chunks WHERE upload_id = ?1 ORDER BY idx")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Forgets chunks whose bytes did not survive (their rows outlived the unsynced data).
pub fn drop_chunks(conn: &Connection, id: &str, idxs: &[u32]) -> Result<(), StoreError> {
    let mut stmt =
        conn.prepare_cached("DELETE FROM upload_chunks WHERE upload_id = ?1 AND idx = ?2")?;
    for idx in idxs {
        stmt.execute((id, idx))?;
    }
    Ok(())
}

/// Whether chunk `idx` of upload `id` is stored.
pub fn has_chunk(conn: &Connection, id: &str, idx: u32) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM upload_chunks WHERE upload_id = ?1 AND idx = ?2")?
        .exists((id, idx))?)
}

/// Records chunk `idx` as stored with its SHA-256; returns how many chunks the upload has.
pub fn add_chunk(conn: &Connection, id: &str, idx: u32, sha256: &str) -> Result<u32, StoreError> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO upload_chunks (upload_id, idx, sha256) VALUES (?1, ?2, ?3)",
    )?
    .execute((id, idx, sha256))?;
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM upload_chunks WHERE upload_id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

/// Turns upload `upload_id` into `file`, in one transaction, durably (the caller hands the
/// file ID out right after).
pub fn complete(conn: &mut Connection, upload_id: &str, file: &FileRow) -> Result<(), StoreError> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    let done = complete_tx(conn, upload_id, file);
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    done
}

fn complete_tx(conn: &mut Connection, upload_id: &str, file: &FileRow) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.prepare_cached(
        "INSERT INTO files (file_id, sha256, size, mime, name, uploader, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute((
        &file.id,
        &file.sha256,
        file.size,
        &file.mime,
        &file.name,
        &file.uploader,
        file.created,
    ))?;
    tx.prepare_cached("UPDATE uploads SET file_id = ?2 WHERE upload_id = ?1")?
        .execute((upload_id, &file.id))?;
    tx.prepare_cached("DELETE FROM upload_chunks WHERE upload_id = ?1")?
        .execute([upload_id])?;
    tx.commit()?;
    Ok(())
}

/// Upload sessions created before `before`: `(id, complete)`.
pub fn expired(conn: &Connection, before: u64) -> Result<Vec<(String, bool)>, StoreError> {
    let rows = conn
        .prepare_cached("SELECT upload_id, file_id IS NOT NULL FROM uploads WHERE created < ?1")?
        .query_map([before], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Forgets an upload session.
pub fn delete_upload(conn: &mut Connection, id: &str) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.prepare_cached("DELETE FROM upload_chunks WHERE upload_id = ?1")?
        .execute([id])?;
    tx.prepare_cached("DELETE FROM uploads WHERE upload_id = ?1")?
        .execute([id])?;
    tx.commit()?;
    Ok(())
}

/// Incomplete upload sessions, expired or not.
pub fn open_uploads(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM uploads WHERE file_id IS NULL")?
        .query_row([], |r| r.get(0))?)
}

/// A file by ID, if `user` may read it: its uploader, or a participant of a conversation
/// (C2C: either side; group: a current member) with a committed message referring to it.
pub fn readable(conn: &Connection, user: &str, id: &str) -> Result<Option<FileRow>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT f.file_id, f.sha256, f.size, f.mime, f.name, f.uploader, f.created
             FROM files f WHERE f.file_id = ?1 AND (f.uploader = ?2 OR EXISTS (
                SELECT 1 FROM file_grants g JOIN convs c ON c.conv_id = g.conv_id
                WHERE g.file_id = f.file_id AND (
                    (c.kind = 'C' AND (c.a = ?2 OR c.b = ?2))
                    OR (c.kind = 'G' AND EXISTS (SELECT 1 FROM user_convs u
                                                 WHERE u.conv_id = c.conv_id AND u.user_id = ?2)))))",
        )?
        .query_row((id, user), |r| {
            Ok(FileRow {
                id: r.get(0)?,
                sha256: r.get(1)?,
                size: r.get(2)?,
                mime: r.get(3)?,
                name: r.get(4)?,
                uploader: r.get(5)?,
                created: r.get(6)?,
            })
        })
        .optional()?)
}

/// Inside a message's transaction: refuses unless `sender` may read every file in `ids`, then
/// lets the conversation `conv_id` read them.
pub fn grant(
    conn: &Connection,
    sender: &str,
    conv_id: i64,
    ids: &[&str],
) -> Result<(), StoreError> {
    check_readable(conn, sender, ids)?;
    for id in ids {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO file_grants (file_id, conv_id) VALUES (?1, ?2)",
        )?
        .execute((id, conv_id))?;
    }
    Ok(())
}

/// How many incomplete uploads `?1` created at or after `?2`, and their declared size (through
/// the `uploads_open_by_user` index).
pub(super) const OPEN_UPLOADS: &str = "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM uploads
     WHERE user_id = ?1 AND file_id IS NULL AND created >= ?2";

/// `user`'s incomplete upload sessions created at or after `since` (older ones have expired):
/// how many, and their total declared size.
pub fn open_uploads_of(
    conn: &Connection,
    user: &str,
    since: u64,
) -> Result<(u64, u64), StoreError> {
    Ok(conn
        .prepare_cached(OPEN_UPLOADS)?
        .query_row((user, since), |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Refuses a message whose sender may not read every file it refers to.
pub fn check_readable(conn: &Connection, sender: &str, ids: &[&str]) -> Result<(), StoreError> {
    for id in ids {
        if readable(conn, sender, id)?.is_none() {
            return Err(StoreError::FileForbidden((*id).to_owned()));
        }
    }
    Ok(())
}
