//! The outbox: sends while offline wait without a deadline, show as `unSend`, go out in
//! order when the session is live, survive the session through the cache, and a resend after
//! a lost ack never makes a second message.

use tim_protocol::req;
use tim_protocol::{ClientFrame, Request};

use super::harness::*;
use crate::core::*;
use tim_fake_server::FakeServer;

/// The newest page of `conv` as (ID, status).
fn page(c: &mut Client, srv: &mut FakeServer, conv: &str) -> Vec<(String, String)> {
    let op = c.cmd(Command::GetMessageList {
        conversation_id: conv.into(),
        next_req_message_id: None,
        count: None,
    });
    c.run(srv);
    match c.result(op) {
        Some(Ok(Response::MessageList { message_list, .. })) => message_list
            .iter()
            .map(|m| (m.id.clone(), m.status.as_str().to_owned()))
            .collect(),
        other => panic!("{other:?}"),
    }
}

fn bob_sees(srv: &FakeServer) -> Vec<String> {
    srv.messages("bob", "C2Calice")
        .iter()
        .map(|m| m.id.clone())
        .collect()
}

#[test]
fn offline_sends_wait_show_unsent_and_go_out_in_order() {
    let (mut srv, mut c) = ready("alice");
    let first = c.text("bob", "C2C", "online");
    c.cmd(Command::SendMessage(first.clone()));
    c.run(&mut srv);
    take(&mut c.core);
    c.net_up = false;
    c.drop_socket(&mut srv);
    let mut ids = Vec::new();
    let mut ops = Vec::new();
    for i in 0..3 {
        let m = c.text("bob", "C2C", &format!("m{i}"));
        ids.push(m.id.clone());
        ops.push(c.cmd(Command::SendMessage(m)));
    }
    let put = take(&mut c.core).outbox_put;
    let put_ids: Vec<&str> = put.iter().map(|e| e.message.id.as_str()).collect();
    assert_eq!(put_ids, ids);
    assert!(put.windows(2).all(|w| w[0].pos < w[1].pos));
    // Far past the request timeout: still waiting, nothing failed.
    c.advance(&mut srv, 10 * cfg().request_timeout_ms);
    assert!(ops.iter().all(|op| c.result(*op).is_none()));
    let mut unsent = vec![(first.id.clone(), "success".to_owned())];
    unsent.extend(ids.iter().map(|i| (i.clone(), "unSend".to_owned())));
    assert_eq!(page(&mut c, &mut srv, "C2Cbob"), unsent);
    assert_eq!(
        c.core.find_message(&ids[0]).unwrap().status,
        MessageStatus::UnSend
    );
    c.net_up = true;
    c.advance(&mut srv, 60_000);
    assert!(ops.iter().all(|op| c.code(*op) == Some(0)));
    assert_eq!(bob_sees(&srv)[1..], ids);
    let gone = take(&mut c.core).outbox_remove;
    assert_eq!(gone, put.iter().map(|e| e.pos).collect::<Vec<_>>());
    let sent: Vec<(String, String)> = [&first.id]
        .into_iter()
        .chain(&ids)
        .map(|i| (i.clone(), "success".into()))
        .collect();
    assert_eq!(page(&mut c, &mut srv, "C2Cbob"), sent);
}

#[test]
fn a_resend_after_a_lost_ack_is_one_message() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "once");
    let op = c.cmd(Command::SendMessage(m.clone()));
    // The server commits, then the socket dies before the ack arrives.
    let frame = c
        .drain()
        .into_iter()
        .find_map(|o| match o {
            Output::Transmit(ClientFrame { id, req })
                if matches!(req, Request::Send(req::Send { .. })) =>
            {
                Some((id, req))
            }
            _ => None,
        })
        .expect("send transmitted");
    let _lost = srv.handle("alice", frame.0, frame.1);
    c.drop_socket(&mut srv);
    c.advance(&mut srv, 60_000);
    assert_eq!(c.code(op), Some(0));
    assert_eq!(bob_sees(&srv), vec![m.id.clone()]);
    assert_eq!(
        page(&mut c, &mut srv, "C2Cbob"),
        vec![(m.id.clone(), "success".to_owned())]
    );
    assert!(!c
        .events()
        .iter()
        .any(|e| matches!(e, Event::MessageReceived(_))));
}

#[test]
fn the_outbox_outlives_the_session_and_replays_once() {
    let (mut srv, mut c) = ready("alice");
    c.net_up = false;
    c.drop_socket(&mut srv);
    let m = c.text("bob", "C2C", "later");
    let op = c.cmd(Command::SendMessage(m.clone()));
    let put = take(&mut c.core).outbox_put;
    c.cmd(Command::Logout);
    c.drain();
    // The call fails with the session, the message stays unsent (and in the cache).
    assert_eq!(c.code(op), Some(codes::SDK_IS_NOT_READY));
    assert!(take(&mut c.core).outbox_remove.is_empty());
    // A new instance of the user loads the cached outbox at login.
    let mut c2 = Client::new(cfg());
    c2.cmd(Command::Login {
        user_id: "alice".into(),
        user_sig: "sig".into(),
    });
    c2.core.load_outbox(c2.now, put.clone());
    c2.run(&mut srv);
    assert_eq!(bob_sees(&srv), vec![m.id.clone()]);
    assert_eq!(take(&mut c2.core).outbox_remove, vec![put[0].pos]);
    // A second replay of the same entry is answered with the stored copy.
    let mut c3 = Client::new(cfg());
    c3.login(&mut srv, "alice");
    c3.core.load_outbox(c3.now, put);
    c3.run(&mut srv);
    assert_eq!(bob_sees(&srv), vec![m.id]);
}
