//! `group_open_http_svc`: `create_group` and `add_group_member`. Groups exist only through
//! this API for now; members then send and receive on the WebSocket.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;
use serde_json::{json, Value};
use tim_protocol::codes;

use super::{commit, fields, Member, RestError, RestResult};
use crate::state::AppState;
use crate::store::{NewGroup, Outcome, Write};
use crate::validate;

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
const MAX_NAME: usize = 100;
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

/// A Tencent-looking generated ID (`@TGS#` + base-36), unique within this process and, by its
/// clock component, across restarts.
fn generate_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut n = nanos.wrapping_add(COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n % 36) as usize]);
        n /= 36;
    }
    digits.reverse();
    format!("@TGS#{}", String::from_utf8_lossy(&digits))
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
        None => generate_id(),
    };
    let group = NewGroup {
        group_id,
        group_type: req.group_type,
        name: req.name,
        owner: req.owner,
        members: members(req.members)?,
    };
    match commit(state, Write::CreateGroup(group), true).await? {
        Outcome::GroupCreated(id, _) => Ok(fields([("GroupId", id.into())])),
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
    let write = Write::AddMembers {
        group_id: req.group_id,
        members: members(req.members)?,
    };
    match commit(state, write, true).await? {
        Outcome::MembersAdded(added, _) => {
            // Tencent's Result: 1 added, 2 already a member.
            let list: Vec<Value> = added
                .into_iter()
                .map(|(account, new)| json!({"Member_Account": account, "Result": if new { 1 } else { 2 }}))
                .collect();
            Ok(fields([("MemberList", Value::Array(list))]))
        }
        _ => Err(RestError::new(codes::INTERNAL, "unexpected outcome")),
    }
}
