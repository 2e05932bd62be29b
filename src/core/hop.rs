//! Reading history from a point: getMessageListHopping (by sequence or time, older or newer;
//! answered like getMessageList) and findMessageByLocatorList (messages by sequence, from
//! memory when stored here, else from the server).

use tim_protocol::{req, Message, Request, MAX_HISTORY_PAGE};

use super::commands::bad_conversation_id;
use super::requests::JobKind;
use super::*;

fn invalid(message: &str) -> SdkError {
    SdkError::new(codes::INVALID_OPERATION, message)
}

/// Whether `m` is what `l` locates (`me` for `isSelf`).
fn matches(l: &Locator, m: &Message, me: &str) -> bool {
    m.seq == l.seq
        && (l.random == 0 || l.random == m.random)
        && (l.time == 0 || l.time == m.time)
        && l.is_self.is_none_or(|own| own == (m.from == me))
}

impl Core {
    pub(super) fn cmd_hop(
        &mut self,
        now: u64,
        op: OpId,
        conv: String,
        (seq, time): (Option<u64>, Option<u64>),
        count: Option<u32>,
        newer: bool,
    ) {
        if !super::limits::conversation_id_ok(&conv) {
            return self.complete(op, Err(bad_conversation_id()));
        }
        if seq.is_some() == time.is_some() {
            return self.complete(op, Err(invalid("give either sequence or time")));
        }
        let req = Request::Hop(req::Hop {
            conversation_id: conv.clone(),
            seq,
            time,
            newer,
            count: count.unwrap_or(MAX_HISTORY_PAGE).clamp(1, MAX_HISTORY_PAGE),
        });
        // `before: Some(0)`: local-only messages stay out of a hop (they have no sequence).
        let kind = JobKind::History {
            conv,
            before: Some(0),
        };
        self.add_call(now, op, kind, req);
    }

    pub(super) fn cmd_locate(&mut self, now: u64, op: OpId, conv: String, locators: Vec<Locator>) {
        if !super::limits::conversation_id_ok(&conv) {
            return self.complete(op, Err(bad_conversation_id()));
        }
        if locators.is_empty() || locators.len() > MAX_HISTORY_PAGE as usize {
            return self.complete(op, Err(invalid("locatorList must hold 1 to 15 locators")));
        }
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let (mut found, mut missing) = (Vec::new(), Vec::new());
        for l in locators {
            let stored = s
                .convs
                .store
                .between(&conv, l.seq.saturating_sub(1), l.seq)
                .next();
            match stored {
                Some(m) if matches(&l, m, &s.user_id) => found.push(s.convs.message_view(m)),
                Some(_) => {} // stored, and not what the locator describes
                None => missing.push(l),
            }
        }
        if missing.is_empty() {
            return self.on_located(op, &conv, &[], found, &[]);
        }
        let req = Request::Fetch(req::Fetch {
            conversation_id: conv.clone(),
            seqs: missing.iter().map(|l| l.seq).collect(),
        });
        let kind = JobKind::Locate {
            conv,
            locators: missing,
            found,
        };
        self.add_call(now, op, kind, req);
    }

    /// The server's answer to a locator lookup: keeps what matches, stores it as history.
    /// Found messages come in locator order (memory hits first).
    pub(super) fn on_located(
        &mut self,
        op: OpId,
        conv: &str,
        locators: &[Locator],
        mut found: Vec<MessageView>,
        messages: &[Message],
    ) {
        if let Some(s) = self.session.as_mut() {
            for m in messages {
                if m.conversation_id_for(&s.user_id) != conv
                    || !locators.iter().any(|l| matches(l, m, &s.user_id))
                {
                    continue;
                }
                s.convs.add_history(conv, m);
                found.push(s.convs.message_view(m));
            }
        }
        let response = Response::MessageList {
            message_list: found,
            next_req_message_id: String::new(),
            is_completed: true,
        };
        self.complete(op, Ok(response));
    }
}
