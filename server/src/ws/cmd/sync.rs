//! `Sync`: what was delivered to the user after the client's cursor, one page.

use tim_protocol::{req, Reply};

use super::CmdResult;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, r: req::Sync) -> CmdResult {
    let req::Sync { since, limit } = r;
    let user = s.user()?;
    let (items, complete) = s.state.read(move |st| st.sync(&user, since, limit)).await?;
    Ok(Some(Reply::Sync { items, complete }))
}
