//! `Modify`: the sender replaces a message's content (same type) and cloudCustomData. The
//! version is checked and bumped by the committer inside the transaction, so of two modifies
//! of one version exactly one wins (the other gets `MODIFY_CONFLICT`). A revoked message
//! cannot be modified: `MESSAGE_NOT_FOUND`.

use tim_protocol::{Content, ReqId};

use super::{conv, CmdResult};
use crate::store::{ModifyWrite, Write};
use crate::validate;
use crate::ws::session::Session;

/// What the client asks to change.
pub struct Edit {
    pub seq: u64,
    pub version: u32,
    pub content: Content,
    pub cloud_custom_data: String,
}

pub async fn run(s: &mut Session, id: ReqId, conversation_id: String, edit: Edit) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&conversation_id)?;
    validate::content(&edit.content, edit.cloud_custom_data.len())?;
    s.submit(
        id,
        Write::Modify(ModifyWrite {
            user,
            conv,
            seq: edit.seq,
            version: edit.version,
            content: edit.content,
            cloud_custom_data: edit.cloud_custom_data,
        }),
    )
    .await
}
