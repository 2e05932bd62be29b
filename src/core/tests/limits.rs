//! Issue 12: what the server would refuse as too long, too large or malformed is refused here
//! at once, never queued, put on the wire or resent after a reconnect; options of megabytes
//! are rejected with the SDK's parameter codes and the instance goes on.

use tim_protocol::{codes as server_codes, ClientFrame, ConvGroupAction, Request, ServerFrame};

use super::harness::*;
use crate::core::cache::OutboxEntry;
use crate::core::*;

fn sends(outs: &[Output]) -> usize {
    transmits(outs)
        .iter()
        .filter(|f| matches!(f.req, Request::Send(_)))
        .count()
}

/// Alice's next message reaches bob right after `before`, her only ones there (nothing
/// refused got through), and her connection never dropped.
fn follow_up_after(c: &mut Client, srv: &mut tim_fake_server::FakeServer, before: &[&str]) {
    let m = c.text("bob", "C2C", "after");
    let op = c.cmd(Command::SendMessage(m.clone()));
    c.run(srv);
    assert_eq!(c.code(op), Some(0), "the instance goes on");
    let to_bob: Vec<String> = srv
        .messages("bob", "C2Calice")
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let mut want: Vec<String> = before.iter().map(|s| s.to_string()).collect();
    want.push(m.id);
    assert_eq!(to_bob, want);
    assert!(
        !c.log.iter().any(|o| matches!(o, Output::Disconnect)),
        "never reconnected"
    );
}

fn follow_up_arrives(c: &mut Client, srv: &mut tim_fake_server::FakeServer) {
    follow_up_after(c, srv, &[]);
}

#[test]
fn a_text_over_12_kb_fails_at_once_and_is_never_queued() {
    let (mut srv, mut c) = ready("alice");
    for online in [true, false] {
        c.net_up = online;
        if !online {
            c.drop_socket(&mut srv);
        }
        let m = c.text("bob", "C2C", &"x".repeat(200 * 1024));
        let op = c.cmd(Command::SendMessage(m.clone()));
        let outs = c.drain();
        assert_eq!(c.code(op), Some(server_codes::MESSAGE_TOO_LONG));
        assert_eq!(
            c.shown(op),
            Some(&Shown::Status(MessageStatus::Fail)),
            "the message shows `fail`"
        );
        assert_eq!(sends(&outs), 0);
        assert!(take(&mut c.core).outbox_put.is_empty(), "not in the outbox");
        assert!(c
            .core
            .find_message(&m.id)
            .is_none_or(|v| v.status == MessageStatus::Fail));
    }
    c.net_up = true;
    c.advance(&mut srv, 60_000);
    c.clear_log();
    follow_up_arrives(&mut c, &mut srv);
}

#[test]
fn a_send_whose_frame_exceeds_the_limit_is_refused_before_queueing() {
    let (mut srv, mut c) = ready("alice");
    // 12 KiB of control characters: within the content limit, six times that as JSON.
    let m = c.text("bob", "C2C", &"\u{1}".repeat(12 * 1024));
    let op = c.cmd(Command::SendMessage(m));
    let outs = c.drain();
    assert_eq!(c.code(op), Some(server_codes::FRAME_TOO_LARGE));
    assert_eq!(c.shown(op), Some(&Shown::Status(MessageStatus::Fail)));
    assert_eq!(sends(&outs), 0);
    assert!(take(&mut c.core).outbox_put.is_empty());
    follow_up_arrives(&mut c, &mut srv);
}

#[test]
fn a_cached_entry_the_server_cannot_take_leaves_the_outbox_unsent() {
    let mut srv = tim_fake_server::FakeServer::new();
    let mut c = Client::new(cfg());
    c.login(&mut srv, "alice");
    let entry = |pos: u64, c: &mut Client, text: &str| {
        let view = c.text("bob", "C2C", "small");
        let mut message = crate::core::create::outbound_of(&view, "alice", None).unwrap();
        message.content = tim_protocol::Content::Text { text: text.into() };
        OutboxEntry {
            pos,
            conversation_id: "C2Cbob".into(),
            message,
        }
    };
    // As an older SDK left them: a poison entry, then a good one.
    let poison = entry(1, &mut c, &"x".repeat(2 << 20));
    let good = entry(2, &mut c, "good");
    c.clear_log();
    take(&mut c.core);
    c.core
        .load_outbox(c.now, vec![poison.clone(), good.clone()]);
    c.run(&mut srv);
    assert_eq!(sends(&c.log), 1, "only the good entry is sent");
    let written = take(&mut c.core);
    let mut removed = written.outbox_remove;
    removed.sort_unstable();
    assert_eq!(
        removed,
        vec![1, 2],
        "both leave the outbox: one refused, one sent"
    );
    follow_up_after(&mut c, &mut srv, &[&good.message.id]);
}

#[test]
fn a_send_the_server_refuses_is_not_resent_after_a_reconnect() {
    let (mut srv, mut c) = ready("alice");
    let m = c.text("bob", "C2C", "refused");
    let op = c.cmd(Command::SendMessage(m));
    let outs = c.drain();
    let ClientFrame { id, .. } = only_transmit(&outs);
    c.frame(ServerFrame::Error {
        id: Some(id),
        code: server_codes::FRAME_MALFORMED,
        message: "malformed".into(),
    });
    assert_eq!(c.code(op), Some(server_codes::FRAME_MALFORMED));
    assert_eq!(
        take(&mut c.core).outbox_remove.len(),
        1,
        "it left the outbox"
    );
    c.clear_log();
    c.drop_socket(&mut srv);
    c.advance(&mut srv, 60_000);
    assert_eq!(sends(&c.log), 0, "not resent after the reconnect");
}

/// `'C2C' + 10 MiB`: the option sizes of issue 12.
fn huge_conversation() -> String {
    format!("C2C{}", "x".repeat(10 << 20))
}

#[test]
fn megabyte_options_are_rejected_at_once_and_nothing_is_sent() {
    let (mut srv, mut c) = ready("alice");
    let huge = huge_conversation();
    let long_peer = format!("C2C{}", "x".repeat(65));
    let settings = |id: &str| SettingsChange {
        conversation_ids: vec![id.to_owned()],
        clear_history: true,
        ..SettingsChange::default()
    };
    let group = |action, name: &str, ids: Vec<String>| Command::ConversationGroup {
        action,
        name: name.to_owned(),
        new_name: String::new(),
        conversation_ids: ids,
    };
    let history = |id: &str| Command::GetMessageList {
        conversation_id: id.to_owned(),
        next_req_message_id: None,
        count: None,
    };
    let huge_name = "n".repeat(10 << 20);
    let cases = [
        (history(&huge), codes::INVALID_CONVERSATION_ID),
        (history(&long_peer), codes::INVALID_CONVERSATION_ID),
        (
            Command::SetConversationSettings(settings(&huge)),
            codes::INVALID_CONVERSATION_ID,
        ),
        (
            group(ConvGroupAction::Delete, &huge_name, Vec::new()),
            server_codes::CONV_GROUP_NAME_INVALID,
        ),
        (
            group(ConvGroupAction::Remove, &huge_name, vec!["C2Cbob".into()]),
            server_codes::CONV_GROUP_NAME_INVALID,
        ),
        (
            group(ConvGroupAction::Remove, "g", vec![huge.clone()]),
            codes::INVALID_CONVERSATION_ID, // reported in `failure`
        ),
        (
            Command::SetConversationSettings(SettingsChange {
                custom_data: Some("d".repeat(10 << 20)),
                per_conversation: true,
                ..settings("C2Cbob")
            }),
            server_codes::INVALID_REQUEST,
        ),
    ];
    for (i, (command, code)) in cases.into_iter().enumerate() {
        let op = c.cmd(command);
        let outs = c.drain();
        let code_seen = match c.result(op) {
            Some(Err(e)) => Some(e.code),
            // Per-conversation calls report a refused ID in `failure`.
            Some(Ok(Response::ConversationResults { success, failure })) if success.is_empty() => {
                failure.first().map(|f| f.code)
            }
            other => panic!("case {i}: {other:?}"),
        };
        assert_eq!(code_seen, Some(code), "case {i}");
        assert!(transmits(&outs).is_empty(), "case {i}: nothing sent");
    }
    follow_up_arrives(&mut c, &mut srv);
}

#[test]
fn a_request_over_the_frame_limit_fails_its_call_at_once() {
    let (mut srv, mut c) = ready("alice");
    // Ten texts of 10 KiB: each within the content limit, together over the frame limit.
    let messages: Vec<MessageView> = (0..10)
        .map(|_| c.text("bob", "C2C", &"x".repeat(10 * 1024)))
        .collect();
    let op = c.cmd(Command::ImportMessageList {
        conversation_id: "C2Cbob".into(),
        messages,
    });
    let outs = c.drain();
    assert_eq!(c.code(op), Some(server_codes::FRAME_TOO_LARGE));
    assert!(transmits(&outs).is_empty());
    follow_up_arrives(&mut c, &mut srv);
}

#[test]
fn a_login_the_server_cannot_take_fails_at_once() {
    let mut srv = tim_fake_server::FakeServer::new();
    let mut c = Client::new(cfg());
    let login = |user_id: String, user_sig: String| Command::Login { user_id, user_sig };
    let long_id = c.cmd(login("x".repeat(65), "sig".into()));
    let huge_sig = c.cmd(login("alice".into(), "s".repeat(2 << 20)));
    c.drain();
    assert_eq!(c.code(long_id), Some(server_codes::INVALID_REQUEST));
    assert_eq!(c.code(huge_sig), Some(server_codes::FRAME_TOO_LARGE));
    assert!(
        !c.log.iter().any(|o| matches!(o, Output::Connect)),
        "never connects"
    );
    let op = c.login(&mut srv, "alice");
    assert_eq!(c.code(op), Some(0), "the instance goes on");
}
