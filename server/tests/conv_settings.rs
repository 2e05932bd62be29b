//! A user's own conversation settings and groups: marks, customData, remind type (Discard
//! stops delivery), cleared history, and conversation groups; each synced to the user's other
//! sockets and reflected in `Conversations` (the reconnect path).

mod common;

use common::*;
use tim_protocol::{
    codes, req, ConvGroup, ConvGroupAction, ConvSettings, Reply, Request, ServerFrame,
};

fn settings(ids: &[&str]) -> Request {
    Request::ConvSettings(req::ConvSettings {
        conversation_ids: ids.iter().map(|s| s.to_string()).collect(),
        mark_set: 0,
        mark_clear: 0,
        custom_data: None,
        remind: None,
        clear_history: false,
    })
}

fn with(
    req: Request,
    f: impl FnOnce(&mut u32, &mut u32, &mut Option<String>, &mut Option<String>, &mut bool),
) -> Request {
    let mut req = req;
    if let Request::ConvSettings(req::ConvSettings {
        mark_set,
        mark_clear,
        custom_data,
        remind,
        clear_history,
        ..
    }) = &mut req
    {
        f(mark_set, mark_clear, custom_data, remind, clear_history);
    }
    req
}

fn group(action: ConvGroupAction, name: &str, new_name: &str, ids: &[&str]) -> Request {
    Request::ConvGroup(req::ConvGroup {
        action,
        name: name.into(),
        new_name: new_name.into(),
        conversation_ids: ids.iter().map(|s| s.to_string()).collect(),
    })
}

#[tokio::test]
async fn marks_custom_data_and_remind_type_sync_to_other_sockets_and_the_list() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    alice.send(text("bob", "s-1", "one")).await;
    push_of(bob.next_push().await);
    push_of(bob2.next_push().await);

    let mark = with(settings(&["C2Calice"]), |set, _, data, _, _| {
        *set = 1 | 4;
        *data = Some("note".into());
    });
    assert_eq!(bob.ok(mark).await, Reply::Done);
    let expected = ConvSettings {
        marks: 5,
        custom_data: "note".into(),
        ..ConvSettings::default()
    };
    let push = ServerFrame::ConversationSettings {
        conversation_id: "C2Calice".into(),
        settings: expected.clone(),
    };
    assert_eq!(bob2.next_push().await, push);
    assert_eq!(bob.next_push().await, push, "the requester gets it too");
    bob.expect_quiet().await;
    alice.expect_quiet().await;
    assert_eq!(bob2.conversations().await[0].settings, expected);

    // Clearing one bit keeps the others; a repeat changes nothing and pushes nothing.
    let unmark = with(settings(&["C2Calice"]), |_, clear, _, _, _| *clear = 4);
    bob.ok(unmark.clone()).await;
    for socket in [&mut bob, &mut bob2] {
        assert!(matches!(
            socket.next_push().await,
            ServerFrame::ConversationSettings {
                settings: ConvSettings { marks: 1, .. },
                ..
            }
        ));
    }
    bob.ok(unmark).await;
    bob2.expect_quiet().await;
    bob.expect_quiet().await;

    // Refusals: unknown remind type, a group the user is not in.
    let bad = with(settings(&["C2Calice"]), |_, _, _, r, _| {
        *r = Some("Loud".into())
    });
    assert_eq!(bob.err_code(bad).await, codes::INVALID_REQUEST);
    assert_eq!(
        bob.err_code(settings(&["GROUPnope"])).await,
        codes::GROUP_NOT_FOUND
    );
    assert_eq!(bob.err_code(settings(&[])).await, codes::INVALID_REQUEST);

    // Discard: stored and in history, neither delivered nor counted.
    let discard = with(settings(&["C2Calice"]), |_, _, _, r, _| {
        *r = Some("Discard".into())
    });
    bob.ok(discard).await;
    for socket in [&mut bob, &mut bob2] {
        assert!(matches!(
            socket.next_push().await,
            ServerFrame::ConversationSettings { .. }
        ));
    }
    alice.send(text("bob", "s-2", "quiet")).await;
    bob.expect_quiet().await;
    let list = bob.conversations().await;
    assert_eq!(
        (list[0].unread, list[0].settings.remind.as_str()),
        (0, "Discard")
    );
    assert_eq!(bob.messages("C2Calice").await.len(), 2);
}

async fn push_settings(c: &mut Client) {
    assert!(matches!(
        c.next_push().await,
        ServerFrame::ConversationSettings { .. }
    ));
}

#[tokio::test]
async fn clear_history_hides_messages_for_the_user_only_and_reads_them() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    alice.send(text("bob", "c-1", "one")).await;
    alice.send(text("bob", "c-2", "two")).await;
    for _ in 0..2 {
        push_of(bob.next_push().await);
        push_of(bob2.next_push().await);
    }
    let clear = with(settings(&["C2Calice"]), |_, _, _, _, c| *c = true);
    bob.ok(clear).await;
    push_settings(&mut bob).await;
    assert!(matches!(
        bob2.next_push().await,
        ServerFrame::ConversationSettings {
            settings: ConvSettings { cleared_seq: 2, .. },
            ..
        }
    ));
    assert!(bob.messages("C2Calice").await.is_empty());
    assert_eq!(alice.messages("C2Cbob").await.len(), 2);
    let list = bob.conversations().await;
    assert_eq!(list.len(), 1, "the conversation stays");
    assert_eq!((list[0].unread, list[0].read_seq), (0, 2));
    assert!(list[0].last_message.is_none());
    assert!(bob.sync_items(0).await.is_empty());
    // New messages show again.
    alice.send(text("bob", "c-3", "three")).await;
    push_of(bob.next_push().await);
    assert_eq!(bob.messages("C2Calice").await.len(), 1);
}

#[tokio::test]
async fn conversation_groups_are_per_user_and_synced() {
    let server = TestServer::start().await;
    let mut bob = server.login("bob").await;
    let mut bob2 = server.login("bob").await;
    let g = |name: &str, ids: &[&str]| ConvGroup {
        name: name.into(),
        conversation_ids: ids.iter().map(|s| s.to_string()).collect(),
    };
    let reply = bob
        .ok(group(
            ConvGroupAction::Create,
            "work",
            "",
            &["C2Calice", "C2Ccarol"],
        ))
        .await;
    let one = vec![g("work", &["C2Calice", "C2Ccarol"])];
    assert_eq!(
        reply,
        Reply::ConvGroups {
            groups: one.clone()
        }
    );
    assert_eq!(
        bob2.next_push().await,
        ServerFrame::ConvGroups { groups: one }
    );

    bob.ok(group(ConvGroupAction::Create, "home", "", &["C2Cdan"]))
        .await;
    bob.ok(group(ConvGroupAction::Remove, "work", "", &["C2Calice"]))
        .await;
    bob.ok(group(ConvGroupAction::Add, "home", "", &["C2Calice"]))
        .await;
    let reply = bob
        .ok(group(ConvGroupAction::Rename, "work", "job", &[]))
        .await;
    let now = vec![g("job", &["C2Ccarol"]), g("home", &["C2Cdan", "C2Calice"])];
    assert_eq!(
        reply,
        Reply::ConvGroups {
            groups: now.clone()
        }
    );
    for _ in 0..3 {
        bob2.next_push().await;
    }
    assert_eq!(
        bob2.next_push().await,
        ServerFrame::ConvGroups {
            groups: now.clone()
        }
    );
    // The reconnect path.
    let Reply::Conversations { groups, .. } = bob2.ok(Request::Conversations).await else {
        panic!("conversations");
    };
    assert_eq!(groups, now);

    // Refusals.
    let exists = group(ConvGroupAction::Create, "home", "", &["C2Cx"]);
    assert_eq!(bob.err_code(exists).await, codes::CONV_GROUP_EXISTS);
    let missing = group(ConvGroupAction::Delete, "nope", "", &[]);
    assert_eq!(bob.err_code(missing).await, codes::CONV_GROUP_NOT_FOUND);
    let long = group(ConvGroupAction::Create, &"x".repeat(33), "", &["C2Cx"]);
    assert_eq!(bob.err_code(long).await, codes::CONV_GROUP_NAME_INVALID);
    let empty = group(ConvGroupAction::Create, "empty", "", &[]);
    assert_eq!(bob.err_code(empty).await, codes::INVALID_REQUEST);
    for i in 0..18 {
        bob.ok(group(
            ConvGroupAction::Create,
            &format!("g{i}"),
            "",
            &["C2Cx"],
        ))
        .await;
    }
    let over = group(ConvGroupAction::Create, "one-too-many", "", &["C2Cx"]);
    assert_eq!(bob.err_code(over).await, codes::CONV_GROUP_LIMIT);

    bob.ok(group(ConvGroupAction::Delete, "job", "", &[])).await;
    let Reply::Conversations { groups, .. } = bob.ok(Request::Conversations).await else {
        panic!("conversations");
    };
    assert_eq!(groups.len(), 19);
    assert!(groups.iter().all(|g| g.name != "job"));
    // Other users have their own.
    let mut alice = server.login("alice").await;
    let Reply::Conversations { groups, .. } = alice.ok(Request::Conversations).await else {
        panic!("conversations");
    };
    assert!(groups.is_empty());
}
