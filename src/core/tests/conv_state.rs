//! Conversation state that changes elsewhere or over time: a deleted conversation coming back,
//! hidden and pinned state from another instance, pin order, setAllMessageRead.

use tim_protocol::req;
use tim_protocol::Request;

use super::changes::{elsewhere, ids, incoming, page};
use super::harness::*;
use crate::core::*;

#[test]
fn deleted_conversation_comes_back_with_its_history() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "carol", "c1");
    c.clear_log();
    let op = c.cmd(Command::DeleteConversation {
        conversation_id: "C2Cbob".into(),
    });
    c.run(&mut srv);
    assert_eq!(c.result(op), Some(&Ok(Response::Empty {})));
    assert_eq!(ids(&c.last_list().expect("list event")), vec!["C2Ccarol"]);
    assert_eq!(c.totals(), vec![1], "its unread leaves the total");
    assert_eq!(c.core.total_unread(), 1);
    let op = c.cmd(Command::GetConversationProfile {
        conversation_id: "C2Cbob".into(),
    });
    c.drain();
    assert_eq!(
        c.code(op),
        Some(0),
        "a profile, even of a deleted conversation"
    );
    let op = c.cmd(Command::DeleteConversation {
        conversation_id: "C2Cbob".into(),
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::CONVERSATION_NOT_FOUND));
    incoming(&mut srv, &mut c, "bob", "b2");
    assert_eq!(ids(&c.conversation_list()), vec!["C2Cbob", "C2Ccarol"]);
    let p: Vec<String> = page(&mut c, &mut srv, "C2Cbob")
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(p, vec!["b1", "b2"], "the old history is still there");
    // The server lists it again too (a fresh login sees it).
    let mut other = Client::new(cfg());
    other.login(&mut srv, "alice");
    assert_eq!(ids(&other.conversation_list()), vec!["C2Cbob", "C2Ccarol"]);
}

#[test]
fn conversation_state_of_another_instance_applies() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "carol", "c1");
    c.clear_log();
    elsewhere(
        &mut srv,
        &mut c,
        "alice",
        Request::DeleteConversation(req::DeleteConversation {
            conversation_id: "C2Ccarol".into(),
        }),
    );
    assert_eq!(ids(&c.last_list().expect("list event")), vec!["C2Cbob"]);
    elsewhere(
        &mut srv,
        &mut c,
        "alice",
        Request::Pin(req::Pin {
            conversation_id: "C2Cbob".into(),
            pinned: true,
        }),
    );
    assert!(c.last_list().is_some_and(|l| l[0].is_pinned));
}

#[test]
fn pinned_conversations_come_first() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    srv.time += 1;
    incoming(&mut srv, &mut c, "carol", "c1");
    assert_eq!(ids(&c.conversation_list()), vec!["C2Ccarol", "C2Cbob"]);
    c.clear_log();
    let op = c.cmd(Command::PinConversation {
        conversation_id: "C2Cbob".into(),
        pinned: true,
    });
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let list = c.last_list().expect("list event");
    assert_eq!(ids(&list), vec!["C2Cbob", "C2Ccarol"]);
    assert!(list[0].is_pinned && !list[1].is_pinned);
    let op = c.cmd(Command::GetConversationProfile {
        conversation_id: "C2Cbob".into(),
    });
    c.drain();
    assert!(matches!(
        c.result(op),
        Some(Ok(Response::Conversation { conversation })) if conversation.is_pinned
    ));
    // A newer message elsewhere does not pass a pinned conversation.
    srv.time += 1;
    incoming(&mut srv, &mut c, "dave", "d1");
    assert_eq!(
        ids(&c.conversation_list()),
        vec!["C2Cbob", "C2Cdave", "C2Ccarol"]
    );
    // The server remembers it.
    let mut other = Client::new(cfg());
    other.login(&mut srv, "alice");
    assert_eq!(ids(&other.conversation_list())[0], "C2Cbob");
    // Unpin; bad IDs.
    let op = c.cmd(Command::PinConversation {
        conversation_id: "C2Cbob".into(),
        pinned: false,
    });
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    assert_eq!(ids(&c.conversation_list())[0], "C2Cdave");
    for (id, code) in [
        ("bob", codes::INVALID_CONVERSATION_ID),
        ("C2Cnobody", codes::CONVERSATION_NOT_FOUND),
    ] {
        let op = c.cmd(Command::PinConversation {
            conversation_id: id.into(),
            pinned: true,
        });
        c.drain();
        assert_eq!(c.code(op), Some(code));
        let op = c.cmd(Command::GetConversationProfile {
            conversation_id: id.into(),
        });
        c.drain();
        let fresh = code == codes::CONVERSATION_NOT_FOUND;
        assert_eq!(c.code(op), Some(if fresh { 0 } else { code }));
    }
}

#[test]
fn set_all_message_read_settles_after_every_answer() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "bob", "b2");
    incoming(&mut srv, &mut c, "carol", "c1");
    assert_eq!(c.core.total_unread(), 3);
    c.clear_log();
    let op = c.cmd(Command::SetAllMessageRead);
    let reads = transmits(&c.drain());
    assert_eq!(reads.len(), 2);
    assert_eq!(c.totals(), vec![0], "optimistic");
    assert_eq!(c.core.total_unread(), 0);
    let mut answers = Vec::new();
    for f in reads {
        answers.push(srv.handle("alice", f.id, f.req).0);
    }
    c.frame(answers.remove(0));
    assert_eq!(c.code(op), None, "one answer of two");
    c.frame(answers.remove(0));
    assert_eq!(c.result(op), Some(&Ok(Response::Empty {})));
    assert!(srv.unread_of("alice").values().all(|n| *n == 0));
    // Nothing unread: settles at once.
    let op = c.cmd(Command::SetAllMessageRead);
    assert!(transmits(&c.drain()).is_empty());
    assert_eq!(c.code(op), Some(0));
}
