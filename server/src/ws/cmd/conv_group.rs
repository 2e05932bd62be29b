//! `ConvGroup`: create, delete, rename a conversation group of the requester, or add or remove
//! conversations; answered with every group after the change, which the user's other sockets
//! get too.

use tim_protocol::{codes, req, ConvGroupAction, ReqId};

use super::conv_settings::MAX_CONVERSATIONS;
use super::{conv, CmdResult, ReqError};
use crate::store::{GroupWrite, Write};
use crate::ws::session::Session;

/// Longest group name, in bytes (as Tencent).
pub const MAX_NAME_BYTES: usize = 32;

fn name_ok(name: &str) -> Result<(), ReqError> {
    if name.is_empty() || name.len() > MAX_NAME_BYTES || name.chars().any(char::is_control) {
        return Err(ReqError::new(
            codes::CONV_GROUP_NAME_INVALID,
            format!("groupName must be 1 to {MAX_NAME_BYTES} printable bytes"),
        ));
    }
    Ok(())
}

pub async fn run(s: &mut Session, id: ReqId, change: req::ConvGroup) -> CmdResult {
    let user = s.user()?;
    name_ok(&change.name)?;
    if change.action == ConvGroupAction::Rename {
        name_ok(&change.new_name)?;
    }
    let needs_list = matches!(
        change.action,
        ConvGroupAction::Create | ConvGroupAction::Add | ConvGroupAction::Remove
    );
    let count = change.conversation_ids.len();
    if needs_list && (count == 0 || count > MAX_CONVERSATIONS) {
        return Err(ReqError::new(
            codes::INVALID_REQUEST,
            format!("conversationIDList must list 1 to {MAX_CONVERSATIONS} conversations"),
        ));
    }
    for c in &change.conversation_ids {
        conv(c)?;
    }
    let write = GroupWrite {
        user,
        action: change.action,
        name: change.name,
        new_name: change.new_name,
        conversation_ids: change.conversation_ids,
    };
    s.submit(id, Write::ConvGroup(write)).await
}
