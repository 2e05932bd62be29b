//! Local-only messages: saved on this instance, paged in after the server message they
//! follow, found, and deleted without touching the server.

use super::harness::*;
use super::messaging::{incoming, page, ready};
use crate::core::*;
use tim_fake_server::FakeServer;

fn save(c: &mut Client, view: MessageView, sender: &str) -> Result<MessageView, u32> {
    let op = c.cmd(Command::SaveLocalMessage {
        message: view,
        sender: sender.into(),
    });
    c.drain();
    match c.result(op) {
        Some(Ok(Response::Message { message })) => Ok(message.clone()),
        Some(Err(e)) => Err(e.code),
        other => panic!("save: {other:?}"),
    }
}

fn delete_local(c: &mut Client, id: Option<&str>, conv: Option<&str>) -> Option<u32> {
    let op = c.cmd(Command::DeleteLocalMessage {
        message_id: id.map(Into::into),
        conversation_id: conv.map(Into::into),
    });
    c.drain();
    c.code(op)
}

fn all_pages(c: &mut Client, srv: &mut FakeServer) -> Vec<String> {
    let mut ids = Vec::new();
    let mut next = None;
    loop {
        let (list, n, done) = page(c, srv, "C2Cbob", next, None);
        ids.splice(0..0, list.iter().map(|m| m.id.clone()));
        if done {
            return ids;
        }
        next = Some(n);
    }
}

#[test]
fn local_messages_page_once_in_place_and_never_reach_the_server() {
    let (mut srv, mut c) = ready("alice");
    for i in 1..=20 {
        incoming(&mut srv, &mut c, "bob", &format!("m{i:02}"));
    }
    let mine = c.text("bob", "C2C", "note to self");
    let mine = save(&mut c, mine, "alice").expect("saved");
    assert_eq!((mine.flow.as_str(), mine.sequence), ("out", 0));
    for i in 21..=25 {
        incoming(&mut srv, &mut c, "bob", &format!("m{i:02}"));
    }
    let theirs = c.text("bob", "C2C", "as if from bob");
    let theirs = save(&mut c, theirs, "bob").expect("saved as the peer");
    assert_eq!((theirs.flow.as_str(), theirs.from.as_str()), ("in", "bob"));
    assert!(srv.messages("alice", "C2Cbob").len() == 25, "nothing sent");

    let mut expected: Vec<String> = (1..=25).map(|i| format!("m{i:02}")).collect();
    expected.insert(20, mine.id.clone());
    expected.push(theirs.id.clone());
    assert_eq!(all_pages(&mut c, &mut srv), expected);

    let stranger = c.text("bob", "C2C", "x");
    assert_eq!(
        save(&mut c, stranger, "carol"),
        Err(codes::INVALID_OPERATION)
    );
    let again = c.core.find_message(&mine.id).expect("findMessage sees it");
    assert_eq!(save(&mut c, again, "alice"), Err(codes::INVALID_OPERATION));

    // One local message, then one server message (hidden here only), then the whole conversation.
    assert_eq!(delete_local(&mut c, Some(&mine.id), None), Some(0));
    assert_eq!(delete_local(&mut c, Some("m05"), None), Some(0));
    expected.retain(|id| *id != mine.id && id != "m05");
    assert_eq!(all_pages(&mut c, &mut srv), expected);
    assert_eq!(
        srv.messages("alice", "C2Cbob").len(),
        25,
        "server copy kept"
    );
    assert_eq!(
        delete_local(&mut c, Some("nope"), None),
        Some(codes::MESSAGE_DELETE_FAIL)
    );
    assert_eq!(delete_local(&mut c, None, Some("C2Cbob")), Some(0));
    assert!(c.core.find_message(&theirs.id).is_none() && c.core.find_message("m20").is_none());
    expected.retain(|id| *id != theirs.id);
    assert_eq!(
        all_pages(&mut c, &mut srv),
        expected,
        "fetched again from the server"
    );
    assert_eq!(
        delete_local(&mut c, None, Some("nope")),
        Some(codes::INVALID_CONVERSATION_ID)
    );
    assert_eq!(
        delete_local(&mut c, None, None),
        Some(codes::INVALID_OPERATION)
    );
}
