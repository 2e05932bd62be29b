//! `GroupUpdate` (updateGroupProfile): the owner and admins (every member of a Work group)
//! change the fields given; every member gets tip Profile with the changes and `GroupChanged`.

use tim_protocol::{req, ReqId};

use super::{
    check_custom, check_id, check_text, invalid, submit, CmdResult, MAX_AVATAR, MAX_GROUP_NAME,
    MAX_INTRODUCTION, MAX_NOTIFICATION,
};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, r: req::GroupUpdate) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    let nothing = r.name.is_none()
        && r.avatar.is_none()
        && r.introduction.is_none()
        && r.notification.is_none()
        && r.mute_all.is_none()
        && r.join_option.is_none()
        && r.invite_option.is_none()
        && r.custom.is_none();
    if nothing {
        return Err(invalid("nothing to change"));
    }
    for (kind, v, max, min_one) in [
        ("name", &r.name, MAX_GROUP_NAME, true),
        ("avatar", &r.avatar, MAX_AVATAR, false),
        ("introduction", &r.introduction, MAX_INTRODUCTION, false),
        ("notification", &r.notification, MAX_NOTIFICATION, false),
    ] {
        if let Some(v) = v {
            check_text(kind, v, max, min_one)?;
        }
    }
    if let Some(custom) = &r.custom {
        check_custom(custom)?;
    }
    submit(s, id, user, GroupAction::Update(r)).await
}
