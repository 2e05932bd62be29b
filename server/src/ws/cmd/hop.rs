//! `Hop` (getMessageListHopping: from a sequence or a time, older or newer) and `Fetch`
//! (findMessageByLocatorList: messages by sequence), read-only like `History`.

use tim_protocol::{codes, Reply, MAX_HISTORY_PAGE};

use super::{conv, CmdResult, ReqError};
use crate::store::HopFrom;
use crate::ws::session::Session;

/// Where a `Hop` starts (exactly one of `seq` and `time`), which way it goes and how far.
pub struct Ask {
    pub seq: Option<u64>,
    pub time: Option<u64>,
    pub newer: bool,
    pub count: u32,
}

pub async fn run(s: &mut Session, conversation_id: String, ask: Ask) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&conversation_id)?;
    let at = match (ask.seq, ask.time) {
        (Some(seq), None) => HopFrom::Seq(seq),
        (None, Some(time)) => HopFrom::Time(time),
        _ => {
            return Err(ReqError::new(
                codes::INVALID_REQUEST,
                "exactly one of seq and time is required",
            ))
        }
    };
    let (messages, complete) = s
        .state
        .read(move |st| st.hop(&user, &conv, at, ask.newer, ask.count))
        .await?;
    Ok(Some(Reply::History { messages, complete }))
}

pub async fn fetch(s: &mut Session, conversation_id: String, seqs: Vec<u64>) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&conversation_id)?;
    if seqs.len() > MAX_HISTORY_PAGE as usize {
        return Err(ReqError::new(
            codes::INVALID_REQUEST,
            format!("at most {MAX_HISTORY_PAGE} sequences"),
        ));
    }
    let messages = s
        .state
        .read(move |st| st.fetch(&user, &conv, &seqs))
        .await?;
    Ok(Some(Reply::History {
        messages,
        complete: true,
    }))
}
