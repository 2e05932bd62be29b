//! Fan-out: a group (created through the REST admin API) whose members are all connected; one
//! of them sends; every other member must receive each message. Deliveries per second and the
//! latency from writing a send to a member reading its push.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use tim_protocol::{Change, ConvType, Reply, ServerFrame};

use crate::client::{login_many, text_message, Client, FRAME_TIMEOUT};
use crate::cpu::{CpuMeter, CpuUse};
use crate::server::Server;
use crate::stats::Latencies;

/// Tencent's cap on members per `create_group` / `add_group_member` call.
const MEMBERS_PER_CALL: usize = 500;
/// Unacked group sends the sender keeps in flight.
const WINDOW: usize = 8;

/// What one run measured.
pub struct Fanout {
    /// Messages sent.
    pub messages: usize,
    /// Pushes received by members.
    pub deliveries: u64,
    /// From the first send to the last delivery.
    pub secs: f64,
    /// Send-to-receive latencies.
    pub latencies: Latencies,
    /// CPU used from the first send to the last delivery.
    pub cpu: CpuUse,
}

/// Creates a group of `members`, connects them all, and has member 0 send `messages` texts.
pub async fn run(server: &Arc<Server>, members: usize, messages: usize) -> Result<Fanout> {
    let group = format!("fanout{members}");
    let users: Vec<String> = (0..members).map(|i| format!("fan{members}-{i}")).collect();
    create_group(server, &group, &users).await?;

    let mut clients = Vec::with_capacity(members);
    for (i, c) in login_many(server, &users, 8, 128)
        .await
        .into_iter()
        .enumerate()
    {
        clients.push(c.with_context(|| format!("login of {}", users[i]))?.0);
    }
    let mut receivers = clients.split_off(1);
    let sender = clients.pop().context("a group needs a sender")?;

    // Send times travel in the text, as microseconds since `epoch` (one process: one clock).
    let epoch = Instant::now();
    let tasks: Vec<_> = receivers
        .drain(..)
        .map(|c| {
            let (from, group) = (users[0].clone(), group.clone());
            tokio::spawn(receive(c, from, group, messages, epoch))
        })
        .collect();
    let cpu = CpuMeter::start(server.pid());
    let first_send = Instant::now();
    send_all(sender, &group, messages, epoch).await?;

    let mut latencies = Latencies::default();
    let mut deliveries = 0u64;
    let mut last = first_send;
    for t in tasks {
        let (got, last_at) = t.await??;
        deliveries += got.len() as u64;
        latencies.merge(got);
        last = last.max(last_at);
    }
    Ok(Fanout {
        messages,
        deliveries,
        secs: last.duration_since(first_send).as_secs_f64(),
        latencies,
        cpu: cpu.finish(),
    })
}

/// `create_group` with the first members, then `add_group_member` for the rest.
async fn create_group(server: &Server, group: &str, users: &[String]) -> Result<()> {
    let list = |chunk: &[String]| -> Value {
        chunk.iter().map(|u| json!({"Member_Account": u})).collect()
    };
    let mut chunks = users[1..].chunks(MEMBERS_PER_CALL);
    server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Owner_Account": users[0], "Type": "Public", "GroupId": group, "Name": group,
                   "MemberList": list(chunks.next().unwrap_or_default())}),
        )
        .await?;
    for chunk in chunks {
        server
            .rest(
                "group_open_http_svc/add_group_member",
                json!({"GroupId": group, "MemberList": list(chunk)}),
            )
            .await?;
    }
    Ok(())
}

/// The sender: `messages` group sends, at most [`WINDOW`] unacked.
async fn send_all(mut c: Client, group: &str, messages: usize, epoch: Instant) -> Result<()> {
    let (mut sent, mut acked) = (0, 0);
    while acked < messages {
        while sent < messages && sent - acked < WINDOW {
            let stamp = epoch.elapsed().as_micros().to_string();
            let id = format!("{group}-{sent}");
            c.send_message(text_message(ConvType::Group, group, &id, stamp))
                .await?;
            sent += 1;
        }
        match c.next_frame().await? {
            ServerFrame::Ok {
                data: Reply::Sent { .. },
                ..
            } => acked += 1,
            ServerFrame::Error { code, message, .. } => {
                bail!("group send refused {code}: {message}")
            }
            _ => {}
        }
    }
    c.close().await;
    Ok(())
}

/// A member: reads pushes until it has `messages` from `from`; their latencies and when the
/// last arrived.
async fn receive(
    mut c: Client,
    from: String,
    group: String,
    messages: usize,
    epoch: Instant,
) -> Result<(Latencies, Instant)> {
    let mut got = Latencies::default();
    let mut last = Instant::now();
    while got.len() < messages {
        let frame = tokio::time::timeout(FRAME_TIMEOUT, c.next_frame())
            .await
            .context("a member waited too long for a push")??;
        if let ServerFrame::Push {
            message,
            change: Change::New,
            ..
        } = frame
        {
            let tim_protocol::Content::Text { text } = &message.content else {
                continue;
            };
            if message.from != from || message.to != group {
                continue;
            }
            let sent_us: u64 = text.parse().context("a bench timestamp")?;
            last = Instant::now();
            got.push(
                epoch
                    .elapsed()
                    .saturating_sub(Duration::from_micros(sent_us)),
            );
        }
    }
    c.close().await;
    Ok((got, last))
}
