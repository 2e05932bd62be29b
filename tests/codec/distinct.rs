//! Values for the codec tests: every string and number distinct from every other, and
//! booleans chosen so that each is true alone once.

use tim_protocol::ConvType;

/// Every boolean true.
pub(crate) const ALL: usize = usize::MAX;
/// Every boolean false.
pub(crate) const NONE: usize = usize::MAX - 1;

/// Deterministic, pairwise distinct values: a counter feeds every draw, and each kind of number
/// has its own range (none overlaps another), so no two fields anywhere hold the same value.
/// Booleans are false except the `hot`-th drawn (or all, [`ALL`]). Building twice with the same
/// `hot` gives the same value, except for `offline_push_info` (see [`Gen::push_info`]).
pub(crate) struct Gen {
    k: u64,
    flags: usize,
    hot: usize,
    push_info: bool,
}

impl Gen {
    pub(crate) fn new(hot: usize, push_info: bool) -> Gen {
        Gen {
            k: 0,
            flags: 0,
            hot,
            push_info,
        }
    }

    pub(crate) fn tick(&mut self) -> u64 {
        self.k += 1;
        self.k
    }

    /// A string; every fourth carries characters JSON escapes, and non-ASCII.
    pub(crate) fn s(&mut self, what: &str) -> String {
        let k = self.tick();
        if k.is_multiple_of(4) {
            format!("{what}{k}\"\\\n\u{4f60}\u{1f600}")
        } else {
            format!("{what}{k}")
        }
    }

    pub(crate) fn list(&mut self, what: &str) -> Vec<String> {
        vec![self.s(what), self.s(what)]
    }

    /// Just below 2^53, where a JS number is still exact.
    pub(crate) fn big(&mut self) -> u64 {
        9_007_199_254_740_991 - self.tick()
    }

    /// Near the top of the u32 range.
    pub(crate) fn u32(&mut self) -> u32 {
        4_000_000_000 - 7 * self.tick() as u32
    }

    pub(crate) fn i64(&mut self) -> i64 {
        -1_000_000_007 - 3 * self.tick() as i64
    }

    /// Never an integer.
    pub(crate) fn f64(&mut self) -> f64 {
        -1.5 * self.tick() as f64 + 0.25
    }

    pub(crate) fn b(&mut self) -> bool {
        let i = self.flags;
        self.flags += 1;
        self.hot == ALL || self.hot == i
    }

    pub(crate) fn conv_type(&mut self) -> ConvType {
        [ConvType::C2c, ConvType::Group, ConvType::System][(self.tick() % 3) as usize]
    }

    /// A message's `offline_push_info`, which only the server's push webhook reads: the
    /// client's decoder and cache records drop it on purpose. Drawn either way, so the value
    /// built without it (the expected one) matches the other in every other field.
    pub(crate) fn push_info(&mut self) -> String {
        let s = self.s("push");
        if self.push_info {
            s
        } else {
            String::new()
        }
    }
}

/// The `hot` values to build with: each boolean `build` draws true alone, then all, then none.
pub(crate) fn hots<T>(build: fn(&mut Gen) -> T) -> Vec<usize> {
    let mut probe = Gen::new(NONE, true);
    build(&mut probe);
    assert!(probe.flags > 0, "no boolean drawn");
    (0..probe.flags).chain([ALL, NONE]).collect()
}

pub(crate) fn label(hot: usize) -> String {
    match hot {
        ALL => "every boolean true".into(),
        NONE => "every boolean false".into(),
        i => format!("boolean {i} true"),
    }
}

/// Asserts that `kinds` holds each of `0..n`.
pub(crate) fn covers(what: &str, kinds: impl Iterator<Item = usize>, n: usize) {
    let mut seen = vec![false; n];
    for k in kinds {
        seen[k] = true;
    }
    let missing: Vec<usize> = (0..n).filter(|k| !seen[*k]).collect();
    assert!(
        missing.is_empty(),
        "{what}: variants {missing:?} not covered"
    );
}
