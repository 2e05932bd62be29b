//! Read receipts, send options and import, as the core handles them (the real
//! server's side is covered by the server and browser tests).

use tim_protocol::{Change, ConvType, Message, Receipt, Request, ServerFrame};

use super::harness::*;
use super::server::text;
use crate::core::*;

fn sent_requests(outs: &[Output]) -> Vec<Request> {
    transmits(outs).into_iter().map(|f| f.req).collect()
}

#[test]
fn online_only_is_announced_but_never_stored_or_counted() {
    let (mut srv, mut c) = ready("a");
    let m = Message {
        id: "ephemeral".into(),
        conv_type: ConvType::C2c,
        from: "b".into(),
        to: "a".into(),
        seq: 0,
        time: 1,
        random: 1,
        client_time: 1,
        priority: "Normal".into(),
        content: text("typing"),
        cloud_custom_data: String::new(),
        at_user_list: vec![],
        nick: String::new(),
        avatar: String::new(),
        revoked: false,
        version: 0,
        need_read_receipt: false,
        offline_push_info: String::new(),
    };
    c.push(
        &mut srv,
        ServerFrame::Push {
            sync_seq: 0,
            message: m,
            change: Change::New,
        },
    );
    let got = c.received();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].id.as_str(), got[0].sequence), ("ephemeral", 0));
    assert!(c.conversation_list().is_empty(), "no conversation from it");
    assert!(c.totals().iter().all(|t| *t == 0));

    // The send option reaches the wire.
    let mine = c.text("b", "C2C", "typing");
    c.cmd(Command::SendMessageWith(
        mine,
        SendOptions {
            online_user_only: true,
            offline_push_info: r#"{"title":"t"}"#.into(),
        },
    ));
    let reqs = sent_requests(&c.drain());
    match reqs.as_slice() {
        [Request::Send { message }] => {
            assert!(message.online_user_only);
            assert_eq!(message.offline_push_info, r#"{"title":"t"}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn receipts_become_events_and_empty_lists_are_refused() {
    let (mut srv, mut c) = ready("a");
    c.push(
        &mut srv,
        ServerFrame::Receipts {
            conversation_id: "GROUPg".into(),
            receipts: vec![Receipt {
                id: "m1".into(),
                seq: 3,
                read: 2,
                unread: 5,
            }],
        },
    );
    let events: Vec<&Event> = c.events();
    let entries = events
        .iter()
        .find_map(|e| match e {
            Event::MessageReadReceiptReceived(v) => Some(v.clone()),
            _ => None,
        })
        .expect("event");
    assert_eq!(
        entries,
        vec![ReceiptView {
            group_id: Some("g".into()),
            conversation_id: "GROUPg".into(),
            message_id: "m1".into(),
            read_count: 2,
            unread_count: 5,
        }]
    );
    let op = c.cmd(Command::SendMessageReadReceipt(vec![]));
    c.drain();
    assert_eq!(c.code(op), Some(codes::READ_RECEIPT_MESSAGE_LIST_EMPTY));
    let op = c.cmd(Command::GetMessageReadReceiptList(vec![]));
    c.drain();
    assert_eq!(c.code(op), Some(codes::READ_RECEIPT_MESSAGE_LIST_EMPTY));
}

#[test]
fn import_sends_own_messages_with_their_time_and_refuses_others() {
    let (_srv, mut c) = ready("a");
    let mut m = c.text("b", "C2C", "old");
    m.time = 1_500_000_000;
    c.cmd(Command::ImportMessageList {
        conversation_id: "C2Cb".into(),
        messages: vec![m.clone()],
    });
    match sent_requests(&c.drain()).as_slice() {
        [Request::Import { messages }] => assert_eq!(messages[0].client_time, 1_500_000_000),
        other => panic!("{other:?}"),
    }
    let foreign = MessageView {
        from: "z".into(),
        ..m.clone()
    };
    let cases = [
        ("C2Cb", vec![foreign], codes::INVALID_OPERATION),
        ("C2Cb", vec![], codes::INVALID_OPERATION),
        ("C2Cc", vec![m.clone()], codes::INVALID_OPERATION),
        ("bad", vec![m], codes::INVALID_CONVERSATION_ID),
    ];
    for (conv, messages, code) in cases {
        let op = c.cmd(Command::ImportMessageList {
            conversation_id: conv.into(),
            messages,
        });
        c.drain();
        assert_eq!(c.code(op), Some(code), "{conv}");
    }
}
