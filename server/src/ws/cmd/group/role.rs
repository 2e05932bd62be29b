//! `GroupRole` (setGroupMemberRole) and `GroupMute` (setGroupMemberMuteTime): the argument
//! checks that need no roster (a role other than Admin/Member 2683, oneself 2684/2685, a mute
//! time out of range); the store checks the group's type and the requester's rank.

use tim_protocol::{codes, req, GroupRole, ReqId};

use super::{check_id, invalid, submit, CmdResult, ReqError};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

/// Longest mute, seconds: Tencent's `MuteTime` is a 32-bit count of seconds (and the store
/// keeps `now + mute_time` as a signed 64-bit integer).
const MAX_MUTE_TIME: u64 = u32::MAX as u64;

pub async fn role(s: &mut Session, id: ReqId, r: req::GroupSetRole) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_id("userID", &r.user_id)?;
    if r.role == GroupRole::Owner {
        return Err(ReqError::new(
            codes::GROUP_INVALID_MEMBER_ROLE,
            "role must be Admin or Member",
        ));
    }
    if r.user_id == user {
        return Err(ReqError::new(
            codes::GROUP_CANNOT_SET_SELF_ROLE,
            "cannot set one's own role",
        ));
    }
    submit(s, id, user, GroupAction::Role(r)).await
}

pub async fn mute(s: &mut Session, id: ReqId, r: req::GroupMute) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_id("userID", &r.user_id)?;
    if r.mute_time > MAX_MUTE_TIME {
        return Err(invalid(format!(
            "muteTime must be 0 to {MAX_MUTE_TIME} seconds"
        )));
    }
    if r.user_id == user {
        return Err(ReqError::new(
            codes::GROUP_CANNOT_MUTE_SELF,
            "cannot mute oneself",
        ));
    }
    submit(s, id, user, GroupAction::Mute(r)).await
}
