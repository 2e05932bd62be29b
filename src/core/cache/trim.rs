//! What a batch leaves in the cache beyond its own writes, decided here once for every store:
//! the caps (the oldest go first: the lowest seqs of a conversation, then the earliest server
//! time overall) and the known ranges (the stored ones merged with the batch's, then cut at the
//! highest evicted seq, so what was evicted is fetched again rather than skipped).
//!
//! Sans-IO, so that the IndexedDB store stays one transaction (another tab may write between
//! two; a lost update of a ranges record must stay impossible) and `idb.js` only issues
//! requests: [`Trim`] names the requests of each round, the store runs them inside its
//! transaction and hands the answers to the next round. [`super::MemoryStore`] answers the same
//! requests from memory, so the conformance suite checks this very rule in both stores.
//!
//! Conversations are the store's own IDs (`K`: a `String`, a JS string), only compared: the
//! IndexedDB store never copies one into the wasm.

use super::{Caps, Changes, SeqRanges};

/// One request. Its answer, if any, is read by the request's index in its round ([`Answers`]);
/// the requests of a round are either all reads or all writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op<'a, K> {
    /// How many messages the conversation holds (`None`: all). Answer: [`Answers::count`].
    Count(Option<&'a K>),
    /// The keys of the `n` (never 0) oldest messages: of the conversation by seq, or (`None`)
    /// of all by server time, then key. Answer: [`Answers::key`].
    Oldest(Option<&'a K>, u64),
    /// The stored known ranges of the conversation. Answer: [`Answers::ranges`].
    Ranges(&'a K),
    /// Delete the message of the conversation at that seq.
    Delete(&'a K, u64),
    /// Store the known ranges of the conversation.
    Put(&'a K, &'a SeqRanges),
}

/// A store's answers to the previous round, by the index of the request in it.
pub trait Answers<K> {
    /// The answer to an [`Op::Count`].
    fn count(&self, i: usize) -> u64;
    /// Key `j` of the answer to an [`Op::Oldest`]: `(conversation, seq)`.
    fn key(&self, i: usize, j: usize) -> Option<(K, u64)>;
    /// The answer to an [`Op::Ranges`] as stored `(lo, hi)` pairs (none when none are stored).
    fn ranges(&self, i: usize) -> Vec<(u64, u64)>;
}

/// One conversation the batch touches.
struct Conv<K> {
    id: K,
    /// The batch stored messages here: its cap is checked.
    wrote: bool,
    /// The batch names known ranges here.
    named: bool,
    /// Those ranges, `(lo, hi)`.
    known: Vec<(u64, u64)>,
    /// The highest evicted seq (0: none).
    cut: u64,
}

impl<K> Conv<K> {
    /// Its known ranges are rewritten.
    fn put(&self) -> bool {
        self.named || self.cut > 0
    }
}

/// The caps and known ranges of one batch, run after its writes in the same transaction.
pub struct Trim<K> {
    caps: Caps,
    /// Few: a batch touches a handful of conversations (a `Vec`: no new map type in the wasm).
    convs: Vec<Conv<K>>,
    round: u8,
    /// How many reads of the round just named are keys to evict (the first ones).
    keys: usize,
    /// Messages over the total cap once the per-conversation caps are enforced.
    over: u64,
}

impl<K: for<'a> From<&'a str> + PartialEq> Trim<K> {
    /// The trim of batch `c` under `caps`. Messages with seq 0 are never stored (see
    /// [`Changes::messages`]), so they touch nothing.
    pub fn new(c: &Changes, caps: Caps) -> Trim<K> {
        let mut t = Trim {
            caps,
            convs: Vec::new(),
            round: 0,
            keys: 0,
            over: 0,
        };
        let mut last = None;
        for (id, m) in &c.messages {
            // A batch's messages come by conversation: convert each ID once.
            if m.seq > 0 && last != Some(id) {
                t.conv(id.as_str().into()).wrote = true;
                last = Some(id);
            }
        }
        for (id, lo, hi) in &c.known {
            let x = t.conv(id.as_str().into());
            x.named = true;
            x.known.push((*lo, *hi));
        }
        t
    }

    fn conv(&mut self, id: K) -> &mut Conv<K> {
        let i = match self.convs.iter().position(|c| c.id == id) {
            Some(i) => i,
            None => {
                self.convs.push(Conv {
                    id,
                    wrote: false,
                    named: false,
                    known: Vec::new(),
                    cut: 0,
                });
                self.convs.len() - 1
            }
        };
        &mut self.convs[i]
    }

    /// Takes the answers to the previous round (anything for the first) and names the next
    /// round's requests (perhaps none) through `out`; false once the trim is done.
    pub fn next(&mut self, got: &impl Answers<K>, mut out: impl FnMut(Op<K>)) -> bool {
        // The previous round read keys to evict: they go, each conversation cut at the highest.
        for i in 0..std::mem::take(&mut self.keys) {
            let mut j = 0;
            while let Some((id, seq)) = got.key(i, j) {
                let c = self.conv(id);
                c.cut = c.cut.max(seq);
                out(Op::Delete(&c.id, seq));
                j += 1;
            }
        }
        self.round += 1;
        match self.round {
            // The counts the caps need.
            1 => {
                for c in self.convs.iter().filter(|c| c.wrote) {
                    out(Op::Count(Some(&c.id)));
                }
                out(Op::Count(None));
            }
            // The oldest over the per-conversation cap; how many more over the total.
            2 => {
                let (mut i, mut over) = (0, 0);
                for c in self.convs.iter().filter(|c| c.wrote) {
                    let n = got
                        .count(i)
                        .saturating_sub(self.caps.per_conversation.into());
                    i += 1;
                    if n > 0 {
                        out(Op::Oldest(Some(&c.id), n));
                        self.keys += 1;
                        over += n;
                    }
                }
                let left = got.count(i).saturating_sub(over);
                self.over = left.saturating_sub(self.caps.total.into());
            }
            // (Round 3 deletes those.) The oldest overall, read once they are gone.
            4 if self.over > 0 => {
                out(Op::Oldest(None, self.over));
                self.keys = 1;
            }
            // (Round 5 deletes those.) The stored ranges of every conversation named or cut.
            6 => {
                for c in self.convs.iter().filter(|c| c.put()) {
                    out(Op::Ranges(&c.id));
                }
            }
            // Merged with the batch's, cut at the highest evicted seq (a span below it is
            // inverted by the cut, so dropped).
            7 => {
                let put = self.convs.iter().filter(|c| c.put());
                for (i, c) in put.enumerate() {
                    let mut r = SeqRanges::default();
                    for &(lo, hi) in got.ranges(i).iter().chain(&c.known) {
                        r.insert(lo.max(c.cut + 1), hi);
                    }
                    out(Op::Put(&c.id, &r));
                }
            }
            8.. => return false,
            _ => {}
        }
        true
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "tests/trim.rs"]
mod tests;
