//! Read receipts on the wire: `ReadReceipt`, `ReceiptList`, `ReceiptMembers` and the
//! `Receipts` push to the sender.

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, ConvType, Reply, Request, ServerFrame};

fn receipted(id: &str) -> tim_protocol::OutboundMessage {
    let mut m = message(ConvType::Group, "g", id, "ack me");
    m.need_read_receipt = true;
    m
}

fn counts(reply: Reply) -> Vec<(String, u32, u32)> {
    match reply {
        Reply::Receipts { receipts } => receipts
            .into_iter()
            .map(|r| (r.id, r.read, r.unread))
            .collect(),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn group_receipts_count_members_and_tell_the_sender() {
    let server = TestServer::start().await;
    server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G",
                   "MemberList": admin_body_members(&["alice", "bob", "carol"])}),
        )
        .await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let (asked, _) = alice.send(receipted("r1")).await;
    let (plain, _) = alice
        .send(message(ConvType::Group, "g", "p1", "no ack"))
        .await;
    let _ = bob.next_push().await;
    let _ = bob.next_push().await;

    let ack = Request::ReadReceipt(req::ReadReceipt {
        conversation_id: "GROUPg".into(),
        seqs: vec![asked, plain, asked, 99],
    });
    // Only the message that asked counts; unknown sequences are skipped.
    assert_eq!(counts(bob.ok(ack.clone()).await), [("r1".into(), 1, 1)]);
    match alice.next_push().await {
        ServerFrame::Receipts {
            conversation_id,
            receipts,
        } => {
            assert_eq!(conversation_id, "GROUPg");
            assert_eq!(
                (receipts[0].seq, receipts[0].read, receipts[0].unread),
                (asked, 1, 1)
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    // A repeat answers the same counts and pushes nothing; the sender's own ack is ignored.
    assert_eq!(counts(bob.ok(ack).await), [("r1".into(), 1, 1)]);
    let own = Request::ReadReceipt(req::ReadReceipt {
        conversation_id: "GROUPg".into(),
        seqs: vec![asked],
    });
    assert!(counts(alice.ok(own).await).is_empty());
    alice.expect_quiet().await;

    let list = Request::ReceiptList(req::ReceiptList {
        conversation_id: "GROUPg".into(),
        seqs: vec![asked, plain],
    });
    assert_eq!(
        counts(carol_view(&server, list.clone()).await),
        [("r1".into(), 1, 1)]
    );
    let page = |read: bool, cursor: &str| {
        Request::ReceiptMembers(req::ReceiptMembers {
            conversation_id: "GROUPg".into(),
            seq: asked,
            read,
            cursor: cursor.into(),
            count: 1,
        })
    };
    assert_eq!(
        alice.ok(page(true, "")).await,
        Reply::Members {
            users: vec!["bob".into()],
            cursor: String::new(),
            complete: true
        }
    );
    assert_eq!(
        alice.ok(page(false, "")).await,
        Reply::Members {
            users: vec!["carol".into()],
            cursor: String::new(),
            complete: true
        }
    );

    // Refusals: no sequences, not a member, unknown message.
    let empty = Request::ReadReceipt(req::ReadReceipt {
        conversation_id: "GROUPg".into(),
        seqs: vec![],
    });
    assert_eq!(bob.err_code(empty).await, codes::INVALID_REQUEST);
    let mut dave = server.login("dave").await;
    assert_eq!(dave.err_code(list).await, codes::NOT_GROUP_MEMBER);
    let mut missing = page(true, "");
    if let Request::ReceiptMembers(req::ReceiptMembers { seq, .. }) = &mut missing {
        *seq = 99;
    }
    assert_eq!(alice.err_code(missing).await, codes::MESSAGE_NOT_FOUND);
}

async fn carol_view(server: &TestServer, req: Request) -> Reply {
    let mut carol = server.login("carol").await;
    carol.ok(req).await
}
