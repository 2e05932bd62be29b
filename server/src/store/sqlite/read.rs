//! The read path: history pages, the conversation list and the delivery log, each on a pooled
//! read connection. WAL readers never block the committer.

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{ConvType, ConversationInfo, SyncItem, MAX_HISTORY_PAGE, MAX_SYNC_PAGE};

use super::{parse_message, resolve, unread};
use crate::store::{Conv, HistoryPage, StoreError, SyncPage};

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
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM messages WHERE conv_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
    )?;
    let bodies = stmt
        .query_map((conv_id, before, count), |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut messages = bodies
        .iter()
        .rev()
        .map(|b| parse_message(b))
        .collect::<Result<Vec<_>, _>>()?;
    messages.sort_by_key(|m| m.seq);
    let oldest = messages.first().map_or(before, |m| m.seq);
    let complete = !conn
        .prepare_cached("SELECT 1 FROM messages WHERE conv_id = ?1 AND seq < ?2")?
        .exists((conv_id, oldest))?;
    Ok((messages, complete))
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
            "SELECT uc.conv_id, uc.read_seq, c.kind, c.a, c.b, c.last_seq, coalesce(g.name, '')
             FROM user_convs uc
             JOIN convs c ON c.conv_id = uc.conv_id
             LEFT JOIN groups g ON g.conv_id = c.conv_id
             WHERE uc.user_id = ?1 AND (c.kind = 'G' OR c.last_seq > 0)
             ORDER BY uc.sort_key DESC, uc.rowid DESC",
        )?;
        let rows = stmt.query_map([user], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let mut out = Vec::with_capacity(rows.len());
    for (conv_id, read_seq, kind, a, b, last_seq, group_name) in rows {
        let (conv_type, peer) = if kind == "G" {
            (ConvType::Group, a)
        } else if a == user {
            (ConvType::C2c, b)
        } else {
            (ConvType::C2c, a)
        };
        let last_message = if last_seq > 0 {
            let body: Option<String> = tx
                .prepare_cached("SELECT body FROM messages WHERE conv_id = ?1 AND seq = ?2")?
                .query_row((conv_id, last_seq), |r| r.get(0))
                .optional()?;
            body.as_deref().map(parse_message).transpose()?
        } else {
            None
        };
        out.push(ConversationInfo {
            conversation_id: tim_protocol::conversation_id(conv_type, &peer),
            conv_type,
            peer,
            read_seq,
            unread: unread(&tx, user, conv_id, read_seq)?,
            last_message,
            group_name,
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
    let mut stmt = conn.prepare_cached(
        "SELECT i.sync_seq, m.body FROM inbox i
         JOIN messages m ON m.conv_id = i.conv_id AND m.seq = i.seq
         WHERE i.user_id = ?1 AND i.sync_seq > ?2
         ORDER BY i.sync_seq LIMIT ?3",
    )?;
    let rows = stmt
        .query_map((user, since, limit + 1), |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let complete = rows.len() <= limit as usize;
    let items = rows
        .iter()
        .take(limit as usize)
        .map(|(sync_seq, body)| {
            Ok(SyncItem {
                sync_seq: *sync_seq,
                message: parse_message(body)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((items, complete))
}
