//! `Hop` (getMessageListHopping: from a sequence or a time, older or newer) and `Fetch`
//! (findMessageByLocatorList: messages by sequence), read-only like `History`.

use tim_protocol::{codes, req, Reply, MAX_HISTORY_PAGE};

use super::{conv, CmdResult, ReqError};
use crate::store::HopFrom;
use crate::ws::session::Session;

/// Starts at exactly one of `seq` and `time`.
pub async fn run(s: &mut Session, ask: req::Hop) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&ask.conversation_id)?;
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

pub async fn fetch(s: &mut Session, r: req::Fetch) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    let seqs = r.seqs;
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
