//! The SQLite schema and its migrations. `convs` holds one row per conversation (a C2C pair
//! stored with the smaller user ID in `a`, or a group in `a`), with the last assigned `seq`.
//! `user_convs` is a user's side of a conversation: read position, list order, pin and hidden
//! state; for groups it is also the membership. `inbox` is the per-user delivery log that
//! `Sync` replays, each row saying what happened to its message. `deleted` lists the messages
//! a user deleted for themself. A message with an `owner` is that user's private import.
//!
//! [`BASE`] is the schema of the first release (version 0) and never changes; each later
//! version is one step in [`MIGRATIONS`], applied in order in one transaction and recorded in
//! `PRAGMA user_version`, so a data directory from any earlier release opens and upgrades.

use rusqlite::{Connection, TransactionBehavior};

use crate::store::StoreError;

/// Version 0: the Foundation schema. Frozen: later changes are migrations.
pub const BASE: &str = "
CREATE TABLE IF NOT EXISTS convs (
    conv_id  INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL,          -- 'C' (C2C) or 'G' (group)
    a        TEXT NOT NULL,
    b        TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, a, b)
);
CREATE TABLE IF NOT EXISTS groups (
    group_id   TEXT PRIMARY KEY,
    conv_id    INTEGER NOT NULL,
    group_type TEXT NOT NULL,
    name       TEXT NOT NULL,
    owner      TEXT,
    created    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS user_convs (
    user_id  TEXT NOT NULL,
    conv_id  INTEGER NOT NULL,
    read_seq INTEGER NOT NULL DEFAULT 0,
    sort_key INTEGER NOT NULL DEFAULT 0,  -- the user's sync_seq at the last delivery or join
    PRIMARY KEY (user_id, conv_id)
);
CREATE INDEX IF NOT EXISTS user_convs_by_conv ON user_convs (conv_id);
CREATE TABLE IF NOT EXISTS messages (
    msg_id      INTEGER PRIMARY KEY,
    conv_id     INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    sender      TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    sender_sync INTEGER NOT NULL,
    body        TEXT NOT NULL,           -- the wire Message as JSON (incl. revoked, version)
    UNIQUE (conv_id, seq),
    UNIQUE (sender, client_id)
);
CREATE TABLE IF NOT EXISTS users (
    user_id  TEXT PRIMARY KEY,
    sync_seq INTEGER NOT NULL DEFAULT 0,
    nick     TEXT NOT NULL DEFAULT '',
    avatar   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS inbox (
    user_id  TEXT NOT NULL,
    sync_seq INTEGER NOT NULL,
    conv_id  INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (user_id, sync_seq)
) WITHOUT ROWID;
";

/// Step `i` upgrades version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: message changes (revoke, modify, per-user delete) and conversation state.
    "
    ALTER TABLE inbox ADD COLUMN change_kind INTEGER NOT NULL DEFAULT 0; -- see change_code()
    ALTER TABLE user_convs ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE user_convs ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0; -- until the next message
    CREATE TABLE deleted (
        user_id TEXT NOT NULL,
        conv_id INTEGER NOT NULL,
        seq     INTEGER NOT NULL,
        PRIMARY KEY (user_id, conv_id, seq)
    ) WITHOUT ROWID;
    ",
    // 2: read receipts of messages sent with needReadReceipt (who acknowledged which
    // message), and imported messages (never unread, never delivered).
    "
    ALTER TABLE messages ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE receipts (
        conv_id INTEGER NOT NULL,
        seq     INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (conv_id, seq, user_id)
    ) WITHOUT ROWID;
    ",
    // 3: conversation settings (marks, customData, remind type, cleared history) and groups.
    "
    ALTER TABLE user_convs ADD COLUMN marks INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE user_convs ADD COLUMN custom_data TEXT NOT NULL DEFAULT '';
    ALTER TABLE user_convs ADD COLUMN remind TEXT NOT NULL DEFAULT '';
    ALTER TABLE user_convs ADD COLUMN cleared_seq INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE conv_groups (
        user_id TEXT NOT NULL,
        name    TEXT NOT NULL,
        UNIQUE (user_id, name)
    );
    CREATE TABLE conv_group_items (
        group_row       INTEGER NOT NULL,  -- conv_groups.rowid
        conversation_id TEXT NOT NULL,
        UNIQUE (group_row, conversation_id)
    );
    ",
    // 4: the file store. `uploads` are chunked upload sessions (`file_id` set once complete),
    // `upload_chunks` the chunks each has stored, `files` the finished files (blob named by
    // its SHA-256), `file_grants` the conversations whose committed messages refer to a file.
    "
    CREATE TABLE uploads (
        upload_id  TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL,
        size       INTEGER NOT NULL,
        chunk_size INTEGER NOT NULL,
        name       TEXT NOT NULL,
        mime       TEXT NOT NULL,
        created    INTEGER NOT NULL,
        file_id    TEXT
    );
    CREATE TABLE upload_chunks (
        upload_id TEXT NOT NULL,
        idx       INTEGER NOT NULL,
        sha256    TEXT NOT NULL,     -- checked again at completion (chunks are not fsynced)
        PRIMARY KEY (upload_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE files (
        file_id  TEXT PRIMARY KEY,
        sha256   TEXT NOT NULL,
        size     INTEGER NOT NULL,
        mime     TEXT NOT NULL,
        name     TEXT NOT NULL,
        uploader TEXT NOT NULL,
        created  INTEGER NOT NULL
    );
    CREATE TABLE file_grants (
        file_id TEXT NOT NULL,
        conv_id INTEGER NOT NULL,
        PRIMARY KEY (file_id, conv_id)
    ) WITHOUT ROWID;
    ",
    // 5: revocation and private imports. `kicked_at`/`kick_gen`: the second of a user's last
    // REST kick and the number of kicks (`crate::epochs`). `messages.owner`: set on a
    // client's import, which only that user is shown (NULL: every participant).
    "
    ALTER TABLE users ADD COLUMN kicked_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE users ADD COLUMN kick_gen INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN owner TEXT;
    ",
    // 6: a user's incomplete uploads, counted at every upload create (the per-user quota),
    // found without scanning every upload ever made.
    "
    CREATE INDEX uploads_open_by_user ON uploads (user_id, created) WHERE file_id IS NULL;
    ",
    // 7: IM groups (issue 13). The profile on `groups` (options stored as their wire strings,
    // `custom` as JSON `[{key, value}]`), types canonical ('Work' -> 'Private', 'Meeting' ->
    // 'ChatRoom', as REST accepted both), and `group_members`, the roster with each member's
    // role and settings, keyed (conv_id, user_id) so member pages are index ranges. The
    // members' `user_convs` rows stay: reads, unread and deliveries use them. A group tip is
    // stored with `messages.imported = 2`, never unread (see `group::TIP`).
    "
    ALTER TABLE groups ADD COLUMN avatar TEXT NOT NULL DEFAULT '';
    ALTER TABLE groups ADD COLUMN introduction TEXT NOT NULL DEFAULT '';
    ALTER TABLE groups ADD COLUMN notification TEXT NOT NULL DEFAULT '';
    ALTER TABLE groups ADD COLUMN max_members INTEGER NOT NULL DEFAULT 0;  -- 0: the type's
    ALTER TABLE groups ADD COLUMN join_option TEXT NOT NULL DEFAULT '';    -- '': the type's
    ALTER TABLE groups ADD COLUMN invite_option TEXT NOT NULL DEFAULT '';  -- '': the type's
    ALTER TABLE groups ADD COLUMN mute_all INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE groups ADD COLUMN custom TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE groups ADD COLUMN info_seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE groups ADD COLUMN info_time INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE groups ADD COLUMN support_topic INTEGER NOT NULL DEFAULT 0;
    UPDATE groups SET group_type = 'Private' WHERE group_type = 'Work';
    UPDATE groups SET group_type = 'ChatRoom' WHERE group_type = 'Meeting';
    CREATE TABLE group_members (
        conv_id    INTEGER NOT NULL,
        user_id    TEXT NOT NULL,
        role       TEXT NOT NULL DEFAULT 'Member',  -- 'Owner' | 'Admin' | 'Member'
        join_time  INTEGER NOT NULL DEFAULT 0,
        name_card  TEXT NOT NULL DEFAULT '',
        mute_until INTEGER NOT NULL DEFAULT 0,
        custom     TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (conv_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX group_members_by_user ON group_members (user_id);
    INSERT INTO group_members (conv_id, user_id, role, join_time)
        SELECT uc.conv_id, uc.user_id,
               CASE WHEN g.owner = uc.user_id THEN 'Owner' ELSE 'Member' END, g.created
        FROM user_convs uc JOIN groups g ON g.conv_id = uc.conv_id;
    ",
    // 8: applications to join groups (joinGroup on a NeedPermission group). `state` 0 pending,
    // 1 agreed, 2 refused; two partial indexes, so the list of pending ones never walks the
    // handled ones; at most one pending row per (group, applicant), so a repeated
    // application refreshes it; handling flips 0 to 1 or 2 in one conditional UPDATE, so of
    // two admins the first wins. Handled rows stay until the applicant applies again (the
    // second handler is told 10024 rather than "no such application"). `groups_by_conv`: a
    // group from its conversation (the application list, a user's groups) without a scan.
    "
    CREATE TABLE group_apps (
        app_id    INTEGER PRIMARY KEY,
        conv_id   INTEGER NOT NULL,
        applicant TEXT NOT NULL,
        note      TEXT NOT NULL DEFAULT '',
        created   INTEGER NOT NULL,
        state     INTEGER NOT NULL DEFAULT 0,
        handler   TEXT,
        handled   INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX group_apps_pending ON group_apps (conv_id, applicant) WHERE state = 0;
    CREATE INDEX group_apps_handled ON group_apps (conv_id, applicant) WHERE state <> 0;
    CREATE INDEX groups_by_conv ON groups (conv_id);
    ",
];

/// The version this build writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Creates the base schema if missing, then applies every migration newer than the stored
/// `user_version`, all in one transaction. A database from a newer build is refused.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(BASE)?;
    let current: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > VERSION {
        return Err(StoreError::Backend(format!(
            "database schema version {current} is newer than this server's ({VERSION})"
        )));
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(step)?;
        tracing::info!(version = i + 1, "database schema migrated");
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Builds the schema of `version` (for migration tests): the base and the first `version`
/// steps, recorded in `user_version`.
#[cfg(test)]
pub fn build_version(conn: &Connection, version: u32) -> rusqlite::Result<()> {
    conn.execute_batch(BASE)?;
    for step in &MIGRATIONS[..version as usize] {
        conn.execute_batch(step)?;
    }
    conn.pragma_update(None, "user_version", version)
}
