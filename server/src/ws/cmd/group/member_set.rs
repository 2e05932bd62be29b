//! `GroupMemberSet` (setGroupMemberNameCard / setGroupMemberCustomField): a member changes its
//! own, the owner and admins those of members they outrank. Only the target's view of the
//! group changes (`GroupChanged` to it).

use tim_protocol::{req, ReqId};

use super::{check_custom, check_id, check_text, invalid, submit, CmdResult, MAX_NAME_CARD};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupMemberSet) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    if !r.user_id.is_empty() {
        check_id("userID", &r.user_id)?;
    }
    if r.name_card.is_none() && r.custom.is_none() {
        return Err(invalid("nothing to change"));
    }
    if let Some(card) = &r.name_card {
        check_text("nameCard", card, MAX_NAME_CARD, false)?;
    }
    if let Some(custom) = &r.custom {
        check_custom(custom)?;
    }
    submit(s, id, user, GroupAction::MemberSet(r)).await
}
