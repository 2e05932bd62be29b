//! `Send` with `online_user_only`: pushed to the participants' connected sockets (all but the
//! requesting one) and answered at once. Nothing is stored: the message has `seq` 0 and
//! `sync_seq` 0, counts as unread nowhere, never syncs later and never reaches the push
//! webhook. A repeat of the same ID is delivered again (there is no record to dedupe against).

use tim_protocol::{Change, ConvType, OutboundMessage, Reply, ServerFrame};

use super::CmdResult;
use crate::store::Conv;
use crate::ws::session::Session;

pub async fn run(s: &mut Session, from: String, m: OutboundMessage) -> CmdResult {
    let conv = match m.conv_type {
        ConvType::C2c => Conv::C2c(m.to.clone()),
        ConvType::Group => Conv::Group(m.to.clone()),
        ConvType::System => Conv::System, // refused by validate::outbound already
    };
    let who = from.clone();
    let now = crate::time::now_secs();
    let participants = s
        .state
        .read(move |st| st.participants(&who, &conv, now))
        .await?;
    let message = m.unstored(from, now);
    let push = ServerFrame::Push {
        sync_seq: 0,
        message: message.clone(),
        change: Change::New,
    };
    for user in &participants {
        s.state.hub.push(user, Some(s.conn.id), &push);
    }
    Ok(Some(Reply::Sent {
        message,
        sync_seq: 0,
    }))
}
