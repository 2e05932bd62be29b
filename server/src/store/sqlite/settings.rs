//! A user's own view of conversations: settings (marks, customData, remind type, cleared
//! history) kept on `user_convs`, and conversation groups. Nothing here touches other users.

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{ConvGroup, ConvGroupAction, ConvSettings};

use super::write::cursor;
use super::{c2c_key, conversation_id, resolve};
use crate::store::{Conv, GroupWrite, SettingsWrite, StoreError};

/// The `user_convs` row of `conv` for `user`, created if needed: a C2C conversation may be
/// set up before its first message (as a pin may); a group needs membership.
fn user_conv(tx: &Connection, user: &str, conv: &Conv) -> Result<i64, StoreError> {
    let conv_id = match (resolve(tx, user, conv)?, conv) {
        (Some((conv_id, _)), _) => conv_id,
        (None, Conv::C2c(peer)) => {
            let (a, b) = c2c_key(user, peer);
            tx.prepare_cached("INSERT OR IGNORE INTO convs (kind, a, b) VALUES ('C', ?1, ?2)")?
                .execute((a, b))?;
            tx.prepare_cached("SELECT conv_id FROM convs WHERE kind = 'C' AND a = ?1 AND b = ?2")?
                .query_row((a, b), |r| r.get(0))?
        }
        (None, Conv::Group(g)) => return Err(StoreError::ConversationForbidden(g.clone())),
        (None, Conv::System) => {
            return Err(StoreError::ConversationForbidden(
                tim_protocol::SYSTEM_CONVERSATION_ID.into(),
            ))
        }
    };
    let sort_key = cursor(tx, user)?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO user_convs (user_id, conv_id, read_seq, sort_key) VALUES (?1, ?2, 0, ?3)",
    )?
    .execute((user, conv_id, sort_key))?;
    Ok(conv_id)
}

/// The settings of a `user_convs` row.
pub(super) fn settings_of(
    tx: &Connection,
    user: &str,
    conv_id: i64,
) -> Result<ConvSettings, StoreError> {
    Ok(tx
        .prepare_cached(
            "SELECT marks, custom_data, remind, cleared_seq FROM user_convs
             WHERE user_id = ?1 AND conv_id = ?2",
        )?
        .query_row((user, conv_id), |r| {
            Ok(ConvSettings {
                marks: r.get(0)?,
                custom_data: r.get(1)?,
                remind: r.get(2)?,
                cleared_seq: r.get(3)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// Applies `w` to every conversation; returns those that changed, with their new settings.
pub(super) fn set(
    tx: &Connection,
    w: &SettingsWrite,
) -> Result<Vec<(String, ConvSettings)>, StoreError> {
    let mut changed = Vec::new();
    for conv in &w.convs {
        let conv_id = user_conv(tx, &w.user, conv)?;
        let before = settings_of(tx, &w.user, conv_id)?;
        let mut after = before.clone();
        after.marks = (after.marks | w.mark_set) & !w.mark_clear;
        if let Some(c) = &w.custom_data {
            after.custom_data = c.clone();
        }
        if let Some(r) = &w.remind {
            after.remind = r.clone();
        }
        if w.clear_history {
            let last_seq: u64 = tx
                .prepare_cached("SELECT last_seq FROM convs WHERE conv_id = ?1")?
                .query_row([conv_id], |r| r.get(0))?;
            after.cleared_seq = after.cleared_seq.max(last_seq);
            // Cleared messages are read.
            tx.prepare_cached(
                "UPDATE user_convs SET read_seq = max(read_seq, ?3) WHERE user_id = ?1 AND conv_id = ?2",
            )?
            .execute((&w.user, conv_id, last_seq))?;
        }
        if after != before {
            tx.prepare_cached(
                "UPDATE user_convs SET marks = ?3, custom_data = ?4, remind = ?5, cleared_seq = ?6
                 WHERE user_id = ?1 AND conv_id = ?2",
            )?
            .execute((
                &w.user,
                conv_id,
                after.marks,
                &after.custom_data,
                &after.remind,
                after.cleared_seq,
            ))?;
            changed.push((conversation_id(conv), after));
        }
    }
    Ok(changed)
}

/// Whether `user` set `MSG_REMIND_DISCARD` on `conv_id`: new messages are not delivered.
pub(super) fn discards(tx: &Connection, user: &str, conv_id: i64) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached(
            "SELECT 1 FROM user_convs WHERE user_id = ?1 AND conv_id = ?2 AND remind = ?3",
        )?
        .exists((user, conv_id, tim_protocol::REMIND_DISCARD))?)
}

fn group_row(tx: &Connection, user: &str, name: &str) -> Result<Option<i64>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT rowid FROM conv_groups WHERE user_id = ?1 AND name = ?2")?
        .query_row((user, name), |r| r.get(0))
        .optional()?)
}

fn existing_group(tx: &Connection, user: &str, name: &str) -> Result<i64, StoreError> {
    group_row(tx, user, name)?.ok_or_else(|| StoreError::ConvGroupNotFound(name.to_owned()))
}

fn add_items(tx: &Connection, row: i64, ids: &[String]) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO conv_group_items (group_row, conversation_id) VALUES (?1, ?2)",
    )?;
    for id in ids {
        stmt.execute((row, id))?;
    }
    Ok(())
}

/// Applies a conversation-group change; returns every group of the user after it.
pub(super) fn group(tx: &Connection, w: &GroupWrite) -> Result<Vec<ConvGroup>, StoreError> {
    let (user, name) = (w.user.as_str(), w.name.as_str());
    match w.action {
        ConvGroupAction::Create => {
            if group_row(tx, user, name)?.is_some() {
                return Err(StoreError::ConvGroupExists(name.to_owned()));
            }
            let count: usize = tx
                .prepare_cached("SELECT COUNT(*) FROM conv_groups WHERE user_id = ?1")?
                .query_row([user], |r| r.get(0))?;
            if count >= tim_protocol::codes::MAX_CONV_GROUPS {
                return Err(StoreError::ConvGroupLimit);
            }
            tx.prepare_cached("INSERT INTO conv_groups (user_id, name) VALUES (?1, ?2)")?
                .execute((user, name))?;
            add_items(tx, tx.last_insert_rowid(), &w.conversation_ids)?;
        }
        ConvGroupAction::Delete => {
            let row = existing_group(tx, user, name)?;
            tx.prepare_cached("DELETE FROM conv_group_items WHERE group_row = ?1")?
                .execute([row])?;
            tx.prepare_cached("DELETE FROM conv_groups WHERE rowid = ?1")?
                .execute([row])?;
        }
        ConvGroupAction::Rename => {
            let row = existing_group(tx, user, name)?;
            if w.new_name != w.name {
                if group_row(tx, user, &w.new_name)?.is_some() {
                    return Err(StoreError::ConvGroupExists(w.new_name.clone()));
                }
                tx.prepare_cached("UPDATE conv_groups SET name = ?2 WHERE rowid = ?1")?
                    .execute((row, &w.new_name))?;
            }
        }
        ConvGroupAction::Add => {
            add_items(tx, existing_group(tx, user, name)?, &w.conversation_ids)?
        }
        ConvGroupAction::Remove => {
            let row = existing_group(tx, user, name)?;
            let mut stmt = tx.prepare_cached(
                "DELETE FROM conv_group_items WHERE group_row = ?1 AND conversation_id = ?2",
            )?;
            for id in &w.conversation_ids {
                stmt.execute((row, id))?;
            }
        }
    }
    groups(tx, user)
}

/// Every conversation group of `user`, in creation order, items in the order added.
pub(super) fn groups(tx: &Connection, user: &str) -> Result<Vec<ConvGroup>, StoreError> {
    let rows = tx
        .prepare_cached(
            "SELECT g.name, i.conversation_id FROM conv_groups g
             LEFT JOIN conv_group_items i ON i.group_row = g.rowid
             WHERE g.user_id = ?1 ORDER BY g.rowid, i.rowid",
        )?
        .query_map([user], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out: Vec<ConvGroup> = Vec::new();
    for (name, item) in rows {
        if out.last().is_none_or(|g| g.name != name) {
            out.push(ConvGroup {
                name,
                conversation_ids: Vec::new(),
            });
        }
        if let (Some(id), Some(g)) = (item, out.last_mut()) {
            g.conversation_ids.push(id);
        }
    }
    Ok(out)
}
