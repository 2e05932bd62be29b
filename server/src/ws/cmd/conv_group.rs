//! `ConvGroup`: create, delete, rename a conversation group of the requester, or add or remove
//! conversations; answered with every group after the change, which the user's other sockets
//! get too.

use tim_protocol::{codes, req, ConvGroupAction, ReqId};

use super::conv_settings::MAX_CONVERSATIONS;
use super::{conv, CmdResult, ReqError};
use crate::store::{GroupWrite, Write};
use crate::validate;
use crate::ws::session::Session;

fn name_ok(name: &str) -> Result<(), ReqError> {
    Ok(validate::conv_group_name(name)?)
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
