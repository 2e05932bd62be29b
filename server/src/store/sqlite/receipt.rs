//! Read receipts of messages sent with `needReadReceipt`: `receipts` holds who acknowledged
//! which message; the unread side is every other participant (group members, or the C2C peer)
//! without a row. Counts are computed on demand, so members joining later count as unread.

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{Message, Receipt};

use super::{parse_message, resolve};
use crate::store::{Conv, MembersPage, Receipts, StoreError};

/// Largest page of [`members`].
const MAX_MEMBERS_PAGE: u32 = 100;

/// Message `seq` of `conv_id` if `user` is shown it (someone else's private import is not).
fn load(
    conn: &Connection,
    user: &str,
    conv_id: i64,
    seq: u64,
) -> Result<Option<Message>, StoreError> {
    let body: Option<String> = conn
        .prepare_cached(
            "SELECT body FROM messages WHERE conv_id = ?1 AND seq = ?2
             AND (owner IS NULL OR owner = ?3)",
        )?
        .query_row((conv_id, seq.min(i64::MAX as u64), user), |r| r.get(0))
        .optional()?;
    body.as_deref().map(parse_message).transpose()
}

fn count(conn: &Connection, conv_id: i64, m: &Message) -> Result<Receipt, StoreError> {
    let read: u32 = conn
        .prepare_cached("SELECT COUNT(*) FROM receipts WHERE conv_id = ?1 AND seq = ?2")?
        .query_row((conv_id, m.seq), |r| r.get(0))?;
    let unread: u32 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM user_convs u WHERE u.conv_id = ?1 AND u.user_id <> ?3
             AND NOT EXISTS (SELECT 1 FROM receipts r
                             WHERE r.conv_id = ?1 AND r.seq = ?2 AND r.user_id = u.user_id)",
        )?
        .query_row((conv_id, m.seq, &m.from), |r| r.get(0))?;
    Ok(Receipt {
        id: m.id.clone(),
        seq: m.seq,
        read,
        unread,
    })
}

/// The messages among `seqs` shown to `user` that asked for receipts, in the order given,
/// without repeats.
fn receipt_messages(
    conn: &Connection,
    user: &str,
    conv_id: i64,
    seqs: &[u64],
) -> Result<Vec<Message>, StoreError> {
    let mut out: Vec<Message> = Vec::new();
    for &seq in seqs {
        if out.iter().any(|m| m.seq == seq) {
            continue;
        }
        if let Some(m) = load(conn, user, conv_id, seq)?.filter(|m| m.need_read_receipt) {
            out.push(m);
        }
    }
    Ok(out)
}

/// `user` acknowledges `seqs`; own messages are skipped, repeats change nothing.
pub(super) fn acknowledge(
    tx: &Connection,
    user: &str,
    conv: &Conv,
    seqs: &[u64],
) -> Result<Receipts, StoreError> {
    let Some((conv_id, _)) = resolve(tx, user, conv)? else {
        return Ok(Receipts::default());
    };
    let mut out = Receipts::default();
    for m in receipt_messages(tx, user, conv_id, seqs)? {
        if m.from == user {
            continue;
        }
        let added = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO receipts (conv_id, seq, user_id) VALUES (?1, ?2, ?3)",
            )?
            .execute((conv_id, m.seq, user))?
            == 1;
        let receipt = count(tx, conv_id, &m)?;
        if added {
            let conversation_id = m.conversation_id_for(&m.from);
            match out.by_sender.iter_mut().find(|(s, _, _)| *s == m.from) {
                Some((_, _, list)) => list.push(receipt.clone()),
                None => {
                    out.by_sender
                        .push((m.from.clone(), conversation_id, vec![receipt.clone()]))
                }
            }
        }
        out.all.push(receipt);
    }
    Ok(out)
}

/// Current counts of the messages among `seqs` that asked for receipts.
pub(super) fn counts(
    conn: &Connection,
    user: &str,
    conv: &Conv,
    seqs: &[u64],
) -> Result<Vec<Receipt>, StoreError> {
    let Some((conv_id, _)) = resolve(conn, user, conv)? else {
        return Ok(Vec::new());
    };
    receipt_messages(conn, user, conv_id, seqs)?
        .iter()
        .map(|m| count(conn, conv_id, m))
        .collect()
}

/// A page of the participants who did (`read`) or did not acknowledge message `seq`.
pub(super) fn members(
    conn: &Connection,
    user: &str,
    conv: &Conv,
    seq: u64,
    read: bool,
    cursor: &str,
    count: u32,
) -> Result<MembersPage, StoreError> {
    let conv_id = resolve(conn, user, conv)?
        .ok_or(StoreError::MessageNotFound)?
        .0;
    let m = load(conn, user, conv_id, seq)?.ok_or(StoreError::MessageNotFound)?;
    let limit = count.clamp(1, MAX_MEMBERS_PAGE);
    let sql = if read {
        "SELECT user_id FROM receipts WHERE conv_id = ?1 AND seq = ?2 AND user_id > ?4
         AND user_id <> ?3 ORDER BY user_id LIMIT ?5"
    } else {
        "SELECT u.user_id FROM user_convs u WHERE u.conv_id = ?1 AND u.user_id <> ?3
         AND u.user_id > ?4 AND NOT EXISTS (SELECT 1 FROM receipts r
             WHERE r.conv_id = ?1 AND r.seq = ?2 AND r.user_id = u.user_id)
         ORDER BY u.user_id LIMIT ?5"
    };
    let mut users = conn
        .prepare_cached(sql)?
        .query_map((conv_id, m.seq, &m.from, cursor, limit + 1), |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let complete = users.len() <= limit as usize;
    users.truncate(limit as usize);
    let next = if complete {
        String::new()
    } else {
        users.last().cloned().unwrap_or_default()
    };
    Ok((users, next, complete))
}
