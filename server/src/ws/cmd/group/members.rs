//! `GroupMembers` (getGroupMemberList: one page in user-ID order, the cursor the last user ID
//! returned, so paging never repeats or skips a member present throughout) and
//! `GroupMemberInfo` (getGroupMemberProfile). Members only.

use tim_protocol::{req, Reply};

use super::{check_id, check_users, CmdResult, MAX_MEMBER_PROFILES};
use crate::ws::session::Session;

pub async fn page(s: &mut Session, r: req::GroupMembers) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    if !r.cursor.is_empty() {
        check_id("cursor", &r.cursor)?;
    }
    let (members, cursor, complete) = s
        .state
        .read(move |st| st.group_members(&user, &r.group_id, &r.cursor, r.count))
        .await?;
    Ok(Some(Reply::GroupMembers {
        members,
        cursor,
        complete,
    }))
}

pub async fn info(s: &mut Session, r: req::GroupMemberInfo) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_users(&r.user_ids, MAX_MEMBER_PROFILES)?;
    let members = s
        .state
        .read(move |st| st.group_member_info(&user, &r.group_id, &r.user_ids))
        .await?;
    Ok(Some(Reply::GroupMembers {
        members,
        cursor: String::new(),
        complete: true,
    }))
}
