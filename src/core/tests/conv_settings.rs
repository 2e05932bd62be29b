//! A user's own conversation settings and groups: markConversation, setConversationCustomData,
//! setMessageRemindType, clearHistoryMessage, the conversation-group calls and their events,
//! and their state after a re-login (the server's list).

use tim_protocol::{Change, ConvGroupAction, ConvSettings, ConvType, ServerFrame};

use super::harness::*;
use crate::core::*;
use tim_fake_server::FakeServer;

pub(super) fn incoming(srv: &mut FakeServer, c: &mut Client, from: &str, id: &str) {
    let (m, seqs) = srv.send_as(from, ConvType::C2c, &c.user.clone(), id, 5);
    let sync_seq = seqs
        .iter()
        .find(|(u, _)| *u == c.user)
        .expect("delivered")
        .1;
    let push = ServerFrame::Push {
        sync_seq,
        message: m,
        change: Change::New,
    };
    c.push(srv, push);
}

fn change(ids: &[&str]) -> SettingsChange {
    SettingsChange {
        conversation_ids: ids.iter().map(|s| s.to_string()).collect(),
        per_conversation: true,
        ..SettingsChange::default()
    }
}

fn conv<'a>(list: &'a [ConversationView], id: &str) -> &'a ConversationView {
    list.iter()
        .find(|c| c.conversation_id == id)
        .expect("listed")
}

fn group_cmd(action: ConvGroupAction, name: &str, new_name: &str, ids: &[&str]) -> Command {
    Command::ConversationGroup {
        action,
        name: name.into(),
        new_name: new_name.into(),
        conversation_ids: ids.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn mark_and_custom_data_report_per_conversation_and_show_in_the_list() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    c.clear_log();
    let op = c.cmd(Command::SetConversationSettings(SettingsChange {
        mark_set: 1 | 8,
        custom_data: Some("x".into()),
        ..change(&["C2Cbob", "C2Cnobody", "bad", "C2Cbob"])
    }));
    c.run(&mut srv);
    let Some(Ok(Response::ConversationResults { success, failure })) = c.result(op) else {
        panic!("{:?}", c.result(op));
    };
    assert_eq!(success, &["C2Cbob"]);
    let codes_of: Vec<(&str, u32)> = failure
        .iter()
        .map(|f| (f.conversation_id.as_str(), f.code))
        .collect();
    assert_eq!(
        codes_of,
        [
            ("C2Cnobody", codes::CONVERSATION_NOT_FOUND),
            ("bad", codes::INVALID_CONVERSATION_ID)
        ]
    );
    let list = c.last_list().expect("CONVERSATION_LIST_UPDATED");
    assert_eq!(
        (
            conv(&list, "C2Cbob").mark_list.as_slice(),
            conv(&list, "C2Cbob").custom_data.as_str()
        ),
        (&[1, 8][..], "x")
    );
    // Clearing one mark keeps the other; the server has it for the next login.
    let op = c.cmd(Command::SetConversationSettings(SettingsChange {
        mark_clear: 8,
        ..change(&["C2Cbob"])
    }));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let mut other = Client::new(cfg());
    other.login(&mut srv, "alice");
    let list = other.conversation_list();
    assert_eq!(conv(&list, "C2Cbob").mark_list, [1]);
    assert_eq!(conv(&list, "C2Cbob").custom_data, "x");
    // Nothing valid: resolved with the failures only, nothing sent.
    let op = c.cmd(Command::SetConversationSettings(change(&["C2Cnobody"])));
    let outs = c.drain();
    assert!(transmits(&outs).is_empty());
    assert!(
        matches!(c.result(op), Some(Ok(Response::ConversationResults { success, .. })) if success.is_empty())
    );
}

#[test]
fn remind_types_change_what_counts_as_unread() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "carol", "c1");
    assert_eq!(c.core.total_unread(), 2);
    let remind = |r: &str, id: &str| {
        Command::SetConversationSettings(SettingsChange {
            remind: Some(r.into()),
            per_conversation: false,
            ..change(&[id])
        })
    };
    let op = c.cmd(remind("AcceptNotNotify", "C2Cbob"));
    c.run(&mut srv);
    assert!(matches!(c.result(op), Some(Ok(Response::Empty {}))));
    let list = c.conversation_list();
    assert_eq!(conv(&list, "C2Cbob").message_remind_type, "AcceptNotNotify");
    assert_eq!(
        conv(&list, "C2Cbob").unread_count,
        1,
        "still counted in the conversation"
    );
    assert_eq!(c.core.total_unread(), 1, "but not in the total");
    assert_eq!(c.totals().last(), Some(&1));
    let op = c.cmd(remind("Discard", "C2Ccarol"));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let list = c.conversation_list();
    assert_eq!(conv(&list, "C2Ccarol").unread_count, 0);
    // setMessageRemindType does not need a listed conversation, but a valid ID.
    let op = c.cmd(remind("AcceptNotNotify", "C2Cnew"));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    assert!(c
        .conversation_list()
        .iter()
        .all(|v| v.conversation_id != "C2Cnew"));
    // ...and the conversation keeps it when its first message arrives.
    incoming(&mut srv, &mut c, "new", "n1");
    let list = c.conversation_list();
    assert_eq!(conv(&list, "C2Cnew").message_remind_type, "AcceptNotNotify");
    assert_eq!(conv(&list, "C2Cnew").unread_count, 1);
    let op = c.cmd(remind("Discard", "nope"));
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_CONVERSATION_ID));
}

#[test]
fn clear_history_drops_messages_and_unread_and_keeps_the_conversation() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "bob", "b2");
    let op = c.cmd(Command::SetConversationSettings(SettingsChange {
        clear_history: true,
        per_conversation: false,
        ..change(&["C2Cbob"])
    }));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let list = c.conversation_list();
    let bob = conv(&list, "C2Cbob");
    assert_eq!((bob.unread_count, bob.last_message.is_none()), (0, true));
    assert!(c.core.find_message("b1").is_none());
    let op = c.cmd(Command::GetMessageList {
        conversation_id: "C2Cbob".into(),
        next_req_message_id: None,
        count: None,
    });
    c.run(&mut srv);
    assert!(
        matches!(c.result(op), Some(Ok(Response::MessageList { message_list, .. })) if message_list.is_empty())
    );
    // Another instance learns it from the server's push.
    let (mut srv2, mut other) = (FakeServer::new(), Client::new(cfg()));
    other.login(&mut srv2, "alice");
    incoming(&mut srv2, &mut other, "bob", "b1");
    let settings = ConvSettings {
        cleared_seq: 1,
        ..ConvSettings::default()
    };
    other.push(
        &mut srv2,
        ServerFrame::ConversationSettings {
            conversation_id: "C2Cbob".into(),
            settings,
        },
    );
    let list = other.conversation_list();
    assert_eq!(conv(&list, "C2Cbob").unread_count, 0);
    assert!(other.core.find_message("b1").is_none());
}

#[test]
fn conversation_groups_emit_their_events_and_survive_a_relogin() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "b1");
    incoming(&mut srv, &mut c, "carol", "c1");
    c.clear_log();
    let op = c.cmd(group_cmd(
        ConvGroupAction::Create,
        "work",
        "",
        &["C2Cbob", "C2Cnobody"],
    ));
    c.run(&mut srv);
    assert!(
        matches!(c.result(op), Some(Ok(Response::ConversationResults { success, failure })) if success == &["C2Cbob"] && failure.len() == 1)
    );
    let names: Vec<&Event> = c
        .events()
        .into_iter()
        .filter(|e| matches!(e, Event::ConversationGroupListUpdated(_)))
        .collect();
    assert_eq!(
        names,
        [&Event::ConversationGroupListUpdated(vec!["work".into()])]
    );
    let list = c.last_list().expect("list");
    assert_eq!(conv(&list, "C2Cbob").conversation_group_list, ["work"]);
    assert!(conv(&list, "C2Ccarol").conversation_group_list.is_empty());

    c.clear_log();
    let op = c.cmd(group_cmd(ConvGroupAction::Add, "work", "", &["C2Ccarol"]));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    let in_group: Vec<&Event> = c.events();
    let moved = in_group
        .iter()
        .find_map(|e| match e {
            Event::ConversationInGroupUpdated(v) => Some(v),
            _ => None,
        })
        .expect("CONVERSATION_IN_GROUP_UPDATED");
    assert_eq!(moved.group_name, "work");
    let mut ids: Vec<&str> = moved
        .conversation_list
        .iter()
        .map(|v| v.conversation_id.as_str())
        .collect();
    ids.sort();
    assert_eq!(ids, ["C2Cbob", "C2Ccarol"]);
    assert!(!in_group
        .iter()
        .any(|e| matches!(e, Event::ConversationGroupListUpdated(_))));

    let op = c.cmd(group_cmd(ConvGroupAction::Rename, "work", "job", &[]));
    c.run(&mut srv);
    assert!(matches!(c.result(op), Some(Ok(Response::Empty {}))));
    let op = c.cmd(Command::GetConversationGroupList);
    c.drain();
    assert!(matches!(c.result(op), Some(Ok(Response::Names(n))) if n == &["job"]));
    let op = c.cmd(group_cmd(ConvGroupAction::Delete, "nope", "", &[]));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(tim_protocol::codes::CONV_GROUP_NOT_FOUND));
    let op = c.cmd(group_cmd(ConvGroupAction::Create, "empty", "", &[]));
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));

    // Another login gets them from the list.
    let mut other = Client::new(cfg());
    other.login(&mut srv, "alice");
    let list = other.conversation_list();
    assert_eq!(conv(&list, "C2Ccarol").conversation_group_list, ["job"]);
    let op = other.cmd(Command::GetConversationGroupList);
    other.drain();
    assert!(matches!(other.result(op), Some(Ok(Response::Names(n))) if n == &["job"]));
    // A push from another instance: deleted.
    other.clear_log();
    other.push(&mut srv, ServerFrame::ConvGroups { groups: vec![] });
    assert!(other
        .events()
        .contains(&&Event::ConversationGroupListUpdated(vec![])));
    assert!(conv(&other.conversation_list(), "C2Ccarol")
        .conversation_group_list
        .is_empty());
}

pub(super) const SYSTEM: &str = tim_protocol::SYSTEM_CONVERSATION_ID;

/// A group system notice for alice, as the server pushes it.
pub(super) fn system_notice(sync_seq: u64) -> ServerFrame {
    use tim_protocol::{Content, Message};
    let content = Content::GroupSystemNotice {
        operator_id: "boss".into(),
        operation_type: 7,
        group_id: "team".into(),
        group_name: "Team".into(),
    };
    let notice = Message::system_notice("alice", 1, 1_000, content);
    ServerFrame::Push {
        sync_seq,
        message: notice,
        change: Change::New,
    }
}

#[test]
fn group_system_notices_land_in_the_system_conversation_with_their_event() {
    let (mut srv, mut c) = ready("alice");
    c.push(&mut srv, system_notice(1));
    let events = c.events();
    let received = events
        .iter()
        .position(|e| matches!(e, Event::MessageReceived(_)))
        .expect("MESSAGE_RECEIVED");
    let Some((at, Event::GroupSystemNoticeReceived(m))) = events
        .iter()
        .enumerate()
        .find(|(_, e)| matches!(e, Event::GroupSystemNoticeReceived(_)))
    else {
        panic!("no GROUP_SYSTEM_NOTICE_RECEIVED: {events:?}");
    };
    assert!(at > received, "after MESSAGE_RECEIVED");
    assert_eq!(
        (
            m.msg_type.as_str(),
            m.conversation_type.as_str(),
            m.flow.as_str()
        ),
        ("TIMGroupSystemNoticeElem", SYSTEM, "in")
    );
    assert_eq!(m.payload.operation_type, Some(7));
    assert_eq!(
        m.payload.group_profile.as_ref().map(|g| g.name.as_str()),
        Some("Team")
    );
    let list = c.conversation_list();
    let system = conv(&list, SYSTEM);
    assert_eq!(
        (system.conv_type.as_str(), system.unread_count),
        (SYSTEM, 1)
    );
    assert!(system.group_profile.is_none() && system.user_profile.is_none());
    // Nobody sends to it.
    let made = c.core.create_message(
        MessageKind::Text,
        CreateMessageOptions {
            to: Some("x".into()),
            conversation_type: Some(SYSTEM.into()),
            payload: Some(Payload {
                text: Some("hi".into()),
                ..Payload::default()
            }),
            ..CreateMessageOptions::default()
        },
        0,
    );
    assert_eq!(
        made.map_err(|e| e.code),
        Err(codes::MESSAGE_SEND_INVALID_CONVERSATION_TYPE)
    );
}

#[test]
fn the_conversation_list_comes_in_pages_of_at_most_100() {
    let (mut srv, mut c) = ready("alice");
    for i in 0..105 {
        srv.time += 1;
        incoming(&mut srv, &mut c, &format!("u{i:03}"), &format!("m{i}"));
    }
    let page = |c: &mut Client, cmd: Command| {
        let op = c.cmd(cmd);
        c.drain();
        match c.result(op) {
            Some(Ok(Response::ConversationList {
                conversation_list,
                next_seq,
                is_finished,
                is_sync_completed,
            })) => {
                assert!(is_sync_completed);
                let ids: Vec<String> = conversation_list
                    .iter()
                    .map(|v| v.conversation_id.clone())
                    .collect();
                (ids, *next_seq, *is_finished)
            }
            other => panic!("{other:?}"),
        }
    };
    let (first, next, done) = page(&mut c, Command::GetConversationList);
    assert_eq!((first.len(), next, done), (100, 100, false));
    assert_eq!(first[0], "C2Cu104", "newest first");
    let (rest, next, done) = page(
        &mut c,
        Command::GetConversationPage {
            next_seq: 100,
            count: 50,
        },
    );
    assert_eq!((rest.len(), next, done), (5, 105, true));
    assert_eq!(rest[4], "C2Cu000");
    let (small, next, done) = page(
        &mut c,
        Command::GetConversationPage {
            next_seq: 0,
            count: 2,
        },
    );
    assert_eq!(
        (small, next, done),
        (vec!["C2Cu104".into(), "C2Cu103".into()], 2, false)
    );
    let (past, next, done) = page(
        &mut c,
        Command::GetConversationPage {
            next_seq: 999,
            count: 0,
        },
    );
    assert_eq!((past.len(), next, done), (0, 105, true));
}

pub(super) fn listed_ids(c: &Client, op: OpId) -> Vec<String> {
    match c.result(op) {
        Some(Ok(Response::MessageList { message_list, .. })) => {
            message_list.iter().map(|m| m.id.clone()).collect()
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hopping_and_locator_lookup() {
    let (mut srv, mut c) = ready("alice");
    for i in 1..=5 {
        incoming(&mut srv, &mut c, "bob", &format!("b{i}"));
    }
    let hop = |sequence, time, newer| Command::GetMessageListHopping {
        conversation_id: "C2Cbob".into(),
        sequence,
        time,
        count: Some(2),
        newer,
    };
    let op = c.cmd(hop(Some(3), None, false));
    c.run(&mut srv);
    assert_eq!(listed_ids(&c, op), ["b2", "b3"]);
    let op = c.cmd(hop(Some(4), None, true));
    c.run(&mut srv);
    assert_eq!(listed_ids(&c, op), ["b4", "b5"]);
    let op = c.cmd(hop(None, Some(srv.time), true));
    c.run(&mut srv);
    assert_eq!(listed_ids(&c, op), ["b1", "b2"]);
    let op = c.cmd(hop(None, None, true));
    c.drain();
    assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));

    // Locators: from memory (nothing sent), or from the server for a fresh instance.
    let locate = |locators: Vec<Locator>| Command::FindMessageByLocators {
        conversation_id: "C2Cbob".into(),
        locators,
    };
    let at = |seq, random, is_self| Locator {
        seq,
        random,
        time: 0,
        is_self,
    };
    let op = c.cmd(locate(vec![
        at(2, 1, Some(false)),
        at(4, 0, None),
        at(5, 99, None),
    ]));
    assert!(transmits(&c.drain()).is_empty(), "answered from memory");
    assert_eq!(listed_ids(&c, op), ["b2", "b4"]);
    let mut fresh = Client::new(cfg());
    fresh.login(&mut srv, "alice");
    let op = fresh.cmd(locate(vec![
        at(3, 1, None),
        at(1, 0, Some(true)),
        at(9, 0, None),
    ]));
    fresh.run(&mut srv); // not stored there: asked of the server
    assert_eq!(listed_ids(&fresh, op), ["b3"], "isSelf must match");
    assert!(fresh.core.find_message("b3").is_some(), "kept as history");
}

#[test]
fn a_history_page_answered_after_a_clear_does_not_bring_the_cleared_messages_back() {
    let (_srv, mut c) = ready("alice");
    let op = c.cmd(Command::GetMessageList {
        conversation_id: "C2Cbob".into(),
        next_req_message_id: None,
        count: None,
    });
    let outs = c.drain();
    let asked = only_transmit(&outs);
    // The server read the page before another instance's clear committed, and its answer
    // comes after the clear's push.
    c.frame(ServerFrame::ConversationSettings {
        conversation_id: "C2Cbob".into(),
        settings: ConvSettings {
            cleared_seq: 2,
            ..ConvSettings::default()
        },
    });
    let message = |id: &str, seq| {
        let text = tim_protocol::Content::Text { text: id.into() };
        tim_protocol::OutboundMessage::new(ConvType::C2c, "alice", id, text).committed(
            "bob".into(),
            seq,
            1_700_000_000 + seq,
        )
    };
    let messages = vec![message("b1", 1), message("b2", 2), message("b3", 3)];
    c.frame(ServerFrame::Ok {
        id: asked.id,
        data: tim_protocol::Reply::History {
            messages,
            complete: true,
        },
    });
    let Some(Ok(Response::MessageList { message_list, .. })) = c.result(op) else {
        panic!("{:?}", c.result(op));
    };
    let ids: Vec<&str> = message_list.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["b3"]);
    assert!(c.core.find_message("b1").is_none() && c.core.find_message("b2").is_none());
}
