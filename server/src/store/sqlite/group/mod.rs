//! IM-group writes ([`Write::Group`](crate::store::Write::Group)), each inside the batch's
//! transaction: the roster (`group_members`) and the members' `user_convs` rows change
//! together; every membership or profile change commits a tip (`TIMGroupTipElem`) into the
//! group's history, delivered to the members like a message but never unread; notices go to
//! the users' system conversations. Everything is decided from the database and `now` alone,
//! so the committer's second, isolated pass over a batch refuses exactly what the first did.

mod apps;
mod members;
mod roles;

pub(super) use apps::pending_for;
#[cfg(test)]
pub(super) use apps::PENDING_FOR;
pub(super) use roles::may_send;

use rusqlite::Connection;
use tim_protocol::{
    codes, req, Content, ConvType, CustomField, GroupInfo, GroupRole, GroupType, JoinOption,
    JoinStatus, MemberChange, OutboundMessage, ProfileChange, Reply, TipKind,
    SYSTEM_CONVERSATION_ID,
};

use super::group_read::{self as read, GroupRow};
use super::notice;
use super::write::{cursor, deliver_to_members};
use crate::store::group::{
    self as rules, no_permission, not_member, refuse, Actor, GroupAction, GroupOp, GroupOutcome,
};
use crate::store::{Sent, StoreError};
use members::merge_custom;

/// `messages.imported` of a tip: never unread (the unread count skips `imported <> 0`).
pub(super) const TIP: i64 = 2;

/// One operation's work in progress.
struct Op<'a> {
    tx: &'a Connection,
    now: u64,
    actor: &'a Actor,
    quiet: bool,
    out: GroupOutcome,
}

pub(super) fn apply(tx: &Connection, op: &GroupOp, now: u64) -> Result<GroupOutcome, StoreError> {
    let mut o = Op {
        tx,
        now,
        actor: &op.actor,
        quiet: op.quiet,
        out: GroupOutcome {
            reply: Reply::Done,
            tips: Vec::new(),
            notices: Vec::new(),
            changed: Vec::new(),
            left: Vec::new(),
        },
    };
    o.out.reply = match &op.action {
        GroupAction::Create(c) => o.create(&c.spec, c.owner.as_deref())?,
        GroupAction::Dismiss(id) => o.dismiss(id)?,
        GroupAction::Update(u) => o.update(u)?,
        GroupAction::Join(r) => o.join(&r.group_id, &r.apply_message)?,
        GroupAction::Quit(id) => o.quit(id)?,
        GroupAction::Owner(r) => o.owner(r)?,
        GroupAction::Add(r) => o.add(r)?,
        GroupAction::Kick(r) => o.kick(r)?,
        GroupAction::MemberSet(r) => o.member_set(r)?,
        GroupAction::Role(r) => o.set_role(r)?,
        GroupAction::Mute(r) => o.mute(r)?,
        GroupAction::AppHandle(r) => o.handle_app(r)?,
    };
    Ok(o.out)
}

impl Op<'_> {
    /// The group and the actor's role in it (`None` for the admin); a user must be a member.
    fn load(&self, group_id: &str) -> Result<(GroupRow, Option<GroupRole>), StoreError> {
        let row = read::group_row(self.tx, group_id)?;
        match self.actor {
            Actor::Admin => Ok((row, None)),
            Actor::User(u) => {
                let role = read::role(self.tx, row.conv_id, u)?.ok_or_else(not_member)?;
                Ok((row, Some(role)))
            }
        }
    }

    /// Who notices and tips name as their operator: the user, or for the admin the owner.
    fn operator(&self, row_owner: Option<&str>) -> String {
        match self.actor {
            Actor::User(u) => u.clone(),
            Actor::Admin => row_owner.unwrap_or_default().to_owned(),
        }
    }

    /// The group as the actor sees it now.
    fn view(&self, group_id: &str) -> Result<GroupInfo, StoreError> {
        let row = read::group_row(self.tx, group_id)?;
        read::info_for(self.tx, &row, self.actor.user())
    }

    /// Makes `user` a member with `role`; false if one already. Unread starts at the
    /// group's newest message: a new member is not shown the history so far as unread.
    fn add_member(
        &self,
        row: &GroupRow,
        user: &str,
        role: GroupRole,
        custom: &[CustomField],
    ) -> Result<bool, StoreError> {
        let n = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO group_members (conv_id, user_id, role, join_time, custom)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute((
                row.conv_id,
                user,
                role.as_str(),
                self.now,
                serde_json::to_string(custom)?,
            ))?;
        if n == 0 {
            return Ok(false);
        }
        // A pending application of the new member is settled by its joining: off the
        // admins' list, and a later handler is told it was handled (10024).
        self.tx
            .prepare_cached(
                "UPDATE group_apps SET state = 1, handler = ?3, handled = ?4
                 WHERE conv_id = ?1 AND applicant = ?2 AND state = 0",
            )?
            .execute((
                row.conv_id,
                user,
                self.operator(row.owner.as_deref()),
                self.now,
            ))?;
        let last_seq: u64 = self
            .tx
            .prepare_cached("SELECT last_seq FROM convs WHERE conv_id = ?1")?
            .query_row([row.conv_id], |r| r.get(0))?;
        self.tx
            .prepare_cached(
                "INSERT INTO user_convs (user_id, conv_id, read_seq, sort_key) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (user_id, conv_id) DO UPDATE
                 SET read_seq = max(read_seq, excluded.read_seq), hidden = 0",
            )?
            .execute((user, row.conv_id, last_seq, cursor(self.tx, user)?))?;
        Ok(true)
    }

    /// Ends `user`'s membership: roster row and conversation row.
    fn remove_member(&mut self, row: &GroupRow, user: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("DELETE FROM group_members WHERE conv_id = ?1 AND user_id = ?2")?
            .execute((row.conv_id, user))?;
        self.tx
            .prepare_cached("DELETE FROM user_convs WHERE conv_id = ?1 AND user_id = ?2")?
            .execute((row.conv_id, user))?;
        self.out.left.push((user.to_owned(), row.group_id.clone()));
        Ok(())
    }

    /// Commits a tip into the group's history and delivers it to the members now.
    fn tip(
        &mut self,
        group_id: &str,
        operation: TipKind,
        user_ids: Vec<String>,
        profile: Vec<ProfileChange>,
    ) -> Result<(), StoreError> {
        self.tip_with(group_id, operation, user_ids, profile, Vec::new())
    }

    /// [`Op::tip`] with members' changes (a [`TipKind::MemberProfile`] tip's `members`).
    fn tip_with(
        &mut self,
        group_id: &str,
        operation: TipKind,
        user_ids: Vec<String>,
        profile: Vec<ProfileChange>,
        members: Vec<MemberChange>,
    ) -> Result<(), StoreError> {
        if self.quiet {
            return Ok(());
        }
        let row = read::group_row(self.tx, group_id)?;
        let seq: u64 = self
            .tx
            .prepare_cached(
                "UPDATE convs SET last_seq = last_seq + 1 WHERE conv_id = ?1 RETURNING last_seq",
            )?
            .query_row([row.conv_id], |r| r.get(0))?;
        let content = Content::GroupTip {
            operator_id: self.operator(row.owner.as_deref()),
            operation,
            user_ids,
            member_num: read::member_count(self.tx, row.conv_id)?,
            group_id: group_id.to_owned(),
            group_name: row.info.name.clone(),
            profile,
            members,
        };
        // The conversation's ID makes the message ID unique among the server's own messages.
        let id = format!("@TIM#TIP-{}-{seq}", row.conv_id);
        let out = OutboundMessage {
            client_time: self.now,
            ..OutboundMessage::new(ConvType::Group, group_id, &id, content)
        };
        let message = out.committed(SYSTEM_CONVERSATION_ID.to_owned(), seq, self.now);
        let deliveries = deliver_to_members(self.tx, SYSTEM_CONVERSATION_ID, row.conv_id, seq)?;
        self.tx
            .prepare_cached(
                "INSERT INTO messages (conv_id, seq, sender, client_id, sender_sync, body, imported)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
            )?
            .execute((
                row.conv_id,
                seq,
                SYSTEM_CONVERSATION_ID,
                &id,
                serde_json::to_string(&message)?,
                TIP,
            ))?;
        self.out.tips.push(Sent {
            message,
            sender_sync_seq: 0,
            deliveries,
            duplicate: false,
        });
        Ok(())
    }

    /// A notice of `operation` about the group to `user`.
    fn notice(&mut self, row: &GroupRow, user: &str, operation: u32) -> Result<(), StoreError> {
        let operator = self.operator(row.owner.as_deref());
        let n =
            notice::group_notice_by(self.tx, user, &row.group_id, operation, &operator, self.now)?;
        self.out.notices.push(n);
        Ok(())
    }

    /// Every member's new view of the group (`GroupChanged`), or only `users`'.
    fn changed(&mut self, group_id: &str, users: Option<&[String]>) -> Result<(), StoreError> {
        if self.quiet {
            return Ok(());
        }
        let row = read::group_row(self.tx, group_id)?;
        // Every member's membership in one pass over the roster (or only `users`').
        let selves = match users {
            Some(u) => u
                .iter()
                .filter_map(|u| match read::self_info(self.tx, row.conv_id, u) {
                    Ok(s) => s.map(|s| Ok((u.clone(), s))),
                    Err(e) => Some(Err(e)),
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => read::self_infos(self.tx, row.conv_id)?,
        };
        let mut base = row.info;
        base.member_count = read::member_count(self.tx, row.conv_id)?;
        for (user, me) in selves {
            let mut info = base.clone();
            info.self_info = Some(me);
            self.out.changed.push((user, info));
        }
        Ok(())
    }

    fn create(&mut self, g: &req::GroupCreate, owner: Option<&str>) -> Result<Reply, StoreError> {
        let exists = self
            .tx
            .prepare_cached("SELECT 1 FROM groups WHERE group_id = ?1")?
            .exists([&g.group_id])?;
        if exists {
            return Err(StoreError::GroupExists);
        }
        self.tx
            .prepare_cached("INSERT INTO convs (kind, a, b) VALUES ('G', ?1, '')")?
            .execute([&g.group_id])?;
        let conv_id = self.tx.last_insert_rowid();
        let t = g.group_type;
        let max = g.max_member_count.unwrap_or_else(|| rules::max_members(t));
        self.tx
            .prepare_cached(
                "INSERT INTO groups (group_id, conv_id, group_type, name, owner, created, avatar,
                     introduction, notification, max_members, join_option, invite_option, custom,
                     support_topic, info_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?6)",
            )?
            .execute(rusqlite::params![
                g.group_id,
                conv_id,
                t.as_str(),
                g.name,
                owner,
                self.now,
                g.avatar,
                g.introduction,
                g.notification,
                max,
                rules::join_str(g.join_option.unwrap_or_else(|| rules::default_join(t))),
                rules::invite_str(g.invite_option.unwrap_or_else(|| rules::default_invite(t))),
                serde_json::to_string(&g.custom)?,
                g.support_topic,
            ])?;
        let row = read::group_row(self.tx, &g.group_id)?;
        if let Some(owner) = owner {
            self.add_member(&row, owner, GroupRole::Owner, &[])?;
            self.notice(&row, owner, notice::CREATED)?;
        }
        // The app admin is not held to the limit: the load bench builds larger groups.
        let mut room = match self.actor {
            Actor::Admin => u32::MAX,
            Actor::User(_) => max.saturating_sub(u32::from(owner.is_some())),
        };
        let mut over_limit = Vec::new();
        for m in g
            .members
            .iter()
            .filter(|m| Some(m.user_id.as_str()) != owner)
        {
            if room == 0 {
                over_limit.push(m.user_id.clone());
                continue;
            }
            // Only one owner: a member asked as one joins as a plain member.
            let role = match m.role {
                GroupRole::Owner => GroupRole::Member,
                r => r,
            };
            if self.add_member(&row, &m.user_id, role, &m.custom)? {
                room -= 1;
                self.notice(&row, &m.user_id, notice::ADDED)?;
            }
        }
        self.changed(&g.group_id, None)?;
        Ok(Reply::GroupCreated {
            group: self.view(&g.group_id)?,
            over_limit,
        })
    }

    fn dismiss(&mut self, group_id: &str) -> Result<Reply, StoreError> {
        let (row, role) = self.load(group_id)?;
        if role.is_some() && row.group_type == GroupType::Work {
            return Err(refuse(
                codes::GROUP_CANNOT_DISMISS_WORK,
                "a Work group is dismissed by the app admin only",
            ));
        }
        if role.is_some_and(|r| r != GroupRole::Owner) {
            return Err(no_permission("dismiss the group (owner only)"));
        }
        for user in read::member_ids(self.tx, row.conv_id)? {
            self.notice(&row, &user, notice::DISMISSED)?;
            self.out.left.push((user, row.group_id.clone()));
        }
        for sql in [
            "DELETE FROM group_members WHERE conv_id = ?1",
            "DELETE FROM group_apps WHERE conv_id = ?1",
            "DELETE FROM user_convs WHERE conv_id = ?1",
            "DELETE FROM groups WHERE conv_id = ?1",
            // The history stays (deliveries refer to it) but no longer holds the ID, which a
            // new group may take.
            "UPDATE convs SET b = 'dismissed#' || conv_id WHERE conv_id = ?1",
        ] {
            self.tx.prepare_cached(sql)?.execute([row.conv_id])?;
        }
        Ok(Reply::Done)
    }

    fn update(&mut self, u: &req::GroupUpdate) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&u.group_id)?;
        if role.is_some_and(|r| !rules::may_update(row.group_type, r)) {
            return Err(no_permission(
                "change the group's profile (owner and admins)",
            ));
        }
        if row.group_type == GroupType::Work && (u.mute_all.is_some() || u.join_option.is_some()) {
            return Err(refuse(
                codes::GROUP_INVALID_PARAMETER,
                "Work groups have no muteAllMembers and are invite only",
            ));
        }
        let mut changes = Vec::new();
        let mut change = |key: &str, value: String| {
            changes.push(ProfileChange {
                key: key.to_owned(),
                value,
            })
        };
        let set = |col: &str, value: &dyn rusqlite::ToSql| -> Result<(), StoreError> {
            self.tx
                .prepare_cached(&format!("UPDATE groups SET {col} = ?2 WHERE conv_id = ?1"))?
                .execute(rusqlite::params![row.conv_id, value])?;
            Ok(())
        };
        for (col, key, v) in [
            ("name", "name", &u.name),
            ("avatar", "avatar", &u.avatar),
            ("introduction", "introduction", &u.introduction),
            ("notification", "notification", &u.notification),
        ] {
            if let Some(v) = v {
                set(col, v)?;
                change(key, v.clone());
            }
        }
        if let Some(m) = u.mute_all {
            set("mute_all", &m)?;
            change("muteAllMembers", m.to_string());
        }
        if let Some(j) = u.join_option {
            set("join_option", &rules::join_str(j))?;
            change("joinOption", rules::join_str(j).to_owned());
        }
        if let Some(i) = u.invite_option {
            set("invite_option", &rules::invite_str(i))?;
            change("inviteOption", rules::invite_str(i).to_owned());
        }
        if let Some(fields) = &u.custom {
            let merged = merge_custom(row.info.custom.clone(), fields)?;
            set("custom", &serde_json::to_string(&merged)?)?;
            change("groupCustomField", serde_json::to_string(fields)?);
        }
        self.tx
            .prepare_cached(
                "UPDATE groups SET info_seq = info_seq + 1, info_time = ?2 WHERE conv_id = ?1",
            )?
            .execute((row.conv_id, self.now))?;
        self.tip(&u.group_id, TipKind::Profile, Vec::new(), changes)?;
        self.changed(&u.group_id, None)?;
        Ok(Reply::Group {
            group: self.view(&u.group_id)?,
        })
    }

    fn join(&mut self, group_id: &str, note: &str) -> Result<Reply, StoreError> {
        let Actor::User(user) = self.actor else {
            return Err(refuse(
                codes::GROUP_INVALID_PARAMETER,
                "the admin adds members",
            ));
        };
        let user = user.clone();
        let row = read::group_row(self.tx, group_id)?;
        if read::role(self.tx, row.conv_id, &user)?.is_some() {
            return Ok(Reply::GroupJoined {
                status: JoinStatus::AlreadyInGroup,
                group: Some(self.view(group_id)?),
            });
        }
        if row.group_type == GroupType::Work {
            return Err(no_permission("join a Work group (members are invited)"));
        }
        match row.info.join_option {
            JoinOption::DisableApply => Err(no_permission("join: the group takes no applications")),
            JoinOption::NeedPermission => self.apply_to_join(&row, &user, note),
            JoinOption::FreeAccess => {
                if read::member_count(self.tx, row.conv_id)? >= row.info.max_member_count {
                    return Err(refuse(codes::GROUP_FULL, "the group is full"));
                }
                self.add_member(&row, &user, GroupRole::Member, &[])?;
                if rules::join_quit_tips(row.group_type) {
                    self.tip(group_id, TipKind::Join, vec![user.clone()], Vec::new())?;
                }
                self.changed(group_id, None)?;
                Ok(Reply::GroupJoined {
                    status: JoinStatus::JoinedSuccess,
                    group: Some(self.view(group_id)?),
                })
            }
        }
    }

    fn quit(&mut self, group_id: &str) -> Result<Reply, StoreError> {
        let (row, role) = self.load(group_id)?;
        let Actor::User(user) = self.actor else {
            return Err(refuse(
                codes::GROUP_INVALID_PARAMETER,
                "the admin is no member",
            ));
        };
        let user = user.clone();
        if role == Some(GroupRole::Owner) {
            if row.group_type != GroupType::Work {
                return Err(refuse(
                    codes::GROUP_OWNER_CANNOT_QUIT,
                    "the owner cannot quit; transfer the group or dismiss it",
                ));
            }
            // A Work group's owner may leave it ownerless (as Tencent's Private groups).
            self.tx
                .prepare_cached("UPDATE groups SET owner = NULL WHERE conv_id = ?1")?
                .execute([row.conv_id])?;
        }
        self.notice(&row, &user, notice::QUIT)?;
        self.remove_member(&row, &user)?;
        if rules::join_quit_tips(row.group_type) {
            self.tip(group_id, TipKind::Quit, vec![user], Vec::new())?;
        }
        self.changed(group_id, None)?;
        Ok(Reply::Done)
    }

    fn owner(&mut self, r: &req::GroupOwner) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&r.group_id)?;
        if role.is_some_and(|r| r != GroupRole::Owner) {
            return Err(no_permission("transfer the group (owner only)"));
        }
        if row.group_type == GroupType::AvChatRoom {
            return Err(refuse(
                codes::GROUP_CANNOT_CHANGE_AVCHATROOM_OWNER,
                "an AVChatRoom's owner cannot change",
            ));
        }
        if row.owner.as_deref() == Some(r.new_owner_id.as_str()) {
            return Err(refuse(
                codes::GROUP_CANNOT_CHANGE_OWNER_TO_SELF,
                "newOwnerID is the owner already",
            ));
        }
        if read::role(self.tx, row.conv_id, &r.new_owner_id)?.is_none() {
            return Err(refuse(
                codes::GROUP_INVALID_PARAMETER,
                format!("{} is not a member", r.new_owner_id),
            ));
        }
        self.tx
            .prepare_cached(
                "UPDATE group_members SET role = 'Member' WHERE conv_id = ?1 AND role = 'Owner'",
            )?
            .execute([row.conv_id])?;
        self.tx
            .prepare_cached(
                "UPDATE group_members SET role = 'Owner' WHERE conv_id = ?1 AND user_id = ?2",
            )?
            .execute((row.conv_id, &r.new_owner_id))?;
        self.tx
            .prepare_cached(
                "UPDATE groups SET owner = ?2, info_seq = info_seq + 1, info_time = ?3
                 WHERE conv_id = ?1",
            )?
            .execute((row.conv_id, &r.new_owner_id, self.now))?;
        let change = ProfileChange {
            key: "ownerID".into(),
            value: r.new_owner_id.clone(),
        };
        self.tip(&r.group_id, TipKind::Profile, Vec::new(), vec![change])?;
        self.changed(&r.group_id, None)?;
        Ok(Reply::Group {
            group: self.view(&r.group_id)?,
        })
    }
}
