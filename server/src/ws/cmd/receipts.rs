//! Read receipts: `ReadReceipt` (a write through the committer, which tells the senders),
//! `ReceiptList` and `ReceiptMembers` (reads).

use tim_protocol::{codes, req, Reply, ReqId};

use super::{conv, CmdResult, ReqError};
use crate::store::Write;
use crate::ws::session::Session;

/// Most messages one receipt request may name.
const MAX_RECEIPT_SEQS: usize = 100;

fn check_seqs(seqs: &[u64]) -> Result<(), ReqError> {
    if seqs.is_empty() || seqs.len() > MAX_RECEIPT_SEQS {
        return Err(ReqError::new(
            codes::INVALID_REQUEST,
            format!("seqs must name 1 to {MAX_RECEIPT_SEQS} messages"),
        ));
    }
    Ok(())
}

pub async fn acknowledge(s: &mut Session, id: ReqId, r: req::ReadReceipt) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    check_seqs(&r.seqs)?;
    let seqs = r.seqs;
    s.submit(id, Write::Receipt { user, conv, seqs }).await
}

pub async fn list(s: &mut Session, r: req::ReceiptList) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&r.conversation_id)?;
    check_seqs(&r.seqs)?;
    let seqs = r.seqs;
    let receipts = s
        .state
        .read(move |st| st.receipts(&user, &conv, &seqs))
        .await?;
    Ok(Some(Reply::Receipts { receipts }))
}

pub async fn members(s: &mut Session, page: req::ReceiptMembers) -> CmdResult {
    let user = s.user()?;
    let conv = conv(&page.conversation_id)?;
    let (users, cursor, complete) = s
        .state
        .read(move |st| {
            st.receipt_members(&user, &conv, page.seq, page.read, &page.cursor, page.count)
        })
        .await?;
    Ok(Some(Reply::Members {
        users,
        cursor,
        complete,
    }))
}
