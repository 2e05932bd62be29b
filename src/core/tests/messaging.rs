//! Sending, receiving, dedup, gaps, read state, history, conversation list.

use tim_protocol::req;
use tim_protocol::{ConvType, Request, ServerFrame};

use super::harness::*;
use crate::core::*;
use tim_fake_server::{cid, FakeServer};

pub(super) fn ready(user: &str) -> (FakeServer, Client) {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    c.login(&mut srv, user);
    c.clear_log();
    (srv, c)
}

/// `from` sends a C2C text to `to`, pushed to the client if it is `to`.
pub(super) fn incoming(srv: &mut FakeServer, c: &mut Client, from: &str, id: &str) -> u64 {
    let (m, seqs) = srv.send_as(from, ConvType::C2c, &c.user.clone(), id, 5);
    let s = seqs
        .iter()
        .find(|(u, _)| *u == c.user)
        .map(|x| x.1)
        .expect("delivered to the client");
    c.push(
        srv,
        ServerFrame::Push {
            sync_seq: s,
            message: m,
            change: tim_protocol::Change::New,
        },
    );
    s
}

fn unread(c: &mut Client, conv: &str) -> u32 {
    c.conversation_list()
        .iter()
        .find(|v| v.conversation_id == conv)
        .map_or(0, |v| v.unread_count)
}

#[test]
fn send_resolves_with_server_fields_and_never_raises_message_received() {
    let (mut srv, mut c) = ready("alice");
    srv.time = 4242;
    let m = c.text("bob", "C2C", "hello");
    let op = c.cmd(Command::SendMessage(m.clone()));
    let sent = only_transmit(&c.drain());
    match &sent.req {
        Request::Send(req::Send { message }) => {
            assert_eq!(
                (message.id.as_str(), message.random, message.client_time),
                (m.id.as_str(), m.random, m.client_time)
            );
        }
        other => panic!("{other:?}"),
    }
    c.core
        .handle_frame(c.now, srv.handle("alice", sent.id, sent.req).0);
    c.drain();
    let Some(Ok(Response::Message { message })) = c.result(op) else {
        panic!("{:?}", c.result(op))
    };
    assert_eq!(
        (message.status.as_str(), message.sequence, message.time),
        ("success", 1, 4242)
    );
    assert_eq!(
        (
            message.id.as_str(),
            message.flow.as_str(),
            message.from.as_str()
        ),
        (m.id.as_str(), "out", "alice")
    );
    assert!(
        c.received().is_empty(),
        "own sends are not MESSAGE_RECEIVED"
    );
    let list = c.last_list().expect("list updated");
    assert_eq!(list[0].conversation_id, "C2Cbob");
    let last = list[0].last_message.as_ref().expect("last message");
    assert_eq!(
        (
            last.last_sequence,
            last.message_for_show.as_str(),
            last.from_account.as_str()
        ),
        (1, "hello", "alice")
    );
    assert_eq!(list[0].unread_count, 0);
    assert_eq!(
        list[0].user_profile.as_ref().map(|p| p.user_id.as_str()),
        Some("bob")
    );
    assert_eq!(list[0].message_remind_type, "AcceptAndNotify");
}

#[test]
fn send_validation_codes_leave_instance_usable() {
    let (mut srv, mut c) = ready("alice");
    let cases = [
        (
            MessageView::default(),
            codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
        ),
        (
            {
                let mut m = c.text("bob", "C2C", "x");
                m.payload.text = Some(String::new());
                m
            },
            codes::INVALID_OPERATION,
        ),
        (
            {
                let mut m = c.text("bob", "C2C", "x");
                m.to = String::new();
                m.conversation_id = String::new();
                m
            },
            codes::INVALID_OPERATION,
        ),
        (
            {
                let mut m = c.text("bob", "C2C", "x");
                m.conversation_type = "NOPE".into();
                m
            },
            codes::MESSAGE_SEND_INVALID_CONVERSATION_TYPE,
        ),
    ];
    for (m, code) in cases {
        let op = c.cmd(Command::SendMessage(m));
        assert!(transmits(&c.drain()).is_empty());
        assert_eq!(c.code(op), Some(code));
    }
    let m = c.text("bob", "C2C", "ok");
    let op = c.cmd(Command::SendMessage(m));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
}

#[test]
fn a_bare_id_of_a_created_message_is_sendable() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "draft");
    let op = c.cmd(Command::SendMessage(MessageView {
        id: m.id.clone(),
        ..Default::default()
    }));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    assert_eq!(srv.messages("alice", "C2Cbob").len(), 1);
}

#[test]
fn incoming_message_is_received_counted_and_creates_the_conversation() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    let got = c.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].id.as_str(),
            got[0].flow.as_str(),
            got[0].conversation_id.as_str()
        ),
        ("b1", "in", "C2Cbob")
    );
    assert_eq!(got[0].payload.text.as_deref(), Some("b1"));
    assert_eq!(c.totals(), vec![1]);
    assert_eq!(unread(&mut c, "C2Cbob"), 1);
}

#[test]
fn duplicated_push_is_ignored() {
    let (mut srv, mut c) = ready("alice");
    let (m, seqs) = srv.send_as("bob", ConvType::C2c, "alice", "b1", 5);
    let f = ServerFrame::Push {
        sync_seq: seqs[1].1,
        message: m,
        change: tim_protocol::Change::New,
    };
    c.push(&mut srv, f.clone());
    c.push(&mut srv, f);
    assert_eq!(c.received().len(), 1);
    assert_eq!(c.totals(), vec![1]);
    assert_eq!(unread(&mut c, "C2Cbob"), 1);
}

#[test]
fn other_instance_sends_are_received_as_out_but_not_unread() {
    let (mut srv, mut c) = ready("alice");
    let (m, seqs) = srv.send_as("alice", ConvType::C2c, "bob", "a-elsewhere", 5);
    let s = seqs
        .iter()
        .find(|x| x.0 == "alice")
        .map(|x| x.1)
        .expect("alice's seq");
    c.push(
        &mut srv,
        ServerFrame::Push {
            sync_seq: s,
            message: m,
            change: tim_protocol::Change::New,
        },
    );
    let got = c.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].flow.as_str(), got[0].conversation_id.as_str()),
        ("out", "C2Cbob")
    );
    assert!(c.totals().is_empty());
    assert_eq!(unread(&mut c, "C2Cbob"), 0);
}

#[test]
fn gap_triggers_sync_and_overlapping_page_is_deduplicated() {
    let (mut srv, mut c) = ready("alice");
    let (m1, s1) = srv.send_as("bob", ConvType::C2c, "alice", "b1", 5);
    let (m2, s2) = srv.send_as("bob", ConvType::C2c, "alice", "b2", 5);
    let (m3, s3) = srv.send_as("carol", ConvType::C2c, "alice", "c3", 5);
    let _ = m1;
    // b1 is lost; b2 and c3 arrive, then the sync page repeats b2 and c3.
    c.core.handle_frame(
        c.now,
        ServerFrame::Push {
            sync_seq: s2[1].1,
            message: m2,
            change: tim_protocol::Change::New,
        },
    );
    let sync = only_transmit(&c.drain());
    assert_eq!(
        sync.req,
        Request::Sync(req::Sync {
            since: s1[1].1 - 1,
            limit: 100
        })
    );
    c.core.handle_frame(
        c.now,
        ServerFrame::Push {
            sync_seq: s3[1].1,
            message: m3,
            change: tim_protocol::Change::New,
        },
    );
    assert!(transmits(&c.drain()).is_empty(), "one sync at a time");
    c.core
        .handle_frame(c.now, srv.handle("alice", sync.id, sync.req).0);
    c.run(&mut srv);
    let ids: Vec<String> = c.received().into_iter().map(|m| m.id).collect();
    assert_eq!(ids, vec!["b2", "c3", "b1"]);
    assert_eq!(unread(&mut c, "C2Cbob"), 2);
    assert_eq!(unread(&mut c, "C2Ccarol"), 1);
    assert_eq!(c.totals(), vec![1, 2, 3]);
    assert_eq!(
        c.totals().last(),
        Some(&srv.unread_of("alice").values().sum::<u32>())
    );
}

#[test]
fn gap_explained_by_in_flight_send_waits_for_the_ack() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "mine");
    let op = c.cmd(Command::SendMessage(m));
    let send = only_transmit(&c.drain());
    // The server commits our send (sync_seq 1) then bob's reply (2); the push outruns the ack.
    let (ack, _) = srv.handle("alice", send.id, send.req);
    let (b, seqs) = srv.send_as("bob", ConvType::C2c, "alice", "b1", 5);
    c.core.handle_frame(
        c.now,
        ServerFrame::Push {
            sync_seq: seqs[1].1,
            message: b,
            change: tim_protocol::Change::New,
        },
    );
    assert!(transmits(&c.drain()).is_empty(), "the hole is our own send");
    c.core.handle_frame(c.now, ack);
    assert!(transmits(&c.drain()).is_empty());
    assert_eq!(c.code(op), Some(0));
    assert_eq!(c.received().len(), 1);
}

#[test]
fn send_error_and_timeout() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "x");
    let op = c.cmd(Command::SendMessage(m));
    let send = only_transmit(&c.drain());
    c.frame(ServerFrame::Error {
        id: Some(send.id),
        code: 80002,
        message: "too long".into(),
    });
    assert_eq!(c.result(op), Some(&Err(SdkError::new(80002, "too long"))));
    // No answer at all: NETWORK_TIMEOUT after request_timeout_ms.
    c.socket = false;
    let m = c.text("bob", "C2C", "y");
    let op = c.cmd(Command::SendMessage(m));
    c.drain();
    c.advance(&mut srv, cfg().request_timeout_ms - 1);
    assert_eq!(c.code(op), None);
    c.socket = true; // pings keep the connection alive; only the send is unanswered
    c.advance(&mut srv, 1);
    assert_eq!(c.code(op), Some(codes::NETWORK_TIMEOUT));
}

#[test]
fn history_before_login_is_not_received_and_counts_come_from_the_server() {
    let mut srv = FakeServer::new();
    for i in 0..3 {
        srv.send_as("bob", ConvType::C2c, "alice", &format!("old{i}"), 5);
    }
    let mut c = Client::new(cfg());
    c.login(&mut srv, "alice");
    assert!(c.received().is_empty());
    assert_eq!(c.totals(), vec![3]);
    let list = c.last_list().expect("initial list");
    assert_eq!(
        (list[0].conversation_id.as_str(), list[0].unread_count),
        ("C2Cbob", 3)
    );
    let pos = |e: &Event| c.events().iter().position(|x| *x == e).expect("present");
    assert!(pos(&Event::TotalUnreadMessageCountUpdated(3)) < pos(&Event::SdkReady));
}

#[test]
fn set_message_read_rules() {
    let (mut srv, mut c) = ready("alice");
    let op = c.cmd(Command::SetMessageRead {
        conversation_id: "bob".into(),
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_CONVERSATION_ID));
    // No message yet: nothing to read, resolved at once without a request (tim-js-sdk).
    let op = c.cmd(Command::SetMessageRead {
        conversation_id: "C2Cnobody".into(),
    });
    let outs = c.drain();
    assert_eq!(c.code(op), Some(0));
    assert!(transmits(&outs).is_empty());
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "bob", "b2");
    c.clear_log();
    let op = c.cmd(Command::SetMessageRead {
        conversation_id: "C2Cbob".into(),
    });
    let outs = c.drain();
    assert_eq!(c.totals(), vec![0], "optimistic");
    assert!(matches!(c.last_list().as_deref(), Some([v]) if v.unread_count == 0));
    let read = only_transmit(&outs);
    assert_eq!(
        read.req,
        Request::Read(req::Read {
            conversation_id: "C2Cbob".into(),
            seq: 2
        })
    );
    assert_eq!(c.code(op), None, "resolves on the answer");
    c.core
        .handle_frame(c.now, srv.handle("alice", read.id, read.req).0);
    c.drain();
    assert_eq!(c.result(op), Some(&Ok(Response::Empty {})));
    assert_eq!(srv.unread_of("alice")["C2Cbob"], 0);
}

#[test]
fn read_state_from_another_instance_applies() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "bob", "b2");
    c.clear_log();
    c.push(
        &mut srv,
        ServerFrame::ReadState {
            conversation_id: "C2Cbob".into(),
            read_seq: 1,
            unread: 1,
        },
    );
    assert_eq!(c.totals(), vec![1]);
    assert_eq!(unread(&mut c, "C2Cbob"), 1);
    c.push(
        &mut srv,
        ServerFrame::ReadState {
            conversation_id: "C2Cbob".into(),
            read_seq: 2,
            unread: 0,
        },
    );
    assert_eq!(c.totals(), vec![1, 0]);
}

pub(super) fn page(
    c: &mut Client,
    srv: &mut FakeServer,
    conv: &str,
    next: Option<String>,
    count: Option<u32>,
) -> (Vec<MessageView>, String, bool) {
    let op = c.cmd(Command::GetMessageList {
        conversation_id: conv.into(),
        next_req_message_id: next,
        count,
    });
    c.run(srv);
    match c.result(op) {
        Some(Ok(Response::MessageList {
            message_list,
            next_req_message_id,
            is_completed,
        })) => (
            message_list.clone(),
            next_req_message_id.clone(),
            *is_completed,
        ),
        other => panic!("getMessageList: {other:?}"),
    }
}

#[test]
fn forty_messages_page_as_15_15_10() {
    let (mut srv, mut c) = ready("alice");
    for i in 0..40 {
        incoming(&mut srv, &mut c, "bob", &format!("m{i:02}"));
    }
    let (p1, n1, done1) = page(&mut c, &mut srv, "C2Cbob", None, None);
    let (p2, n2, done2) = page(&mut c, &mut srv, "C2Cbob", Some(n1.clone()), Some(15));
    let (p3, n3, done3) = page(&mut c, &mut srv, "C2Cbob", Some(n2.clone()), Some(15));
    assert_eq!((p1.len(), p2.len(), p3.len()), (15, 15, 10));
    assert_eq!((done1, done2, done3), (false, false, true));
    assert_eq!(
        (n1.as_str(), n2.as_str(), n3.as_str()),
        ("m25", "m10", "m00")
    );
    let seqs: Vec<u64> = [p3, p2, p1].concat().iter().map(|m| m.sequence).collect();
    assert_eq!(
        seqs,
        (1..=40).collect::<Vec<u64>>(),
        "ascending, no repeat, no skip"
    );
}

#[test]
fn get_message_list_arguments() {
    let (mut srv, mut c) = ready("alice");
    let op = c.cmd(Command::GetMessageList {
        conversation_id: "XYZ".into(),
        next_req_message_id: None,
        count: None,
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_CONVERSATION_ID));
    let op = c.cmd(Command::GetMessageList {
        conversation_id: "C2Cbob".into(),
        next_req_message_id: Some("nope".into()),
        count: None,
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));
    for (count, want) in [(None, 15), (Some(0), 1), (Some(7), 7), (Some(100), 15)] {
        c.cmd(Command::GetMessageList {
            conversation_id: "C2Cbob".into(),
            next_req_message_id: None,
            count,
        });
        let f = only_transmit(&c.drain());
        assert_eq!(
            f.req,
            Request::History(req::History {
                conversation_id: "C2Cbob".into(),
                before_seq: None,
                count: want
            })
        );
        c.core
            .handle_frame(c.now, srv.handle("alice", f.id, f.req).0);
        c.drain();
    }
    // An empty conversation: empty page, "" cursor, completed.
    srv.groups.insert("g".into(), vec!["alice".into()]);
    let (list, next, done) = page(&mut c, &mut srv, "GROUPg", None, None);
    assert!(list.is_empty());
    assert_eq!((next.as_str(), done), ("", true));
    // A message of another conversation is not a valid cursor here.
    incoming(&mut srv, &mut c, "bob", "b1");
    let op = c.cmd(Command::GetMessageList {
        conversation_id: "C2Ccarol".into(),
        next_req_message_id: Some("b1".into()),
        count: None,
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));
}

#[test]
fn conversation_list_most_recent_first_and_group_profile() {
    let (mut srv, mut c) = ready("alice");
    srv.groups
        .insert("g1".into(), vec!["alice".into(), "bob".into()]);
    incoming(&mut srv, &mut c, "bob", "b1");
    srv.time += 1;
    let (m, seqs) = srv.send_as("bob", ConvType::Group, "g1", "g-1", 5);
    let s = seqs
        .iter()
        .find(|x| x.0 == "alice")
        .map(|x| x.1)
        .expect("member");
    c.push(
        &mut srv,
        ServerFrame::Push {
            sync_seq: s,
            message: m,
            change: tim_protocol::Change::New,
        },
    );
    srv.time += 1;
    incoming(&mut srv, &mut c, "carol", "c1");
    let list = c.conversation_list();
    let ids: Vec<&str> = list.iter().map(|v| v.conversation_id.as_str()).collect();
    assert_eq!(ids, vec!["C2Ccarol", "GROUPg1", "C2Cbob"]);
    assert_eq!(
        list[1]
            .group_profile
            .as_ref()
            .and_then(|g| g.get("groupID")),
        Some(&Val::Str("g1".into()))
    );
    assert!(list[1].user_profile.is_none());
    assert_eq!(
        c.received().last().map(|m| m.conversation_id.clone()),
        Some(cid(ConvType::C2c, "carol"))
    );
}

#[test]
fn history_of_an_unlisted_conversation_is_not_counted_when_it_appears() {
    let (mut srv, mut c) = ready("alice");
    // Messages committed while alice was not watching (no push), then fetched as history.
    for i in 0..3 {
        srv.send_as("bob", ConvType::C2c, "alice", &format!("h{i}"), 5);
    }
    let op = c.cmd(Command::GetMessageList {
        conversation_id: "C2Cbob".into(),
        next_req_message_id: None,
        count: None,
    });
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    assert!(
        c.conversation_list().is_empty(),
        "history does not create conversations"
    );
    let (m, seqs) = srv.send_as("bob", ConvType::C2c, "alice", "new", 5);
    // A fresh sync_seq cursor gap would sync; deliver in order by hand to isolate counting.
    c.core.handle_frame(
        c.now,
        ServerFrame::Push {
            sync_seq: seqs[1].1,
            message: m,
            change: tim_protocol::Change::New,
        },
    );
    c.drain();
    assert_eq!(unread(&mut c, "C2Cbob"), 1);
}
