//! Changes to sent messages and conversations: revoke, resend, delete, modify, read receipts,
//! deleteConversation, pin, setAllMessageRead, and the synchronous lookups.

use tim_protocol::req;
use tim_protocol::{Change, ConvType, Request, ServerFrame};

use super::harness::*;
use crate::core::*;
use tim_fake_server::{text, FakeServer};

/// `from` sends a C2C text to the client's user, pushed to the client.
pub(super) fn incoming(srv: &mut FakeServer, c: &mut Client, from: &str, id: &str) {
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
            change: Change::New,
        },
    );
}

/// The client sends a text; returns the sent message.
fn send(srv: &mut FakeServer, c: &mut Client, to: &str, t: &str) -> MessageView {
    let m = c.text(to, "C2C", t);
    let op = c.cmd(Command::SendMessage(m));
    c.run(srv);
    match c.result(op) {
        Some(Ok(Response::Message { message })) => message.clone(),
        other => panic!("send: {other:?}"),
    }
}

/// A request made by someone not under test (the peer, or the user's other instance); the
/// pushes it causes for `to` are delivered to the client.
pub(super) fn elsewhere(
    srv: &mut FakeServer,
    c: &mut Client,
    user: &str,
    req: Request,
) -> ServerFrame {
    let (answer, pushes) = srv.handle(user, 0, req);
    let me = c.user.clone();
    for (u, f) in pushes {
        if u == me {
            c.push(srv, f);
        }
    }
    answer
}

pub(super) fn page(c: &mut Client, srv: &mut FakeServer, conv: &str) -> Vec<MessageView> {
    let op = c.cmd(Command::GetMessageList {
        conversation_id: conv.into(),
        next_req_message_id: None,
        count: None,
    });
    c.run(srv);
    match c.result(op) {
        Some(Ok(Response::MessageList { message_list, .. })) => message_list.clone(),
        other => panic!("getMessageList: {other:?}"),
    }
}

fn revoked_events(c: &Client) -> Vec<MessageView> {
    c.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageRevoked(v) => Some(v.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn modified_events(c: &Client) -> Vec<MessageView> {
    c.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageModified(v) => Some(v.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn peer_read_events(c: &Client) -> Vec<Vec<String>> {
    c.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReadByPeer(v) => Some(v.iter().map(|m| m.id.clone()).collect()),
            _ => None,
        })
        .collect()
}

fn message_of(c: &Client, op: OpId) -> MessageView {
    match c.result(op) {
        Some(Ok(Response::Message { message })) => message.clone(),
        other => panic!("expected {{message}}: {other:?}"),
    }
}

pub(super) fn ids(list: &[ConversationView]) -> Vec<&str> {
    list.iter().map(|v| v.conversation_id.as_str()).collect()
}

#[test]
fn revoke_own_message_resolves_flagged_without_an_event_here() {
    let (mut srv, mut c) = ready("alice");
    let sent = send(&mut srv, &mut c, "bob", "oops");
    c.clear_log();
    let op = c.cmd(Command::RevokeMessage(sent.clone()));
    let f = only_transmit(&c.drain());
    assert_eq!(
        f.req,
        Request::Revoke(req::Revoke {
            conversation_id: "C2Cbob".into(),
            seq: sent.sequence
        })
    );
    c.core
        .handle_frame(c.now, srv.handle("alice", f.id, f.req).0);
    c.run(&mut srv);
    let m = message_of(&c, op);
    assert!(m.is_revoked);
    assert!(c.core.find_message(&sent.id).is_some_and(|m| m.is_revoked));
    let list = c.last_list().expect("list follows the revoke");
    assert!(list[0].last_message.as_ref().is_some_and(|l| l.is_revoked));
    assert!(
        revoked_events(&c).is_empty(),
        "not on the revoking instance"
    );
    // A reconnect replays nothing as news.
    c.drop_socket(&mut srv);
    c.advance(&mut srv, 2_000);
    assert!(c.socket);
    assert!(revoked_events(&c).is_empty());
    // Still listed, flagged, by getMessageList.
    let p = page(&mut c, &mut srv, "C2Cbob");
    assert_eq!(p.len(), 1);
    assert!(p[0].is_revoked);
}

#[test]
fn revoke_refusals_map_to_message_revoke_fail() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    let theirs = c.core.find_message("b1").expect("stored");
    let op = c.cmd(Command::RevokeMessage(theirs));
    c.run(&mut srv);
    let Some(Err(e)) = c.result(op) else {
        panic!("{:?}", c.result(op))
    };
    assert_eq!(e.code, codes::MESSAGE_REVOKE_FAIL);
    assert!(
        e.message.contains("not the sender"),
        "server reason kept: {e:?}"
    );
    let mine = send(&mut srv, &mut c, "bob", "late");
    srv.time += 121;
    let op = c.cmd(Command::RevokeMessage(mine));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(codes::MESSAGE_REVOKE_FAIL));
    // Never sent; not a message at all.
    let draft = c.text("bob", "C2C", "draft");
    let op = c.cmd(Command::RevokeMessage(draft));
    c.drain();
    assert_eq!(c.code(op), Some(codes::MESSAGE_REVOKE_FAIL));
    let op = c.cmd(Command::RevokeMessage(MessageView::default()));
    c.drain();
    assert_eq!(c.code(op), Some(codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE));
    // Still usable.
    send(&mut srv, &mut c, "bob", "fine");
}

#[test]
fn revoke_by_the_peer_is_announced_once_and_paged_flagged() {
    let (mut srv, mut c) = ready("bob");
    incoming(&mut srv, &mut c, "alice", "a1");
    incoming(&mut srv, &mut c, "alice", "a2");
    c.clear_log();
    let a1 = srv.messages("alice", "C2Cbob")[0].clone();
    let req = Request::Revoke(req::Revoke {
        conversation_id: "C2Cbob".into(),
        seq: a1.seq,
    });
    elsewhere(&mut srv, &mut c, "alice", req);
    let got = revoked_events(&c);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].id.as_str(), got[0].is_revoked), ("a1", true));
    assert!(c.received().is_empty(), "a revoke is not a new message");
    assert!(c.core.find_message("a1").is_some_and(|m| m.is_revoked));
    // The same delivery again (a sync page overlapping the push) is no news.
    let f = ServerFrame::Push {
        sync_seq: srv.sync_seq("bob"),
        message: srv.messages("bob", "C2Calice")[0].clone(),
        change: Change::Revoked,
    };
    c.push(&mut srv, f);
    assert_eq!(revoked_events(&c).len(), 1);
    let p = page(&mut c, &mut srv, "C2Calice");
    let flags: Vec<(String, bool)> = p.iter().map(|m| (m.id.clone(), m.is_revoked)).collect();
    assert_eq!(flags, vec![("a1".into(), true), ("a2".into(), false)]);
}

#[test]
fn revoke_missed_while_offline_arrives_by_sync() {
    let (mut srv, mut c) = ready("bob");
    incoming(&mut srv, &mut c, "alice", "a1");
    c.clear_log();
    c.socket = false;
    c.core.handle_disconnected(c.now);
    c.run(&mut srv);
    let seq = srv.messages("alice", "C2Cbob")[0].seq;
    srv.handle(
        "alice",
        0,
        Request::Revoke(req::Revoke {
            conversation_id: "C2Cbob".into(),
            seq,
        }),
    );
    c.advance(&mut srv, 2_000);
    assert!(c.socket);
    let got = revoked_events(&c);
    assert_eq!(
        got.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec!["a1"]
    );
}

#[test]
fn resend_only_a_failed_message_and_never_twice_on_the_server() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "flaky");
    let op = c.cmd(Command::SendMessage(m.clone()));
    // The server commits it, but the answer never comes back.
    let f = only_transmit(&c.drain());
    let _lost = srv.handle("alice", f.id, f.req);
    let again = c.cmd(Command::ResendMessage(m.clone()));
    c.drain();
    assert_eq!(
        c.code(again),
        Some(codes::INVALID_OPERATION),
        "still sending"
    );
    c.socket = false;
    c.advance(&mut srv, cfg().request_timeout_ms - 1);
    c.socket = true;
    c.advance(&mut srv, 1);
    assert_eq!(c.code(op), Some(codes::NETWORK_TIMEOUT));
    let failed = c.core.find_message(&m.id).expect("draft kept");
    assert_eq!(failed.status, MessageStatus::Fail);
    let op = c.cmd(Command::ResendMessage(failed));
    c.run(&mut srv);
    let sent = message_of(&c, op);
    assert_eq!(
        (sent.id.as_str(), sent.status.as_str()),
        (m.id.as_str(), "success")
    );
    assert_eq!(srv.messages("bob", "C2Calice").len(), 1, "stored once");
    let op = c.cmd(Command::ResendMessage(sent));
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));
    // A send refused locally is resendable once fixed.
    let mut bad = c.text("bob", "C2C", "x");
    bad.payload.text = Some(String::new());
    let op = c.cmd(Command::SendMessage(bad.clone()));
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));
    bad.payload.text = Some("fixed".into());
    bad.status = MessageStatus::Fail;
    let op = c.cmd(Command::ResendMessage(bad));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    assert_eq!(srv.messages("bob", "C2Calice").len(), 2);
}

#[test]
fn delete_removes_here_and_on_other_instances_not_for_the_peer() {
    let (mut srv, mut c) = ready("alice");
    for id in ["b1", "b2", "b3"] {
        incoming(&mut srv, &mut c, "bob", id);
    }
    let b3 = c.core.find_message("b3").expect("stored");
    c.clear_log();
    let op = c.cmd(Command::DeleteMessage(vec![b3.clone()]));
    c.run(&mut srv);
    assert_eq!(c.result(op), Some(&Ok(Response::Empty {})));
    assert!(c.core.find_message("b3").is_none());
    let list = c.last_list().expect("last message changed");
    assert_eq!(
        list[0].last_message.as_ref().map(|l| l.last_sequence),
        Some(2),
        "lastMessage falls back to the newest remaining"
    );
    let seqs: Vec<u64> = page(&mut c, &mut srv, "C2Cbob")
        .iter()
        .map(|m| m.sequence)
        .collect();
    assert_eq!(seqs, vec![1, 2]);
    assert_eq!(
        srv.messages("bob", "C2Calice").len(),
        3,
        "the peer keeps it"
    );
    // Alice's other instance deletes b1: the push removes it here.
    let req = Request::Delete(req::Delete {
        conversation_id: "C2Cbob".into(),
        seqs: vec![1],
    });
    elsewhere(&mut srv, &mut c, "alice", req);
    assert!(c.core.find_message("b1").is_none());
    let seqs: Vec<u64> = page(&mut c, &mut srv, "C2Cbob")
        .iter()
        .map(|m| m.sequence)
        .collect();
    assert_eq!(seqs, vec![2]);
    assert!(c.received().is_empty());
}

#[test]
fn delete_argument_rules() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "carol", "c1");
    let b1 = c.core.find_message("b1").expect("stored");
    let c1 = c.core.find_message("c1").expect("stored");
    let op = c.cmd(Command::DeleteMessage(vec![]));
    c.drain();
    assert_eq!(c.code(op), Some(codes::MESSAGE_DELETE_FAIL));
    let op = c.cmd(Command::DeleteMessage(vec![b1.clone(), c1]));
    c.drain();
    assert_eq!(
        c.code(op),
        Some(codes::MESSAGE_DELETE_FAIL),
        "one conversation"
    );
    let op = c.cmd(Command::DeleteMessage(vec![MessageView::default()]));
    c.drain();
    assert_eq!(c.code(op), Some(codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE));
    // The server refuses (a group that does not exist): nothing is deleted here either.
    let mut ghost = b1;
    ghost.id = "ghost".into();
    ghost.conversation_id = "GROUPnone".into();
    ghost.conversation_type = "GROUP".into();
    ghost.to = "none".into();
    let op = c.cmd(Command::DeleteMessage(vec![ghost]));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(codes::MESSAGE_DELETE_FAIL));
    assert!(c.core.find_message("b1").is_some(), "nothing deleted");
}

#[test]
fn modify_announces_elsewhere_and_conflicts_on_an_old_version() {
    let (mut srv, mut c) = ready("alice");
    let sent = send(&mut srv, &mut c, "bob", "helo");
    let mut edit = sent.clone();
    edit.payload.text = Some("hello".into());
    edit.cloud_custom_data = "fixed".into();
    c.clear_log();
    let op = c.cmd(Command::ModifyMessage(edit.clone()));
    c.run(&mut srv);
    let m = message_of(&c, op);
    assert_eq!(
        (m.payload.text.as_deref(), m.is_modified, m.version),
        (Some("hello"), true, 1)
    );
    assert_eq!(m.cloud_custom_data, "fixed");
    assert!(
        modified_events(&c).is_empty(),
        "not on the modifying instance"
    );
    assert_eq!(
        c.last_list()
            .and_then(|l| l[0].last_message.clone())
            .map(|l| l.message_for_show),
        Some("hello".to_owned())
    );
    // The same stale copy again: conflict.
    let op = c.cmd(Command::ModifyMessage(edit));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(codes::MESSAGE_MODIFY_CONFLICT));
    assert_eq!(c.core.find_message(&sent.id).map(|m| m.version), Some(1));
    // A type change keeps the server's code; a bad payload is refused locally.
    let mut custom = m.clone();
    custom.msg_type = "TIMCustomElem".into();
    custom.payload = Payload {
        data: Some("d".into()),
        ..Payload::default()
    };
    let op = c.cmd(Command::ModifyMessage(custom));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(tim_protocol::codes::MODIFY_TYPE_MISMATCH));
    let mut empty = m;
    empty.payload.text = Some(String::new());
    let op = c.cmd(Command::ModifyMessage(empty));
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));
}

#[test]
fn modify_by_the_peer_is_announced_with_the_new_payload() {
    let (mut srv, mut c) = ready("bob");
    incoming(&mut srv, &mut c, "alice", "a1");
    c.clear_log();
    let req = Request::Modify(req::Modify {
        conversation_id: "C2Cbob".into(),
        seq: 1,
        version: 0,
        content: text("edited"),
        cloud_custom_data: String::new(),
    });
    elsewhere(&mut srv, &mut c, "alice", req);
    let got = modified_events(&c);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].payload.text.as_deref(),
            got[0].is_modified,
            got[0].version
        ),
        (Some("edited"), true, 1)
    );
    assert_eq!(
        c.core.find_message("a1").and_then(|m| m.payload.text),
        Some("edited".to_owned())
    );
    assert!(c.received().is_empty());
}

#[test]
fn peer_read_flags_exactly_the_newly_read_messages() {
    let (mut srv, mut c) = ready("alice");
    let m: Vec<MessageView> = (0..3)
        .map(|i| send(&mut srv, &mut c, "bob", &format!("m{i}")))
        .collect();
    incoming(&mut srv, &mut c, "bob", "b1"); // seq 4, not ours
    c.clear_log();
    let read = |seq| {
        Request::Read(req::Read {
            conversation_id: "C2Calice".into(),
            seq,
        })
    };
    elsewhere(&mut srv, &mut c, "bob", read(2));
    assert_eq!(
        peer_read_events(&c),
        vec![vec![m[0].id.clone(), m[1].id.clone()]]
    );
    assert!(c
        .core
        .find_message(&m[1].id)
        .is_some_and(|v| v.is_peer_read));
    assert!(!c
        .core
        .find_message(&m[2].id)
        .is_some_and(|v| v.is_peer_read));
    elsewhere(&mut srv, &mut c, "bob", read(2));
    assert_eq!(peer_read_events(&c).len(), 1, "nothing new, no event");
    elsewhere(&mut srv, &mut c, "bob", read(4));
    assert_eq!(peer_read_events(&c)[1], vec![m[2].id.clone()]);
    let p = page(&mut c, &mut srv, "C2Cbob");
    let flags: Vec<bool> = p.iter().map(|v| v.is_peer_read).collect();
    assert_eq!(
        flags,
        vec![true, true, true, false],
        "received messages are never peer-read"
    );
}

#[test]
fn peer_read_missed_while_offline_reconciles_from_the_list() {
    let (mut srv, mut c) = ready("alice");
    let m = send(&mut srv, &mut c, "bob", "m");
    c.clear_log();
    c.socket = false;
    c.core.handle_disconnected(c.now);
    c.run(&mut srv);
    srv.handle(
        "bob",
        0,
        Request::Read(req::Read {
            conversation_id: "C2Calice".into(),
            seq: 1,
        }),
    );
    c.advance(&mut srv, 2_000);
    assert!(c.socket);
    assert_eq!(peer_read_events(&c), vec![vec![m.id.clone()]]);
}

#[test]
fn find_message_knows_sent_received_and_created_messages() {
    let (mut srv, mut c) = ready("alice");
    assert!(c.core.find_message("nope").is_none());
    let draft = c.text("bob", "C2C", "draft");
    assert_eq!(
        c.core.find_message(&draft.id).map(|m| m.status),
        Some(MessageStatus::UnSend)
    );
    let sent = send(&mut srv, &mut c, "bob", "sent");
    assert_eq!(
        c.core
            .find_message(&sent.id)
            .map(|m| (m.status, m.sequence)),
        Some((MessageStatus::Success, 1))
    );
    incoming(&mut srv, &mut c, "bob", "b1");
    assert_eq!(
        c.core.find_message("b1").map(|m| m.flow),
        Some("in".to_owned())
    );
}

/// What a failed call's rejection shows (`data.message`).
fn shown(c: &Client, op: OpId) -> Option<&Shown> {
    match c.result(op)? {
        Err(_) => c.shown(op),
        Ok(_) => None,
    }
}

const FAILED: Shown = Shown::Status(MessageStatus::Fail);

#[test]
fn a_failed_send_shows_fail_a_refused_resend_shows_nothing_a_conflict_shows_the_current() {
    // Refused before login: the message shows `fail`.
    let mut idle = Client::new(cfg());
    let draft = idle.text("bob", "C2C", "early");
    let op = idle.cmd(Command::SendMessage(draft));
    idle.drain();
    assert_eq!(shown(&idle, op), Some(&FAILED));

    let (mut srv, mut c) = ready("alice");
    // Refused by the server: `fail`.
    let m = c.text("bob", "C2C", "too long");
    let op = c.cmd(Command::SendMessage(m.clone()));
    let f = only_transmit(&c.drain());
    c.frame(ServerFrame::Error {
        id: Some(f.id),
        code: 80002,
        message: "too long".into(),
    });
    assert_eq!(shown(&c, op), Some(&FAILED));
    // A resend of a message that did not fail is refused and leaves its status alone.
    let sent = send(&mut srv, &mut c, "bob", "fine");
    let op = c.cmd(Command::ResendMessage(sent.clone()));
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));
    assert_eq!(shown(&c, op), Some(&Shown::Object));
    // A modify conflict shows the version this instance knows.
    let mut edit = sent.clone();
    edit.payload.text = Some("v1".into());
    let op = c.cmd(Command::ModifyMessage(edit.clone()));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let op = c.cmd(Command::ModifyMessage(edit));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(codes::MESSAGE_MODIFY_CONFLICT));
    match c.result(op) {
        Some(Err(_)) => {
            let Some(Shown::Message(current)) = c.shown(op) else {
                panic!("the current version: {:?}", c.shown(op));
            };
            assert_eq!(
                (current.version, current.payload.text.as_deref()),
                (1, Some("v1"))
            );
        }
        other => panic!("{other:?}"),
    }
}
