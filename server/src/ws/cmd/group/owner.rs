//! `GroupOwner` (changeGroupOwner): the owner hands the group to another member; every member
//! gets tip Profile with the new `ownerID`.

use tim_protocol::{req, ReqId};

use super::{check_id, submit, CmdResult};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupOwner) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_id("newOwnerID", &r.new_owner_id)?;
    submit(s, id, user, GroupAction::Owner(r)).await
}
