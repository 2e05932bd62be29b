//! The caps and known-ranges rule ([`Trim`]) against a plain store of `(conversation, seq,
//! time)` keys, checked request by request and against the rule written naively.

use proptest::prelude::*;

use super::*;
use crate::core::cache::conformance::{conv, msg};

/// Keys `(conversation, seq, time)` and stored ranges, answering as IndexedDB does.
#[derive(Clone, Debug, Default)]
struct Fake {
    keys: Vec<(String, u64, u64)>,
    ranges: Vec<(String, SeqRanges)>,
}

enum Got {
    Write,
    N(u64),
    Keys(Vec<(String, u64)>),
    R(SeqRanges),
}

impl Answers<String> for Vec<Got> {
    fn count(&self, i: usize) -> u64 {
        match &self[i] {
            Got::N(n) => *n,
            _ => panic!("answer {i} is not a count"),
        }
    }
    fn key(&self, i: usize, j: usize) -> Option<(String, u64)> {
        match &self[i] {
            Got::Keys(k) => k.get(j).cloned(),
            _ => panic!("answer {i} is not keys"),
        }
    }
    fn ranges(&self, i: usize) -> Vec<(u64, u64)> {
        match &self[i] {
            Got::R(r) => r.spans().to_vec(),
            _ => panic!("answer {i} is not ranges"),
        }
    }
}

impl Fake {
    fn stored(&self, c: &str) -> SeqRanges {
        let r = self.ranges.iter().find(|(id, _)| id == c);
        r.map(|(_, r)| r.clone()).unwrap_or_default()
    }

    fn seqs(&self, c: &str) -> Vec<u64> {
        let mut s: Vec<u64> = self.keys.iter().filter(|k| k.0 == c).map(|k| k.1).collect();
        s.sort_unstable();
        s
    }

    /// Runs `trim` to the end; the requests of each round that has some, written as text.
    fn run(&mut self, mut trim: Trim<String>) -> Vec<Vec<String>> {
        let (mut got, mut rounds) = (Vec::new(), Vec::new());
        loop {
            let (mut next, mut ops) = (Vec::new(), Vec::new());
            let more = trim.next(&got, |op| {
                ops.push(format!("{op:?}"));
                next.push(self.answer(op));
            });
            if !more {
                assert!(ops.is_empty());
                return rounds;
            }
            let writes = next.iter().filter(|g| matches!(g, Got::Write)).count();
            assert!(
                writes == 0 || writes == ops.len(),
                "reads or writes: {ops:?}"
            );
            if !ops.is_empty() {
                rounds.push(ops);
            }
            got = next;
        }
    }

    fn answer(&mut self, op: Op<String>) -> Got {
        let mut by_seq: Vec<(String, u64, u64)> = self.keys.clone();
        by_seq.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        match op {
            Op::Count(c) => Got::N(
                by_seq
                    .iter()
                    .filter(|k| c.is_none_or(|c| k.0 == *c))
                    .count() as u64,
            ),
            Op::Oldest(Some(c), n) => {
                assert!(n > 0, "IndexedDB reads every key for 0");
                let keys = by_seq.into_iter().filter(|k| k.0 == *c).take(n as usize);
                Got::Keys(keys.map(|k| (k.0, k.1)).collect())
            }
            Op::Oldest(None, n) => {
                assert!(n > 0, "IndexedDB reads every key for 0");
                by_seq.sort_by(|a, b| (a.2, &a.0, a.1).cmp(&(b.2, &b.0, b.1)));
                Got::Keys(
                    by_seq
                        .into_iter()
                        .take(n as usize)
                        .map(|k| (k.0, k.1))
                        .collect(),
                )
            }
            Op::Ranges(c) => Got::R(self.stored(c)),
            Op::Delete(c, seq) => {
                let gone = self.keys.iter().position(|k| k.0 == *c && k.1 == seq);
                self.keys.remove(gone.expect("deletes a stored key"));
                Got::Write
            }
            Op::Put(c, r) => {
                self.ranges.retain(|(id, _)| id != c);
                self.ranges.push((c.to_owned(), r.clone()));
                Got::Write
            }
        }
    }

    /// Writes the messages of `c` as a store does before its trim.
    fn write(&mut self, c: &Changes) {
        for (id, m) in c.messages.iter().filter(|(_, m)| m.seq > 0) {
            self.keys.retain(|k| k.0 != *id || k.1 != m.seq);
            self.keys.push((id.clone(), m.seq, m.time));
        }
    }
}

const BIG: Caps = Caps {
    per_conversation: 1000,
    total: 1000,
};

/// Messages of `peer` at `seqs`, server time `1000 + seq`, none known.
fn put(peer: &str, seqs: impl IntoIterator<Item = u64>) -> Changes {
    let messages = seqs
        .into_iter()
        .map(|s| (conv(peer), msg(peer, s, 1000 + s)));
    Changes {
        messages: messages.collect(),
        ..Changes::default()
    }
}

fn known(v: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    v.iter().map(|&(p, lo, hi)| (conv(p), lo, hi)).collect()
}

fn spans(r: &SeqRanges) -> Vec<(u64, u64)> {
    r.spans().to_vec()
}

#[test]
fn known_ranges_merge_with_the_stored_ones() {
    let mut s = Fake::default();
    s.ranges
        .push((conv("a"), SeqRanges::from_pairs([(1, 10), (30, 40)])));
    let c = Changes {
        // Adjacent, overlapping, inside, seq 0 (dropped), inverted (dropped).
        known: known(&[
            ("a", 11, 20),
            ("a", 35, 50),
            ("a", 51, 51),
            ("a", 0, 0),
            ("a", 70, 60),
        ]),
        ..Changes::default()
    };
    s.run(Trim::new(&c, BIG));
    assert_eq!(spans(&s.stored(&conv("a"))), vec![(1, 20), (30, 51)]);
    let c = Changes {
        known: known(&[("b", 0, 3), ("b", 5, 6), ("b", 4, 4)]),
        ..Changes::default()
    };
    s.run(Trim::new(&c, BIG));
    assert_eq!(
        spans(&s.stored(&conv("b"))),
        vec![(1, 6)],
        "seq 0 dropped, the rest merged"
    );
    assert_eq!(
        spans(&s.stored(&conv("a"))),
        vec![(1, 20), (30, 51)],
        "untouched"
    );
}

#[test]
fn under_the_caps_it_counts_reads_and_puts_only() {
    let mut s = Fake::default();
    let mut c = put("b", [1, 2]);
    c.messages.push((conv("a"), msg("a", 0, 5)));
    c.known = known(&[("b", 1, 2), ("c", 4, 4)]);
    s.write(&c);
    let rounds = s.run(Trim::new(&c, BIG));
    assert_eq!(
        rounds,
        vec![
            vec![r#"Count(Some("C2Cb"))"#, "Count(None)"],
            vec![r#"Ranges("C2Cb")"#, r#"Ranges("C2Cc")"#],
            vec![
                r#"Put("C2Cb", SeqRanges([(1, 2)]))"#,
                r#"Put("C2Cc", SeqRanges([(4, 4)]))"#,
            ],
        ],
        "a seq-0 message touches nothing"
    );
    // Nothing named, nothing over: only the counts.
    assert_eq!(s.run(Trim::new(&put("b", [3]), BIG)).len(), 1);
}

#[test]
fn the_per_conversation_cap_cuts_at_the_highest_evicted_seq() {
    let caps = Caps {
        per_conversation: 5,
        total: 1000,
    };
    let mut s = Fake::default();
    s.ranges
        .push((conv("b"), SeqRanges::from_pairs([(2, 9), (20, 30)])));
    s.keys.push((conv("b"), 2, 1));
    let mut c = put("a", 1..=8);
    c.known = known(&[("a", 1, 8)]);
    c.messages.extend(put("b", 3..=7).messages);
    s.write(&c);
    let rounds = s.run(Trim::new(&c, caps));
    assert_eq!(
        rounds[1..4],
        [
            vec![r#"Oldest(Some("C2Ca"), 3)"#, r#"Oldest(Some("C2Cb"), 1)"#],
            vec![
                r#"Delete("C2Ca", 1)"#,
                r#"Delete("C2Ca", 2)"#,
                r#"Delete("C2Ca", 3)"#,
                r#"Delete("C2Cb", 2)"#,
            ],
            vec![r#"Ranges("C2Ca")"#, r#"Ranges("C2Cb")"#],
        ]
    );
    assert_eq!(s.seqs(&conv("a")), vec![4, 5, 6, 7, 8]);
    assert_eq!(spans(&s.stored(&conv("a"))), vec![(4, 8)]);
    assert_eq!(s.seqs(&conv("b")), vec![3, 4, 5, 6, 7]);
    assert_eq!(
        spans(&s.stored(&conv("b"))),
        vec![(3, 9), (20, 30)],
        "not named by the batch, yet cut"
    );
}

#[test]
fn the_total_cap_evicts_by_time_across_conversations() {
    let caps = Caps {
        per_conversation: 1000,
        total: 6,
    };
    let mut s = Fake::default();
    // An older conversation the batch does not touch.
    s.keys.push((conv("z"), 7, 50));
    s.ranges.push((conv("z"), SeqRanges::from_pairs([(1, 9)])));
    let mut c = Changes::default();
    for seq in 1..=4 {
        c.messages.push((conv("a"), msg("a", seq, 100 + seq * 10)));
        c.messages.push((conv("b"), msg("b", seq, 105 + seq * 10)));
    }
    c.known = known(&[("a", 1, 4), ("b", 1, 4)]);
    s.write(&c);
    s.run(Trim::new(&c, caps));
    assert_eq!(s.seqs(&conv("a")), vec![2, 3, 4]);
    assert_eq!(s.seqs(&conv("b")), vec![2, 3, 4]);
    assert!(s.seqs(&conv("z")).is_empty());
    assert_eq!(spans(&s.stored(&conv("a"))), vec![(2, 4)]);
    assert_eq!(spans(&s.stored(&conv("b"))), vec![(2, 4)]);
    assert_eq!(spans(&s.stored(&conv("z"))), vec![(8, 9)]);
}

#[test]
fn the_total_cap_counts_after_the_per_conversation_cap() {
    let caps = Caps {
        per_conversation: 4,
        total: 7,
    };
    let mut s = Fake::default();
    // Times not in seq order: seq 3 of a is its newest.
    let times = [10, 20, 90, 30, 40, 50];
    let mut c = Changes::default();
    for (i, t) in times.iter().enumerate() {
        c.messages.push((conv("a"), msg("a", i as u64 + 1, *t)));
    }
    c.messages.extend(put("b", 1..=4).messages);
    s.write(&c);
    let rounds = s.run(Trim::new(&c, caps));
    // a: 6 > 4, so 2 go; 8 left > 7, so the oldest overall once they are gone.
    assert_eq!(
        rounds[2..4],
        [
            vec![r#"Delete("C2Ca", 1)"#, r#"Delete("C2Ca", 2)"#],
            vec!["Oldest(None, 1)"]
        ]
    );
    assert_eq!(s.seqs(&conv("a")), vec![3, 5, 6]);
    assert_eq!(s.seqs(&conv("b")), vec![1, 2, 3, 4]);
}

/// The rule as the memory store used to run it: per conversation, then one oldest at a time.
fn naive(s: &mut Fake, c: &Changes, caps: Caps) {
    let mut cut: Vec<(String, u64)> = Vec::new();
    let mut wrote: Vec<&String> = c
        .messages
        .iter()
        .filter(|m| m.1.seq > 0)
        .map(|m| &m.0)
        .collect();
    wrote.sort();
    wrote.dedup();
    for id in wrote {
        let seqs = s.seqs(id);
        let over = seqs.len().saturating_sub(caps.per_conversation as usize);
        if over > 0 {
            let last = seqs[over - 1];
            s.keys.retain(|k| k.0 != *id || k.1 > last);
            cut.push((id.clone(), last));
        }
    }
    while s.keys.len() > caps.total as usize {
        let i = (0..s.keys.len())
            .min_by_key(|&i| (s.keys[i].2, &s.keys[i].0, s.keys[i].1))
            .unwrap();
        let (id, seq, _) = s.keys.remove(i);
        cut.push((id, seq));
    }
    let mut touched: Vec<&String> = c
        .known
        .iter()
        .map(|k| &k.0)
        .chain(cut.iter().map(|k| &k.0))
        .collect();
    touched.sort();
    touched.dedup();
    for id in touched {
        let mut r = s.stored(id);
        for (_, lo, hi) in c.known.iter().filter(|k| k.0 == *id) {
            r.insert(*lo, *hi);
        }
        let top = cut
            .iter()
            .filter(|k| k.0 == *id)
            .map(|k| k.1)
            .max()
            .unwrap_or(0);
        r.remove(1, top);
        s.ranges.retain(|(x, _)| x != id);
        s.ranges.push((id.clone(), r));
    }
}

fn batch() -> impl Strategy<Value = Changes> {
    let message = (0usize..3, 0u64..12, 0u64..30);
    let span = (0usize..3, 0u64..14, 0u64..6);
    (
        prop::collection::vec(message, 0..10),
        prop::collection::vec(span, 0..3),
    )
        .prop_map(|(m, k)| {
            let peer = |i: usize| ["a", "b", "c"][i];
            Changes {
                messages: m
                    .into_iter()
                    .map(|(p, s, t)| (conv(peer(p)), msg(peer(p), s, t)))
                    .collect(),
                known: k
                    .into_iter()
                    .map(|(p, lo, len)| (conv(peer(p)), lo, lo + len))
                    .collect(),
                ..Changes::default()
            }
        })
}

proptest! {
    #[test]
    fn matches_the_rule_written_naively(
        batches in prop::collection::vec(batch(), 1..6),
        per in 1u32..6,
        total in 1u32..12,
    ) {
        let caps = Caps { per_conversation: per, total };
        let (mut ours, mut model) = (Fake::default(), Fake::default());
        for c in &batches {
            ours.write(c);
            ours.run(Trim::new(c, caps));
            model.write(c);
            naive(&mut model, c, caps);
            for p in ["a", "b", "c"] {
                prop_assert_eq!(ours.seqs(&conv(p)), model.seqs(&conv(p)), "{}", p);
                prop_assert_eq!(ours.stored(&conv(p)), model.stored(&conv(p)), "{}", p);
            }
        }
    }
}
