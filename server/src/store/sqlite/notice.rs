//! Group system notices (`TIMGroupSystemNoticeElem`) in a user's system conversation
//! (`@TIM#SYSTEM`, a `convs` row of kind 'S' per user): committed and delivered like messages,
//! in the same transaction as the group change they report.

use rusqlite::Connection;
use tim_protocol::{Change, Content, Message, SYSTEM_CONVERSATION_ID};

use super::write::deliver;
use crate::store::{Notice, StoreError};

/// tim-js-sdk operationType: someone applied to join the group (to its owner and admins).
pub const JOIN_REQUEST: u32 = 1;
/// tim-js-sdk operationType: the user's application was accepted.
pub const JOIN_ACCEPTED: u32 = 2;
/// tim-js-sdk operationType: the user's application was refused.
pub const JOIN_REFUSED: u32 = 3;
/// tim-js-sdk operationType: the user was removed from the group.
pub const KICKED: u32 = 4;
/// tim-js-sdk operationType: the group was dismissed.
pub const DISMISSED: u32 = 5;
/// tim-js-sdk operationType: the user created the group (is its owner).
pub const CREATED: u32 = 6;
/// tim-js-sdk operationType: the user was added to (invited into) the group.
pub const ADDED: u32 = 7;
/// tim-js-sdk operationType: the user quit the group.
pub const QUIT: u32 = 8;
/// tim-js-sdk operationType: the user was made an admin.
pub const ADMIN_SET: u32 = 9;
/// tim-js-sdk operationType: the user is no longer an admin.
pub const ADMIN_REVOKED: u32 = 10;

/// Commits a notice about `group_id` (which must still exist) to `user`'s system
/// conversation and delivers it; `operator` did it.
pub(super) fn group_notice_by(
    tx: &Connection,
    user: &str,
    group_id: &str,
    operation_type: u32,
    operator: &str,
    now: u64,
) -> Result<Notice, StoreError> {
    let group_name: String = tx
        .prepare_cached("SELECT name FROM groups WHERE group_id = ?1")?
        .query_row([group_id], |r| r.get(0))?;
    tx.prepare_cached("INSERT OR IGNORE INTO convs (kind, a, b) VALUES ('S', ?1, '')")?
        .execute([user])?;
    let (conv_id, seq): (i64, u64) = tx
        .prepare_cached(
            "UPDATE convs SET last_seq = last_seq + 1 WHERE kind = 'S' AND a = ?1 AND b = ''
             RETURNING conv_id, last_seq",
        )?
        .query_row([user], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let content = Content::GroupSystemNotice {
        operator_id: operator.to_owned(),
        operation_type,
        group_id: group_id.to_owned(),
        group_name,
    };
    let message = Message::system_notice(user, seq, now, content);
    let sync_seq = deliver(tx, user, conv_id, seq, Change::New)?;
    tx.prepare_cached(
        "INSERT INTO user_convs (user_id, conv_id, read_seq, sort_key) VALUES (?1, ?2, 0, ?3)
         ON CONFLICT (user_id, conv_id) DO UPDATE SET sort_key = excluded.sort_key, hidden = 0",
    )?
    .execute((user, conv_id, sync_seq))?;
    tx.prepare_cached(
        "INSERT INTO messages (conv_id, seq, sender, client_id, sender_sync, body)
         VALUES (?1, ?2, ?3, ?4, 0, ?5)",
    )?
    .execute((
        conv_id,
        seq,
        SYSTEM_CONVERSATION_ID,
        &message.id,
        serde_json::to_string(&message)?,
    ))?;
    Ok((user.to_owned(), sync_seq, message))
}
