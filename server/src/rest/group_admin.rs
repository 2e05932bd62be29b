//! `group_open_http_svc`: the admin's `destroy_group`, `delete_group_member` and
//! `get_group_info`, in Tencent's shapes. Changes go through the same store path as the
//! members' own (`Write::Group` as the admin), so members get the same tips, notices and
//! `GroupChanged` / `GroupLeft` pushes.

use serde::Deserialize;
use serde_json::{json, Value};
use tim_protocol::{codes, req, GroupInfo, MemberInfo};

use super::{commit, fields, RestError, RestResult};
use crate::state::AppState;
use crate::store::group::{join_str, Actor, GroupAction, GroupOp};
use crate::store::{Outcome, Write};
use crate::validate;

/// Most members per `delete_group_member` and groups per `get_group_info` (Tencent's).
const MAX_LIST: usize = 500;

async fn admin(state: &AppState, action: GroupAction) -> Result<Outcome, RestError> {
    let op = GroupOp {
        actor: Actor::Admin,
        action,
        quiet: false,
    };
    commit(state, Write::Group(op), true).await
}

#[derive(Deserialize)]
pub struct Destroy {
    #[serde(rename = "GroupId")]
    group_id: String,
}

/// `destroy_group`: any type (a Work group too); every member gets notice 5 and `GroupLeft`.
pub async fn destroy(state: &AppState, req: Destroy) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    admin(state, GroupAction::Dismiss(req.group_id)).await?;
    Ok(fields([]))
}

#[derive(Deserialize)]
pub struct DeleteMembers {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "MemberToDel_Account")]
    members: Vec<String>,
    #[serde(rename = "Reason", default)]
    reason: String,
}

/// `delete_group_member`: the listed members are removed (notice 4, tip Kick); users who are
/// not members are skipped.
pub async fn delete_members(state: &AppState, req: DeleteMembers) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    if req.members.is_empty() || req.members.len() > MAX_LIST {
        return Err(RestError::new(
            codes::GROUP_INVALID_PARAMETER,
            format!("MemberToDel_Account must list 1 to {MAX_LIST} users"),
        ));
    }
    for m in &req.members {
        validate::id("MemberToDel_Account", m)?;
    }
    let users = req::GroupUsers {
        group_id: req.group_id,
        user_ids: req.members,
        reason: req.reason,
    };
    admin(state, GroupAction::Kick(users)).await?;
    Ok(fields([]))
}

#[derive(Deserialize)]
pub struct GetInfo {
    #[serde(rename = "GroupIdList")]
    group_ids: Vec<String>,
}

/// `get_group_info`: each group's profile and members, or its own `ErrorCode` (10010).
pub async fn get_info(state: &AppState, req: GetInfo) -> RestResult {
    if req.group_ids.is_empty() || req.group_ids.len() > MAX_LIST {
        return Err(RestError::new(
            codes::GROUP_INVALID_PARAMETER,
            format!("GroupIdList must list 1 to {MAX_LIST} groups"),
        ));
    }
    let mut out = Vec::with_capacity(req.group_ids.len());
    for id in req.group_ids {
        validate::id("GroupId", &id)?;
        let asked = id.clone();
        let found = state.read(move |st| st.group_admin_info(&asked)).await;
        out.push(match found {
            Ok((info, members)) => group_json(&info, &members),
            Err(e) => json!({"GroupId": id, "ErrorCode": e.code(), "ErrorInfo": e.to_string()}),
        });
    }
    Ok(fields([("GroupInfo", Value::Array(out))]))
}

fn group_json(g: &GroupInfo, members: &[MemberInfo]) -> Value {
    let members: Vec<Value> = members
        .iter()
        .map(|m| {
            json!({"Member_Account": m.user_id, "Role": m.role.as_str(), "JoinTime": m.join_time,
                   "NameCard": m.name_card, "ShutUpUntil": m.mute_until})
        })
        .collect();
    let custom: Vec<Value> = g
        .custom
        .iter()
        .map(|f| json!({"Key": f.key, "Value": f.value}))
        .collect();
    json!({
        "ErrorCode": 0, "ErrorInfo": "", "GroupId": g.group_id, "Type": g.group_type.as_str(),
        "Name": g.name, "Introduction": g.introduction, "Notification": g.notification,
        "FaceUrl": g.avatar, "Owner_Account": g.owner_id, "CreateTime": g.create_time,
        "InfoSeq": g.info_seq, "LastInfoTime": g.info_time, "NextMsgSeq": g.last_seq + 1,
        "MemberNum": g.member_count, "MaxMemberNum": g.max_member_count,
        "ApplyJoinOption": join_str(g.join_option), "ShutUpAllMember": if g.mute_all { "On" } else { "Off" },
        "AppDefinedData": custom, "MemberList": members,
    })
}
