//! Read receipts of messages sent with `needReadReceipt` (`store/sqlite/receipt.rs`): who
//! acknowledged which message; the unread side is every other participant without one.

use tim_protocol::{codes, Message, Receipt};

use crate::model::{Key, Target};
use crate::{Fail, FakeServer};

/// Largest page of [`FakeServer::receipt_members`].
const MAX_MEMBERS_PAGE: u32 = 100;

/// The counts of an acknowledgement: all of them (the reader's answer), and per sender the
/// conversation ID as the sender sees it with the counts that moved.
#[derive(Default)]
pub(crate) struct Receipts {
    pub all: Vec<Receipt>,
    pub by_sender: Vec<(String, String, Vec<Receipt>)>,
}

impl FakeServer {
    fn count(&self, key: &Key, m: &Message) -> Receipt {
        let readers = self.receipts.get(&(key.clone(), m.seq));
        let has = |u: &String| readers.is_some_and(|r| r.contains(u));
        let unread = self
            .participants(key)
            .iter()
            .filter(|u| **u != m.from && !has(u))
            .count();
        Receipt {
            id: m.id.clone(),
            seq: m.seq,
            read: readers.map_or(0, |r| r.len() as u32),
            unread: unread as u32,
        }
    }

    /// The messages among `seqs` shown to `user` that asked for receipts, in the order given,
    /// without repeats.
    fn receipt_messages(&self, user: &str, key: &Key, seqs: &[u64]) -> Vec<Message> {
        let mut out: Vec<Message> = Vec::new();
        for &seq in seqs {
            if out.iter().any(|m| m.seq == seq) {
                continue;
            }
            if let Some(s) = self
                .stored_for(user, key, seq)
                .filter(|s| s.message.need_read_receipt)
            {
                out.push(s.message.clone());
            }
        }
        out
    }

    /// `user` acknowledges `seqs`; own messages are skipped, repeats change nothing.
    pub(crate) fn acknowledge(
        &mut self,
        user: &str,
        target: &Target,
        seqs: &[u64],
    ) -> Result<Receipts, Fail> {
        let Some(key) = self.resolve(user, target)? else {
            return Ok(Receipts::default());
        };
        let mut out = Receipts::default();
        for m in self.receipt_messages(user, &key, seqs) {
            if m.from == user {
                continue;
            }
            let added = self
                .receipts
                .entry((key.clone(), m.seq))
                .or_default()
                .insert(user.to_owned());
            let receipt = self.count(&key, &m);
            if added {
                match out.by_sender.iter_mut().find(|(s, _, _)| *s == m.from) {
                    Some((_, _, list)) => list.push(receipt.clone()),
                    None => out.by_sender.push((
                        m.from.clone(),
                        m.conversation_id_for(&m.from),
                        vec![receipt.clone()],
                    )),
                }
            }
            out.all.push(receipt);
        }
        Ok(out)
    }

    /// Current counts of the messages among `seqs` that asked for receipts.
    pub(crate) fn receipt_counts(
        &self,
        user: &str,
        target: &Target,
        seqs: &[u64],
    ) -> Result<Vec<Receipt>, Fail> {
        let Some(key) = self.resolve(user, target)? else {
            return Ok(Vec::new());
        };
        Ok(self
            .receipt_messages(user, &key, seqs)
            .iter()
            .map(|m| self.count(&key, m))
            .collect())
    }

    /// A page of the participants (sender excluded) who did (`read`) or did not acknowledge
    /// message `seq`, by user ID after `cursor`: (users, next cursor, complete).
    pub(crate) fn receipt_members(
        &self,
        user: &str,
        target: &Target,
        seq: u64,
        read: bool,
        cursor: &str,
        count: u32,
    ) -> Result<(Vec<String>, String, bool), Fail> {
        let not_found = || (codes::MESSAGE_NOT_FOUND, "message not found".to_owned());
        let key = self.resolve(user, target)?.ok_or_else(not_found)?;
        let m = &self
            .stored_for(user, &key, seq)
            .ok_or_else(not_found)?
            .message;
        let limit = count.clamp(1, MAX_MEMBERS_PAGE) as usize;
        let readers = self.receipts.get(&(key.clone(), seq));
        let has = |u: &String| readers.is_some_and(|r| r.contains(u));
        let candidates: Vec<String> = if read {
            readers.into_iter().flatten().cloned().collect()
        } else {
            self.participants(&key)
                .into_iter()
                .filter(|u| !has(u))
                .collect()
        };
        let mut users: Vec<String> = candidates
            .into_iter()
            .filter(|u| *u != m.from && u.as_str() > cursor)
            .take(limit + 1)
            .collect();
        let complete = users.len() <= limit;
        users.truncate(limit);
        let next = match complete {
            true => String::new(),
            false => users.last().cloned().unwrap_or_default(),
        };
        Ok((users, next, complete))
    }
}
