//! Applications to join a group that needs approval: joinGroup stores one (notice 1 to the
//! owner and admins), handleGroupApplication agrees (the applicant joins: tip Join, notice 2)
//! or refuses (notice 3), and getGroupApplicationList reads the pending ones. Handling flips
//! the pending row in one conditional UPDATE inside the committer's single writer, so of two
//! admins acting at once the first wins and the second is told 10024.

use rusqlite::{Connection, OptionalExtension};
use tim_protocol::{codes, req, GroupApplication, GroupRole, JoinStatus, Reply, TipKind};

use super::super::group_read::{self as read, GroupRow};
use super::super::notice;
use super::Op;
use crate::store::group::{join_quit_tips, no_permission, refuse};
use crate::store::StoreError;

/// `group_apps.state` of an agreed one.
const AGREED: i64 = 1;
/// `group_apps.state` of a refused one.
const REFUSED: i64 = 2;

/// Most applications one getGroupApplicationList returns (oldest first), so one answer stays
/// well under the frame limit whatever the groups hold.
const MAX_LISTED: u32 = 500;

impl Op<'_> {
    /// joinGroup on a group needing approval: stores (or refreshes) `user`'s application and,
    /// for a new one, tells the owner and admins (notice 1). A repeat only refreshes the note
    /// and time, so repeating joinGroup cannot flood the admins' system conversations.
    pub(super) fn apply_to_join(
        &mut self,
        row: &GroupRow,
        user: &str,
        note: &str,
    ) -> Result<Reply, StoreError> {
        let refreshed = self
            .tx
            .prepare_cached(
                "UPDATE group_apps SET note = ?3, created = ?4
                 WHERE conv_id = ?1 AND applicant = ?2 AND state = 0",
            )?
            .execute((row.conv_id, user, note, self.now))?;
        if refreshed == 0 {
            // Handled applications of this user are history now: keep at most the new one.
            self.tx
                .prepare_cached(
                    "DELETE FROM group_apps WHERE conv_id = ?1 AND applicant = ?2 AND state <> 0",
                )?
                .execute((row.conv_id, user))?;
            self.tx
                .prepare_cached(
                    "INSERT INTO group_apps (conv_id, applicant, note, created) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute((row.conv_id, user, note, self.now))?;
            for manager in managers(self.tx, row.conv_id)? {
                self.notice(row, &manager, notice::JOIN_REQUEST)?;
            }
        }
        Ok(Reply::GroupJoined {
            status: JoinStatus::WaitAdminApproval,
            group: None,
        })
    }

    /// handleGroupApplication: the owner or an admin (or the app admin) agrees to or refuses
    /// `applicant`'s pending application.
    pub(super) fn handle_app(&mut self, r: &req::GroupAppHandle) -> Result<Reply, StoreError> {
        let (row, role) = self.load(&r.group_id)?;
        if role == Some(GroupRole::Member) {
            return Err(no_permission("handle applications (owner and admins)"));
        }
        let pending: Option<i64> = self
            .tx
            .prepare_cached(
                "SELECT app_id FROM group_apps WHERE conv_id = ?1 AND applicant = ?2 AND state = 0",
            )?
            .query_row((row.conv_id, &r.applicant), |r| r.get(0))
            .optional()?;
        let Some(app_id) = pending else {
            let handled = self
                .tx
                .prepare_cached(
                    "SELECT 1 FROM group_apps WHERE conv_id = ?1 AND applicant = ?2 AND state <> 0",
                )?
                .exists((row.conv_id, &r.applicant))?;
            return Err(if handled {
                refuse(
                    codes::GROUP_APPLICATION_HANDLED,
                    "the application was handled already",
                )
            } else {
                refuse(
                    codes::GROUP_INVALID_PARAMETER,
                    format!("no application from {} to this group", r.applicant),
                )
            });
        };
        let handler = self.operator(row.owner.as_deref());
        let state = if r.agree { AGREED } else { REFUSED };
        self.tx
            .prepare_cached(
                "UPDATE group_apps SET state = ?2, handler = ?3, handled = ?4
                 WHERE app_id = ?1 AND state = 0",
            )?
            .execute((app_id, state, &handler, self.now))?;
        if !r.agree {
            self.notice(&row, &r.applicant, notice::JOIN_REFUSED)?;
        } else if read::role(self.tx, row.conv_id, &r.applicant)?.is_none() {
            // (Added meanwhile by someone: nothing more to do.)
            if read::member_count(self.tx, row.conv_id)? >= row.info.max_member_count {
                return Err(refuse(codes::GROUP_FULL, "the group is full"));
            }
            self.add_member(&row, &r.applicant, GroupRole::Member, &[])?;
            self.notice(&row, &r.applicant, notice::JOIN_ACCEPTED)?;
            if join_quit_tips(row.group_type) {
                self.tip(
                    &r.group_id,
                    TipKind::Join,
                    vec![r.applicant.clone()],
                    Vec::new(),
                )?;
            }
            self.changed(&r.group_id, None)?;
        }
        Ok(Reply::Group {
            group: self.view(&r.group_id)?,
        })
    }
}

/// The owner and admins of group `conv_id`, who handle its applications.
fn managers(tx: &Connection, conv_id: i64) -> Result<Vec<String>, StoreError> {
    let ids = tx
        .prepare_cached(
            "SELECT user_id FROM group_members
             WHERE conv_id = ?1 AND role IN ('Owner', 'Admin') ORDER BY user_id",
        )?
        .query_map([conv_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// [`pending_for`]'s query: the requester's groups by `group_members_by_user`, each one's
/// pending applications by the partial index `group_apps_pending` (never a scan of every
/// application ever made), each group by `groups_by_conv`. CROSS JOIN fixes that order: with
/// no statistics SQLite would rather scan `groups`.
pub(in crate::store::sqlite) const PENDING_FOR: &str =
    "SELECT g.group_id, g.name, a.applicant, COALESCE(u.nick, ''), a.note, a.created
     FROM group_members m
     CROSS JOIN group_apps a ON a.conv_id = m.conv_id AND a.state = 0
     CROSS JOIN groups g ON g.conv_id = a.conv_id
     LEFT JOIN users u ON u.user_id = a.applicant
     WHERE m.user_id = ?1 AND m.role IN ('Owner', 'Admin')
     ORDER BY a.created, a.app_id LIMIT ?2";

/// getGroupApplicationList: the pending applications to the groups `user` owns or
/// administers, oldest first (at most [`MAX_LISTED`]).
pub(in crate::store::sqlite) fn pending_for(
    conn: &Connection,
    user: &str,
) -> Result<Vec<GroupApplication>, StoreError> {
    let apps = conn
        .prepare_cached(PENDING_FOR)?
        .query_map((user, MAX_LISTED), |r| {
            Ok(GroupApplication {
                group_id: r.get(0)?,
                group_name: r.get(1)?,
                applicant: r.get(2)?,
                applicant_nick: r.get(3)?,
                note: r.get(4)?,
                time: r.get(5)?,
                application_type: 0,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(apps)
}
