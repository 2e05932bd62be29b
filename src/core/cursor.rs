//! The delivery cursor: which `sync_seq`s of this user have been processed. Pushes can arrive
//! out of order or twice and sync pages can overlap pushes, so the cursor is the highest
//! contiguous processed value plus the set of processed values above it.

/// `above` is a sorted Vec searched by bisection: a BTreeSet would cost the wasm its tree code
/// for a set that holds only the few out-of-order pushes of a sync.
#[derive(Clone, Debug, Default)]
pub(super) struct SyncCursor {
    base: u64,
    above: Vec<u64>,
}

impl SyncCursor {
    /// Everything up to `base` is history (first login).
    pub(super) fn reset(&mut self, base: u64) {
        self.base = base;
        self.above.clear();
    }

    /// The highest contiguous processed `sync_seq`: what `Sync{since}` asks after.
    pub(super) fn base(&self) -> u64 {
        self.base
    }

    /// Marks `seq` processed; false when it already was (a duplicate).
    pub(super) fn process(&mut self, seq: u64) -> bool {
        if seq <= self.base {
            return false;
        }
        match self.above.binary_search(&seq) {
            Ok(_) => return false,
            Err(at) => self.above.insert(at, seq),
        }
        self.compact();
        true
    }

    /// A sync page for `since` returned everything up to `last`: all of it is processed now.
    pub(super) fn covered_through(&mut self, last: u64) {
        if last > self.base {
            self.base = last;
            self.compact();
        }
    }

    /// A sync page said nothing newer remains: holes below what was seen are not real.
    pub(super) fn complete(&mut self) {
        if let Some(&max) = self.above.last() {
            self.covered_through(max);
        }
    }

    /// How many `sync_seq`s below the highest processed one are still missing.
    pub(super) fn missing(&self) -> u64 {
        match self.above.last() {
            Some(&max) => (max - self.base) - self.above.len() as u64,
            None => 0,
        }
    }

    fn compact(&mut self) {
        // Sorted: drop the covered prefix, then absorb the values that continue `base`.
        let mut taken = self.above.partition_point(|&s| s <= self.base);
        while self
            .above
            .get(taken)
            .is_some_and(|&s| Some(s) == self.base.checked_add(1))
        {
            self.base += 1;
            taken += 1;
        }
        self.above.drain(..taken);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_duplicates_and_gaps() {
        let mut c = SyncCursor::default();
        c.reset(10);
        assert!(!c.process(10), "history is a duplicate");
        assert!(c.process(11));
        assert_eq!((c.base(), c.missing()), (11, 0));
        assert!(c.process(14));
        assert!(!c.process(14));
        assert_eq!((c.base(), c.missing()), (11, 2));
        assert!(c.process(12));
        assert_eq!((c.base(), c.missing()), (12, 1));
        c.covered_through(13);
        assert_eq!((c.base(), c.missing()), (14, 0));
        c.covered_through(5);
        assert_eq!(c.base(), 14);
        assert!(c.process(20));
        c.complete();
        assert_eq!((c.base(), c.missing()), (20, 0));
        c.reset(u64::MAX - 1);
        assert!(c.process(u64::MAX));
        assert!(!c.process(u64::MAX));
    }
}
