//! The system conversation `@TIM#SYSTEM`: group system notices the server writes when the
//! admin creates a group with a user or adds one, delivered like messages, listed, paged,
//! read; nobody can send to it.

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{
    codes, req, Content, ConvType, OutboundMessage, Request, ServerFrame, SYSTEM_CONVERSATION_ID,
};

fn notice_of(frame: ServerFrame) -> (String, u32, String) {
    let (_, m, _) = push_of(frame);
    assert_eq!(
        (m.conv_type, m.from.as_str()),
        (ConvType::System, SYSTEM_CONVERSATION_ID)
    );
    match m.content {
        Content::GroupSystemNotice {
            operation_type,
            group_id,
            group_name,
            ..
        } => (group_id, operation_type, group_name),
        other => panic!("not a notice: {other:?}"),
    }
}

#[tokio::test]
async fn admin_group_changes_land_in_the_system_conversation() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let mut carol = server.login("carol").await;
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Owner_Account": "alice", "Type": "Work", "GroupId": "team",
                   "Name": "The Team", "MemberList": admin_body_members(&["bob"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(
        notice_of(alice.next_push().await),
        ("team".into(), 6, "The Team".into())
    );
    assert_eq!(
        notice_of(bob.next_push().await),
        ("team".into(), 7, "The Team".into())
    );
    server
        .rest(
            "group_open_http_svc/add_group_member",
            json!({"GroupId": "team", "MemberList": admin_body_members(&["carol", "bob"])}),
        )
        .await;
    assert_eq!(notice_of(carol.next_push().await).1, 7);
    bob.expect_quiet().await; // already a member: no notice

    // Listed with an unread count, in history and in the delivery log; readable.
    let list = carol.conversations().await;
    let system = list
        .iter()
        .find(|c| c.conversation_id == SYSTEM_CONVERSATION_ID)
        .expect("listed");
    assert_eq!((system.conv_type, system.unread), (ConvType::System, 1));
    assert_eq!(carol.messages(SYSTEM_CONVERSATION_ID).await.len(), 1);
    carol
        .ok(Request::Read(req::Read {
            conversation_id: SYSTEM_CONVERSATION_ID.into(),
            seq: 1,
        }))
        .await;
    let list = carol.conversations().await;
    let system = list
        .iter()
        .find(|c| c.conversation_id == SYSTEM_CONVERSATION_ID)
        .expect("listed");
    assert_eq!(system.unread, 0);
    // Another user's system conversation is their own.
    assert_eq!(alice.messages(SYSTEM_CONVERSATION_ID).await.len(), 1);

    // Nobody sends to it.
    let to_system = OutboundMessage {
        conv_type: ConvType::System,
        ..text("", "s-1", "hello")
    };
    let code = bob
        .err_code(Request::Send(req::Send { message: to_system }))
        .await;
    assert_eq!(code, codes::INVALID_REQUEST);
}
