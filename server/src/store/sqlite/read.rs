//! The read path: history pages, the conversation list and the delivery log, each on a pooled
//! read connection. WAL readers never block the committer.

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{
    ConvSettings, ConvType, ConversationInfo, Message, SyncItem, MAX_HISTORY_PAGE, MAX_SYNC_PAGE,
    REMIND_DISCARD,
};

use super::{change_from_code, parse_message, resolve, unread};
use crate::store::{Conv, HistoryPage, HopFrom, StoreError, SyncPage};

/// SQL condition: message `m` is shown to user `?1`: neither deleted nor cleared
/// (`clearHistoryMessage`) by them, nor someone else's private import. A sequence hidden this
/// way is a hole in the pages, like a deleted one: the SDK learns the whole span a page covers,
/// so it never asks for the hole again.
const NOT_DELETED: &str =
    "NOT EXISTS (SELECT 1 FROM deleted d WHERE d.user_id = ?1 AND d.conv_id = m.conv_id AND d.seq = m.seq)
     AND m.seq > coalesce((SELECT cu.cleared_seq FROM user_convs cu
                           WHERE cu.user_id = ?1 AND cu.conv_id = m.conv_id), 0)
     AND (m.owner IS NULL OR m.owner = ?1)";

pub(super) fn history(
    conn: &mut Connection,
    user: &str,
    conv: &Conv,
    before_seq: Option<u64>,
    count: u32,
) -> Result<HistoryPage, StoreError> {
    let Some((conv_id, _)) = resolve(conn, user, conv)? else {
        return Ok((Vec::new(), true));
    };
    let count = count.clamp(1, MAX_HISTORY_PAGE);
    // SQLite integers are signed: clamp the open upper bound.
    let before = before_seq.unwrap_or(i64::MAX as u64).min(i64::MAX as u64);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT body FROM messages m WHERE m.conv_id = ?2 AND m.seq < ?3 AND {NOT_DELETED}
         ORDER BY m.seq DESC LIMIT ?4"
    ))?;
    let bodies = stmt
        .query_map((user, conv_id, before, count), |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut messages = bodies
        .iter()
        .rev()
        .map(|b| parse_message(b).map(|m| m.seen_by(user)))
        .collect::<Result<Vec<_>, _>>()?;
    messages.sort_by_key(|m| m.seq);
    let oldest = messages.first().map_or(before, |m| m.seq);
    let complete = !conn
        .prepare_cached(&format!(
            "SELECT 1 FROM messages m WHERE m.conv_id = ?2 AND m.seq < ?3 AND {NOT_DELETED}"
        ))?
        .exists((user, conv_id, oldest))?;
    Ok((messages, complete))
}

/// `getMessageListHopping`: from a sequence or a server time (inclusive), either way.
pub(super) fn hop(
    conn: &mut Connection,
    user: &str,
    conv: &Conv,
    at: HopFrom,
    newer: bool,
    count: u32,
) -> Result<HistoryPage, StoreError> {
    let Some((conv_id, _)) = resolve(conn, user, conv)? else {
        return Ok((Vec::new(), true));
    };
    let count = count.clamp(1, MAX_HISTORY_PAGE);
    let (key, from) = match at {
        HopFrom::Seq(s) => ("m.seq", s),
        HopFrom::Time(t) => ("json_extract(m.body, '$.time')", t),
    };
    let (cmp, order) = if newer { (">=", "ASC") } else { ("<=", "DESC") };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT body FROM messages m WHERE m.conv_id = ?2 AND {key} {cmp} ?3 AND {NOT_DELETED}
         ORDER BY m.seq {order} LIMIT ?4"
    ))?;
    let bodies = stmt
        .query_map((user, conv_id, from.min(i64::MAX as u64), count + 1), |r| {
            r.get::<_, String>(0)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let complete = bodies.len() <= count as usize;
    let mut messages = bodies
        .iter()
        .take(count as usize)
        .map(|b| parse_message(b).map(|m| m.seen_by(user)))
        .collect::<Result<Vec<_>, _>>()?;
    messages.sort_by_key(|m| m.seq);
    Ok((messages, complete))
}

/// The messages of `conv` with these sequences that `user` has (locator lookup).
pub(super) fn fetch(
    conn: &mut Connection,
    user: &str,
    conv: &Conv,
    seqs: &[u64],
) -> Result<Vec<Message>, StoreError> {
    let Some((conv_id, _)) = resolve(conn, user, conv)? else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT body FROM messages m WHERE m.conv_id = ?2 AND m.seq = ?3 AND {NOT_DELETED}"
    ))?;
    let mut out = Vec::new();
    for seq in seqs {
        let body: Option<String> = stmt
            .query_row((user, conv_id, (*seq).min(i64::MAX as u64)), |r| r.get(0))
            .optional()?;
        if let Some(b) = body {
            out.push(parse_message(&b)?.seen_by(user));
        }
    }
    out.sort_by_key(|m| m.seq);
    out.dedup_by_key(|m| m.seq);
    Ok(out)
}

pub(super) fn conversations(
    conn: &mut Connection,
    user: &str,
) -> Result<(Vec<ConversationInfo>, u64), StoreError> {
    // One read transaction: the list and the cursor come from the same snapshot.
    let tx = conn.transaction()?;
    let sync_seq: u64 = tx
        .prepare_cached("SELECT sync_seq FROM users WHERE user_id = ?1")?
        .query_row([user], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let rows = {
        let mut stmt = tx.prepare_cached(
            "SELECT uc.conv_id, uc.read_seq, c.kind, c.a, c.b, uc.pinned, coalesce(g.name, ''),
                    CASE WHEN c.kind = 'C' THEN coalesce(
                        (SELECT p.read_seq FROM user_convs p WHERE p.conv_id = c.conv_id
                         AND p.user_id = CASE WHEN c.a = ?1 THEN c.b ELSE c.a END), 0)
                    ELSE 0 END,
                    uc.marks, uc.custom_data, uc.remind, uc.cleared_seq
             FROM user_convs uc
             JOIN convs c ON c.conv_id = uc.conv_id
             LEFT JOIN groups g ON g.conv_id = c.conv_id
             WHERE uc.user_id = ?1 AND uc.hidden = 0 AND (c.kind = 'G' OR c.last_seq > 0)
             ORDER BY uc.pinned DESC, uc.sort_key DESC, uc.rowid DESC",
        )?;
        let rows = stmt.query_map([user], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, u64>(7)?,
                ConvSettings {
                    marks: r.get(8)?,
                    custom_data: r.get(9)?,
                    remind: r.get(10)?,
                    cleared_seq: r.get(11)?,
                },
            ))
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let mut out = Vec::with_capacity(rows.len());
    for (conv_id, read_seq, kind, a, b, pinned, group_name, peer_read_seq, settings) in rows {
        let (conv_type, peer) = if kind == "S" {
            (ConvType::System, String::new())
        } else if kind == "G" {
            (ConvType::Group, a)
        } else if a == user {
            (ConvType::C2c, b)
        } else {
            (ConvType::C2c, a)
        };
        // The newest message this user has not deleted.
        let body: Option<String> = tx
            .prepare_cached(&format!(
                "SELECT body FROM messages m WHERE m.conv_id = ?2 AND {NOT_DELETED}
                 ORDER BY m.seq DESC LIMIT 1"
            ))?
            .query_row((user, conv_id), |r| r.get(0))
            .optional()?;
        let last_message = body
            .as_deref()
            .map(|b| parse_message(b).map(|m| m.seen_by(user)))
            .transpose()?;
        out.push(ConversationInfo {
            conversation_id: tim_protocol::conversation_id(conv_type, &peer),
            conv_type,
            peer,
            read_seq,
            unread: if settings.remind == REMIND_DISCARD {
                0
            } else {
                unread(&tx, user, conv_id, read_seq)?
            },
            last_message,
            group_name,
            peer_read_seq,
            pinned,
            settings,
        });
    }
    tx.finish()?;
    Ok((out, sync_seq))
}

pub(super) fn sync(
    conn: &mut Connection,
    user: &str,
    since: u64,
    limit: u32,
) -> Result<SyncPage, StoreError> {
    let limit = limit.clamp(1, MAX_SYNC_PAGE);
    let since = since.min(i64::MAX as u64);
    // Deliveries of messages the user deleted are left out, except the deletions themselves.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT i.sync_seq, i.change_kind, m.body FROM inbox i
         JOIN messages m ON m.conv_id = i.conv_id AND m.seq = i.seq
         WHERE i.user_id = ?1 AND i.sync_seq > ?2 AND (i.change_kind = {deleted} OR {NOT_DELETED})
         ORDER BY i.sync_seq LIMIT ?3",
        deleted = super::change_code(tim_protocol::Change::Deleted)
    ))?;
    let rows = stmt
        .query_map((user, since, limit + 1), |r| {
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let complete = rows.len() <= limit as usize;
    let items = rows
        .iter()
        .take(limit as usize)
        .map(|(sync_seq, change, body)| {
            Ok(SyncItem {
                sync_seq: *sync_seq,
                message: parse_message(body)?.seen_by(user),
                change: change_from_code(*change),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((items, complete))
}
