//! Changes to committed messages and to a user's conversation list: revoke, modify, per-user
//! delete, hide and pin. Each runs inside the committer's transaction, so a check and the
//! update it guards (a modify's version, a revoke's state) cannot interleave with another
//! write; every message change is appended to the participants' delivery logs with its kind.

use std::collections::BTreeSet;
use std::mem::discriminant;

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{Change, Message};

use super::write::{cursor, deliver};
use super::{
    c2c_key, change_code, conversation_id, group_conv, is_deleted, parse_message, resolve,
};
use crate::store::{Conv, ConvState, ModifyWrite, RevokeWrite, Revoker, StoreError, Updated};

/// The stored message `seq` of `conv_id`, and the user it is private to (a client's import).
fn load(
    tx: &Connection,
    conv_id: i64,
    seq: u64,
) -> Result<Option<(Message, Option<String>)>, StoreError> {
    let row: Option<(String, Option<String>)> = tx
        .prepare_cached("SELECT body, owner FROM messages WHERE conv_id = ?1 AND seq = ?2")?
        .query_row((conv_id, seq.min(i64::MAX as u64)), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    row.map(|(body, owner)| Ok((parse_message(&body)?, owner)))
        .transpose()
}

/// The message `seq` of `conv_id` if `user` is shown it (someone else's private import is not).
fn load_for(
    tx: &Connection,
    user: &str,
    conv_id: i64,
    seq: u64,
) -> Result<Option<Message>, StoreError> {
    Ok(load(tx, conv_id, seq)?
        .filter(|(_, owner)| owner.as_deref().is_none_or(|o| o == user))
        .map(|(m, _)| m))
}

fn store(tx: &Connection, conv_id: i64, message: &Message) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE messages SET body = ?3 WHERE conv_id = ?1 AND seq = ?2")?
        .execute((conv_id, message.seq, serde_json::to_string(message)?))?;
    Ok(())
}

/// A message `user` can act on: it exists, is shown to `user` and `user` has not deleted it.
fn visible(tx: &Connection, user: &str, conv_id: i64, seq: u64) -> Result<Message, StoreError> {
    match load_for(tx, user, conv_id, seq)? {
        Some(m) if !is_deleted(tx, user, conv_id, seq)? => Ok(m),
        _ => Err(StoreError::MessageNotFound),
    }
}

/// Delivers `change` of message `seq` to every participant of `conv_id` it is shown to.
fn deliver_all(
    tx: &Connection,
    conv_id: i64,
    seq: u64,
    change: Change,
) -> Result<Vec<(String, u64)>, StoreError> {
    let users = tx
        .prepare_cached(
            "SELECT u.user_id FROM user_convs u JOIN messages m ON m.conv_id = u.conv_id
             WHERE u.conv_id = ?1 AND m.seq = ?2 AND (m.owner IS NULL OR m.owner = u.user_id)",
        )?
        .query_map((conv_id, seq), |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    users
        .into_iter()
        .map(|u| deliver(tx, &u, conv_id, seq, change).map(|s| (u, s)))
        .collect()
}

fn updated(
    message: Message,
    change: Change,
    requester: &str,
    deliveries: Vec<(String, u64)>,
) -> Updated {
    let requester_sync_seq = deliveries
        .iter()
        .find(|(u, _)| u == requester)
        .map_or(0, |(_, s)| *s);
    Updated {
        message,
        change,
        requester_sync_seq,
        deliveries,
    }
}

pub(super) fn revoke(tx: &Connection, w: &RevokeWrite, now: u64) -> Result<Updated, StoreError> {
    let conv_id = match (&w.by, &w.conv) {
        (Revoker::Admin { .. }, Conv::Group(g)) => group_conv(tx, g)?.0,
        _ => {
            resolve(tx, &w.user, &w.conv)?
                .ok_or(StoreError::MessageNotFound)?
                .0
        }
    };
    let mut message = match &w.by {
        Revoker::Sender { window } => {
            let m = visible(tx, &w.user, conv_id, w.seq)?;
            if m.from != w.user {
                return Err(StoreError::NotSender);
            }
            // A repeat is answered like the first revoke, even after the window.
            if !m.revoked && now.saturating_sub(m.time) > *window {
                return Err(StoreError::RevokeTimeLimit(*window));
            }
            m
        }
        Revoker::Admin { key } => {
            let (m, _) = load(tx, conv_id, w.seq)?.ok_or(StoreError::MessageNotFound)?;
            if key.is_some_and(|(random, time)| (random, time) != (m.random, m.time)) {
                return Err(StoreError::MessageNotFound);
            }
            m
        }
    };
    if message.revoked {
        // Idempotent: nothing is written; the requester's cursor is that of the first revoke.
        let requester_sync_seq = tx
            .prepare_cached(
                "SELECT sync_seq FROM inbox WHERE user_id = ?1 AND conv_id = ?2 AND seq = ?3
                 AND change_kind = ?4 ORDER BY sync_seq LIMIT 1",
            )?
            .query_row(
                (&w.user, conv_id, w.seq, change_code(Change::Revoked)),
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        return Ok(Updated {
            message,
            change: Change::Revoked,
            requester_sync_seq,
            deliveries: Vec::new(),
        });
    }
    message.revoked = true;
    store(tx, conv_id, &message)?;
    let deliveries = deliver_all(tx, conv_id, w.seq, Change::Revoked)?;
    Ok(updated(message, Change::Revoked, &w.user, deliveries))
}

pub(super) fn modify(tx: &Connection, w: &ModifyWrite) -> Result<Updated, StoreError> {
    let (conv_id, _) = resolve(tx, &w.user, &w.conv)?.ok_or(StoreError::MessageNotFound)?;
    let mut message = visible(tx, &w.user, conv_id, w.seq)?;
    if message.from != w.user {
        return Err(StoreError::NotSender);
    }
    // A revoked message is gone as far as editing is concerned.
    if message.revoked {
        return Err(StoreError::MessageNotFound);
    }
    if discriminant(&message.content) != discriminant(&w.content) {
        return Err(StoreError::ModifyTypeMismatch);
    }
    // Checked and bumped in the same transaction, by the only writer: of two modifies of the
    // same version, the second sees the first's bump and fails.
    if message.version != w.version {
        return Err(StoreError::ModifyConflict(w.version));
    }
    // The sender of a private import is its only reader: nothing to grant.
    let private = load(tx, conv_id, w.seq)?.is_some_and(|(_, owner)| owner.is_some());
    match private {
        false => super::files::grant(tx, &w.user, conv_id, &w.content.file_ids())?,
        true => super::files::check_readable(tx, &w.user, &w.content.file_ids())?,
    }
    message.content = w.content.clone();
    message.cloud_custom_data = w.cloud_custom_data.clone();
    message.version += 1;
    store(tx, conv_id, &message)?;
    let deliveries = deliver_all(tx, conv_id, w.seq, Change::Modified)?;
    Ok(updated(message, Change::Modified, &w.user, deliveries))
}

pub(super) fn delete(
    tx: &Connection,
    user: &str,
    conv: &Conv,
    seqs: &[u64],
) -> Result<Vec<(u64, Message)>, StoreError> {
    let Some((conv_id, _)) = resolve(tx, user, conv)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for seq in seqs.iter().copied().collect::<BTreeSet<_>>() {
        let Some(message) = load_for(tx, user, conv_id, seq)? else {
            continue;
        };
        let added = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO deleted (user_id, conv_id, seq) VALUES (?1, ?2, ?3)",
            )?
            .execute((user, conv_id, seq))?;
        if added == 1 {
            out.push((deliver(tx, user, conv_id, seq, Change::Deleted)?, message));
        }
    }
    Ok(out)
}

pub(super) fn conv_state(
    tx: &Connection,
    user: &str,
    conv: &Conv,
    hidden: Option<bool>,
    pinned: Option<bool>,
) -> Result<ConvState, StoreError> {
    let conversation_id = conversation_id(conv);
    let conv_id = match (resolve(tx, user, conv)?, conv) {
        (Some((conv_id, _)), _) => conv_id,
        // Pinning a C2C conversation before its first message keeps the pin for it.
        (None, Conv::C2c(peer)) if pinned == Some(true) => {
            let (a, b) = c2c_key(user, peer);
            tx.prepare_cached("INSERT OR IGNORE INTO convs (kind, a, b) VALUES ('C', ?1, ?2)")?
                .execute((a, b))?;
            tx.prepare_cached("SELECT conv_id FROM convs WHERE kind = 'C' AND a = ?1 AND b = ?2")?
                .query_row((a, b), |r| r.get(0))?
        }
        (None, _) => {
            return Ok(ConvState {
                conversation_id,
                hidden: false,
                pinned: false,
                changed: false,
            })
        }
    };
    let sort_key = cursor(tx, user)?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO user_convs (user_id, conv_id, read_seq, sort_key) VALUES (?1, ?2, 0, ?3)",
    )?
    .execute((user, conv_id, sort_key))?;
    let state = |tx: &Connection| -> Result<(bool, bool), StoreError> {
        Ok(tx
            .prepare_cached(
                "SELECT hidden, pinned FROM user_convs WHERE user_id = ?1 AND conv_id = ?2",
            )?
            .query_row((user, conv_id), |r| Ok((r.get(0)?, r.get(1)?)))?)
    };
    let before = state(tx)?;
    tx.prepare_cached(
        "UPDATE user_convs SET hidden = coalesce(?3, hidden), pinned = coalesce(?4, pinned)
         WHERE user_id = ?1 AND conv_id = ?2",
    )?
    .execute((user, conv_id, hidden, pinned))?;
    let (hidden, pinned) = state(tx)?;
    Ok(ConvState {
        conversation_id,
        hidden,
        pinned,
        changed: (hidden, pinned) != before,
    })
}
