//! `GroupQuit` (quitGroup): the requester leaves; the others get tip Quit, the requester
//! notice 8 and `GroupLeft`. The owner of any group but a Work one cannot quit (10009).

use tim_protocol::{req, ReqId};

use super::{check_id, submit, CmdResult};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupRef) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    submit(s, id, user, GroupAction::Quit(r.group_id)).await
}
