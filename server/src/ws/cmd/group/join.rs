//! `GroupJoin` (joinGroup): a free group is joined at once (tip Join); a member already gets
//! `AlreadyInGroup`; a group needing approval stores an application (one pending per user:
//! repeating it refreshes its note) and answers `WaitAdminApproval`; Work groups and groups
//! taking no applications refuse (10007).

use tim_protocol::{req, ReqId};

use super::{check_id, check_text, submit, CmdResult};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

/// Longest application note, bytes.
const MAX_APPLY_MESSAGE: usize = 300;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupJoin) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_text("applyMessage", &r.apply_message, MAX_APPLY_MESSAGE, false)?;
    submit(s, id, user, GroupAction::Join(r)).await
}
