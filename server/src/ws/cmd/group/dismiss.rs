//! `GroupDismiss` (dismissGroup): the owner ends the group; every member gets notice 5 and
//! `GroupLeft`. A Work group is dismissed by the app admin only.

use tim_protocol::{req, ReqId};

use super::{check_id, submit, CmdResult};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupRef) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    submit(s, id, user, GroupAction::Dismiss(r.group_id)).await
}
