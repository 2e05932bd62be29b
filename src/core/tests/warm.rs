//! Warm start: what a session wrote through to the cache is served by the next session
//! before any frame arrives, then replaced by the server's list.

use super::harness::*;
use super::messaging::{incoming, ready};
use crate::core::cache::{CacheStore, Caps, Changes, MemoryStore, PAGE};
use crate::core::*;
use tim_protocol::{ConversationInfo, Message};

/// The writes as a storage batch, for the reference store.
#[derive(Default)]
struct Batch(Changes);

impl CacheSink for Batch {
    fn message(&mut self, conv: &str, message: &Message) {
        self.0.messages.push((conv.to_owned(), message.clone()));
    }
    fn deleted(&mut self, conv: &str, seq: u64) {
        self.0.deleted.push((conv.to_owned(), seq));
    }
    fn replace_list(&mut self) {}
    fn conversation(&mut self, info: &ConversationInfo) {
        self.0.conversations.push(info.clone());
    }
}

fn take(core: &mut Core) -> Changes {
    let mut batch = Batch::default();
    core.take_cache_writes(&mut batch);
    batch.0
}

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

    // A new instance: login, and the cache is loaded before the socket opens.
    let mut d = Client::new(cfg());
    d.cmd(Command::Login {
        user_id: "bob".into(),
        user_sig: "sig".into(),
    });
    let conv = convs[0].conversation_id.clone();
    let page = pollster::block_on(cache.newest(&conv, u64::MAX, PAGE)).unwrap();
    assert_eq!(page.len(), PAGE as usize);
    d.core.load_cache(&convs, &[(conv.clone(), page)]);
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
