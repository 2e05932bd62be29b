//! `group_open_http_svc`: the admin's `destroy_group`, `delete_group_member`,
//! `get_group_info`, `modify_group_base_info`, `change_group_owner`, `get_joined_group_list`,
//! `get_group_member_info` and `modify_group_member_info`, in Tencent's shapes. Changes go through the same store path as the
//! members' own (`Write::Group` as the admin), so members get the same tips, notices and
//! `GroupChanged` / `GroupLeft` pushes.

use serde::Deserialize;
use serde_json::{json, Value};
use tim_protocol::{codes, req, CustomField, GroupInfo, JoinOption, MemberInfo};

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

/// Tencent's `{Key, Value}` custom field.
#[derive(Deserialize)]
pub struct KeyValue {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Value")]
    value: String,
}

fn custom(list: Option<Vec<KeyValue>>) -> Option<Vec<CustomField>> {
    list.map(|l| {
        l.into_iter()
            .map(|kv| CustomField {
                key: kv.key,
                value: kv.value,
            })
            .collect()
    })
}

fn invalid(info: String) -> RestError {
    RestError::new(codes::GROUP_INVALID_PARAMETER, info)
}

/// A text field of at most `max` bytes.
fn check_len(kind: &str, v: &Option<String>, max: usize) -> Result<(), RestError> {
    match v {
        Some(v) if v.len() > max => Err(invalid(format!("{kind} is over {max} bytes"))),
        _ => Ok(()),
    }
}

#[derive(Deserialize)]
pub struct ModifyBase {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Introduction")]
    introduction: Option<String>,
    #[serde(rename = "Notification")]
    notification: Option<String>,
    #[serde(rename = "FaceUrl")]
    avatar: Option<String>,
    #[serde(rename = "ApplyJoinOption")]
    join_option: Option<String>,
    #[serde(rename = "ShutUpAllMember")]
    mute_all: Option<String>,
    #[serde(rename = "AppDefinedData")]
    custom: Option<Vec<KeyValue>>,
}

/// `modify_group_base_info`: the fields given change; members get tip Profile.
pub async fn modify_base(state: &AppState, req: ModifyBase) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    if req.name.as_deref() == Some("") {
        return Err(invalid("Name must not be empty".into()));
    }
    check_len("Name", &req.name, super::group::MAX_NAME)?;
    check_len("Introduction", &req.introduction, 240)?;
    check_len("Notification", &req.notification, 300)?;
    check_len("FaceUrl", &req.avatar, 1024)?;
    let join_option = match req.join_option.as_deref() {
        None => None,
        Some("FreeAccess") => Some(JoinOption::FreeAccess),
        Some("NeedPermission") => Some(JoinOption::NeedPermission),
        Some("DisableApply") => Some(JoinOption::DisableApply),
        Some(o) => return Err(invalid(format!("unknown ApplyJoinOption {o:?}"))),
    };
    let mute_all = match req.mute_all.as_deref() {
        None => None,
        Some("On") => Some(true),
        Some("Off") => Some(false),
        Some(o) => {
            return Err(invalid(format!(
                "ShutUpAllMember must be On or Off, not {o:?}"
            )))
        }
    };
    let update = req::GroupUpdate {
        group_id: req.group_id,
        name: req.name,
        avatar: req.avatar,
        introduction: req.introduction,
        notification: req.notification,
        mute_all,
        join_option,
        invite_option: None,
        custom: custom(req.custom),
    };
    admin(state, GroupAction::Update(update)).await?;
    Ok(fields([]))
}

#[derive(Deserialize)]
pub struct ChangeOwner {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "NewOwner_Account")]
    new_owner: String,
}

/// `change_group_owner`: to a member; members get tip Profile with `ownerID`.
pub async fn change_owner(state: &AppState, req: ChangeOwner) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    validate::id("NewOwner_Account", &req.new_owner)?;
    let owner = req::GroupOwner {
        group_id: req.group_id,
        new_owner_id: req.new_owner,
    };
    admin(state, GroupAction::Owner(owner)).await?;
    Ok(fields([]))
}

#[derive(Deserialize)]
pub struct JoinedList {
    #[serde(rename = "Member_Account")]
    user: String,
}

/// `get_joined_group_list`: every group of the user, by group ID.
pub async fn joined_list(state: &AppState, req: JoinedList) -> RestResult {
    validate::id("Member_Account", &req.user)?;
    let groups = state.read(move |st| st.group_list(&req.user, &[])).await?;
    let list: Vec<Value> = groups
        .iter()
        .map(|g| json!({"GroupId": g.group_id, "Name": g.name, "Type": g.group_type.as_str()}))
        .collect();
    Ok(fields([
        ("TotalCount", list.len().into()),
        ("GroupIdList", Value::Array(list)),
    ]))
}

#[derive(Deserialize)]
pub struct MemberInfoReq {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "Limit", default)]
    limit: Option<usize>,
    #[serde(rename = "Offset", default)]
    offset: usize,
}

/// `get_group_member_info`: members in user-ID order, `Limit` from `Offset`.
pub async fn member_info(state: &AppState, req: MemberInfoReq) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    let id = req.group_id;
    let (info, members) = state.read(move |st| st.group_admin_info(&id)).await?;
    let limit = req.limit.unwrap_or(usize::MAX);
    let page: Vec<MemberInfo> = members.into_iter().skip(req.offset).take(limit).collect();
    let list = group_json(&info, &page)["MemberList"].take();
    Ok(fields([
        ("MemberNum", info.member_count.into()),
        ("MemberList", list),
    ]))
}

#[derive(Deserialize)]
pub struct ModifyMember {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "Member_Account")]
    user: String,
    #[serde(rename = "NameCard")]
    name_card: Option<String>,
    #[serde(rename = "AppMemberDefinedData")]
    custom: Option<Vec<KeyValue>>,
}

/// `modify_group_member_info`: a member's name card and custom fields.
pub async fn modify_member(state: &AppState, req: ModifyMember) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    validate::id("Member_Account", &req.user)?;
    check_len("NameCard", &req.name_card, 50)?;
    if req.name_card.is_none() && req.custom.is_none() {
        return Err(invalid("nothing to change".into()));
    }
    let set = req::GroupMemberSet {
        group_id: req.group_id,
        user_id: req.user,
        name_card: req.name_card,
        custom: custom(req.custom),
    };
    admin(state, GroupAction::MemberSet(set)).await?;
    Ok(fields([]))
}
