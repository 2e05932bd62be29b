//! `group_open_http_svc`: the admin's `forbid_send_msg`, `get_group_muted_account` and
//! `get_online_member_num`, in Tencent's shapes. Mutes go through the same store path as a
//! member's setGroupMemberMuteTime (one write per member: each commits its tip), so members
//! see the same tips and a muted member's sends are refused 10017 alike.

use serde::Deserialize;
use serde_json::{json, Value};
use tim_protocol::{codes, req};

use super::{commit, fields, RestError, RestResult};
use crate::state::AppState;
use crate::store::group::{Actor, GroupAction, GroupOp};
use crate::store::{StoreError, Write};
use crate::time::now_secs;
use crate::validate;

/// Most members per `forbid_send_msg` (Tencent's).
const MAX_MEMBERS: usize = 500;

#[derive(Deserialize)]
pub struct Forbid {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "Members_Account")]
    members: Vec<String>,
    /// Seconds; 0 unmutes. Tencent's is a 32-bit count.
    #[serde(rename = "MuteTime")]
    mute_time: u32,
}

/// `forbid_send_msg`: mutes (or with `MuteTime` 0 unmutes) each listed member; users who are
/// not members are skipped, as Tencent does.
pub async fn forbid(state: &AppState, req: Forbid) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    if req.members.is_empty() || req.members.len() > MAX_MEMBERS {
        return Err(RestError::new(
            codes::GROUP_INVALID_PARAMETER,
            format!("Members_Account must list 1 to {MAX_MEMBERS} users"),
        ));
    }
    for m in &req.members {
        validate::id("Members_Account", m)?;
    }
    for user_id in req.members {
        let op = GroupOp {
            actor: Actor::Admin,
            action: GroupAction::Mute(req::GroupMute {
                group_id: req.group_id.clone(),
                user_id,
                mute_time: u64::from(req.mute_time),
            }),
            quiet: false,
        };
        match commit(state, Write::Group(op), true).await {
            Ok(_) => {}
            Err(e) if e.code == codes::NOT_GROUP_MEMBER => {}
            Err(e) => return Err(e),
        }
    }
    Ok(fields([]))
}

#[derive(Deserialize)]
pub struct GroupRef {
    #[serde(rename = "GroupId")]
    group_id: String,
}

/// The group's whole roster, for the admin.
async fn roster(
    state: &AppState,
    group_id: String,
) -> Result<Vec<tim_protocol::MemberInfo>, RestError> {
    validate::id("GroupId", &group_id)?;
    let found: Result<_, StoreError> = state.read(move |st| st.group_admin_info(&group_id)).await;
    Ok(found?.1)
}

/// `get_group_muted_account`: the members muted now, with the second their mute ends.
pub async fn muted(state: &AppState, req: GroupRef) -> RestResult {
    let now = now_secs();
    let list: Vec<Value> = roster(state, req.group_id)
        .await?
        .into_iter()
        .filter(|m| m.mute_until > now)
        .map(|m| json!({"Member_Account": m.user_id, "ShuttedUntil": m.mute_until}))
        .collect();
    Ok(fields([("ShuttedUinList", Value::Array(list))]))
}

/// `get_online_member_num`: members with at least one logged-in socket.
pub async fn online(state: &AppState, req: GroupRef) -> RestResult {
    let n = roster(state, req.group_id)
        .await?
        .iter()
        .filter(|m| state.hub.is_online(&m.user_id))
        .count();
    Ok(fields([("OnlineMemberNum", json!(n))]))
}
