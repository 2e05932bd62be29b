//! `Hop` (getMessageListHopping) by sequence and by time, both directions, and `Fetch`
//! (locator lookup), each respecting the requester's deletions.

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{codes, req, ConvType, Reply, Request};

fn hop(conv: &str, seq: Option<u64>, time: Option<u64>, newer: bool, count: u32) -> Request {
    Request::Hop(req::Hop {
        conversation_id: conv.into(),
        seq,
        time,
        newer,
        count,
    })
}

async fn seqs(c: &mut Client, req: Request) -> (Vec<u64>, bool) {
    match c.ok(req).await {
        Reply::History { messages, complete } => {
            (messages.iter().map(|m| m.seq).collect(), complete)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn hop_by_sequence_and_time_both_ways_and_fetch_by_sequence() {
    let server = TestServer::start().await;
    server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "GroupId": "g", "Name": "G",
                   "MemberList": admin_body_members(&["alice", "bob"])}),
        )
        .await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    for i in 1..=5 {
        alice
            .send(message(ConvType::Group, "g", &format!("g-{i}"), "x"))
            .await;
        alice.send(text("bob", &format!("c-{i}"), "y")).await;
    }
    assert_eq!(
        seqs(&mut bob, hop("GROUPg", Some(3), None, false, 2)).await,
        (vec![2, 3], false)
    );
    assert_eq!(
        seqs(&mut bob, hop("GROUPg", Some(2), None, false, 5)).await,
        (vec![1, 2], true)
    );
    assert_eq!(
        seqs(&mut bob, hop("GROUPg", Some(3), None, true, 5)).await,
        (vec![3, 4, 5], true)
    );
    assert_eq!(
        seqs(&mut bob, hop("GROUPg", Some(1), None, true, 2)).await,
        (vec![1, 2], false)
    );

    // By time (C2C): every message is at or after the first one's time.
    let first = bob.messages("C2Calice").await[0].time;
    assert_eq!(
        seqs(&mut bob, hop("C2Calice", None, Some(first), true, 15)).await,
        (vec![1, 2, 3, 4, 5], true)
    );
    assert_eq!(
        seqs(
            &mut bob,
            hop("C2Calice", None, Some(first + 3600), false, 2)
        )
        .await,
        (vec![4, 5], false)
    );
    assert_eq!(
        seqs(&mut bob, hop("C2Calice", None, Some(first - 1), false, 5))
            .await
            .0,
        Vec::<u64>::new()
    );

    // Deleted messages are skipped; the peer still has them.
    bob.ok(Request::Delete(req::Delete {
        conversation_id: "C2Calice".into(),
        seqs: vec![2],
    }))
    .await;
    assert_eq!(
        seqs(&mut bob, hop("C2Calice", Some(3), None, false, 2))
            .await
            .0,
        [1, 3]
    );
    let fetch = |seqs: Vec<u64>| {
        Request::Fetch(req::Fetch {
            conversation_id: "C2Calice".into(),
            seqs,
        })
    };
    assert_eq!(
        seqs(&mut bob, fetch(vec![5, 2, 1, 99])).await,
        (vec![1, 5], true)
    );
    let fetch_alice = Request::Fetch(req::Fetch {
        conversation_id: "C2Cbob".into(),
        seqs: vec![2],
    });
    assert_eq!(seqs(&mut alice, fetch_alice).await.0, [2]);

    // Refusals.
    assert_eq!(
        bob.err_code(hop("GROUPg", None, None, true, 2)).await,
        codes::INVALID_REQUEST
    );
    assert_eq!(
        bob.err_code(hop("GROUPg", Some(1), Some(1), true, 2)).await,
        codes::INVALID_REQUEST
    );
    let mut carol = server.login("carol").await;
    assert_eq!(
        carol.err_code(hop("GROUPg", Some(1), None, true, 2)).await,
        codes::NOT_GROUP_MEMBER
    );
    assert_eq!(
        carol.err_code(fetch((1..=16).collect())).await,
        codes::INVALID_REQUEST
    );
}
