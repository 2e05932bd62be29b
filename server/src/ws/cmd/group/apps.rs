//! `GroupApps` (getGroupApplicationList, a read), `GroupAppHandle`
//! (handleGroupApplication, a write: the first owner or admin to act wins) and `GroupOnline`
//! (getGroupOnlineMemberCount: the members with a logged-in socket, from the hub).

use tim_protocol::{req, Reply, ReqId};

use super::{check_id, check_text, submit, CmdResult};
use crate::store::group::GroupAction;
use crate::ws::session::Session;

/// Longest handleMessage, bytes (as joinGroup's applyMessage).
const MAX_HANDLE_MESSAGE: usize = 300;

pub async fn list(s: &mut Session) -> CmdResult {
    let user = s.user()?;
    let applications = s.state.read(move |st| st.group_apps(&user)).await?;
    Ok(Some(Reply::GroupApps { applications }))
}

pub async fn handle(s: &mut Session, id: ReqId, r: req::GroupAppHandle) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    check_id("applicant", &r.applicant)?;
    check_text(
        "handleMessage",
        &r.handle_message,
        MAX_HANDLE_MESSAGE,
        false,
    )?;
    submit(s, id, user, GroupAction::AppHandle(r)).await
}

pub async fn online(s: &mut Session, r: req::GroupRef) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    let members = s
        .state
        .read(move |st| st.group_member_ids(&user, &r.group_id))
        .await?;
    let online = members.iter().filter(|m| s.state.hub.is_online(m)).count();
    Ok(Some(Reply::GroupCount {
        count: u32::try_from(online).unwrap_or(u32::MAX),
    }))
}
