//! Reads of IM groups: a group's profile as one user sees it, a user's groups, member pages
//! and member profiles. Used by the read connections and, inside a write's transaction, by
//! `group.rs` (a change answers with the group as it is after the change).

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{CustomField, GroupInfo, GroupRole, GroupType, MemberInfo, SelfInfo};

use crate::store::group::{self as rules, invite_from_str, join_from_str, role_from_str};
use crate::store::StoreError;

/// A group's stored row, with its conversation's newest sequence.
#[derive(Clone, Debug)]
pub(super) struct GroupRow {
    pub group_id: String,
    pub conv_id: i64,
    pub group_type: GroupType,
    pub owner: Option<String>,
    /// The profile, with no viewer and no member count.
    pub info: GroupInfo,
}

/// The group `group_id`, or `GroupNotFound`.
pub(super) fn group_row(conn: &Connection, group_id: &str) -> Result<GroupRow, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT g.conv_id, g.group_type, g.name, g.avatar, g.introduction, g.notification,
                    g.owner, g.created, g.max_members, g.join_option, g.invite_option, g.mute_all,
                    g.custom, g.info_seq, g.info_time, g.support_topic, c.last_seq
             FROM groups g JOIN convs c ON c.conv_id = g.conv_id WHERE g.group_id = ?1",
        )?
        .query_row([group_id], |r| {
            // An unknown stored type (none is written since migration 7) reads as Work.
            let group_type = GroupType::parse(&r.get::<_, String>(1)?).unwrap_or_default();
            let max: u32 = r.get(8)?;
            let custom: String = r.get(12)?;
            let owner: Option<String> = r.get(6)?;
            let info = GroupInfo {
                group_id: group_id.to_owned(),
                group_type,
                name: r.get(2)?,
                avatar: r.get(3)?,
                introduction: r.get(4)?,
                notification: r.get(5)?,
                owner_id: owner.clone().unwrap_or_default(),
                create_time: r.get(7)?,
                info_seq: r.get(13)?,
                info_time: r.get(14)?,
                member_count: 0,
                max_member_count: if max == 0 {
                    rules::max_members(group_type)
                } else {
                    max
                },
                mute_all: r.get(11)?,
                join_option: join_from_str(&r.get::<_, String>(9)?, group_type),
                invite_option: invite_from_str(&r.get::<_, String>(10)?, group_type),
                custom: serde_json::from_str(&custom).unwrap_or_default(),
                last_seq: r.get(16)?,
                support_topic: r.get(15)?,
                self_info: None,
            };
            Ok(GroupRow {
                group_id: group_id.to_owned(),
                conv_id: r.get(0)?,
                group_type,
                owner,
                info,
            })
        })
        .optional()?;
    row.ok_or(StoreError::GroupNotFound)
}

/// `user`'s membership of group `conv_id`, if a member.
pub(super) fn self_info(
    conn: &Connection,
    conv_id: i64,
    user: &str,
) -> Result<Option<SelfInfo>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT role, join_time, name_card FROM group_members WHERE conv_id = ?1 AND user_id = ?2",
        )?
        .query_row((conv_id, user), |r| {
            Ok(SelfInfo {
                role: role_from_str(&r.get::<_, String>(0)?),
                join_time: r.get(1)?,
                name_card: r.get(2)?,
            })
        })
        .optional()?)
}

/// Every member of group `conv_id` with its membership, in user-ID order.
pub(super) fn self_infos(
    conn: &Connection,
    conv_id: i64,
) -> Result<Vec<(String, SelfInfo)>, StoreError> {
    let rows = conn
        .prepare_cached(
            "SELECT user_id, role, join_time, name_card FROM group_members WHERE conv_id = ?1
             ORDER BY user_id",
        )?
        .query_map([conv_id], |r| {
            let me = SelfInfo {
                role: role_from_str(&r.get::<_, String>(1)?),
                join_time: r.get(2)?,
                name_card: r.get(3)?,
            };
            Ok((r.get(0)?, me))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// `user`'s role in group `conv_id`, if a member.
pub(super) fn role(
    conn: &Connection,
    conv_id: i64,
    user: &str,
) -> Result<Option<GroupRole>, StoreError> {
    Ok(self_info(conn, conv_id, user)?.map(|s| s.role))
}

/// Members of group `conv_id` now.
pub(super) fn member_count(conn: &Connection, conv_id: i64) -> Result<u32, StoreError> {
    let n: u64 = conn
        .prepare_cached("SELECT COUNT(*) FROM group_members WHERE conv_id = ?1")?
        .query_row([conv_id], |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Every member's user ID, in user-ID order.
pub(super) fn member_ids(conn: &Connection, conv_id: i64) -> Result<Vec<String>, StoreError> {
    let ids = conn
        .prepare_cached("SELECT user_id FROM group_members WHERE conv_id = ?1 ORDER BY user_id")?
        .query_map([conv_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// The group as `viewer` sees it (`None`: nobody's membership, as a search shows it).
pub(super) fn info_for(
    conn: &Connection,
    row: &GroupRow,
    viewer: Option<&str>,
) -> Result<GroupInfo, StoreError> {
    let mut info = row.info.clone();
    info.member_count = member_count(conn, row.conv_id)?;
    info.self_info = match viewer {
        Some(v) => self_info(conn, row.conv_id, v)?,
        None => None,
    };
    Ok(info)
}

/// The group for a member: `GroupNotFound`, or `NotGroupMember` when `user` is not one.
pub(super) fn member_view(
    conn: &Connection,
    group_id: &str,
    user: &str,
) -> Result<(GroupRow, GroupInfo), StoreError> {
    let row = group_row(conn, group_id)?;
    let info = info_for(conn, &row, Some(user))?;
    if info.self_info.is_none() {
        return Err(StoreError::NotGroupMember);
    }
    Ok((row, info))
}

/// `user`'s groups (`ids` empty: all of them, by group ID), or these ones.
pub(super) fn list(
    conn: &Connection,
    user: &str,
    ids: &[String],
) -> Result<Vec<GroupInfo>, StoreError> {
    let ids = if ids.is_empty() {
        conn.prepare_cached(USER_GROUPS)?
            .query_map([user], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?
    } else {
        ids.to_vec()
    };
    ids.iter()
        .map(|id| member_view(conn, id, user).map(|(_, info)| info))
        .collect()
}

/// searchGroupByID: any group but a Work one, as `user` sees it.
pub(super) fn search(
    conn: &Connection,
    user: &str,
    group_id: &str,
) -> Result<GroupInfo, StoreError> {
    let row = group_row(conn, group_id)?;
    if row.group_type == GroupType::Work {
        return Err(StoreError::GroupNotFound);
    }
    info_for(conn, &row, Some(user))
}

fn member_of_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MemberInfo> {
    let custom: String = r.get(5)?;
    Ok(MemberInfo {
        user_id: r.get(0)?,
        role: role_from_str(&r.get::<_, String>(1)?),
        join_time: r.get(2)?,
        name_card: r.get(3)?,
        mute_until: r.get(4)?,
        custom: serde_json::from_str::<Vec<CustomField>>(&custom).unwrap_or_default(),
        nick: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        avatar: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
    })
}

/// The columns [`member_of_row`] reads, and their tables.
macro_rules! member_columns {
    () => {
        "SELECT m.user_id, m.role, m.join_time, m.name_card, m.mute_until, m.custom, u.nick,
         u.avatar FROM group_members m LEFT JOIN users u ON u.user_id = m.user_id"
    };
}
const MEMBER_COLUMNS: &str = member_columns!();
/// A page of members: a range of the roster's primary key (checked by a store test).
pub(super) const MEMBERS_PAGE: &str = concat!(
    member_columns!(),
    " WHERE m.conv_id = ?1 AND m.user_id > ?2 ORDER BY m.user_id LIMIT ?3"
);
/// A user's groups, found through `group_members_by_user` (checked by a store test).
pub(super) const USER_GROUPS: &str =
    "SELECT g.group_id FROM group_members m JOIN groups g ON g.conv_id = m.conv_id
     WHERE m.user_id = ?1 ORDER BY g.group_id";

/// One page of members after `cursor` in user-ID order: a range of the roster's primary key,
/// so a member present throughout is on exactly one page however others join and leave.
pub(super) fn members_page(
    conn: &Connection,
    user: &str,
    group_id: &str,
    cursor: &str,
    count: u32,
) -> Result<(Vec<MemberInfo>, String, bool), StoreError> {
    let (row, _) = member_view(conn, group_id, user)?;
    let count = count.clamp(1, tim_protocol::MAX_MEMBER_PAGE);
    // One more than asked tells whether another page follows.
    let mut members = conn
        .prepare_cached(MEMBERS_PAGE)?
        .query_map((row.conv_id, cursor, count + 1), member_of_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let complete = members.len() <= count as usize;
    members.truncate(count as usize);
    let next = match complete {
        true => String::new(),
        false => members
            .last()
            .map(|m| m.user_id.clone())
            .unwrap_or_default(),
    };
    Ok((members, next, complete))
}

/// These members of a group `user` belongs to, in the order asked (non-members left out).
pub(super) fn member_info(
    conn: &Connection,
    user: &str,
    group_id: &str,
    ids: &[String],
) -> Result<Vec<MemberInfo>, StoreError> {
    let (row, _) = member_view(conn, group_id, user)?;
    member_rows(conn, row.conv_id, ids)
}

/// The members among `ids` of group `conv_id`, in the order given.
pub(super) fn member_rows(
    conn: &Connection,
    conv_id: i64,
    ids: &[String],
) -> Result<Vec<MemberInfo>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{MEMBER_COLUMNS} WHERE m.conv_id = ?1 AND m.user_id = ?2"
    ))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(m) = stmt.query_row((conv_id, id), member_of_row).optional()? {
            out.push(m);
        }
    }
    Ok(out)
}

/// A group with its whole roster in user-ID order, as nobody's view (the app admin's).
pub(super) fn admin_info(
    conn: &Connection,
    group_id: &str,
) -> Result<(GroupInfo, Vec<MemberInfo>), StoreError> {
    let row = group_row(conn, group_id)?;
    let info = info_for(conn, &row, None)?;
    let members = conn
        .prepare_cached(&format!(
            "{MEMBER_COLUMNS} WHERE m.conv_id = ?1 ORDER BY m.user_id"
        ))?
        .query_map([row.conv_id], member_of_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((info, members))
}
