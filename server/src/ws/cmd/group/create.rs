//! `GroupCreate` (createGroup): the requester becomes the owner; the members given join (up
//! to the type's limit, the rest reported in `over_limit`). AVChatRoom is refused for now:
//! its rooms (no stored roster, online-only delivery) come with step 2.

use tim_protocol::{req, GroupType, ReqId};

use super::{
    check_custom, check_id, check_text, invalid, submit, CmdResult, MAX_AVATAR, MAX_GROUP_NAME,
    MAX_GROUP_USERS, MAX_INTRODUCTION, MAX_NOTIFICATION,
};
use crate::store::group::{generate_id, max_members, CreateGroup, GroupAction};
use crate::ws::session::Session;

/// The prefix of server-assigned IDs, which callers may not choose.
const SERVER_PREFIX: &str = "@TGS#";

pub async fn run(s: &mut Session, id: ReqId, mut r: req::GroupCreate) -> CmdResult {
    let user = s.user()?;
    if r.group_type == GroupType::AvChatRoom {
        return Err(invalid("AVChatRoom groups are not served yet"));
    }
    if r.group_id.is_empty() {
        r.group_id = generate_id(r.group_type == GroupType::Community);
    } else {
        check_id("groupID", &r.group_id)?;
        if r.group_id.starts_with(SERVER_PREFIX) {
            return Err(invalid(format!(
                "groupID may not start with {SERVER_PREFIX}"
            )));
        }
    }
    check_text("name", &r.name, MAX_GROUP_NAME, true)?;
    check_text("avatar", &r.avatar, MAX_AVATAR, false)?;
    check_text("introduction", &r.introduction, MAX_INTRODUCTION, false)?;
    check_text("notification", &r.notification, MAX_NOTIFICATION, false)?;
    let most = max_members(r.group_type);
    if r.max_member_count.is_some_and(|n| n == 0 || n > most) {
        return Err(invalid(format!("maxMemberNum must be 1 to {most}")));
    }
    if r.members.len() > MAX_GROUP_USERS {
        return Err(invalid(format!(
            "memberList holds at most {MAX_GROUP_USERS} members"
        )));
    }
    for (i, m) in r.members.iter().enumerate() {
        check_id("memberList userID", &m.user_id)?;
        check_custom(&m.custom)?;
        if r.members[..i].iter().any(|o| o.user_id == m.user_id) {
            return Err(invalid(format!("{} is listed twice", m.user_id)));
        }
    }
    check_custom(&r.custom)?;
    if r.support_topic && r.group_type != GroupType::Community {
        return Err(invalid("only a Community supports topics"));
    }
    let action = GroupAction::Create(CreateGroup {
        spec: r,
        owner: Some(user.clone()),
    });
    submit(s, id, user, action).await
}
