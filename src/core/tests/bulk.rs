//! Read receipts, send options and import, as the core handles them (the real
//! server's side is covered by the server and browser tests).

use tim_protocol::req;
use tim_protocol::{Change, ConvType, OutboundMessage, Receipt, Request, ServerFrame};

use super::harness::*;
use crate::core::*;
use tim_fake_server::text;

fn sent_requests(outs: &[Output]) -> Vec<Request> {
    transmits(outs).into_iter().map(|f| f.req).collect()
}

#[test]
fn online_only_is_announced_but_never_stored_or_counted() {
    let (mut srv, mut c) = ready("a");
    let out = OutboundMessage {
        random: 1,
        client_time: 1,
        ..OutboundMessage::new(ConvType::C2c, "a", "ephemeral", text("typing"))
    };
    let m = out.committed("b".into(), 0, 1);
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
        [Request::Send(req::Send { message })] => {
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
        [Request::Import(req::Import { messages })] => {
            assert_eq!(messages[0].client_time, 1_500_000_000)
        }
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

#[test]
fn batch_send_is_one_send_per_user_tallied_into_one_result() {
    let (_srv, mut c) = ready("a");
    let m = c.text("ignored", "C2C", "hi all");
    let op = c.cmd(Command::BatchSendMessage {
        message: m.clone(),
        user_ids: vec!["b".into(), "c".into(), "b".into()],
    });
    let sends = transmits(&c.drain());
    let to: Vec<(String, String)> = sends
        .iter()
        .map(|f| match &f.req {
            Request::Send(req::Send { message }) => (message.to.clone(), message.id.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(to.len(), 2, "one copy per user, each once: {to:?}");
    assert_eq!((to[0].0.as_str(), to[1].0.as_str()), ("b", "c"));
    assert!(to
        .iter()
        .all(|(_, id)| id.starts_with(&format!("{}-", m.id))));
    assert_ne!(to[0].1, to[1].1);
    c.frame(ServerFrame::Error {
        id: Some(sends[1].id),
        code: 20003,
        message: "no such user".into(),
    });
    assert_eq!(c.result(op), None, "settles at the last copy");
    c.frame(ServerFrame::Error {
        id: Some(sends[0].id),
        code: 20004,
        message: "later".into(),
    });
    match c.result(op) {
        Some(Ok(Response::BatchSent { success, failure })) => {
            assert!(success.is_empty());
            let codes: Vec<(&str, u32)> = failure
                .iter()
                .map(|f| (f.user_id.as_str(), f.code))
                .collect();
            assert_eq!(codes, vec![("c", 20003), ("b", 20004)]);
        }
        other => panic!("{other:?}"),
    }
    let completes: Vec<OpId> = c
        .log
        .iter()
        .filter_map(|o| match o {
            Output::Complete { op, .. } => Some(*op),
            _ => None,
        })
        .collect();
    assert!(
        completes.iter().all(|&o| o <= op),
        "a copy's own result never reaches the API: {completes:?}"
    );
    for users in [vec![], vec!["b".to_string(), String::new()]] {
        let op = c.cmd(Command::BatchSendMessage {
            message: m.clone(),
            user_ids: users,
        });
        c.drain();
        assert_eq!(c.code(op), Some(codes::INVALID_OPERATION));
    }
}
