//! Warm start: what a session wrote through to the cache is served by the next session
//! before any frame arrives, then replaced by the server's list.

use super::harness::*;
use super::messaging::{incoming, page, ready};
use crate::core::cache::{CacheStore, Caps, MemoryStore, PAGE};
use crate::core::*;
use tim_fake_server::FakeServer;
use tim_protocol::req;

#[test]
fn cached_list_and_newest_page_come_before_the_network() {
    let (mut srv, mut c) = ready("bob");
    for i in 0..20 {
        incoming(&mut srv, &mut c, "alice", &format!("a{i}"));
    }
    let cache = MemoryStore::new(Caps::default());
    pollster::block_on(cache.apply(&take(&mut c.core))).unwrap();
    let convs = pollster::block_on(cache.conversations()).unwrap();
    assert_eq!(convs.len(), 1, "the conversation was written through");
    assert_eq!(
        convs[0].last_message.as_ref().map(|m| m.id.as_str()),
        Some("a19")
    );

    // A new instance: login opens the cache first, and it is loaded before the socket opens,
    // as the adapter does it (one snapshot read).
    let mut d = Client::new(Config {
        persistent_cache: true,
        ..cfg()
    });
    d.cmd(Command::Login {
        user_id: "bob".into(),
        user_sig: "sig".into(),
    });
    let conv = convs[0].conversation_id.clone();
    let held = pollster::block_on(cache.snapshot(8, PAGE)).unwrap();
    assert_eq!(held.pages.len(), 1);
    assert_eq!(held.pages[0].1.len(), PAGE as usize);
    d.core.handle_cache_opened(d.now, "bob", Some(held));
    assert!(
        take(&mut d.core).messages.is_empty(),
        "what came from the cache is not written back"
    );
    let list = d.cmd(Command::GetConversationList);
    let history = d.cmd(Command::GetMessageList {
        conversation_id: conv.clone(),
        next_req_message_id: None,
        count: None,
    });
    d.drain();
    assert!(!d.socket, "nothing from the network yet");
    match d.result(list) {
        Some(Ok(Response::ConversationList {
            conversation_list, ..
        })) => assert_eq!(conversation_list[0].conversation_id, conv),
        other => panic!("{other:?}"),
    }
    match d.result(history) {
        Some(Ok(Response::MessageList { message_list, .. })) => {
            let ids: Vec<&str> = message_list.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(ids.first(), Some(&"a5"));
            assert_eq!(ids.last(), Some(&"a19"));
        }
        other => panic!("{other:?}"),
    }
    let lists = |d: &Client| {
        d.events()
            .iter()
            .filter(|e| matches!(e, Event::ConversationListUpdated(_)))
            .count()
    };
    assert_eq!(lists(&d), 1, "the cached list");
    d.run(&mut srv);
    assert_eq!(lists(&d), 2, "then the synced list");
    assert!(d.events().iter().any(|e| matches!(e, Event::SdkReady)));
}

/// Pages back through `conv` to the start: the seqs in order, and the History requests made.
fn page_all(c: &mut Client, srv: &mut FakeServer, conv: &str) -> (Vec<u64>, usize) {
    let asked = |c: &Client| {
        c.log
            .iter()
            .filter(|o| matches!(o, Output::Transmit(f) if matches!(f.req, tim_protocol::Request::History(req::History { .. }))))
            .count()
    };
    let start = asked(c);
    let (mut seqs, mut next) = (Vec::new(), None);
    loop {
        let (list, n, done) = page(c, srv, conv, next, None);
        let mut got: Vec<u64> = list.iter().map(|m| m.sequence).collect();
        got.extend(seqs);
        seqs = got;
        if done {
            return (seqs, asked(c) - start);
        }
        assert!(!n.is_empty(), "a page that is not the last names the next");
        next = Some(n);
    }
}

#[test]
fn offline_then_paging_back_is_gapless_and_fetches_only_the_gap() {
    // Carol's history is older than bob's first login: never cached.
    let mut srv = FakeServer::new();
    for i in 0..20 {
        srv.send_as(
            "carol",
            tim_protocol::ConvType::C2c,
            "bob",
            &format!("c{i}"),
            5,
        );
    }
    let mut c = Client::new(cfg());
    c.cache = Some(MemoryStore::new(Caps::default()));
    c.login(&mut srv, "bob");
    for i in 0..20 {
        incoming(&mut srv, &mut c, "alice", &format!("a{i}"));
    }
    let alice = "C2Calice".to_owned();
    let (seqs, fetched) = page_all(&mut c, &mut srv, &alice);
    assert_eq!(seqs, (1..=20).collect::<Vec<u64>>());
    assert_eq!(fetched, 0, "everything was delivered here");
    let cache = c.cache.take().unwrap();

    // Offline: 30 more from alice, 5 more from carol.
    for i in 20..50 {
        srv.send_as(
            "alice",
            tim_protocol::ConvType::C2c,
            "bob",
            &format!("a{i}"),
            5,
        );
    }
    for i in 20..25 {
        srv.send_as(
            "carol",
            tim_protocol::ConvType::C2c,
            "bob",
            &format!("c{i}"),
            5,
        );
    }
    let convs = pollster::block_on(cache.conversations()).unwrap();
    let cursor = pollster::block_on(cache.cursor()).unwrap();
    assert!(cursor > 0, "the cursor was written through");
    let mut d = Client::new(cfg());
    d.cmd(Command::Login {
        user_id: "bob".into(),
        user_sig: "sig".into(),
    });
    d.core.load_cache(&convs, &[], cursor, String::new());
    d.cache = Some(cache);
    d.run(&mut srv);
    let syncs: Vec<u64> = d
        .log
        .iter()
        .filter_map(|o| match o {
            Output::Transmit(f) => match f.req {
                tim_protocol::Request::Sync(req::Sync { since, .. }) => Some(since),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(
        syncs.first(),
        Some(&cursor),
        "login caught up from the stored cursor"
    );
    assert!(d.received().is_empty(), "the catch-up is history");
    let (seqs, fetched) = page_all(&mut d, &mut srv, &alice);
    assert_eq!(
        seqs,
        (1..=50).collect::<Vec<u64>>(),
        "every message once, in order"
    );
    assert_eq!(fetched, 0, "the cached history came from the cache");
    let (seqs, fetched) = page_all(&mut d, &mut srv, "C2Ccarol");
    assert_eq!(seqs, (1..=25).collect::<Vec<u64>>());
    assert_eq!(fetched, 2, "only the 20 older ones, below the synced 5");
    // Paging again: all known now, here and in the cache.
    assert_eq!(page_all(&mut d, &mut srv, "C2Ccarol").1, 0);
}

#[test]
fn every_written_message_and_deleted_seq_is_known_in_the_writes() {
    let (mut srv, mut c) = ready("bob");
    for i in 0..3 {
        incoming(&mut srv, &mut c, "alice", &format!("k{i}"));
    }
    let writes = take(&mut c.core);
    let conv = "C2Calice".to_string();
    let seqs: Vec<u64> = writes.messages.iter().map(|(_, m)| m.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    for s in &seqs {
        assert!(
            writes.known.contains(&(conv.clone(), *s, *s)),
            "seq {s} known: {:?}",
            writes.known
        );
    }
    let k1 = c.core.find_message("k1").expect("stored");
    c.cmd(Command::DeleteMessage(vec![k1]));
    c.run(&mut srv);
    let writes = take(&mut c.core);
    assert_eq!(writes.deleted, vec![(conv.clone(), 2)]);
    assert!(writes.known.contains(&(conv, 2, 2)), "{:?}", writes.known);
    assert!(take(&mut c.core).is_empty(), "taken once");
}

#[test]
fn a_cached_conversation_the_server_no_longer_lists_is_gone_after_sync() {
    let (mut srv, mut c) = ready("bob");
    incoming(&mut srv, &mut c, "alice", "hi");
    let cache = MemoryStore::new(Caps::default());
    pollster::block_on(cache.apply(&take(&mut c.core))).unwrap();
    let mut convs = pollster::block_on(cache.conversations()).unwrap();
    // Another instance deleted this one after the cache was written.
    let mut gone = convs[0].clone();
    gone.conversation_id = "C2Czed".into();
    gone.peer = "zed".into();
    convs.push(gone);

    let mut d = Client::new(cfg());
    d.cmd(Command::Login {
        user_id: "bob".into(),
        user_sig: "sig".into(),
    });
    d.core.load_cache(&convs, &[], 0, String::new());
    d.drain();
    let ids = |list: Vec<ConversationView>| -> Vec<String> {
        let mut ids: Vec<String> = list.into_iter().map(|c| c.conversation_id).collect();
        ids.sort();
        ids
    };
    assert_eq!(
        ids(d.last_list().expect("cached list")),
        vec!["C2Calice", "C2Czed"]
    );
    d.run(&mut srv);
    assert_eq!(ids(d.last_list().expect("synced list")), vec!["C2Calice"]);
    assert_eq!(ids(d.conversation_list()), vec!["C2Calice"]);
}
