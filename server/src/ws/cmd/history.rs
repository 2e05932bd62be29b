//! `History`: one page of a conversation the requester belongs to.

use tim_protocol::Reply;

use super::{conv, CmdResult};
use crate::ws::session::Session;

pub async fn run(
    s: &mut Session,
    conversation_id: String,
    before_seq: Option<u64>,
    count: u32,
) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&conversation_id)?;
    let (messages, complete) = s
        .state
        .read(move |st| st.history(&user, &conv, before_seq, count))
        .await?;
    Ok(Some(Reply::History { messages, complete }))
}
