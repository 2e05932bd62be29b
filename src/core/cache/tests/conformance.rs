//! The behaviour every [`CacheStore`] must have, as async checks over a fresh store. The
//! [`cache_store_conformance!`](crate::cache_store_conformance) macro turns them into tests:
//! natively on [`super::MemoryStore`] and in the browser on the IndexedDB store.

use tim_protocol::{Content, ConvSettings, ConvType, ConversationInfo, Message, OutboundMessage};

use super::{CacheStore, Caps, Changes, OutboxEntry, SeqRanges};

/// Caps large enough not to matter.
pub const NO_CAPS: Caps = Caps {
    per_conversation: 1_000_000,
    total: 1_000_000,
};

/// A C2C message from `peer` at `seq`, server time `time`.
pub fn msg(peer: &str, seq: u64, time: u64) -> Message {
    Message {
        id: format!("{peer}-{seq}"),
        conv_type: ConvType::C2c,
        from: peer.into(),
        to: "me".into(),
        seq,
        time,
        random: seq as u32 * 7,
        client_time: time,
        priority: "Normal".into(),
        content: Content::Text {
            text: format!("hello {seq} ✓"),
        },
        cloud_custom_data: "{\"k\":1}".into(),
        at_user_list: vec!["me".into()],
        nick: "Nick".into(),
        avatar: String::new(),
        revoked: false,
        version: 0,
        need_read_receipt: seq.is_multiple_of(2),
        offline_push_info: String::new(),
    }
}

/// `C2C<peer>`.
pub fn conv(peer: &str) -> String {
    format!("C2C{peer}")
}

fn put(peer: &str, seqs: impl IntoIterator<Item = u64>) -> Changes {
    Changes {
        messages: seqs
            .into_iter()
            .map(|s| (conv(peer), msg(peer, s, 1000 + s)))
            .collect(),
        ..Changes::default()
    }
}

fn seqs(page: &[Message]) -> Vec<u64> {
    page.iter().map(|m| m.seq).collect()
}

/// The conversation with `peer` (unread, pinned, with settings), its newest message `last`.
pub fn info(peer: &str, last: Option<Message>) -> ConversationInfo {
    ConversationInfo {
        conversation_id: conv(peer),
        conv_type: ConvType::C2c,
        peer: peer.into(),
        read_seq: 3,
        unread: 2,
        last_message: last,
        group_name: String::new(),
        peer_read_seq: 1,
        pinned: true,
        settings: ConvSettings {
            marks: 4,
            custom_data: "cd".into(),
            remind: "Discard".into(),
            cleared_seq: 0,
        },
    }
}

/// Pages are the newest `limit` below `before`, ascending, per conversation, intact.
pub async fn pages_newest_before<S: CacheStore>(s: S) {
    s.apply(&put("a", 1..=40)).await.unwrap();
    s.apply(&put("b", [1, 2, 3, 9, 10])).await.unwrap();
    let page = s.newest(&conv("a"), 41, 15).await.unwrap();
    assert_eq!(seqs(&page), (26..=40).collect::<Vec<_>>());
    assert_eq!(page[0], msg("a", 26, 1026), "stored intact");
    assert_eq!(
        seqs(&s.newest(&conv("a"), 10, 15).await.unwrap()),
        (1..=9).collect::<Vec<_>>()
    );
    assert_eq!(
        seqs(&s.newest(&conv("b"), u64::MAX, 4).await.unwrap()),
        vec![2, 3, 9, 10]
    );
    assert_eq!(
        seqs(&s.newest(&conv("b"), 9, 15).await.unwrap()),
        vec![1, 2, 3]
    );
    assert!(s.newest(&conv("zz"), 100, 15).await.unwrap().is_empty());
    assert!(s.newest(&conv("a"), 1, 15).await.unwrap().is_empty());
    assert_eq!(s.count(Some(&conv("a"))).await.unwrap(), 40);
    assert_eq!(s.count(None).await.unwrap(), 45);
}

/// A changed message replaces the stored one; a deleted one is gone but its seq stays
/// known; online-only messages (seq 0) are never cached.
pub async fn replace_delete_and_skip_seq0<S: CacheStore>(s: S) {
    let mut c = put("a", 1..=5);
    c.known.push((conv("a"), 1, 5));
    s.apply(&c).await.unwrap();
    let mut revoked = msg("a", 3, 1003);
    revoked.revoked = true;
    revoked.version = 2;
    let c = Changes {
        messages: vec![(conv("a"), revoked.clone()), (conv("a"), msg("a", 0, 5))],
        deleted: vec![(conv("a"), 4)],
        ..Changes::default()
    };
    s.apply(&c).await.unwrap();
    let page = s.newest(&conv("a"), 100, 15).await.unwrap();
    assert_eq!(seqs(&page), vec![1, 2, 3, 5]);
    assert_eq!(page[2], revoked);
    assert_eq!(s.ranges(&conv("a")).await.unwrap().spans(), &[(1, 5)]);
}

/// Conversations round-trip, are replaced by ID, and removing one takes its messages and
/// ranges along, before the same batch's writes.
pub async fn conversations_and_removal<S: CacheStore>(s: S) {
    let c = Changes {
        conversations: vec![info("b", None), info("a", Some(msg("a", 2, 1002)))],
        known: vec![(conv("a"), 1, 2), (conv("b"), 1, 1)],
        ..put("a", [1, 2])
    };
    s.apply(&c).await.unwrap();
    let list = s.conversations().await.unwrap();
    assert_eq!(
        list,
        vec![info("a", Some(msg("a", 2, 1002))), info("b", None)]
    );
    let mut newer = info("a", Some(msg("a", 3, 1003)));
    newer.unread = 0;
    let c = Changes {
        removed_conversations: vec![conv("b"), conv("a")],
        conversations: vec![newer.clone()],
        ..put("a", [3])
    };
    s.apply(&c).await.unwrap();
    assert_eq!(s.conversations().await.unwrap(), vec![newer]);
    assert_eq!(seqs(&s.newest(&conv("a"), 100, 15).await.unwrap()), vec![3]);
    assert!(s.ranges(&conv("a")).await.unwrap().is_empty());
    assert!(s.ranges(&conv("b")).await.unwrap().is_empty());
}

/// A whole list replaces every stored conversation (their messages stay); the file token is
/// kept until replaced.
pub async fn whole_list_and_file_token<S: CacheStore>(s: S) {
    assert_eq!(s.file_token().await.unwrap(), "");
    let c = Changes {
        conversations: vec![info("a", None), info("b", None)],
        file_token: Some("tok-1".into()),
        ..put("a", [1])
    };
    s.apply(&c).await.unwrap();
    let c = Changes {
        conversations: vec![info("c", None)],
        replace_conversations: true,
        ..Changes::default()
    };
    s.apply(&c).await.unwrap();
    assert_eq!(s.conversations().await.unwrap(), vec![info("c", None)]);
    assert_eq!(seqs(&s.newest(&conv("a"), 100, 15).await.unwrap()), vec![1]);
    assert_eq!(s.file_token().await.unwrap(), "tok-1");
    let c = Changes {
        file_token: Some("tok-2".into()),
        ..Changes::default()
    };
    s.apply(&c).await.unwrap();
    assert_eq!(s.file_token().await.unwrap(), "tok-2");
}

/// The warm-start snapshot: every conversation, the newest page of the `n` most recent only,
/// the cursor, the outbox and the token, as separate reads give them.
pub async fn snapshot_is_what_a_session_starts_from<S: CacheStore>(s: S) {
    let empty = s.snapshot(2, 3).await.unwrap();
    assert!(empty.conversations.is_empty() && empty.pages.is_empty());
    assert_eq!((empty.cursor, empty.file_token.as_str()), (0, ""));
    let c = Changes {
        conversations: vec![
            info("old", Some(msg("old", 2, 1002))),
            info("new", Some(msg("new", 5, 3005))),
            info("mid", Some(msg("mid", 4, 2004))),
        ],
        cursor: Some(77),
        file_token: Some("tok".into()),
        outbox_put: vec![OutboxEntry {
            pos: 5,
            conversation_id: conv("new"),
            message: outbound(5),
        }],
        ..put("new", 1..=5)
    };
    s.apply(&c).await.unwrap();
    s.apply(&put("mid", 1..=4)).await.unwrap();
    s.apply(&put("old", 1..=2)).await.unwrap();
    let got = s.snapshot(2, 3).await.unwrap();
    assert_eq!(got.conversations, s.conversations().await.unwrap());
    let pages: Vec<(String, Vec<u64>)> = got
        .pages
        .iter()
        .map(|(c, page)| (c.clone(), seqs(page)))
        .collect();
    assert_eq!(
        pages,
        vec![(conv("new"), vec![3, 4, 5]), (conv("mid"), vec![2, 3, 4])],
        "the newest pages of the 2 most recent"
    );
    assert_eq!(
        got.pages[0].1,
        s.newest(&conv("new"), 100, 3).await.unwrap()
    );
    assert_eq!((got.cursor, got.file_token.as_str()), (77, "tok"));
    assert_eq!(got.outbox, s.outbox().await.unwrap());
}

/// A page from the cache in one read: the known ranges and the newest messages below.
pub async fn known_page_is_ranges_and_newest<S: CacheStore>(s: S) {
    let c = Changes {
        known: vec![(conv("a"), 1, 10), (conv("a"), 20, 30)],
        ..put("a", [2, 3, 25, 26, 27])
    };
    s.apply(&c).await.unwrap();
    let (ranges, page) = s.known_page(&conv("a"), 27, 2).await.unwrap();
    assert_eq!(ranges, vec![(1, 10), (20, 30)]);
    assert_eq!(seqs(&page), vec![25, 26]);
    let (ranges, page) = s.known_page(&conv("zz"), 5, 2).await.unwrap();
    assert!(ranges.is_empty() && page.is_empty());
}

/// Known ranges merge across batches, per conversation.
pub async fn ranges_merge<S: CacheStore>(s: S) {
    let k = |v: &[(&str, u64, u64)]| Changes {
        known: v.iter().map(|(p, lo, hi)| (conv(p), *lo, *hi)).collect(),
        ..Changes::default()
    };
    s.apply(&k(&[("a", 1, 10), ("a", 30, 40), ("b", 5, 6)]))
        .await
        .unwrap();
    s.apply(&k(&[("a", 11, 20), ("a", 35, 50)])).await.unwrap();
    let a = s.ranges(&conv("a")).await.unwrap();
    assert_eq!(a, SeqRanges::from_pairs([(1, 20), (30, 50)]));
    assert_eq!(a.missing(31, 15), Some((21, 29)));
    assert_eq!(s.ranges(&conv("b")).await.unwrap().spans(), &[(5, 6)]);
}

/// The cursor starts at 0 and never goes back.
pub async fn cursor_is_monotonic<S: CacheStore>(s: S) {
    assert_eq!(s.cursor().await.unwrap(), 0);
    for (set, expect) in [(10, 10), (5, 10), (12, 12)] {
        let c = Changes {
            cursor: Some(set),
            ..Changes::default()
        };
        s.apply(&c).await.unwrap();
        assert_eq!(s.cursor().await.unwrap(), expect);
    }
}

fn outbound(n: u64) -> OutboundMessage {
    OutboundMessage {
        id: format!("out-{n}"),
        conv_type: ConvType::Group,
        to: "g1".into(),
        random: 42,
        client_time: 1700 + n,
        priority: "High".into(),
        content: Content::Custom {
            data: "d".into(),
            description: "x".into(),
            extension: "e".into(),
        },
        cloud_custom_data: String::new(),
        at_user_list: vec![],
        need_read_receipt: true,
        online_user_only: false,
        offline_push_info: String::new(),
    }
}

/// The outbox returns entries in `pos` order, intact, and forgets removed ones.
pub async fn outbox_in_order<S: CacheStore>(s: S) {
    let entry = |pos| OutboxEntry {
        pos,
        conversation_id: "GROUPg1".into(),
        message: outbound(pos),
    };
    let c = Changes {
        outbox_put: vec![entry(30), entry(10), entry(20)],
        ..Changes::default()
    };
    s.apply(&c).await.unwrap();
    assert_eq!(
        s.outbox().await.unwrap(),
        vec![entry(10), entry(20), entry(30)]
    );
    let c = Changes {
        outbox_remove: vec![20, 99],
        ..Changes::default()
    };
    s.apply(&c).await.unwrap();
    assert_eq!(s.outbox().await.unwrap(), vec![entry(10), entry(30)]);
}

/// Caps of a store opened with `per_conversation: 5`: the lowest seqs go, and the known
/// range shrinks with them, so the gap is fetched again rather than skipped.
pub async fn evicts_oldest_per_conversation<S: CacheStore>(s: S) {
    let mut c = put("a", 1..=8);
    c.known.push((conv("a"), 1, 8));
    s.apply(&c).await.unwrap();
    s.apply(&put("b", 1..=3)).await.unwrap();
    assert_eq!(
        seqs(&s.newest(&conv("a"), 100, 15).await.unwrap()),
        vec![4, 5, 6, 7, 8]
    );
    assert_eq!(s.ranges(&conv("a")).await.unwrap().spans(), &[(4, 8)]);
    assert_eq!(s.count(Some(&conv("b"))).await.unwrap(), 3);
}

/// Caps of a store opened with `total: 6`: the oldest by server time go first.
pub async fn evicts_oldest_overall<S: CacheStore>(s: S) {
    let mut c = Changes::default();
    for seq in 1..=4 {
        c.messages.push((conv("a"), msg("a", seq, 100 + seq * 10)));
        c.messages.push((conv("b"), msg("b", seq, 105 + seq * 10)));
    }
    c.known = vec![(conv("a"), 1, 4), (conv("b"), 1, 4)];
    s.apply(&c).await.unwrap();
    assert_eq!(s.count(None).await.unwrap(), 6);
    assert_eq!(
        seqs(&s.newest(&conv("a"), 100, 15).await.unwrap()),
        vec![2, 3, 4]
    );
    assert_eq!(
        seqs(&s.newest(&conv("b"), 100, 15).await.unwrap()),
        vec![2, 3, 4]
    );
    assert_eq!(s.ranges(&conv("a")).await.unwrap().spans(), &[(2, 4)]);
}

/// Caps of a store opened with `per_conversation: 4, total: 5`: the per-conversation cap
/// first, then the oldest overall by server time (seqs not in time order, a conversation the
/// batch does not touch); each conversation forgets the seqs up to its highest evicted one.
pub async fn evicts_by_both_caps<S: CacheStore>(s: S) {
    let mut c = Changes {
        known: vec![(conv("z"), 1, 2)],
        ..Changes::default()
    };
    c.messages = vec![(conv("z"), msg("z", 1, 1)), (conv("z"), msg("z", 2, 2))];
    s.apply(&c).await.unwrap();
    let mut c = Changes {
        known: vec![(conv("a"), 1, 6), (conv("b"), 1, 2)],
        ..Changes::default()
    };
    for (seq, time) in (1..).zip([10, 20, 90, 30, 40, 50]) {
        c.messages.push((conv("a"), msg("a", seq, time)));
    }
    c.messages.push((conv("b"), msg("b", 1, 100)));
    c.messages.push((conv("b"), msg("b", 2, 101)));
    s.apply(&c).await.unwrap();
    // a: 6 > 4, so seqs 1 and 2 go; then 8 > 5: z's two and a's seq 4 (time 30).
    let a = s.newest(&conv("a"), 100, 15).await.unwrap();
    assert_eq!(seqs(&a), vec![3, 5, 6]);
    assert_eq!(s.count(Some(&conv("b"))).await.unwrap(), 2);
    assert_eq!(s.count(None).await.unwrap(), 5);
    assert_eq!(s.ranges(&conv("a")).await.unwrap().spans(), &[(5, 6)]);
    assert_eq!(s.ranges(&conv("b")).await.unwrap().spans(), &[(1, 2)]);
    assert!(s.ranges(&conv("z")).await.unwrap().is_empty());
}

/// `clear` wipes everything.
pub async fn clear_wipes<S: CacheStore>(s: S) {
    let c = Changes {
        conversations: vec![info("a", None)],
        known: vec![(conv("a"), 1, 3)],
        cursor: Some(7),
        outbox_put: vec![OutboxEntry {
            pos: 1,
            conversation_id: "GROUPg1".into(),
            message: outbound(1),
        }],
        ..put("a", 1..=3)
    };
    s.apply(&c).await.unwrap();
    s.clear().await.unwrap();
    assert_eq!(s.count(None).await.unwrap(), 0);
    assert!(s.conversations().await.unwrap().is_empty());
    assert!(s.ranges(&conv("a")).await.unwrap().is_empty());
    assert_eq!(s.cursor().await.unwrap(), 0);
    assert!(s.outbox().await.unwrap().is_empty());
}

/// Defines one test per check above. `$open` is an `async fn(name: &str, caps: Caps) -> S`
/// returning an empty store; `native` tests drive it with pollster, `browser` tests with
/// wasm-bindgen-test.
#[macro_export]
macro_rules! cache_store_conformance {
    ($mode:ident, $open:path) => {
        $crate::cache_store_conformance!(@each $mode, $open,
            pages_newest_before NO_CAPS,
            replace_delete_and_skip_seq0 NO_CAPS,
            conversations_and_removal NO_CAPS,
            whole_list_and_file_token NO_CAPS,
            snapshot_is_what_a_session_starts_from NO_CAPS,
            known_page_is_ranges_and_newest NO_CAPS,
            ranges_merge NO_CAPS,
            cursor_is_monotonic NO_CAPS,
            outbox_in_order NO_CAPS,
            evicts_oldest_per_conversation (Caps { per_conversation: 5, total: 1000 }),
            evicts_oldest_overall (Caps { per_conversation: 1000, total: 6 }),
            evicts_by_both_caps (Caps { per_conversation: 4, total: 5 }),
            clear_wipes NO_CAPS,
        );
    };
    (@each $mode:ident, $open:path, $($name:ident $caps:expr,)*) => {
        $( $crate::cache_store_conformance!(@one $mode, $open, $name, $caps); )*
    };
    (@one native, $open:path, $name:ident, $caps:expr) => {
        #[test]
        fn $name() {
            #[allow(unused_imports)]
            use $crate::core::cache::{conformance::*, Caps};
            pollster::block_on(async { $name($open(stringify!($name), $caps).await).await });
        }
    };
    (@one browser, $open:path, $name:ident, $caps:expr) => {
        #[wasm_bindgen_test::wasm_bindgen_test]
        async fn $name() {
            #[allow(unused_imports)]
            use $crate::core::cache::{conformance::*, Caps};
            $name($open(stringify!($name), $caps).await).await;
        }
    };
}
