//! `GroupKick` (deleteGroupMember): the owner removes anyone, an admin plain members; the
//! removed get notice 4 and `GroupLeft`, the others tip Kick. Users who are not members are
//! skipped (not in the answer's `user_ids`).

use tim_protocol::{req, ReqId};

use super::{check_id, check_text, check_users, invalid, submit, CmdResult, MAX_GROUP_USERS};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

/// Longest reason, bytes.
const MAX_REASON: usize = 300;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupUsers) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_users(&r.user_ids, MAX_GROUP_USERS)?;
    check_text("reason", &r.reason, MAX_REASON, false)?;
    if r.user_ids.contains(&user) {
        return Err(invalid("use quitGroup to leave a group"));
    }
    submit(s, id, user, GroupAction::Kick(r)).await
}
