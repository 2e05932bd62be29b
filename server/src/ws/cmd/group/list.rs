//! `GroupList` (getGroupList with no IDs, getGroupProfile with some) and `GroupSearch`
//! (searchGroupByID): reads, answered at once.

use tim_protocol::{req, Reply};

use super::{check_id, invalid, CmdResult};
use crate::ws::session::Session;

/// Most groups per profile request.
const MAX_GROUPS: usize = 100;

pub async fn run(s: &mut Session, r: req::GroupList) -> CmdResult {
    let user = s.user()?;
    if r.group_ids.len() > MAX_GROUPS {
        return Err(invalid(format!("at most {MAX_GROUPS} groups per request")));
    }
    for id in &r.group_ids {
        check_id("groupID", id)?;
    }
    let groups = s
        .state
        .read(move |st| st.group_list(&user, &r.group_ids))
        .await?;
    Ok(Some(Reply::Groups { groups }))
}

pub async fn search(s: &mut Session, r: req::GroupRef) -> CmdResult {
    let user = s.user()?;
    check_id("groupID", &r.group_id)?;
    let group = s
        .state
        .read(move |st| st.group_search(&user, &r.group_id))
        .await?;
    Ok(Some(Reply::Group { group }))
}
