//! Many clients sending at once: per-conversation sequences stay gapless and unique, and group
//! commit folds the messages into fewer transactions than there are messages.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::json;
use tim_protocol::{req, ConvType, Reply, ServerFrame};

const CLIENTS: usize = 20;
const SENDS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_clients_fifty_sends_each() {
    let server = TestServer::start().await;
    let users: Vec<String> = (0..CLIENTS).map(|i| format!("user{i:02}")).collect();
    let members: Vec<&str> = users.iter().map(String::as_str).collect();
    let r = server
        .rest("group_open_http_svc/create_group", json!({"Type": "Work", "GroupId": "all", "Name": "All", "MemberList": admin_body_members(&members)}))
        .await;
    assert_eq!(r["ActionStatus"], "OK");
    let before = server.stats().await;

    let mut tasks = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let mut c = server.login(user).await;
        let peer = users[(i + 1) % CLIENTS].clone();
        tasks.push(tokio::spawn(async move {
            // Pipelined: every send is on the wire before the first ack is read.
            let mut ids = Vec::new();
            for n in 0..SENDS {
                let m = if n % 2 == 0 {
                    text(&peer, &format!("{}-{n}", c.user), "c2c")
                } else {
                    message(ConvType::Group, "all", &format!("{}-{n}", c.user), "group")
                };
                ids.push(
                    c.send_req(tim_protocol::Request::Send(req::Send { message: m }))
                        .await,
                );
            }
            // Read acks and pushes in arrival order: together their sync_seqs must increase.
            let mut acks = Vec::new();
            let mut last_sync = 0;
            while acks.len() < ids.len() {
                let sync_seq = match c.read_frame().await.expect("open") {
                    ServerFrame::Ok {
                        data: Reply::Sent { message, sync_seq },
                        ..
                    } => {
                        acks.push((message.conversation_id_for(&c.user), message.seq, sync_seq));
                        sync_seq
                    }
                    ServerFrame::Push { sync_seq, .. } => sync_seq,
                    other => panic!("unexpected {other:?}"),
                };
                assert!(
                    sync_seq > last_sync,
                    "per-connection order follows sync_seq"
                );
                last_sync = sync_seq;
            }
            (c, acks)
        }));
    }

    let mut per_conv: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for t in tasks {
        let (c, acks) = t.await.expect("client task");
        let mut last_sync = 0;
        for (conv, seq, sync) in acks {
            // A C2C conversation is keyed by the unordered pair.
            let key = if conv.starts_with("GROUP") {
                conv
            } else {
                let mut pair = [c.user.clone(), conv.trim_start_matches("C2C").to_owned()];
                pair.sort();
                pair.join("|")
            };
            per_conv.entry(key).or_default().push(seq);
            assert!(
                sync > last_sync,
                "a client's acks carry increasing sync_seq"
            );
            last_sync = sync;
        }
        drop(c);
    }
    assert_eq!(per_conv.len(), CLIENTS + 1);
    let mut total = 0;
    for (conv, mut seqs) in per_conv {
        seqs.sort_unstable();
        let n = seqs.len() as u64;
        assert_eq!(
            seqs,
            (1..=n).collect::<Vec<_>>(),
            "gapless, unique seqs in {conv}"
        );
        total += n;
    }
    assert_eq!(total as usize, CLIENTS * SENDS);

    let after = server.stats().await;
    let messages = after["messages"].as_u64().unwrap() - before["messages"].as_u64().unwrap();
    let commits = after["commits"].as_u64().unwrap() - before["commits"].as_u64().unwrap();
    assert_eq!(messages as usize, CLIENTS * SENDS);
    assert!(
        commits < messages,
        "group commit: {commits} transactions for {messages} messages"
    );
    eprintln!("{messages} messages in {commits} transactions");
}
