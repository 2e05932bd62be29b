//! `Sync`: what was delivered to the user after the client's cursor, one page.

use tim_protocol::Reply;

use super::CmdResult;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, since: u64, limit: u32) -> CmdResult {
    let user = s.user()?;
    let (items, complete) = s.state.read(move |st| st.sync(&user, since, limit)).await?;
    Ok(Some(Reply::Sync { items, complete }))
}
