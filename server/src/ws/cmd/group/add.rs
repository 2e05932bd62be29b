//! `GroupAdd` (addGroupMember): who may add depends on the type and invite option
//! (`store::group::may_add`); each user is reported as added, already a member, unknown to
//! this server (failure) or over the limit. The added get notice 7, every member tip Invite.

use tim_protocol::{req, ReqId};

use super::{check_id, check_users, submit, CmdResult, MAX_GROUP_USERS};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupUsers) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_users(&r.user_ids, MAX_GROUP_USERS)?;
    submit(s, id, user, GroupAction::Add(r)).await
}
