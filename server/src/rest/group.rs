//! `group_open_http_svc`: `create_group` and `add_group_member`. Groups exist only through
//! this API for now; members then send and receive on the WebSocket.

use serde::Deserialize;
use serde_json::{json, Value};
use tim_protocol::codes;

use super::{commit, fields, Member, RestError, RestResult};
use crate::state::AppState;
use crate::store::group::{generate_id, Actor, GroupAction, GroupOp};
use crate::store::{Outcome, Write};
use crate::validate;
use tim_protocol::{req, GroupType, Reply};

/// Tencent's group types.
const GROUP_TYPES: [&str; 7] = [
    "Private",
    "Work",
    "Public",
    "ChatRoom",
    "AVChatRoom",
    "Community",
    "Meeting",
];
/// Longest group name, in bytes.
pub(super) const MAX_NAME: usize = 100;
/// Most members per call, as Tencent caps it.
const MAX_MEMBERS: usize = 500;

#[derive(Deserialize)]
pub struct Create {
    #[serde(rename = "Owner_Account")]
    owner: Option<String>,
    #[serde(rename = "Type")]
    group_type: String,
    #[serde(rename = "GroupId")]
    group_id: Option<String>,
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "MemberList", default)]
    members: Vec<Member>,
}

fn members(list: Vec<Member>) -> Result<Vec<String>, RestError> {
    if list.len() > MAX_MEMBERS {
        return Err(RestError::new(
            codes::INVALID_REQUEST,
            format!("at most {MAX_MEMBERS} members per call"),
        ));
    }
    list.into_iter()
        .map(|m| {
            validate::id("Member_Account", &m.account)
                .map(|()| m.account)
                .map_err(RestError::from)
        })
        .collect()
}

pub async fn create(state: &AppState, req: Create) -> RestResult {
    if !GROUP_TYPES.contains(&req.group_type.as_str()) {
        return Err(RestError::new(
            codes::INVALID_REQUEST,
            format!("unknown group Type {:?}", req.group_type),
        ));
    }
    if req.name.is_empty() || req.name.len() > MAX_NAME {
        return Err(RestError::new(
            codes::INVALID_REQUEST,
            format!("Name must be 1 to {MAX_NAME} bytes"),
        ));
    }
    if let Some(owner) = &req.owner {
        validate::id("Owner_Account", owner)?;
    }
    let group_id = match req.group_id {
        Some(id) => {
            validate::id("GroupId", &id)?;
            id
        }
        None => generate_id(GroupType::parse(&req.group_type) == Some(GroupType::Community)),
    };
    let group_type = GroupType::parse(&req.group_type).unwrap_or_default();
    let op = GroupOp::admin_create(
        group_id,
        group_type,
        req.name,
        req.owner,
        members(req.members)?,
    );
    match commit(state, Write::Group(op), true).await? {
        Outcome::Group(g) => match g.reply {
            Reply::GroupCreated { group, .. } => Ok(fields([("GroupId", group.group_id.into())])),
            _ => Err(RestError::new(codes::INTERNAL, "unexpected outcome")),
        },
        _ => Err(RestError::new(codes::INTERNAL, "unexpected outcome")),
    }
}

#[derive(Deserialize)]
pub struct AddMembers {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "MemberList")]
    members: Vec<Member>,
}

pub async fn add_members(state: &AppState, req: AddMembers) -> RestResult {
    validate::id("GroupId", &req.group_id)?;
    let asked = members(req.members)?;
    let op = GroupOp {
        actor: Actor::Admin,
        action: GroupAction::Add(req::GroupUsers {
            group_id: req.group_id,
            user_ids: asked.clone(),
            reason: String::new(),
        }),
        quiet: true,
    };
    match commit(state, Write::Group(op), true).await? {
        Outcome::Group(g) => match g.reply {
            Reply::GroupAdded { success, .. } => {
                // Tencent's Result: 1 added, 2 already a member.
                let list: Vec<Value> = asked
                    .into_iter()
                    .map(|account| {
                        let result = if success.contains(&account) { 1 } else { 2 };
                        json!({"Member_Account": account, "Result": result})
                    })
                    .collect();
                Ok(fields([("MemberList", Value::Array(list))]))
            }
            _ => Err(RestError::new(codes::INTERNAL, "unexpected outcome")),
        },
        _ => Err(RestError::new(codes::INTERNAL, "unexpected outcome")),
    }
}
