//! tim-js-sdk 2.27's batch deleteConversation, as the core runs it.

use super::conv_settings::{incoming, listed_ids, system_notice, SYSTEM};
use super::harness::*;
use crate::core::*;
use tim_fake_server::FakeServer;
use tim_protocol::req;

fn delete_batch(ids: &[&str], clear: Option<Option<bool>>) -> Command {
    Command::DeleteConversations {
        conversation_ids: ids.iter().map(|s| s.to_string()).collect(),
        clear_history: clear,
    }
}

fn history(c: &mut Client, srv: &mut FakeServer, conv: &str) -> Vec<String> {
    let op = c.cmd(Command::GetMessageList {
        conversation_id: conv.into(),
        next_req_message_id: None,
        count: None,
    });
    c.run(srv);
    listed_ids(c, op)
}

fn list_ids(c: &mut Client) -> Vec<String> {
    let list = c.conversation_list();
    list.into_iter().map(|v| v.conversation_id).collect()
}

#[test]
fn batch_delete_hides_each_and_clears_history_by_default() {
    let (mut srv, mut c) = ready("alice");
    for (from, id) in [("bob", "b1"), ("carol", "c1"), ("dave", "d1")] {
        incoming(&mut srv, &mut c, from, id);
    }
    let op = c.cmd(delete_batch(&["C2Cbob", "C2Ccarol"], None));
    c.run(&mut srv);
    let deleted = vec!["C2Cbob".to_string(), "C2Ccarol".to_string()];
    assert_eq!(c.result(op), Some(&Ok(Response::Names(deleted))));
    assert_eq!(list_ids(&mut c), ["C2Cdave"]);
    assert_eq!(c.core.total_unread(), 1);
    assert!(history(&mut c, &mut srv, "C2Cbob").is_empty());
    assert!(history(&mut c, &mut srv, "C2Ccarol").is_empty());
    assert_eq!(history(&mut c, &mut srv, "C2Cdave"), ["d1"]);
    // The server keeps both: a later login lists neither and finds no history.
    let mut later = Client::new(cfg());
    later.login(&mut srv, "alice");
    assert_eq!(list_ids(&mut later), ["C2Cdave"]);
    assert!(history(&mut later, &mut srv, "C2Cbob").is_empty());
    // clearHistoryMessage: false keeps the messages; a new one brings the conversation back.
    let mark = c.log.len();
    let op = c.cmd(delete_batch(&["C2Cdave"], Some(Some(false))));
    c.run(&mut srv);
    let sent = transmits(&c.log[mark..]);
    assert!(
        sent.iter().all(|f| !matches!(
            f.req,
            tim_protocol::Request::ConvSettings(req::ConvSettings { .. })
        )),
        "nothing cleared: {sent:?}"
    );
    assert_eq!(c.code(op), Some(0));
    assert!(list_ids(&mut c).is_empty());
    incoming(&mut srv, &mut c, "dave", "d2");
    assert_eq!(history(&mut c, &mut srv, "C2Cdave"), ["d1", "d2"]);
}

#[test]
fn batch_delete_resolves_with_the_listed_ones_of_the_first_100() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "carol", "c1");
    // Unknown and repeated IDs are left out of the answer and of the requests.
    let mark = c.log.len();
    let op = c.cmd(delete_batch(
        &["C2Cnobody", "C2Cbob", "C2Cbob"],
        Some(Some(true)),
    ));
    c.run(&mut srv);
    let sent = transmits(&c.log[mark..]);
    assert_eq!(sent.len(), 2, "one clear, one hide: {sent:?}");
    assert_eq!(
        c.result(op),
        Some(&Ok(Response::Names(vec!["C2Cbob".into()])))
    );
    assert_eq!(list_ids(&mut c), ["C2Ccarol"]);
    // None listed (unknown, or deleted already): 2500, nothing sent.
    for ids in [&["C2Cnobody", "GROUPnone"][..], &["C2Cbob"]] {
        let op = c.cmd(delete_batch(ids, None));
        assert!(transmits(&c.drain()).is_empty());
        assert_eq!(c.code(op), Some(codes::CONVERSATION_NOT_FOUND), "{ids:?}");
    }
    // Only the first 100 count, as in tim-js-sdk.
    let mut ids: Vec<String> = (0..100).map(|i| format!("C2Cu{i}")).collect();
    ids.push("C2Ccarol".into());
    let op = c.cmd(Command::DeleteConversations {
        conversation_ids: ids.clone(),
        clear_history: None,
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::CONVERSATION_NOT_FOUND));
    ids.swap(0, 100);
    let op = c.cmd(Command::DeleteConversations {
        conversation_ids: ids,
        clear_history: None,
    });
    c.run(&mut srv);
    assert_eq!(
        c.result(op),
        Some(&Ok(Response::Names(vec!["C2Ccarol".into()])))
    );
}

#[test]
fn batch_delete_refuses_bad_input_before_sending() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    let cases = [
        (delete_batch(&[], None), codes::INVALID_OPERATION),
        (
            delete_batch(&["C2Cbob", "bob"], None),
            codes::INVALID_CONVERSATION_ID,
        ),
        (
            delete_batch(&["C2Cbob", ""], None),
            codes::INVALID_CONVERSATION_ID,
        ),
        (
            delete_batch(&["C2Cbob"], Some(None)),
            codes::INVALID_OPERATION,
        ),
    ];
    for (command, code) in cases {
        let op = c.cmd(command);
        assert!(transmits(&c.drain()).is_empty());
        assert_eq!(c.code(op), Some(code));
    }
    assert_eq!(list_ids(&mut c), ["C2Cbob"], "nothing deleted");
}

#[test]
fn batch_delete_settles_once_when_its_requests_time_out() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "carol", "c1");
    c.net_up = false;
    c.drop_socket(&mut srv);
    let op = c.cmd(delete_batch(&["C2Cbob", "C2Ccarol"], None));
    c.advance(&mut srv, 20_000);
    let settled = c
        .log
        .iter()
        .filter(|o| matches!(o, Output::Complete { op: o, .. } if *o == op))
        .count();
    assert_eq!(settled, 1);
    assert_eq!(c.code(op), Some(codes::NETWORK_TIMEOUT));
}

#[test]
fn batch_delete_does_not_ask_the_server_to_clear_the_system_conversation() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    c.push(&mut srv, system_notice(2));
    let mark = c.log.len();
    let op = c.cmd(delete_batch(&[SYSTEM, "C2Cbob"], None));
    c.run(&mut srv);
    let sent = transmits(&c.log[mark..]);
    let cleared: Vec<&Vec<String>> = sent
        .iter()
        .filter_map(|f| match &f.req {
            tim_protocol::Request::ConvSettings(req::ConvSettings {
                conversation_ids, ..
            }) => Some(conversation_ids),
            _ => None,
        })
        .collect();
    assert_eq!(cleared, [&vec!["C2Cbob".to_string()]]);
    let both = vec![SYSTEM.to_string(), "C2Cbob".to_string()];
    assert_eq!(c.result(op), Some(&Ok(Response::Names(both))));
    assert!(list_ids(&mut c).is_empty());
}
