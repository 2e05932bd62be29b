//! `Conversations`: the requester's list, most recent first, with unread counts.

use tim_protocol::Reply;

use crate::ws::session::{CmdResult, Session};

pub async fn run(s: &mut Session) -> CmdResult {
    let user = s.user()?;
    let (conversations, sync_seq) = s.state.read(move |st| st.conversations(&user)).await?;
    Ok(Some(Reply::Conversations {
        conversations,
        sync_seq,
    }))
}
