//! Read receipts of messages sent with `needReadReceipt` (group and C2C):
//! `sendMessageReadReceipt`, `getMessageReadReceiptList`, `getGroupMessageReadMemberList`,
//! and `MESSAGE_READ_RECEIPT_RECEIVED` when others acknowledge this user's messages.

use tim_protocol::{parse_conversation_id, req, ConvType, Receipt, Request};

use super::requests::JobKind;
use super::*;

fn not_sent() -> SdkError {
    SdkError::new(
        codes::INVALID_OPERATION,
        "only a sent message has read receipts",
    )
}

/// tim-js-sdk's receipt entries for `conv`: `groupID` is set for groups.
pub(super) fn receipt_views(conv: &str, receipts: &[Receipt]) -> Vec<ReceiptView> {
    let group_id = match parse_conversation_id(conv) {
        Some((ConvType::Group, g)) => Some(g.to_owned()),
        _ => None,
    };
    receipts
        .iter()
        .map(|r| ReceiptView {
            group_id: group_id.clone(),
            conversation_id: conv.to_owned(),
            message_id: r.id.clone(),
            read_count: r.read,
            unread_count: r.unread,
        })
        .collect()
}

impl Core {
    /// The conversation and sequences of a non-empty list of sent messages of one
    /// conversation.
    fn receipt_targets(&self, list: &[MessageView]) -> Result<(String, Vec<u64>), SdkError> {
        if list.is_empty() {
            return Err(SdkError::new(
                codes::READ_RECEIPT_MESSAGE_LIST_EMPTY,
                "messageList is empty",
            ));
        }
        let mut conv: Option<String> = None;
        let mut seqs = Vec::with_capacity(list.len());
        for view in list {
            let (c, seq) = self.locate_view(view).ok_or_else(not_sent)?;
            if conv.as_ref().is_some_and(|known| *known != c) {
                return Err(SdkError::new(
                    codes::INVALID_OPERATION,
                    "the messages must belong to one conversation",
                ));
            }
            conv = Some(c);
            seqs.push(seq);
        }
        Ok((conv.unwrap_or_default(), seqs))
    }

    pub(super) fn cmd_read_receipt(&mut self, now: u64, op: OpId, list: &[MessageView]) {
        match self.receipt_targets(list) {
            Ok((conversation_id, seqs)) => {
                let req = Request::ReadReceipt(req::ReadReceipt {
                    conversation_id,
                    seqs,
                });
                self.add_call(now, op, JobKind::ReadReceipt, req);
            }
            Err(e) => self.complete(op, Err(e)),
        }
    }

    pub(super) fn cmd_receipt_list(&mut self, now: u64, op: OpId, list: &[MessageView]) {
        match self.receipt_targets(list) {
            Ok((conv, seqs)) => {
                let req = Request::ReceiptList(req::ReceiptList {
                    conversation_id: conv.clone(),
                    seqs,
                });
                self.add_call(now, op, JobKind::ReceiptList { conv }, req);
            }
            Err(e) => self.complete(op, Err(e)),
        }
    }

    pub(super) fn cmd_receipt_members(
        &mut self,
        now: u64,
        op: OpId,
        view: &MessageView,
        read: bool,
        cursor: String,
        count: u32,
    ) {
        let Some((conversation_id, seq)) = self.locate_view(view) else {
            return self.complete(op, Err(not_sent()));
        };
        let req = Request::ReceiptMembers(req::ReceiptMembers {
            conversation_id,
            seq,
            read,
            cursor,
            count,
        });
        let kind = JobKind::ReceiptMembers {
            message_id: view.id.clone(),
            read,
        };
        self.add_call(now, op, kind, req);
    }

    /// Others acknowledged messages of ours.
    pub(super) fn on_receipts_push(&mut self, conv: &str, receipts: &[Receipt]) {
        let ready = self.session.as_ref().is_some_and(|s| s.ready);
        if ready && !receipts.is_empty() {
            self.emit(Event::MessageReadReceiptReceived(receipt_views(
                conv, receipts,
            )));
        }
    }
}
