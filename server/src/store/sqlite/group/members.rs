//! Member-level group writes: addGroupMember, deleteGroupMember and the member settings
//! (name card, custom fields); split from `mod.rs`, whose [`Op`] they extend.

use rusqlite::OptionalExtension;
use tim_protocol::{codes, req, CustomField, GroupRole, Reply, TipKind};

use super::super::group_read as read;
use super::{notice, Op};
use crate::store::group::{
    self as rules, no_permission, not_member, rank, refuse, MAX_CUSTOM_FIELDS,
};
use crate::store::StoreError;

impl Op<'_> {
    pub(super) fn add(&mut self, r: &req::GroupUsers) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&r.group_id)?;
        if role.is_some_and(|role| !rules::may_add(row.group_type, row.info.invite_option, role)) {
            return Err(no_permission("add members to this group"));
        }
        let mut count = read::member_count(self.tx, row.conv_id)?;
        let (mut success, mut failure, mut existed, mut over_limit) =
            (vec![], vec![], vec![], vec![]);
        let tx = self.tx;
        let mut known = tx.prepare_cached("SELECT 1 FROM users WHERE user_id = ?1")?;
        for user in &r.user_ids {
            if read::role(self.tx, row.conv_id, user)?.is_some() {
                existed.push(user.clone());
            } else if role.is_some() && !known.exists([user])? {
                // A user this server has never seen (no login, import or message): a typo
                // more likely than a member to be.
                failure.push(user.clone());
            } else if role.is_some() && count >= row.info.max_member_count {
                // (The app admin is not held to the limit, as at creation.)
                over_limit.push(user.clone());
            } else if self.add_member(&row, user, GroupRole::Member, &[])? {
                count += 1;
                success.push(user.clone());
            }
        }
        drop(known);
        for user in &success {
            self.notice(&row, user, notice::ADDED)?;
        }
        if !success.is_empty() {
            self.tip(&r.group_id, TipKind::Invite, success.clone(), Vec::new())?;
            self.changed(&r.group_id, None)?;
        }
        Ok(Reply::GroupAdded {
            success,
            failure,
            existed,
            over_limit,
            group: self.view(&r.group_id)?,
        })
    }

    pub(super) fn kick(&mut self, r: &req::GroupUsers) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&r.group_id)?;
        let mut removed = Vec::new();
        for user in &r.user_ids {
            let Some(target) = read::role(self.tx, row.conv_id, user)? else {
                continue; // not a member: nothing to do
            };
            if role.is_some_and(|role| rank(role) <= rank(target)) {
                return Err(no_permission(&format!("remove {user}")));
            }
            if !removed.contains(user) {
                removed.push(user.clone());
            }
        }
        for user in &removed {
            self.notice(&row, user, notice::KICKED)?;
            self.remove_member(&row, user)?;
        }
        // Only the admin removes an owner; the group is ownerless after.
        if row.owner.as_ref().is_some_and(|o| removed.contains(o)) {
            self.tx
                .prepare_cached("UPDATE groups SET owner = NULL WHERE conv_id = ?1")?
                .execute([row.conv_id])?;
        }
        if !removed.is_empty() {
            self.tip(&r.group_id, TipKind::Kick, removed.clone(), Vec::new())?;
            self.changed(&r.group_id, None)?;
        }
        Ok(Reply::GroupKicked {
            user_ids: removed,
            group: self.view(&r.group_id)?,
        })
    }

    pub(super) fn member_set(&mut self, r: &req::GroupMemberSet) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&r.group_id)?;
        let target = match (r.user_id.is_empty(), self.actor.user()) {
            (true, Some(me)) => me.to_owned(),
            _ => r.user_id.clone(),
        };
        let target_role = read::role(self.tx, row.conv_id, &target)?
            .ok_or_else(|| refuse(codes::NOT_GROUP_MEMBER, format!("{target} is not a member")))?;
        let is_self = self.actor.user() == Some(target.as_str());
        if !is_self && role.is_some_and(|role| rank(role) <= rank(target_role)) {
            return Err(no_permission(&format!("change {target}'s member profile")));
        }
        if let Some(card) = &r.name_card {
            self.tx
                .prepare_cached(
                    "UPDATE group_members SET name_card = ?3 WHERE conv_id = ?1 AND user_id = ?2",
                )?
                .execute((row.conv_id, &target, card))?;
        }
        if let Some(fields) = &r.custom {
            let stored: Option<String> = self
                .tx
                .prepare_cached(
                    "SELECT custom FROM group_members WHERE conv_id = ?1 AND user_id = ?2",
                )?
                .query_row((row.conv_id, &target), |r| r.get(0))
                .optional()?;
            let old = serde_json::from_str(&stored.unwrap_or_default()).unwrap_or_default();
            let merged = merge_custom(old, fields)?;
            self.tx
                .prepare_cached(
                    "UPDATE group_members SET custom = ?3 WHERE conv_id = ?1 AND user_id = ?2",
                )?
                .execute((row.conv_id, &target, serde_json::to_string(&merged)?))?;
        }
        // Only the target's own view (its selfInfo) changed; the others see it in member lists.
        self.changed(&r.group_id, Some(std::slice::from_ref(&target)))?;
        let member = read::member_rows(self.tx, row.conv_id, std::slice::from_ref(&target))?
            .pop()
            .ok_or_else(not_member)?;
        Ok(Reply::GroupMember {
            group: self.view(&r.group_id)?,
            member,
        })
    }
}

/// `old` with `fields` set (an empty value removes its key); at most
/// [`MAX_CUSTOM_FIELDS`] keys after.
pub(super) fn merge_custom(
    mut old: Vec<CustomField>,
    fields: &[CustomField],
) -> Result<Vec<CustomField>, StoreError> {
    for f in fields {
        old.retain(|o| o.key != f.key);
        if !f.value.is_empty() {
            old.push(f.clone());
        }
    }
    if old.len() > MAX_CUSTOM_FIELDS {
        return Err(refuse(
            codes::GROUP_INVALID_PARAMETER,
            format!("at most {MAX_CUSTOM_FIELDS} custom fields"),
        ));
    }
    Ok(old)
}
