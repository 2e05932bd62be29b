//! Login, readiness, logout, kick.

use tim_protocol::req;
use tim_protocol::{ClientFrame, ConvType, Reply, Request, ServerFrame};

use super::harness::*;
use crate::core::*;
use tim_fake_server::{cid, FakeServer};

fn login_cmd(user: &str) -> Command {
    Command::Login {
        user_id: user.into(),
        user_sig: "sig".into(),
    }
}

/// Drives a first login by hand up to the Conversations request; returns (op, its id).
fn up_to_conversations(c: &mut Client, user: &str, sync_seq: u64) -> (OpId, u32) {
    let op = c.cmd(login_cmd(user));
    let outs = c.drain();
    assert_eq!(
        outs,
        vec![
            Output::Connect,
            Output::Event(Event::NetStateChange(NetState::Connecting))
        ]
    );
    let outs = c.connected();
    assert_eq!(
        outs[0],
        Output::Event(Event::NetStateChange(NetState::Connected))
    );
    let login = only_transmit(&outs);
    assert_eq!(
        login.req,
        Request::Login(req::Login {
            user_id: user.into(),
            user_sig: "sig".into()
        })
    );
    let outs = c.frame(ServerFrame::Ok {
        id: login.id,
        data: Reply::Login {
            user_id: user.into(),
            server_time: 1,
            sync_seq,
            file_token: "tok".into(),
        },
    });
    let convs = only_transmit(&outs);
    assert_eq!(convs.req, Request::Conversations);
    assert!(convs.id > login.id, "request ids increase");
    (op, convs.id)
}

#[test]
fn login_resolves_only_after_sdk_ready() {
    let mut c = Client::new(cfg());
    let (op, id) = up_to_conversations(&mut c, "alice", 0);
    assert_eq!(c.result(op), None, "not before the conversation list");
    let outs = c.frame(ServerFrame::Ok {
        id,
        data: Reply::Conversations {
            groups: Vec::new(),
            conversations: vec![],
            sync_seq: 0,
        },
    });
    // login() resolves first; SDK_READY comes in a later task (after Yield), so code that
    // awaits login() and then listens for SDK_READY hears it.
    assert_eq!(
        outs,
        vec![
            Output::Event(Event::ConversationListUpdated(vec![])),
            Output::Event(Event::TotalUnreadMessageCountUpdated(0)),
            Output::Complete {
                op,
                result: Ok(Response::Login {
                    repeat_login: false
                }),
                shown: Shown::Object,
            },
            Output::Yield,
            Output::Event(Event::SdkReady),
            // The group list is re-read after the conversations.
            Output::Transmit(ClientFrame {
                id: id + 1,
                req: Request::GroupList(Default::default()),
            }),
        ]
    );
    assert!(c.core.is_ready());
    assert_eq!(c.core.user_id(), Some("alice"));
}

#[test]
fn commands_before_ready_reject_at_once() {
    let mut c = Client::new(cfg());
    let m = c.text("bob", "C2C", "hi");
    assert_eq!(m.from, "", "created before login");
    let cmds = || {
        vec![
            Command::SendMessage(MessageView::default()),
            Command::GetMessageList {
                conversation_id: "C2Cbob".into(),
                next_req_message_id: None,
                count: None,
            },
            Command::GetConversationList,
            Command::SetMessageRead {
                conversation_id: "C2Cbob".into(),
            },
            Command::Logout,
        ]
    };
    for command in cmds() {
        let op = c.cmd(command);
        assert_eq!(c.code(op), None, "completion comes from poll_output");
        c.drain();
        assert_eq!(c.code(op), Some(codes::SDK_IS_NOT_READY));
    }
    // While logging in: still not ready (logout excepted: it cancels).
    let _ = up_to_conversations(&mut c, "alice", 0);
    for command in cmds().into_iter().take(4) {
        let op = c.cmd(command);
        c.drain();
        assert_eq!(c.code(op), Some(codes::SDK_IS_NOT_READY));
    }
}

#[test]
fn login_argument_and_repeat_rules() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    let op = c.cmd(Command::Login {
        user_id: String::new(),
        user_sig: "s".into(),
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::NO_IDENTIFIER));
    let op = c.cmd(Command::Login {
        user_id: "a".into(),
        user_sig: String::new(),
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::NO_USERSIG));
    assert_eq!(c.core.user_id(), None);
    let op = c.login(&mut srv, "alice");
    assert_eq!(
        c.result(op),
        Some(&Ok(Response::Login {
            repeat_login: false
        }))
    );
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    assert_eq!(
        c.result(op),
        Some(&Ok(Response::Login { repeat_login: true }))
    );
    let op = c.cmd(login_cmd("bob"));
    c.drain();
    assert_eq!(c.code(op), Some(codes::REPEAT_LOGIN));
    assert_eq!(c.core.user_id(), Some("alice"));
}

#[test]
fn second_login_call_while_logging_in_settles_with_the_first() {
    let mut c = Client::new(cfg());
    let (op1, id) = up_to_conversations(&mut c, "alice", 0);
    let op2 = c.cmd(login_cmd("alice"));
    c.drain();
    assert_eq!(c.result(op2), None);
    c.frame(ServerFrame::Ok {
        id,
        data: Reply::Conversations {
            groups: Vec::new(),
            conversations: vec![],
            sync_seq: 0,
        },
    });
    assert_eq!(
        c.result(op1),
        Some(&Ok(Response::Login {
            repeat_login: false
        }))
    );
    assert_eq!(
        c.result(op2),
        Some(&Ok(Response::Login { repeat_login: true }))
    );
}

#[test]
fn usersig_rejection_fails_login_and_logs_out() {
    for code in [70001, 70003, 70009, 70013, 70014] {
        let mut c = Client::new(cfg());
        let op = c.cmd(login_cmd("alice"));
        c.drain();
        let login = only_transmit(&c.connected());
        let outs = c.frame(ServerFrame::Error {
            id: Some(login.id),
            code,
            message: "bad sig".into(),
        });
        assert!(outs.contains(&Output::Disconnect));
        assert!(!outs.contains(&Output::Event(Event::SdkReady)));
        assert!(
            !outs.contains(&Output::Event(Event::SdkNotReady)),
            "was never ready"
        );
        assert_eq!(c.result(op), Some(&Err(SdkError::new(code, "bad sig"))));
        assert_eq!(c.core.user_id(), None);
        assert_eq!(c.core.poll_timeout(), None);
    }
}

#[test]
fn connection_failure_before_first_login_is_network_error() {
    let mut c = Client::new(cfg());
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    c.core.handle_disconnected(c.now);
    let outs = c.drain();
    assert!(outs.contains(&Output::Event(Event::NetStateChange(
        NetState::Disconnected
    ))));
    assert_eq!(c.code(op), Some(codes::NETWORK_ERROR));
    assert_eq!(c.core.user_id(), None);
    assert_eq!(c.core.poll_timeout(), None);
    // And after the socket opened but before the answer.
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    c.connected();
    c.core.handle_disconnected(c.now);
    c.drain();
    assert_eq!(c.code(op), Some(codes::NETWORK_ERROR));
}

#[test]
fn login_without_answer_times_out() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    c.connected();
    let deadline = c.core.poll_timeout().expect("a deadline");
    assert!(deadline <= c.now + cfg().request_timeout_ms);
    c.socket = false; // the fake server never answers
    c.advance(&mut srv, cfg().request_timeout_ms);
    assert_eq!(c.code(op), Some(codes::NETWORK_TIMEOUT));
    assert!(c.log.contains(&Output::Disconnect));
    assert_eq!(c.core.poll_timeout(), None);
}

#[test]
fn logout_clears_everything_and_leaves_no_timer() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    c.login(&mut srv, "alice");
    assert!(c.core.poll_timeout().is_some(), "heartbeat while logged in");
    // A send left pending (the server does not answer).
    c.socket = false;
    let m = c.text("bob", "C2C", "x");
    let send = c.cmd(Command::SendMessage(m));
    c.drain();
    c.socket = true;
    c.clear_log();
    let op = c.cmd(Command::Logout);
    let outs = c.drain();
    let t = transmits(&outs);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].req, Request::Logout);
    let pos = |o: &Output| outs.iter().position(|x| x == o).expect("present");
    assert!(matches!(outs[0], Output::Transmit(_)));
    assert!(pos(&Output::Disconnect) < pos(&Output::Event(Event::SdkNotReady)));
    assert_eq!(
        outs.last(),
        Some(&Output::Complete {
            op,
            result: Ok(Response::Empty {}),
            shown: Shown::Object,
        })
    );
    assert_eq!(c.code(send), Some(codes::SDK_IS_NOT_READY));
    assert_eq!(c.result(op), Some(&Ok(Response::Empty {})));
    assert_eq!(c.core.user_id(), None);
    assert_eq!(c.core.poll_timeout(), None);
    // Usable again, and state is gone.
    let op = c.cmd(Command::GetConversationList);
    c.drain();
    assert_eq!(c.code(op), Some(codes::SDK_IS_NOT_READY));
    c.login(&mut srv, "bob");
    assert_eq!(c.core.user_id(), Some("bob"));
}

#[test]
fn logout_while_logging_in_cancels() {
    let mut c = Client::new(cfg());
    let login = c.cmd(login_cmd("alice"));
    c.drain();
    let op = c.cmd(Command::Logout);
    let outs = c.drain();
    assert!(outs.contains(&Output::Disconnect));
    assert_eq!(c.code(login), Some(codes::SDK_IS_NOT_READY));
    assert_eq!(c.code(op), Some(0));
    assert_eq!(c.core.poll_timeout(), None);
    // A late open of the abandoned socket is ignored.
    c.core.handle_connected(c.now);
    assert!(c.drain().is_empty());
}

#[test]
fn kicked_logs_out_without_reconnecting() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    c.login(&mut srv, "alice");
    c.socket = false;
    let m = c.text("bob", "C2C", "x");
    let send = c.cmd(Command::SendMessage(m));
    c.drain();
    c.socket = true;
    c.clear_log();
    let outs = c.frame(ServerFrame::Kicked {
        reason: "multipleAccount".into(),
    });
    let pos = |o: &Output| outs.iter().position(|x| x == o).expect("present");
    let kicked = pos(&Output::Event(Event::KickedOut("multipleAccount".into())));
    let not_ready = pos(&Output::Event(Event::SdkNotReady));
    let disconnect = pos(&Output::Disconnect);
    assert!(kicked < not_ready && not_ready < disconnect);
    assert_eq!(c.code(send), Some(codes::SDK_IS_NOT_READY));
    assert_eq!(c.core.user_id(), None);
    assert_eq!(c.core.poll_timeout(), None);
    c.advance(&mut srv, 120_000);
    assert!(
        !c.log.contains(&Output::Connect),
        "no reconnect after a kick"
    );
}

#[test]
fn created_ids_unique_within_a_millisecond_and_from_is_the_user() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    c.login(&mut srv, "alice");
    let a = c.text("bob", "C2C", "1");
    let b = c.text("bob", "C2C", "1");
    assert_ne!(a.id, b.id);
    assert_eq!(a.from, "alice");
    assert_eq!(a.conversation_id, cid(ConvType::C2c, "bob"));
    assert_eq!(a.time, c.now / 1000);
}

#[test]
fn server_error_without_id_becomes_error_event() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    c.login(&mut srv, "alice");
    let outs = c.frame(ServerFrame::Error {
        id: None,
        code: 60002,
        message: "bad frame".into(),
    });
    assert_eq!(
        outs,
        vec![Output::Event(Event::Error(SdkError::new(
            60002,
            "bad frame"
        )))]
    );
    assert_eq!(c.core.user_id(), Some("alice"), "still logged in");
}

#[test]
fn push_before_ready_is_announced_after_it_via_sync() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    let (op, id) = up_to_conversations(&mut c, "alice", 0);
    let (m, seqs) = srv.send_as("bob", ConvType::C2c, "alice", "early", 5);
    assert!(c
        .frame(ServerFrame::Push {
            sync_seq: seqs[1].1,
            message: m,
            change: tim_protocol::Change::New,
        })
        .is_empty());
    let outs = c.frame(ServerFrame::Ok {
        id,
        data: Reply::Conversations {
            groups: Vec::new(),
            conversations: srv.conversations("alice"),
            sync_seq: 1,
        },
    });
    let sent = transmits(&outs);
    assert_eq!(sent.len(), 2, "the catch-up and the group list: {sent:?}");
    assert_eq!(sent[1].req, Request::GroupList(Default::default()));
    let sync = sent[0].clone();
    assert_eq!(
        sync.req,
        Request::Sync(req::Sync {
            since: 0,
            limit: 100
        })
    );
    assert_eq!(c.code(op), Some(0));
    c.core
        .handle_frame(c.now, srv.handle("alice", sync.id, sync.req).0);
    c.drain();
    let ready = c
        .log
        .iter()
        .position(|o| *o == Output::Event(Event::SdkReady));
    let received = c
        .log
        .iter()
        .position(|o| matches!(o, Output::Event(Event::MessageReceived(_))));
    assert!(ready < received && ready.is_some());
    assert_eq!(
        c.totals(),
        vec![1],
        "counted once: by the server's list, not again by the sync"
    );
}
