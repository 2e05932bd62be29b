//! Heartbeat, dead-connection detection, backoff, resync and retransmission after reconnect.

use tim_protocol::req;
use tim_protocol::{ConvType, Request, ServerFrame};

use super::harness::*;
use crate::core::*;

fn count(c: &Client, want: &Output) -> usize {
    c.log.iter().filter(|o| *o == want).count()
}

fn pings(c: &Client) -> usize {
    c.log
        .iter()
        .filter(|o| matches!(o, Output::Transmit(f) if f.req == Request::Ping))
        .count()
}

#[test]
fn idle_connection_pings_and_stays_up() {
    let (mut srv, mut c) = ready("alice");
    let t = c.core.poll_timeout().expect("heartbeat timer");
    assert_eq!(t, c.now + cfg().heartbeat_interval_ms);
    c.advance(&mut srv, cfg().heartbeat_interval_ms - 1);
    assert_eq!(pings(&c), 0);
    c.advance(&mut srv, 1);
    assert_eq!(pings(&c), 1);
    c.advance(&mut srv, 100_000);
    assert_eq!(pings(&c), 11);
    assert_eq!(
        count(&c, &Output::Disconnect),
        0,
        "answered pings keep it alive"
    );
}

#[test]
fn silent_connection_is_declared_dead_and_reconnected() {
    let (mut srv, mut c) = ready("alice");
    c.socket = false; // nothing gets through any more, and no close is reported
    c.advance(&mut srv, cfg().heartbeat_timeout_ms - 1);
    assert_eq!(count(&c, &Output::Disconnect), 0);
    c.advance(&mut srv, 1);
    assert_eq!(count(&c, &Output::Disconnect), 1);
    assert!(c
        .events()
        .contains(&&Event::NetStateChange(NetState::Disconnected)));
    c.advance(&mut srv, cfg().reconnect_base_ms * 5 / 4);
    assert_eq!(count(&c, &Output::Connect), 1);
    assert!(c.socket, "reconnected");
    assert_eq!(
        count(&c, &Output::Event(Event::SdkReady)),
        0,
        "SDK_READY is not re-emitted"
    );
    assert_eq!(c.core.user_id(), Some("alice"));
}

#[test]
fn backoff_doubles_caps_and_never_gives_up() {
    let (mut srv, mut c) = ready("alice");
    c.net_up = false;
    c.drop_socket(&mut srv);
    let mut attempts = Vec::new();
    let mut last = c.now;
    for _ in 0..150 {
        let t = c
            .core
            .poll_timeout()
            .expect("a reconnect is always scheduled");
        attempts.push(t - last);
        c.advance(&mut srv, t - c.now);
        last = c.now;
    }
    let cfg = cfg();
    for (n, d) in attempts.iter().enumerate() {
        let nominal = (cfg.reconnect_base_ms << n.min(20)).min(cfg.reconnect_max_ms);
        assert!(
            *d >= nominal * 3 / 4 && *d <= (nominal * 5 / 4).min(cfg.reconnect_max_ms),
            "attempt {n}: {d}"
        );
    }
    assert!(attempts[1] > attempts[0] && attempts[5] > attempts[2]);
    assert_eq!(count(&c, &Output::Connect), 150);
    assert_eq!(
        c.core.user_id(),
        Some("alice"),
        "still logged in after 150 failures"
    );
    // Recovery resets the backoff.
    c.net_up = true;
    c.advance(&mut srv, cfg.reconnect_max_ms * 2);
    assert!(c.socket);
    c.drop_socket(&mut srv);
    let t = c.core.poll_timeout().expect("reconnect");
    assert!(t - c.now <= cfg.reconnect_base_ms * 5 / 4);
}

#[test]
fn resync_after_reconnect_delivers_what_was_missed_once() {
    let (mut srv, mut c) = ready("alice");
    let (m, seqs) = srv.send_as("bob", ConvType::C2c, "alice", "before", 5);
    c.push(
        &mut srv,
        ServerFrame::Push {
            sync_seq: seqs[1].1,
            message: m,
            change: tim_protocol::Change::New,
        },
    );
    c.drop_socket(&mut srv);
    for i in 0..130 {
        srv.send_as("bob", ConvType::C2c, "alice", &format!("missed{i}"), 5);
    }
    srv.send_as("carol", ConvType::C2c, "alice", "c-missed", 5);
    srv.send_as("alice", ConvType::C2c, "dave", "other-instance", 5);
    c.clear_log();
    c.advance(&mut srv, 2_000);
    let syncs: Vec<Request> = c
        .log
        .iter()
        .filter_map(|o| match o {
            Output::Transmit(f) if matches!(f.req, Request::Sync(req::Sync { .. })) => {
                Some(f.req.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        syncs,
        vec![
            Request::Sync(req::Sync {
                since: 1,
                limit: 100
            }),
            Request::Sync(req::Sync {
                since: 101,
                limit: 100
            })
        ]
    );
    let got: Vec<String> = c.received().into_iter().map(|m| m.id).collect();
    assert_eq!(got.len(), 132);
    assert_eq!(got.first().map(String::as_str), Some("missed0"));
    assert!(got.contains(&"other-instance".to_string()));
    let list = c.conversation_list();
    let unread = |id: &str| {
        list.iter()
            .find(|v| v.conversation_id == id)
            .map(|v| v.unread_count)
    };
    assert_eq!(
        (unread("C2Cbob"), unread("C2Ccarol"), unread("C2Cdave")),
        (Some(131), Some(1), Some(0))
    );
    assert_eq!(c.totals().last(), Some(&132));
    assert_eq!(count(&c, &Output::Event(Event::SdkReady)), 0);
}

#[test]
fn sends_while_down_are_queued_and_in_flight_ones_retransmitted() {
    let (mut srv, mut c) = ready("alice");
    // One send reaches the server but its ack is lost with the socket.
    let m0 = c.text("bob", "C2C", "in-flight");
    let op0 = c.cmd(Command::SendMessage(m0));
    let f = only_transmit(&c.drain());
    let _lost_ack = srv.handle("alice", f.id, f.req);
    c.drop_socket(&mut srv);
    // Two more while down: queued, nothing transmitted.
    c.clear_log();
    let m1 = c.text("bob", "C2C", "queued-1");
    let m2 = c.text("bob", "C2C", "queued-2");
    let op1 = c.cmd(Command::SendMessage(m1));
    let op2 = c.cmd(Command::SendMessage(m2));
    assert!(transmits(&c.drain()).is_empty());
    assert_eq!((c.code(op1), c.code(op2)), (None, None));
    c.advance(&mut srv, 2_000);
    assert_eq!(
        (c.code(op0), c.code(op1), c.code(op2)),
        (Some(0), Some(0), Some(0))
    );
    let texts: Vec<String> = srv
        .messages("alice", "C2Cbob")
        .iter()
        .map(|m| format!("{:?}", m.content))
        .collect();
    assert_eq!(
        texts.len(),
        3,
        "no duplicate of the retransmitted send: {texts:?}"
    );
    assert!(
        texts[1].contains("queued-1") && texts[2].contains("queued-2"),
        "in order"
    );
    assert!(
        c.received().is_empty(),
        "own sends never raise MESSAGE_RECEIVED, even via sync"
    );
    // Order on the wire after re-login: Login, Sync, Conversations, then the sends.
    let reqs: Vec<&'static str> = transmits(&c.log)
        .iter()
        .map(|f| match f.req {
            Request::Login(req::Login { .. }) => "login",
            Request::Sync(req::Sync { .. }) => "sync",
            Request::Conversations => "convs",
            Request::Send(req::Send { .. }) => "send",
            Request::GroupList(_) => "groups",
            _ => "other",
        })
        .collect();
    assert_eq!(
        reqs,
        vec!["login", "sync", "convs", "groups", "send", "send", "send"]
    );
}

#[test]
fn history_request_pending_over_a_drop_is_retransmitted() {
    let (mut srv, mut c) = ready("alice");
    srv.send_as("bob", ConvType::C2c, "alice", "b1", 5);
    let op = c.cmd(Command::GetMessageList {
        conversation_id: "C2Cbob".into(),
        next_req_message_id: None,
        count: None,
    });
    c.drain();
    c.drop_socket(&mut srv);
    c.advance(&mut srv, 2_000);
    match c.result(op) {
        Some(Ok(Response::MessageList { message_list, .. })) => assert_eq!(message_list.len(), 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn usersig_rejected_on_relogin_is_a_kick() {
    let (mut srv, mut c) = ready("alice");
    c.drop_socket(&mut srv);
    srv.reject_login = Some(70001);
    c.clear_log();
    c.advance(&mut srv, 2_000);
    assert!(c
        .events()
        .contains(&&Event::KickedOut("userSigExpired".into())));
    assert!(c.events().contains(&&Event::SdkNotReady));
    assert_eq!(c.core.user_id(), None);
    assert_eq!(c.core.poll_timeout(), None);
}

#[test]
fn other_relogin_failure_retries() {
    let (mut srv, mut c) = ready("alice");
    c.drop_socket(&mut srv);
    srv.reject_login = Some(60004);
    c.advance(&mut srv, 2_000);
    assert_eq!(c.core.user_id(), Some("alice"));
    srv.reject_login = None;
    c.advance(&mut srv, 60_000);
    assert!(c.socket);
    assert!(!c.events().iter().any(|e| matches!(e, Event::KickedOut(_))));
    let logins = transmits(&c.log)
        .iter()
        .filter(|f| matches!(f.req, Request::Login(req::Login { .. })))
        .count();
    assert!(
        logins >= 3,
        "first login, refused re-login, successful re-login: {logins}"
    );
    let sends = c.text("bob", "C2C", "after");
    let op = c.cmd(Command::SendMessage(sends));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
}
