//! `Modify`: the sender replaces a message's content (same type) and cloudCustomData. The
//! version is checked and bumped by the committer inside the transaction, so of two modifies
//! of one version exactly one wins (the other gets `MODIFY_CONFLICT`). A revoked message
//! cannot be modified: `MESSAGE_NOT_FOUND`.

use tim_protocol::{req, ReqId};

use super::{conv, CmdResult};
use crate::store::{ModifyWrite, Write};
use crate::validate;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, id: ReqId, edit: req::Modify) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&edit.conversation_id)?;
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
