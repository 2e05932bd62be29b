//! The calls 3.x engines (TUIKit) rely on: isReady, getLoginUser, getServerTime,
//! callExperimentalAPI, SDK_READY after login(), fresh conversations, the full
//! `lastMessage`, drafts, and a first login that fails fast on a wrong server URL.

use tim_protocol::{Change, ConvType, ServerFrame};

use super::harness::*;
use crate::core::*;
use tim_fake_server::FakeServer;

fn login_cmd(user: &str) -> Command {
    Command::Login {
        user_id: user.into(),
        user_sig: "sig".into(),
    }
}

/// Lets `ms` pass by hand (no fake server: a socket asked for never opens by itself).
fn wait(c: &mut Client, ms: u64) {
    let target = c.now + ms;
    while let Some(t) = c.core.poll_timeout().filter(|t| *t <= target) {
        c.now = c.now.max(t);
        c.core.handle_timeout(c.now);
        c.drain();
    }
    c.now = target;
}

fn error(c: &Client, op: OpId) -> Option<SdkError> {
    match c.result(op) {
        Some(Err(e)) => Some(e.clone()),
        _ => None,
    }
}

fn profile(c: &mut Client, id: &str) -> Result<ConversationView, u32> {
    let op = c.cmd(Command::GetConversationProfile {
        conversation_id: id.into(),
    });
    c.drain();
    match c.result(op) {
        Some(Ok(Response::Conversation { conversation })) => Ok(*conversation.clone()),
        Some(Err(e)) => Err(e.code),
        other => panic!("getConversationProfile: {other:?}"),
    }
}

#[test]
fn sdk_ready_comes_after_every_login_resolution_in_a_later_task() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    let first = c.cmd(login_cmd("alice"));
    let second = c.cmd(login_cmd("alice")); // while logging in
    c.run(&mut srv);
    let at = |o: &dyn Fn(&Output) -> bool| c.log.iter().position(o).expect("present");
    let resolved = |op: OpId| move |o: &Output| matches!(o, Output::Complete { op: x, result: Ok(_), .. } if *x == op);
    let yielded = at(&|o| *o == Output::Yield);
    let ready_at = at(&|o| *o == Output::Event(Event::SdkReady));
    assert!(at(&resolved(first)) < yielded && at(&resolved(second)) < yielded);
    assert_eq!(
        ready_at,
        yielded + 1,
        "SDK_READY is the first thing after the yield"
    );
    assert_eq!(c.log.iter().filter(|o| **o == Output::Yield).count(), 1);
    // A reconnect re-logs in without SDK_READY, so without a yield either.
    c.clear_log();
    c.drop_socket(&mut srv);
    c.advance(&mut srv, 60_000);
    assert!(c.core.is_ready());
    assert!(!c.log.contains(&Output::Yield));
    assert!(!c.log.contains(&Output::Event(Event::SdkReady)));
}

#[test]
fn is_ready_and_login_user_follow_the_session() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    assert!(!c.core.is_ready());
    assert_eq!(c.core.user_id(), None);
    c.cmd(login_cmd("alice"));
    c.drain();
    assert!(!c.core.is_ready(), "logging in is not ready");
    assert_eq!(c.core.user_id(), Some("alice"));
    c.run(&mut srv);
    assert!(c.core.is_ready());
    c.drop_socket(&mut srv);
    assert!(
        c.core.is_ready(),
        "a lost connection keeps the session ready"
    );
    c.advance(&mut srv, 60_000);
    c.cmd(Command::Logout);
    c.drain();
    assert!(!c.core.is_ready());
    assert_eq!(c.core.user_id(), None);
    c.login(&mut srv, "bob");
    assert!(c.core.is_ready());
    c.frame(ServerFrame::Kicked {
        reason: "multipleAccount".into(),
    });
    assert!(!c.core.is_ready());
    assert_eq!(c.core.user_id(), None);
}

#[test]
fn server_time_comes_from_the_login_reply_and_pongs() {
    let mut srv = FakeServer::new();
    let mut c = Client::new(cfg());
    assert_eq!(
        c.core.server_time(c.now),
        c.now / 1000,
        "local clock before login"
    );
    let local = c.now / 1000;
    srv.time = local + 3_600; // the server is an hour ahead
    c.login(&mut srv, "alice");
    let t = c.core.server_time(c.now);
    assert!((local + 3_600..=local + 3_601).contains(&t), "{t}");
    // Pongs refresh it: the server's clock jumped back meanwhile.
    srv.time = local + 10;
    c.advance(&mut srv, cfg().heartbeat_interval_ms);
    let later = c.now / 1000;
    let t = c.core.server_time(c.now);
    assert!(
        (local + 10..=local + 11).contains(&t),
        "{t} (local {later})"
    );
    // Kept after logout: the clocks did not change.
    c.cmd(Command::Logout);
    c.drain();
    assert!((local + 10..=local + 11).contains(&c.core.server_time(c.now)));
}

#[test]
fn experimental_api_answers_abilities_and_refuses_unknown_names() {
    let enabled = |mask: u64| match experimental("isCommercialAbilityEnabled", Some(mask)) {
        Ok(Response::Enabled { enabled }) => enabled,
        other => panic!("{other:?}"),
    };
    assert!(enabled(1 << 9), "conversation marks");
    assert!(
        enabled((1 << 9) | (1 << 10)),
        "marks and conversation groups"
    );
    assert!(enabled(0), "nothing asked");
    assert!(!enabled(1 << 48), "reactions are not implemented");
    assert!(!enabled((1 << 9) | (1 << 7)), "user status is not");
    let refused = |name: &str, param| experimental(name, param).map_err(|e| e.code);
    assert_eq!(
        refused("isCommercialAbilityEnabled", None),
        Err(codes::INVALID_OPERATION)
    );
    assert_eq!(refused("noSuchAPI", Some(1)), Err(codes::INVALID_OPERATION));
    assert_eq!(refused("", None), Err(codes::INVALID_OPERATION));
    assert_eq!(refused("statTUIKeyFeatures", None), Ok(Response::Empty {}));
}

#[test]
fn conversations_without_messages_have_fresh_profiles_and_nothing_to_read() {
    let (mut srv, mut c) = ready("alice");
    let bob = profile(&mut c, "C2Cbob").expect("a fresh conversation");
    assert_eq!(
        (bob.conv_type.as_str(), bob.unread_count, &bob.last_message),
        ("C2C", 0, &None)
    );
    assert_eq!(
        bob.user_profile.as_ref().map(|p| p.user_id.as_str()),
        Some("bob")
    );
    assert!(bob.group_profile.is_none());
    let group = profile(&mut c, "GROUPnever").expect("a group not in the list");
    assert_eq!(group.conv_type, "GROUP");
    assert_eq!(
        group.group_profile.and_then(|g| g.get("groupID").cloned()),
        Some(Val::Str("never".into()))
    );
    for bad in ["bob", "C2C", "GROUP", "X"] {
        assert_eq!(
            profile(&mut c, bad),
            Err(codes::INVALID_CONVERSATION_ID),
            "{bad}"
        );
    }
    assert!(c.conversation_list().is_empty(), "asking lists nothing");
    assert!(c.events().is_empty());
    let op = c.cmd(Command::SetMessageRead {
        conversation_id: "C2Cbob".into(),
    });
    let outs = c.drain();
    assert_eq!(c.result(op), Some(&Ok(Response::Empty {})));
    assert!(transmits(&outs).is_empty(), "nothing to tell the server");
    // Once bob writes, the profile is the real one.
    let (m, seqs) = srv.send_as("bob", ConvType::C2c, "alice", "b1", 5);
    c.push(
        &mut srv,
        ServerFrame::Push {
            sync_seq: seqs[1].1,
            message: m,
            change: Change::New,
        },
    );
    let bob = profile(&mut c, "C2Cbob").expect("listed");
    assert_eq!(bob.unread_count, 1);
    assert!(bob.last_message.is_some());
}

#[test]
fn last_message_has_every_field_and_is_never_absent() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "hi");
    let op = c.cmd(Command::SendMessage(m));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let list = c.conversation_list();
    let last = list[0].last_message.clone().expect("last message");
    assert_eq!(
        (
            last.from_account.as_str(),
            last.nick.as_str(),
            last.name_card.as_str()
        ),
        ("alice", "", "")
    );
    assert_eq!(last.payload.and_then(|p| p.text), Some("hi".into()));
    assert!(!last.is_peer_read && !last.online_only_flag && last.revoker.is_none());
    assert_eq!(list[0].draft_text, "");
    // An empty conversation's lastMessage shows as tim-js-sdk's empty one (the browser
    // test checks the JS shape).
    let empty = LastMessageView::default();
    assert_eq!((empty.msg_type.as_str(), &empty.payload), ("", &None));
}

#[test]
fn drafts_are_local_to_listed_conversations() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "hi");
    c.cmd(Command::SendMessage(m));
    c.run(&mut srv);
    c.clear_log();
    let op = c.cmd(Command::SetConversationDraft {
        conversation_id: "C2Cbob".into(),
        draft_text: "typing…".into(),
    });
    let outs = c.drain();
    assert!(transmits(&outs).is_empty(), "drafts stay on this instance");
    match c.result(op) {
        Some(Ok(Response::Conversation { conversation })) => {
            assert_eq!(conversation.draft_text, "typing…")
        }
        other => panic!("{other:?}"),
    }
    let listed = c.last_list().expect("CONVERSATION_LIST_UPDATED");
    assert_eq!(listed[0].draft_text, "typing…");
    let op = c.cmd(Command::SetConversationDraft {
        conversation_id: "C2Cnobody".into(),
        draft_text: "x".into(),
    });
    c.drain();
    assert_eq!(c.code(op), Some(codes::CONVERSATION_NOT_FOUND));
}

#[test]
fn first_login_fails_fast_when_the_socket_never_opens() {
    let mut c = Client::new(cfg());
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    wait(&mut c, cfg().connect_timeout_ms - 1);
    assert_eq!(c.result(op), None);
    wait(&mut c, 1);
    assert_eq!(
        error(&c, op),
        Some(SdkError::new(
            codes::NETWORK_TIMEOUT,
            "could not connect to ws://srv:1/ws"
        ))
    );
    assert!(
        c.log.contains(&Output::Disconnect),
        "the pending socket is closed"
    );
    assert_eq!(c.core.user_id(), None);
    assert_eq!(c.core.poll_timeout(), None);
}

#[test]
fn first_login_fails_fast_when_the_server_does_not_answer_it() {
    let mut c = Client::new(cfg());
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    wait(&mut c, 1_000);
    c.connected(); // e.g. a dev server that accepts WebSockets but is not tim-server
    wait(&mut c, cfg().connect_timeout_ms - 1);
    assert_eq!(c.result(op), None);
    wait(&mut c, 1);
    assert_eq!(
        error(&c, op),
        Some(SdkError::new(
            codes::NETWORK_TIMEOUT,
            "no answer from ws://srv:1/ws"
        ))
    );
    assert_eq!(c.core.poll_timeout(), None);
    // Usable again: the next login against a real server works.
    let mut srv = FakeServer::new();
    c.login(&mut srv, "alice");
    assert!(c.core.is_ready());
}

#[test]
fn refused_and_lost_connections_name_the_url() {
    let mut c = Client::new(cfg());
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    c.core.handle_disconnected(c.now);
    c.drain();
    assert_eq!(
        error(&c, op),
        Some(SdkError::new(
            codes::NETWORK_ERROR,
            "could not connect to ws://srv:1/ws"
        ))
    );
    let op = c.cmd(login_cmd("alice"));
    c.drain();
    c.connected();
    c.core.handle_disconnected(c.now);
    c.drain();
    assert_eq!(
        error(&c, op),
        Some(SdkError::new(
            codes::NETWORK_ERROR,
            "connection lost during login to ws://srv:1/ws"
        ))
    );
}

#[test]
fn with_a_persistent_cache_login_connects_once_it_is_loaded() {
    let mut c = Client::new(Config {
        persistent_cache: true,
        ..cfg()
    });
    let op = c.cmd(login_cmd("alice"));
    let outs = c.drain();
    let open = Output::OpenCache {
        user_id: "alice".into(),
    };
    assert!(outs.contains(&open), "{outs:?}");
    assert!(!outs.contains(&Output::Connect), "the connection waits");
    // The cache opens slowly: no connect timeout runs meanwhile.
    assert_eq!(c.core.poll_timeout(), None);
    c.now += 10 * cfg().connect_timeout_ms;
    c.core.handle_cache_opened(c.now, "bob", None);
    assert!(
        !c.drain().contains(&Output::Connect),
        "another user's cache"
    );
    let held = cache::Snapshot {
        conversations: vec![],
        cursor: 9,
        ..Default::default()
    };
    c.core.handle_cache_opened(c.now, "alice", Some(held));
    assert!(c.drain().contains(&Output::Connect));
    c.core.handle_cache_opened(c.now, "alice", None);
    assert!(!c.drain().contains(&Output::Connect), "answered once");
    // The connect timeout runs from when the socket was asked for.
    wait(&mut c, cfg().connect_timeout_ms - 1);
    assert_eq!(c.result(op), None);
    wait(&mut c, 1);
    assert_eq!(c.code(op), Some(codes::NETWORK_TIMEOUT));
}

#[test]
fn reconnects_after_sdk_ready_keep_the_long_timeouts() {
    let (_srv, mut c) = ready("alice");
    c.core.handle_disconnected(c.now);
    c.drain();
    // The reconnect attempt starts and its socket never opens.
    c.now = c.core.poll_timeout().expect("reconnect timer");
    c.core.handle_timeout(c.now);
    c.drain();
    assert!(c.log.contains(&Output::Connect));
    let deadline = c.core.poll_timeout().expect("connect deadline");
    assert!(
        deadline > c.now + cfg().connect_timeout_ms,
        "not the first-login bound"
    );
    assert!(c.core.is_ready());
    // A re-login answered late is not cut at connect_timeout_ms either.
    c.connected();
    wait(&mut c, cfg().connect_timeout_ms + 1);
    assert!(c.core.is_ready());
    assert!(!c.log.iter().any(|o| matches!(o, Output::Complete { .. })));
}

#[test]
fn my_profile_is_the_logged_in_user_with_tim_js_sdk_defaults() {
    let mut c = Client::new(cfg());
    let op = c.cmd(Command::GetMyProfile);
    c.drain();
    assert!(
        matches!(c.result(op), Some(Err(e)) if e.code == codes::SDK_IS_NOT_READY),
        "before login"
    );
    let (_srv, mut c) = ready("alice");
    let op = c.cmd(Command::GetMyProfile);
    c.drain();
    match c.result(op) {
        Some(Ok(Response::Profile(p))) => {
            assert_eq!(**p, ProfileView::new("alice".into()));
            assert_eq!(
                (p.gender.as_str(), p.allow_type.as_str()),
                ("Gender_Type_Unknown", "AllowType_Type_NeedConfirm")
            );
        }
        other => panic!("getMyProfile: {other:?}"),
    }
}

#[test]
fn no_optional_module_is_claimed_before_it_exists() {
    for module in [
        "group-module",
        "relationship-module",
        "signaling-module",
        "",
    ] {
        assert!(!can_i_use_module(module), "{module}");
    }
}
