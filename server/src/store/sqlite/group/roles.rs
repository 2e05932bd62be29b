//! Roles and mutes: setGroupMemberRole, setGroupMemberMuteTime, and the check every group
//! send passes (a muted member, or a plain member while `muteAllMembers` is on, is refused
//! 10017). Split from `mod.rs`, whose [`Op`] they extend.

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{codes, req, GroupRole, GroupType, MemberChange, Reply, TipKind};

use super::super::group_read as read;
use super::super::notice;
use super::Op;
use crate::store::group::{no_permission, rank, refuse, role_from_str};
use crate::store::StoreError;

/// Whether `user`, a member of group `conv_id`, may send to it at `now`: not muted by
/// setGroupMemberMuteTime, and not a plain member while the group mutes everyone. A
/// non-member passes here (the caller's membership check refuses it).
pub(crate) fn may_send(
    tx: &Connection,
    conv_id: i64,
    user: &str,
    now: u64,
) -> Result<(), StoreError> {
    let row: Option<(String, u64, bool)> = tx
        .prepare_cached(
            "SELECT m.role, m.mute_until, g.mute_all FROM group_members m
             JOIN groups g ON g.conv_id = m.conv_id WHERE m.conv_id = ?1 AND m.user_id = ?2",
        )?
        .query_row((conv_id, user), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((role, mute_until, mute_all)) = row else {
        return Ok(());
    };
    if mute_until > now {
        return Err(refuse(
            codes::GROUP_MEMBER_MUTED,
            format!("muted in this group for {} more seconds", mute_until - now),
        ));
    }
    if mute_all && role_from_str(&role) == GroupRole::Member {
        return Err(refuse(
            codes::GROUP_MEMBER_MUTED,
            "the group mutes all members but its owner and admins",
        ));
    }
    Ok(())
}

impl Op<'_> {
    /// The member `user` of group `conv_id` with its role, or 10007 naming it.
    fn target_role(&self, conv_id: i64, user: &str) -> Result<GroupRole, StoreError> {
        read::role(self.tx, conv_id, user)?
            .ok_or_else(|| refuse(codes::NOT_GROUP_MEMBER, format!("{user} is not a member")))
    }

    /// The answer of a member change: the group as the actor sees it, and the member.
    fn member_reply(&self, group_id: &str, conv_id: i64, user: &str) -> Result<Reply, StoreError> {
        let member = read::member_rows(self.tx, conv_id, &[user.to_owned()])?
            .pop()
            .ok_or(StoreError::NotGroupMember)?;
        Ok(Reply::GroupMember {
            group: self.view(group_id)?,
            member,
        })
    }

    /// setGroupMemberRole: the owner (or the app admin) makes a member an admin or back.
    /// Tip SetAdmin/CancelAdmin, notice 9/10 to the target, and the target's new view.
    pub(super) fn set_role(&mut self, r: &req::GroupSetRole) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&r.group_id)?;
        if matches!(row.group_type, GroupType::Work | GroupType::AvChatRoom) {
            return Err(refuse(
                codes::GROUP_CANNOT_SET_ROLE_HERE,
                "Work groups and AVChatRooms have no admins",
            ));
        }
        if role.is_some_and(|role| role != GroupRole::Owner) {
            return Err(refuse(codes::GROUP_NOT_OWNER, "only the owner sets roles"));
        }
        let (tip, notice_type) = match r.role {
            GroupRole::Admin => (TipKind::SetAdmin, notice::ADMIN_SET),
            GroupRole::Member => (TipKind::CancelAdmin, notice::ADMIN_REVOKED),
            GroupRole::Owner => {
                return Err(refuse(
                    codes::GROUP_INVALID_MEMBER_ROLE,
                    "role must be Admin or Member (changeGroupOwner transfers ownership)",
                ))
            }
        };
        let current = self.target_role(row.conv_id, &r.user_id)?;
        if current == GroupRole::Owner {
            return Err(refuse(
                codes::GROUP_CANNOT_SET_SELF_ROLE,
                "the owner's role is changed by changeGroupOwner",
            ));
        }
        // Setting the role a member has already changes nothing: no tip, no notice.
        if current != r.role {
            self.tx
                .prepare_cached(
                    "UPDATE group_members SET role = ?3 WHERE conv_id = ?1 AND user_id = ?2",
                )?
                .execute((row.conv_id, &r.user_id, r.role.as_str()))?;
            self.notice(&row, &r.user_id, notice_type)?;
            self.tip(&r.group_id, tip, vec![r.user_id.clone()], Vec::new())?;
            // Only the target's selfInfo.role changed.
            self.changed(&r.group_id, Some(std::slice::from_ref(&r.user_id)))?;
        }
        self.member_reply(&r.group_id, row.conv_id, &r.user_id)
    }

    /// setGroupMemberMuteTime: the owner or an admin mutes a member it outranks for
    /// `mute_time` seconds (0 unmutes). Tip MemberProfile with `[{user_id, mute_time}]`.
    pub(super) fn mute(&mut self, r: &req::GroupMute) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&r.group_id)?;
        if row.group_type == GroupType::Work {
            return Err(refuse(
                codes::GROUP_INVALID_PARAMETER,
                "Work groups have no member mute",
            ));
        }
        let target = self.target_role(row.conv_id, &r.user_id)?;
        if role.is_some_and(|role| role == GroupRole::Member || rank(role) <= rank(target)) {
            return Err(no_permission(&format!("mute {}", r.user_id)));
        }
        let until = match r.mute_time {
            0 => 0,
            t => self.now.saturating_add(t),
        };
        // Stored as SQLite's signed integer: the command caps `mute_time` well below that.
        self.tx
            .prepare_cached(
                "UPDATE group_members SET mute_until = ?3 WHERE conv_id = ?1 AND user_id = ?2",
            )?
            .execute((row.conv_id, &r.user_id, until))?;
        let change = MemberChange {
            user_id: r.user_id.clone(),
            mute_time: r.mute_time,
        };
        self.tip_with(
            &r.group_id,
            TipKind::MemberProfile,
            vec![r.user_id.clone()],
            Vec::new(),
            vec![change],
        )?;
        self.member_reply(&r.group_id, row.conv_id, &r.user_id)
    }
}
