//! The SQLite schema. `convs` holds one row per conversation (a C2C pair stored with the
//! smaller user ID in `a`, or a group in `a`), with the last assigned `seq`. `user_convs` is a
//! user's side of a conversation: read position and list order; for groups it is also the
//! membership. `inbox` is the per-user delivery log that `Sync` replays.

pub const SCHEMA: &str = "
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
    body        TEXT NOT NULL,           -- the wire Message as JSON
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
