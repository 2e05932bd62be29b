//! `ConvGroup`: create, delete, rename a conversation group of the requester, or add or remove
//! conversations; answered with every group after the change, which the user's other sockets
//! get too.

use tim_protocol::{codes, ConvGroupAction, ReqId};

use super::conv;
use super::conv_settings::MAX_CONVERSATIONS;
use crate::store::{GroupWrite, Write};
use crate::ws::session::{CmdResult, ReqError, Session};

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

pub async fn run(s: &mut Session, id: ReqId, write: GroupWrite) -> CmdResult {
    let user = s.user()?;
    name_ok(&write.name)?;
    if write.action == ConvGroupAction::Rename {
        name_ok(&write.new_name)?;
    }
    let needs_list = matches!(
        write.action,
        ConvGroupAction::Create | ConvGroupAction::Add | ConvGroupAction::Remove
    );
    let count = write.conversation_ids.len();
    if needs_list && (count == 0 || count > MAX_CONVERSATIONS) {
        return Err(ReqError::new(
            codes::INVALID_REQUEST,
            format!("conversationIDList must list 1 to {MAX_CONVERSATIONS} conversations"),
        ));
    }
    for c in &write.conversation_ids {
        conv(c)?;
    }
    s.submit(id, Write::ConvGroup(GroupWrite { user, ..write }))
        .await
}
