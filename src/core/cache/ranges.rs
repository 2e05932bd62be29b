//! Which sequences of one conversation the cache knows *contiguously*: every seq inside a
//! known range is either cached or known to be gone (deleted for this user). A page served
//! from inside one range has no gap; anything outside must come from the server. This is
//! what keeps history gapless after being offline: a sync that delivers only the newest
//! messages adds a range that does not touch the older one, and [`SeqRanges::missing`] then
//! names exactly the seqs in between.

/// Disjoint, sorted, non-adjacent closed ranges `[lo, hi]` of seqs (seqs start at 1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeqRanges(Vec<(u64, u64)>);

impl SeqRanges {
    /// The ranges, ascending.
    pub fn spans(&self) -> &[(u64, u64)] {
        &self.0
    }

    /// Rebuilds from stored `lo, hi` pairs in any order (overlaps merge; inverted pairs and
    /// seq 0 are dropped), so a damaged record can never claim a gap is contiguous.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u64, u64)>) -> SeqRanges {
        let mut r = SeqRanges::default();
        for (lo, hi) in pairs {
            r.insert(lo, hi);
        }
        r
    }

    /// True when no seq is known.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `seq` is known.
    pub fn contains(&self, seq: u64) -> bool {
        self.span_of(seq).is_some()
    }

    /// The known range holding `seq`.
    pub fn span_of(&self, seq: u64) -> Option<(u64, u64)> {
        let i = self.0.partition_point(|&(_, hi)| hi < seq);
        self.0.get(i).copied().filter(|&(lo, _)| lo <= seq)
    }

    /// Marks `[lo, hi]` known, merging with overlapping and adjacent ranges.
    pub fn insert(&mut self, lo: u64, hi: u64) {
        let lo = lo.max(1);
        if lo > hi {
            return;
        }
        // First range that ends at or after lo-1 (adjacent counts), last that starts <= hi+1.
        let start = self.0.partition_point(|&(_, h)| h.saturating_add(1) < lo);
        let end = self.0.partition_point(|&(l, _)| l <= hi.saturating_add(1));
        if start == end {
            self.0.insert(start, (lo, hi));
            return;
        }
        // Merged into the first, the others moved down (lighter in the wasm than `splice`).
        self.0[start] = (lo.min(self.0[start].0), hi.max(self.0[end - 1].1));
        self.0.copy_within(end.., start + 1);
        self.0.truncate(self.0.len() - (end - start - 1));
    }

    /// Forgets `[lo, hi]` (evicted from the cache: no longer known).
    pub fn remove(&mut self, lo: u64, hi: u64) {
        if lo > hi {
            return;
        }
        let mut out = Vec::with_capacity(self.0.len() + 1);
        for &(l, h) in &self.0 {
            if h < lo || l > hi {
                out.push((l, h));
                continue;
            }
            if l < lo {
                out.push((l, lo - 1));
            }
            if h > hi {
                out.push((hi + 1, h));
            }
        }
        self.0 = out;
    }

    /// The page of up to `count` seqs just below `before` (`[before - count, before - 1]`,
    /// from seq 1): `None` when all of it is known, else the smallest range holding every
    /// unknown seq of it, which is what to fetch from the server.
    pub fn missing(&self, before: u64, count: u64) -> Option<(u64, u64)> {
        let top = before.checked_sub(1).filter(|&t| t >= 1)?;
        let bottom = before.saturating_sub(count).max(1);
        if count == 0 {
            return None;
        }
        let mut hi = top;
        // Walk down from the top past known ranges to the highest unknown seq.
        while let Some((lo, _)) = self.span_of(hi) {
            if lo <= bottom {
                return None;
            }
            hi = lo - 1;
        }
        let mut lo = bottom;
        while let Some((_, h)) = self.span_of(lo) {
            lo = h + 1;
        }
        Some((lo, hi))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[derive(Clone, Debug)]
    enum Op {
        Insert(u64, u64),
        Remove(u64, u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        (any::<bool>(), 0u64..60, 0u64..12).prop_map(|(ins, lo, len)| {
            if ins {
                Op::Insert(lo, lo + len)
            } else {
                Op::Remove(lo, lo + len)
            }
        })
    }

    fn build(ops: &[Op]) -> (SeqRanges, BTreeSet<u64>) {
        let (mut r, mut model) = (SeqRanges::default(), BTreeSet::new());
        for op in ops {
            match *op {
                Op::Insert(lo, hi) => {
                    r.insert(lo, hi);
                    model.extend(lo.max(1)..=hi);
                }
                Op::Remove(lo, hi) => {
                    r.remove(lo, hi);
                    model.retain(|s| *s < lo || *s > hi);
                }
            }
        }
        (r, model)
    }

    proptest! {
        #[test]
        fn matches_a_set_of_seqs(ops in prop::collection::vec(op(), 0..30)) {
            let (r, model) = build(&ops);
            for s in 0..80 {
                prop_assert_eq!(r.contains(s), model.contains(&s), "seq {}", s);
            }
            // Canonical: sorted, disjoint, never adjacent, no seq 0.
            for w in r.spans().windows(2) {
                prop_assert!(w[0].1 + 1 < w[1].0, "{:?}", r);
            }
            prop_assert!(r.spans().iter().all(|&(lo, hi)| 1 <= lo && lo <= hi));
            prop_assert_eq!(SeqRanges::from_pairs(r.spans().iter().rev().copied()), r);
        }

        #[test]
        fn missing_names_exactly_the_unknown(
            ops in prop::collection::vec(op(), 0..30),
            before in 0u64..80,
            count in 0u64..20,
        ) {
            let (mut r, model) = build(&ops);
            let window: Vec<u64> = (before.saturating_sub(count).max(1)..before).collect();
            let unknown: Vec<u64> = window.iter().copied().filter(|s| !model.contains(s)).collect();
            match r.missing(before, count) {
                None => prop_assert!(unknown.is_empty(), "missed {:?}", unknown),
                Some((lo, hi)) => {
                    prop_assert_eq!(Some(&lo), unknown.first());
                    prop_assert_eq!(Some(&hi), unknown.last());
                    r.insert(lo, hi);
                    prop_assert_eq!(r.missing(before, count), None, "fetching it fills the page");
                }
            }
        }
    }

    #[test]
    fn gap_after_offline_is_named() {
        let mut r = SeqRanges::default();
        r.insert(1, 100); // history before going offline
        r.insert(551, 600); // the newest page synced after reconnecting
        assert_eq!(r.missing(601, 15), None);
        assert_eq!(r.missing(561, 15), Some((546, 550)));
        r.insert(546, 550);
        assert_eq!(r.missing(546, 15), Some((531, 545)));
        assert_eq!(r.missing(101, 15), None);
        assert_eq!(r.missing(1, 15), None, "nothing below seq 1");
        assert_eq!(r.spans(), &[(1, 100), (546, 600)]);
    }
}
