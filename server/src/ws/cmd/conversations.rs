//! `Conversations`: the requester's list, most recent first, with unread counts and settings,
//! and the requester's conversation groups.

use tim_protocol::Reply;

use super::CmdResult;
use crate::ws::session::Session;

pub async fn run(s: &mut Session) -> CmdResult {
    let user = s.user()?;
    let (conversations, sync_seq, groups) = s
        .state
        .read(move |st| {
            let (list, sync_seq) = st.conversations(&user)?;
            Ok((list, sync_seq, st.conv_groups(&user)?))
        })
        .await?;
    Ok(Some(Reply::Conversations {
        conversations,
        sync_seq,
        groups,
    }))
}
