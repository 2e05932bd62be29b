//! The write path: one transaction per batch. A refused write (unknown group, non-member) must
//! be rolled back alone while the rest of the batch commits, but a savepoint per write costs a
//! quarter of the committer's time (each one journals every page its write touches), and
//! refusals are rare: a batch is applied without savepoints first, and only a batch in which a
//! write failed is applied again from the start, with one savepoint per write. The writes are
//! deterministic given the database and `now`, so the second pass refuses the same ones.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use tim_protocol::{Change, ConvType};

use super::{
    c2c_key, change, change_code, conversation_id, files, group_conv, is_member, parse_message,
    resolve, settings, unread,
};
use crate::epochs::Epoch;
use crate::store::{Outcome, ReadState, SendWrite, Sent, StoreError, Write};

/// How a message is committed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Sent now: delivered, pushed, counted unread.
    Live,
    /// History (REST import): its own time kept, listed for every participant, delivered to
    /// no one.
    Import,
    /// A client's import ([`Write::Import`] `private`): as [`Kind::Import`] but shown to its
    /// sender alone.
    PrivateImport,
}

type Outcomes = Vec<Result<Outcome, StoreError>>;

/// Applies `batch`; returns the outcomes and how many new messages were committed.
pub(super) fn apply(
    conn: &mut Connection,
    batch: &[&Write],
    now: u64,
) -> Result<(Outcomes, u64), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for write in batch {
        match apply_one(&tx, write, now) {
            Ok(outcome) => outcomes.push(Ok(outcome)),
            Err(_) => {
                tx.rollback()?;
                return apply_isolated(conn, batch, now);
            }
        }
    }
    tx.commit()?;
    let sent = count_sent(&outcomes);
    Ok((outcomes, sent))
}

/// [`apply`] with each write in a savepoint of its own, so a refused one rolls back alone.
fn apply_isolated(
    conn: &mut Connection,
    batch: &[&Write],
    now: u64,
) -> Result<(Outcomes, u64), StoreError> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for write in batch {
        let sp = tx.savepoint()?;
        match apply_one(&sp, write, now) {
            Ok(outcome) => {
                sp.commit()?;
                outcomes.push(Ok(outcome));
            }
            // Dropping the savepoint rolls this write back.
            Err(e) => outcomes.push(Err(e)),
        }
    }
    tx.commit()?;
    let sent = count_sent(&outcomes);
    Ok((outcomes, sent))
}

fn count_sent(outcomes: &Outcomes) -> u64 {
    let new = |o: &&Result<Outcome, StoreError>| matches!(o, Ok(Outcome::Sent(s)) if !s.duplicate);
    outcomes.iter().filter(new).count() as u64
}

fn apply_one(tx: &Connection, write: &Write, now: u64) -> Result<Outcome, StoreError> {
    match write {
        Write::Send(w) => send(tx, w, now, Kind::Live).map(Outcome::Sent),
        Write::Import {
            from,
            messages,
            private,
        } => {
            let mut order: Vec<&tim_protocol::OutboundMessage> = messages.iter().collect();
            order.sort_by_key(|m| m.client_time);
            let mut stored = Vec::with_capacity(order.len());
            let kind = if *private {
                Kind::PrivateImport
            } else {
                Kind::Import
            };
            for m in order {
                let w = SendWrite {
                    from: from.clone(),
                    message: m.clone(),
                    // A client imports only into its own groups.
                    require_membership: *private,
                };
                stored.push(send(tx, &w, now, kind)?.message);
            }
            stored.sort_by_key(|m| m.seq);
            Ok(Outcome::Imported(stored))
        }
        Write::Kick { user } => {
            let (kicked_at, generation) = tx
                .prepare_cached(
                    "INSERT INTO users (user_id, kicked_at, kick_gen) VALUES (?1, ?2, 1)
                     ON CONFLICT (user_id) DO UPDATE
                     SET kicked_at = max(kicked_at, ?2), kick_gen = kick_gen + 1
                     RETURNING kicked_at, kick_gen",
                )?
                .query_row((user, now), |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(Outcome::Kicked(Epoch {
                kicked_at,
                generation,
            }))
        }
        Write::Read { user, conv, seq } => {
            let conversation_id = conversation_id(conv);
            let Some((conv_id, last_seq)) = resolve(tx, user, conv)? else {
                return Ok(Outcome::Read(ReadState {
                    conversation_id,
                    read_seq: 0,
                    unread: 0,
                    changed: false,
                }));
            };
            let old: u64 = tx
                .prepare_cached(
                    "SELECT read_seq FROM user_convs WHERE user_id = ?1 AND conv_id = ?2",
                )?
                .query_row((user, conv_id), |r| r.get(0))
                .optional()?
                .unwrap_or(0);
            let new = old.max((*seq).min(last_seq));
            if new != old {
                tx.prepare_cached(
                    "UPDATE user_convs SET read_seq = ?3 WHERE user_id = ?1 AND conv_id = ?2",
                )?
                .execute((user, conv_id, new))?;
            }
            let unread = unread(tx, user, conv_id, new)?;
            Ok(Outcome::Read(ReadState {
                conversation_id,
                read_seq: new,
                unread,
                changed: new != old,
            }))
        }
        Write::Cursor { user } => {
            // A login makes the user known (as Tencent registers a user at first login), so
            // messages to them are not to an unknown peer (`Store::unknown_peers`).
            tx.prepare_cached("INSERT INTO users (user_id) VALUES (?1) ON CONFLICT DO NOTHING")?
                .execute([user])?;
            Ok(Outcome::Cursor(cursor(tx, user)?))
        }
        Write::Profile { user, nick, avatar } => {
            tx.prepare_cached(
                "INSERT INTO users (user_id, nick, avatar) VALUES (?1, coalesce(?2, ''), coalesce(?3, ''))
                 ON CONFLICT (user_id) DO UPDATE SET nick = coalesce(?2, nick), avatar = coalesce(?3, avatar)",
            )?
            .execute((user, nick, avatar))?;
            Ok(Outcome::Done)
        }
        Write::Group(op) => super::group::apply(tx, op, now).map(Outcome::Group),
        Write::Revoke(w) => change::revoke(tx, w, now).map(Outcome::Updated),
        Write::Modify(w) => change::modify(tx, w).map(Outcome::Updated),
        Write::Delete { user, conv, seqs } => {
            change::delete(tx, user, conv, seqs).map(Outcome::Deleted)
        }
        Write::ConvState {
            user,
            conv,
            hidden,
            pinned,
        } => change::conv_state(tx, user, conv, *hidden, *pinned).map(Outcome::ConvState),
        Write::Receipt { user, conv, seqs } => {
            super::receipt::acknowledge(tx, user, conv, seqs).map(Outcome::Receipts)
        }
        Write::ConvSettings(w) => settings::set(tx, w).map(Outcome::ConvSettings),
        Write::ConvGroup(w) => settings::group(tx, w).map(Outcome::ConvGroups),
    }
}

/// Appends a delivery of message `seq` of `conv_id` to `user`'s log; returns its cursor.
pub(super) fn deliver(
    tx: &Connection,
    user: &str,
    conv_id: i64,
    seq: u64,
    change: Change,
) -> Result<u64, StoreError> {
    let sync_seq: u64 = tx
        .prepare_cached(
            "INSERT INTO users (user_id, sync_seq) VALUES (?1, 1)
             ON CONFLICT (user_id) DO UPDATE SET sync_seq = sync_seq + 1 RETURNING sync_seq",
        )?
        .query_row([user], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO inbox (user_id, sync_seq, conv_id, seq, change_kind) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute((user, sync_seq, conv_id, seq, change_code(change)))?;
    Ok(sync_seq)
}

pub(super) fn cursor(tx: &Connection, user: &str) -> Result<u64, StoreError> {
    Ok(tx
        .prepare_cached("SELECT sync_seq FROM users WHERE user_id = ?1")?
        .query_row([user], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Lists conversation `conv_id` for `user` (an import's participant); true if newly listed.
fn join(tx: &Connection, user: &str, conv_id: i64) -> Result<bool, StoreError> {
    let sort_key = cursor(tx, user)?;
    let n = tx
        .prepare_cached("INSERT OR IGNORE INTO user_convs (user_id, conv_id, read_seq, sort_key) VALUES (?1, ?2, 0, ?3)")?
        .execute((user, conv_id, sort_key))?;
    Ok(n == 1)
}

/// Commits a message of `kind` (see `Write::Import` for imports).
fn send(tx: &Connection, w: &SendWrite, now: u64, kind: Kind) -> Result<Sent, StoreError> {
    let imported = kind != Kind::Live;
    let owner = (kind == Kind::PrivateImport).then_some(w.from.as_str());
    let m = &w.message;
    // Idempotency: a repeat of (from, id) returns what was stored, writes nothing.
    let stored: Option<(String, u64)> = tx
        .prepare_cached(
            "SELECT body, sender_sync FROM messages WHERE sender = ?1 AND client_id = ?2",
        )?
        .query_row((&w.from, &m.id), |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((body, sender_sync_seq)) = stored {
        let message = parse_message(&body)?;
        if message.conv_type != m.conv_type || message.to != m.to {
            return Err(StoreError::IdReused);
        }
        return Ok(Sent {
            message,
            sender_sync_seq,
            deliveries: Vec::new(),
            duplicate: true,
        });
    }

    let (conv_id, seq, participants): (i64, u64, _) = match m.conv_type {
        ConvType::C2c => {
            let (a, b) = c2c_key(&w.from, &m.to);
            // Finds or creates the pair's row and takes its next seq, in one statement.
            let (conv_id, seq) = tx
                .prepare_cached(
                    "INSERT INTO convs (kind, a, b, last_seq) VALUES ('C', ?1, ?2, 1)
                     ON CONFLICT (kind, a, b) DO UPDATE SET last_seq = last_seq + 1
                     RETURNING conv_id, last_seq",
                )?
                .query_row((a, b), |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut users = vec![w.from.clone()];
            if m.to != w.from {
                users.push(m.to.clone());
            }
            (conv_id, seq, Recipients::Users(users))
        }
        ConvType::Group => {
            let (conv_id, _) = group_conv(tx, &m.to)?;
            if w.require_membership && !is_member(tx, &w.from, conv_id)? {
                return Err(StoreError::NotGroupMember);
            }
            // A client's live send: mutes apply (imports and REST sends are the app's own).
            if w.require_membership && kind == Kind::Live {
                super::group::may_send(tx, conv_id, &w.from, now)?;
            }
            let seq = tx
                .prepare_cached(
                    "UPDATE convs SET last_seq = last_seq + 1 WHERE conv_id = ?1 RETURNING last_seq",
                )?
                .query_row([conv_id], |r| r.get(0))?;
            (conv_id, seq, Recipients::Members)
        }
        ConvType::System => {
            return Err(StoreError::ConversationForbidden(m.to.clone()));
        }
    };
    let (nick, avatar): (String, String) = tx
        .prepare_cached("SELECT nick, avatar FROM users WHERE user_id = ?1")?
        .query_row([&w.from], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default();
    let time = if imported && (1..now).contains(&m.client_time) {
        m.client_time
    } else {
        now
    };
    let mut message = m.clone().committed(w.from.clone(), seq, time);
    (message.nick, message.avatar) = (nick, avatar);

    let deliveries = match (imported, participants) {
        (false, Recipients::Users(users)) => deliver_to_users(tx, &w.from, users, conv_id, seq)?,
        (false, Recipients::Members) => deliver_to_members(tx, &w.from, conv_id, seq)?,
        (true, participants) => {
            let users = match participants {
                Recipients::Users(users) => users,
                Recipients::Members => members(tx, conv_id)?,
            };
            // Listed for everyone it is shown to, delivered to no one.
            for user in users.iter().filter(|u| owner.is_none_or(|o| o == *u)) {
                join(tx, user, conv_id)?;
            }
            Vec::new()
        }
    };
    let sender_sync_seq = deliveries
        .iter()
        .find(|(user, _)| *user == w.from)
        .map_or(0, |(_, sync_seq)| *sync_seq);

    // The recipients may read the files the message refers to from this commit on; a private
    // import has no recipients, but its sender must still be able to read them.
    match owner {
        None => files::grant(tx, &w.from, conv_id, &m.content.file_ids())?,
        Some(_) => files::check_readable(tx, &w.from, &m.content.file_ids())?,
    }
    tx.prepare_cached(
        "INSERT INTO messages (conv_id, seq, sender, client_id, sender_sync, body, imported, owner)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute((
        conv_id,
        seq,
        &w.from,
        &m.id,
        sender_sync_seq,
        serde_json::to_string(&message)?,
        imported,
        owner,
    ))?;
    Ok(Sent {
        message,
        sender_sync_seq,
        deliveries,
        duplicate: false,
    })
}

/// Who a new message goes to: named users (C2C), or every member of its group.
enum Recipients {
    Users(Vec<String>),
    Members,
}

fn members(tx: &Connection, conv_id: i64) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.prepare_cached("SELECT user_id FROM user_convs WHERE conv_id = ?1")?;
    let users = stmt
        .query_map([conv_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(users)
}

/// Delivers message `seq` of `conv_id` to each of `users` but those discarding it
/// (`MSG_REMIND_DISCARD`: stored, history shows it, not delivered or counted); the sender
/// always gets it. Returns each delivery's `(user, sync_seq)`.
fn deliver_to_users(
    tx: &Connection,
    from: &str,
    users: Vec<String>,
    conv_id: i64,
    seq: u64,
) -> Result<Vec<(String, u64)>, StoreError> {
    let mut deliveries = Vec::with_capacity(users.len());
    for user in users {
        if user != from && settings::discards(tx, &user, conv_id)? {
            continue;
        }
        let sync_seq = deliver(tx, &user, conv_id, seq, Change::New)?;
        // A new message also shows a conversation its user had hidden.
        tx.prepare_cached(
            "INSERT INTO user_convs (user_id, conv_id, read_seq, sort_key) VALUES (?1, ?2, 0, ?3)
             ON CONFLICT (user_id, conv_id) DO UPDATE SET sort_key = excluded.sort_key, hidden = 0",
        )?
        .execute((&user, conv_id, sync_seq))?;
        deliveries.push((user, sync_seq));
    }
    Ok(deliveries)
}

/// [`deliver_to_users`] for every member of group `conv_id`, as three set-based statements
/// rather than four per member: the committer's cost per delivery in a large group. They are
/// `OR IGNORE` (no constraint can fail: the upsert takes the key conflict, each cursor is new)
/// because a statement writing many rows that may abort first copies every page it touches
/// into a statement journal: a quarter of the cost of a delivery.
pub(super) fn deliver_to_members(
    tx: &Connection,
    from: &str,
    conv_id: i64,
    seq: u64,
) -> Result<Vec<(String, u64)>, StoreError> {
    let recipients = (conv_id, from, tim_protocol::REMIND_DISCARD);
    let deliveries = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO users (user_id, sync_seq)
             SELECT user_id, 1 FROM user_convs
             WHERE conv_id = ?1 AND (user_id = ?2 OR remind <> ?3)
             ON CONFLICT (user_id) DO UPDATE SET sync_seq = sync_seq + 1
             RETURNING user_id, sync_seq",
        )?
        .query_map(recipients, |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<(String, u64)>, _>>()?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO inbox (user_id, sync_seq, conv_id, seq, change_kind)
         SELECT uc.user_id, u.sync_seq, uc.conv_id, ?4, ?5
         FROM user_convs uc JOIN users u ON u.user_id = uc.user_id
         WHERE uc.conv_id = ?1 AND (uc.user_id = ?2 OR uc.remind <> ?3)",
    )?
    .execute((
        conv_id,
        from,
        tim_protocol::REMIND_DISCARD,
        seq,
        change_code(Change::New),
    ))?;
    // A new message also shows a conversation its user had hidden.
    tx.prepare_cached(
        "UPDATE OR IGNORE user_convs SET hidden = 0,
             sort_key = (SELECT sync_seq FROM users u WHERE u.user_id = user_convs.user_id)
         WHERE conv_id = ?1 AND (user_id = ?2 OR remind <> ?3)",
    )?
    .execute(recipients)?;
    Ok(deliveries)
}
