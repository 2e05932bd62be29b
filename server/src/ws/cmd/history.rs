//! `History`: one page of a conversation the requester belongs to.

use tim_protocol::{req, Reply};

use super::{conv, CmdResult};
use crate::ws::session::Session;

pub async fn run(s: &mut Session, r: req::History) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    let (messages, complete) = s
        .state
        .read(move |st| st.history(&user, &conv, r.before_seq, r.count))
        .await?;
    Ok(Some(Reply::History { messages, complete }))
}
