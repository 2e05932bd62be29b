//! IM-group commands (createGroup, joinGroup, ...), one file per command below this module.
//! Each checks its arguments here, before any work (an invalid one is answered with
//! `GROUP_INVALID_PARAMETER`, and the connection stays usable); the group's rules, which need
//! the roster, are checked by the store inside the write's transaction
//! (`store/sqlite/group.rs`), so concurrent changes cannot slip between check and write.

mod add;
mod apps;
mod create;
mod dismiss;
mod join;
mod kick;
mod list;
mod member_set;
mod members;
mod owner;
mod quit;
mod role;
mod update;

use tim_protocol::{codes, CustomField, ReqId, Request};
// The limits the SDK checks too: one definition in the protocol.
pub use tim_protocol::{
    MAX_GROUP_NAME, MAX_GROUP_USERS, MAX_INTRODUCTION, MAX_MEMBER_PROFILES, MAX_NAME_CARD,
    MAX_NOTIFICATION,
};

use super::{CmdResult, ReqError};
use crate::store::group::{Actor, GroupAction, GroupOp};
use crate::store::Write;
use crate::validate;
use crate::ws::session::Session;

/// Longest avatar URL, bytes.
pub const MAX_AVATAR: usize = 1024;
/// Longest custom field key, bytes.
pub const MAX_CUSTOM_KEY: usize = 32;
/// Longest custom field value, bytes.
pub const MAX_CUSTOM_VALUE: usize = 4096;

/// Runs one group request.
pub async fn run(s: &mut Session, id: ReqId, req: Request) -> CmdResult {
    match req {
        Request::GroupCreate(r) => create::run(s, id, r).await,
        Request::GroupDismiss(r) => dismiss::run(s, id, r).await,
        Request::GroupUpdate(r) => update::run(s, id, r).await,
        Request::GroupList(r) => list::run(s, r).await,
        Request::GroupSearch(r) => list::search(s, r).await,
        Request::GroupJoin(r) => join::run(s, id, r).await,
        Request::GroupQuit(r) => quit::run(s, id, r).await,
        Request::GroupOwner(r) => owner::run(s, id, r).await,
        Request::GroupAdd(r) => add::run(s, id, r).await,
        Request::GroupKick(r) => kick::run(s, id, r).await,
        Request::GroupMembers(r) => members::page(s, r).await,
        Request::GroupMemberInfo(r) => members::info(s, r).await,
        Request::GroupMemberSet(r) => member_set::run(s, id, r).await,
        Request::GroupRole(r) => role::role(s, id, r).await,
        Request::GroupMute(r) => role::mute(s, id, r).await,
        Request::GroupApps => apps::list(s).await,
        Request::GroupAppHandle(r) => apps::handle(s, id, r).await,
        Request::GroupOnline(r) => apps::online(s, r).await,
        _ => Err(invalid("not a group request")),
    }
}

/// An invalid argument.
fn invalid(message: impl Into<String>) -> ReqError {
    ReqError::new(codes::GROUP_INVALID_PARAMETER, message)
}

/// A group or user ID (`kind` names it in the message).
fn check_id(kind: &str, id: &str) -> Result<(), ReqError> {
    validate::id(kind, id).map_err(|e| invalid(e.message))
}

/// A text field of at most `max` bytes (`min_one`: not empty either).
fn check_text(kind: &str, s: &str, max: usize, min_one: bool) -> Result<(), ReqError> {
    if s.len() > max || (min_one && s.is_empty()) {
        let least = if min_one { 1 } else { 0 };
        return Err(invalid(format!("{kind} must be {least} to {max} bytes")));
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(format!("{kind} holds control characters")));
    }
    Ok(())
}

/// Custom fields: distinct keys, each and each value within limits, at most
/// [`crate::store::group::MAX_CUSTOM_FIELDS`].
fn check_custom(fields: &[CustomField]) -> Result<(), ReqError> {
    let most = crate::store::group::MAX_CUSTOM_FIELDS;
    if fields.len() > most {
        return Err(invalid(format!("at most {most} custom fields")));
    }
    for (i, f) in fields.iter().enumerate() {
        check_text("custom field key", &f.key, MAX_CUSTOM_KEY, true)?;
        if f.value.len() > MAX_CUSTOM_VALUE {
            return Err(invalid(format!(
                "custom field {:?} is over {MAX_CUSTOM_VALUE} bytes",
                f.key
            )));
        }
        if fields[..i].iter().any(|o| o.key == f.key) {
            return Err(invalid(format!("custom field {:?} given twice", f.key)));
        }
    }
    Ok(())
}

/// A list of 1 to `max` user IDs, without repeats.
fn check_users(ids: &[String], max: usize) -> Result<(), ReqError> {
    if ids.is_empty() || ids.len() > max {
        return Err(invalid(format!("userIDList must hold 1 to {max} users")));
    }
    for (i, id) in ids.iter().enumerate() {
        check_id("userID", id)?;
        if ids[..i].contains(id) {
            return Err(invalid(format!("{id} is listed twice")));
        }
    }
    Ok(())
}

/// Hands the requester's group change to the committer.
async fn submit(s: &Session, id: ReqId, user: String, action: GroupAction) -> CmdResult {
    let op = GroupOp {
        actor: Actor::User(user),
        action,
        quiet: false,
    };
    s.submit(id, Write::Group(op)).await
}
