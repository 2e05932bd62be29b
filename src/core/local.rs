//! Messages saved on this instance only (`insertC2CMessageToLocalStorage`,
//! `insertGroupMessageToLocalStorage`; the C API's `TIMMsgSaveMsg`). They never reach the
//! server and have no sequence. Each is anchored after the newest server message its
//! conversation had when it was saved, so it pages in with that message: a page of server
//! messages `lo..` holds the local messages anchored in `[lo, before)` (`[0, before)` on the
//! page that completes the history), and paging back yields each of them exactly once.

use tim_protocol::{parse_conversation_id, ConvType, Message};

use super::create::outbound_of;
use super::session::Session;
use super::*;

#[derive(Default)]
pub(super) struct LocalMessages {
    /// `(anchor, message)` by anchor, saving order within one anchor; few, so a scan is
    /// cheaper than an index.
    list: Vec<(u64, Message)>,
}

impl LocalMessages {
    pub(super) fn save(&mut self, anchor: u64, msg: Message) {
        // Kept ordered on insert: no sort instantiation in the wasm.
        let at = self.list.iter().take_while(|(a, _)| *a <= anchor).count();
        self.list.insert(at, (anchor, msg));
    }

    pub(super) fn get(&self, id: &str) -> Option<&Message> {
        self.list.iter().map(|(_, m)| m).find(|m| m.id == id)
    }

    /// Removes one message; false if it is not a local message.
    pub(super) fn remove(&mut self, id: &str) -> bool {
        let before = self.list.len();
        self.list.retain(|(_, m)| m.id != id);
        self.list.len() != before
    }

    /// Removes every local message of `conv` as `me` sees it; returns how many.
    pub(super) fn clear(&mut self, conv: &str, me: &str) -> usize {
        let before = self.list.len();
        self.list.retain(|(_, m)| m.conversation_id_for(me) != conv);
        before - self.list.len()
    }

    /// The local messages of `conv` anchored in `[from, before)`, oldest anchor first (saving
    /// order among equal anchors), each with its anchor.
    pub(super) fn anchored<'a>(
        &'a self,
        conv: &'a str,
        me: &'a str,
        from: u64,
        before: Option<u64>,
    ) -> Vec<(u64, &'a Message)> {
        self.list
            .iter()
            .filter(|(a, _)| *a >= from && before.is_none_or(|b| *a < b))
            .filter(|(_, m)| m.conversation_id_for(me) == conv)
            .map(|(a, m)| (*a, m))
            .collect()
    }
}

impl Core {
    /// Saves `view` (from a `create*Message`) as a local message of `sender`: the user
    /// themself or, in C2C, the peer. Resolves `{message}`.
    pub(super) fn cmd_save_local(&mut self, now: u64, op: OpId, view: MessageView, sender: String) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let result =
            outbound_of(&view, &s.user_id, self.drafts.content(&view.id)).and_then(|out| {
                let me = s.user_id.as_str();
                let to = match out.conv_type {
                    ConvType::C2c if sender == me => out.to.clone(),
                    ConvType::C2c if sender == out.to => me.to_owned(),
                    ConvType::Group if !sender.is_empty() => out.to.clone(),
                    _ => {
                        return Err(SdkError::new(
                            codes::INVALID_OPERATION,
                            "sender must be this user or, in C2C, the peer",
                        ))
                    }
                };
                let mut msg = out.committed(sender, 0, now / 1000);
                msg.to = to;
                let conv = msg.conversation_id_for(me);
                if s.local.get(&msg.id).is_some() || s.convs.store.get(&msg.id).is_some() {
                    return Err(SdkError::new(
                        codes::INVALID_OPERATION,
                        "message already saved",
                    ));
                }
                let stored = s.convs.store.newest(&conv).map_or(0, |m| m.seq);
                let listed = s.convs.profile(&conv).and_then(|c| c.last_message);
                let anchor = stored.max(listed.map_or(0, |l| l.last_sequence));
                let message = s.convs.message_view(&msg);
                s.local.save(anchor, msg);
                Ok(Response::Message { message })
            });
        if result.is_ok() {
            self.drafts.remove(&view.id);
        }
        self.complete(op, result);
    }

    /// `deleteMessageFromLocalStorage`: one message (`message_id`) or every message of a
    /// conversation, on this instance only; the server's copy stays (a conversation's server
    /// messages are fetched again by the next `getMessageList`; one deleted server message
    /// stays hidden on this instance).
    pub(super) fn cmd_delete_local(&mut self, op: OpId, id: Option<String>, conv: Option<String>) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let result = match (id, conv) {
            (Some(id), _) => {
                let located = s
                    .convs
                    .store
                    .locate(&id)
                    .map(|(c, seq)| (c.to_owned(), seq));
                if s.local.remove(&id) {
                    Ok(())
                } else if let Some((c, seq)) = located {
                    s.convs.store.remove(&c, seq);
                    Ok(())
                } else {
                    Err(SdkError::new(
                        codes::MESSAGE_DELETE_FAIL,
                        "no such message on this instance",
                    ))
                }
            }
            (None, Some(conv)) if parse_conversation_id(&conv).is_some() => {
                s.local.clear(&conv, &s.user_id);
                s.convs.store.drop_conversation(&conv);
                Ok(())
            }
            (None, Some(_)) => Err(SdkError::new(
                codes::INVALID_CONVERSATION_ID,
                "conversationID must be C2C<userID> or GROUP<groupID>",
            )),
            (None, None) => Err(SdkError::new(
                codes::INVALID_OPERATION,
                "msgID or conversationID is required",
            )),
        };
        self.complete(op, result.map(|()| Response::Empty {}));
    }
}

/// Interleaves the local messages anchored in `[from, before)` into a history page of server
/// messages (ascending `sequence`): each goes right after the server message it follows.
pub(super) fn interleave(
    s: &Session,
    conv: &str,
    page: Vec<MessageView>,
    from: u64,
    before: Option<u64>,
) -> Vec<MessageView> {
    let locals = s.local.anchored(conv, &s.user_id, from, before);
    if locals.is_empty() {
        return page;
    }
    let mut out = Vec::with_capacity(page.len() + locals.len());
    let mut locals = locals.into_iter().peekable();
    for server in page {
        while let Some((_, m)) = locals.next_if(|(a, _)| *a < server.sequence) {
            out.push(s.convs.message_view(m));
        }
        out.push(server);
    }
    out.extend(locals.map(|(_, m)| s.convs.message_view(m)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::tests::m;

    #[test]
    fn pages_partition_the_local_messages() {
        let mut l = LocalMessages::default();
        l.save(0, m("first", 0));
        l.save(3, m("after3", 0));
        l.save(3, m("after3b", 0));
        l.save(7, m("after7", 0));
        l.save(1, m("after1", 0)); // saved late, still pages in by anchor
        let ids = |v: Vec<(u64, &Message)>| v.iter().map(|(_, m)| m.id.clone()).collect::<Vec<_>>();
        // Newest page holds server seqs 5..=8 (no `before`), the older one 1..=4 (complete).
        assert_eq!(ids(l.anchored("C2Cb", "a", 5, None)), ["after7"]);
        assert_eq!(
            ids(l.anchored("C2Cb", "a", 0, Some(5))),
            ["first", "after1", "after3", "after3b"]
        );
        assert!(l.anchored("C2Cx", "a", 0, None).is_empty());
        assert!(l.get("after3").is_some());
        assert!(l.remove("after3") && !l.remove("after3"));
        assert_eq!(l.clear("C2Cb", "a"), 4);
        assert!(l.get("first").is_none());
    }
}
