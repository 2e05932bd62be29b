//! The operations a sequence is made of, how each becomes a request, and their strategy.

use proptest::prelude::*;
use tim_protocol::{
    parse_conversation_id, req, Content, ConvGroupAction, ConvType, OutboundMessage, Request,
};

use crate::common::{message, now, sig};

pub const USERS: [&str; 4] = ["alice", "bob", "carol", "dave"];
/// Each connection's user (an index in [`USERS`]): two for alice, two for bob, one for carol.
pub const CONNS: [usize; 5] = [0, 0, 1, 1, 2];
/// The conversations requests name: every kind, a group nobody may use, a bad ID.
pub const CONVS: [&str; 9] = [
    "C2Calice",
    "C2Cbob",
    "C2Ccarol",
    "C2Cdave",
    "GROUPg1",
    "GROUPg2",
    "GROUPnone",
    "@TIM#SYSTEM",
    "bogus",
];
/// Past client times an import keeps (0: the server's now).
pub const IMPORT_TIMES: [u64; 4] = [0, 1_600_000_000, 1_600_000_060, 1_600_000_120];
/// `MSG_REMIND_*` values and one the server refuses.
pub const REMINDS: [&str; 4] = ["AcceptAndNotify", "AcceptNotNotify", "Discard", "Loud"];

/// One step of a sequence; the first field is the connection (modulo [`CONNS`]), a `conv` is an
/// index in [`CONVS`], other indices are taken modulo their pools.
#[derive(Clone, Debug)]
pub enum Op {
    /// conn, conv, ID, body, needReadReceipt, onlineUserOnly
    Send(usize, usize, u8, u8, bool, bool),
    /// conn, conv, before_seq, count
    History(usize, usize, Option<u64>, u32),
    Conversations(usize),
    /// conn, conv, seq
    Read(usize, usize, u64),
    /// conn, since, limit
    Sync(usize, u64, u32),
    /// conn, conv, seq
    Revoke(usize, usize, u64),
    /// conn, conv, seq, version, body
    Modify(usize, usize, u64, u32, u8),
    /// conn, conv, seqs
    Delete(usize, usize, Vec<u64>),
    /// conn, conv (DeleteConversation)
    Hide(usize, usize),
    /// conn, conv, pinned
    Pin(usize, usize, bool),
    /// conn, convs, mark_set, mark_clear, customData, remind, clear_history
    Settings(usize, Vec<usize>, u32, u32, Option<u8>, Option<u8>, bool),
    /// conn, action, name, new_name, convs
    Group(usize, u8, u8, u8, Vec<usize>),
    /// conn, conv, seqs (ReadReceipt)
    Ack(usize, usize, Vec<u64>),
    /// conn, conv, seqs (ReceiptList)
    Receipts(usize, usize, Vec<u64>),
    /// conn, conv, seq, read, cursor, count (ReceiptMembers)
    Members(usize, usize, u64, bool, u8, u32),
    /// conn, conv, seq, time (an index in the times seen), newer, count
    Hop(usize, usize, Option<u64>, Option<u8>, bool, u32),
    /// conn, conv, seqs
    Fetch(usize, usize, Vec<u64>),
    /// conn, conv, (ID, client time) per message
    Import(usize, usize, Vec<(u8, u8)>),
    /// conn: Logout, then Login again
    Relogin(usize),
    Ping(usize),
    /// REST add_group_member of this user to g2
    AddMember(usize),
}

fn body(n: u8) -> Content {
    match n % 4 {
        0 => Content::Text {
            text: String::new(),
        }, // refused: empty text
        3 => Content::Custom {
            data: format!("d{n}"),
            description: String::new(),
            extension: String::new(),
        },
        _ => Content::Text {
            text: format!("t{n}"),
        },
    }
}

/// Where a message to `CONVS[conv]` goes (a System target and an empty peer are refused).
fn destination(conv: usize) -> (ConvType, String) {
    match parse_conversation_id(CONVS[conv % CONVS.len()]) {
        Some((ConvType::System, _)) => (ConvType::System, "alice".into()),
        Some((t, peer)) => (t, peer.to_owned()),
        None => (ConvType::C2c, String::new()),
    }
}

fn outbound(conv: usize, id: String, content: Content, client_time: u64) -> OutboundMessage {
    let (conv_type, to) = destination(conv);
    let mut m = message(conv_type, &to, &id, "x");
    m.content = content;
    m.client_time = client_time;
    m
}

pub fn conv_id(conv: usize) -> String {
    CONVS[conv % CONVS.len()].to_owned()
}

/// What a step does: a request on a connection, or one of the two-part steps.
pub enum Step {
    Request(usize, Box<Request>),
    /// Logout, then Login again, on this connection.
    Relogin(usize),
    /// REST add_group_member of this user to g2.
    AddMember(&'static str),
}

/// The request `op` makes; `times` are the server times of the messages seen so far.
pub fn step(op: Op, times: &[u64]) -> Step {
    let (conn, req) = match op {
        Op::Send(conn, conv, id, b, receipt, online) => {
            let mut m = outbound(conv, format!("m{}", id % 10), body(b), 1_700_000_000);
            m.need_read_receipt = receipt;
            m.online_user_only = online;
            (conn, Request::Send(req::Send { message: m }))
        }
        Op::History(conn, conv, before_seq, count) => {
            let conversation_id = conv_id(conv);
            let history = req::History {
                conversation_id,
                before_seq,
                count,
            };
            (conn, Request::History(history))
        }
        Op::Conversations(conn) => (conn, Request::Conversations),
        Op::Read(conn, conv, seq) => {
            let read = req::Read {
                conversation_id: conv_id(conv),
                seq,
            };
            (conn, Request::Read(read))
        }
        Op::Sync(conn, since, limit) => (conn, Request::Sync(req::Sync { since, limit })),
        Op::Revoke(conn, conv, seq) => {
            let revoke = req::Revoke {
                conversation_id: conv_id(conv),
                seq,
            };
            (conn, Request::Revoke(revoke))
        }
        Op::Modify(conn, conv, seq, version, b) => {
            let conversation_id = conv_id(conv);
            let cloud_custom_data = format!("v{version}");
            let content = body(b);
            let modify = req::Modify {
                conversation_id,
                seq,
                version,
                content,
                cloud_custom_data,
            };
            (conn, Request::Modify(modify))
        }
        Op::Delete(conn, conv, seqs) => {
            let delete = req::Delete {
                conversation_id: conv_id(conv),
                seqs,
            };
            (conn, Request::Delete(delete))
        }
        Op::Hide(conn, conv) => {
            let hide = req::DeleteConversation {
                conversation_id: conv_id(conv),
            };
            (conn, Request::DeleteConversation(hide))
        }
        Op::Pin(conn, conv, pinned) => {
            let pin = req::Pin {
                conversation_id: conv_id(conv),
                pinned,
            };
            (conn, Request::Pin(pin))
        }
        Op::Settings(conn, convs, mark_set, mark_clear, custom, remind, clear_history) => {
            let long = "x".repeat(300);
            let settings = req::ConvSettings {
                conversation_ids: convs.into_iter().map(conv_id).collect(),
                mark_set,
                mark_clear,
                custom_data: custom.map(|c| ["", "cd", &long][c as usize % 3].to_owned()),
                remind: remind.map(|r| REMINDS[r as usize % REMINDS.len()].to_owned()),
                clear_history,
            };
            (conn, Request::ConvSettings(settings))
        }
        Op::Group(conn, action, name, new_name, convs) => {
            use ConvGroupAction::*;
            let names = ["work", "home", ""];
            let group = req::ConvGroup {
                action: [Create, Delete, Rename, Add, Remove][action as usize % 5],
                name: names[name as usize % 3].to_owned(),
                new_name: names[new_name as usize % 3].to_owned(),
                conversation_ids: convs.into_iter().map(conv_id).collect(),
            };
            (conn, Request::ConvGroup(group))
        }
        Op::Ack(conn, conv, seqs) => {
            let ack = req::ReadReceipt {
                conversation_id: conv_id(conv),
                seqs,
            };
            (conn, Request::ReadReceipt(ack))
        }
        Op::Receipts(conn, conv, seqs) => {
            let list = req::ReceiptList {
                conversation_id: conv_id(conv),
                seqs,
            };
            (conn, Request::ReceiptList(list))
        }
        Op::Members(conn, conv, seq, read, cursor, count) => {
            let members = req::ReceiptMembers {
                conversation_id: conv_id(conv),
                seq,
                read,
                cursor: ["", "alice", "bob"][cursor as usize % 3].to_owned(),
                count,
            };
            (conn, Request::ReceiptMembers(members))
        }
        Op::Hop(conn, conv, seq, time, newer, count) => {
            // Around a time some message has: one second before, at, or after it.
            let time = time.map(|t| match times.len() {
                0 => now(),
                len => (times[t as usize % len] + u64::from(t % 3)).saturating_sub(1),
            });
            let conversation_id = conv_id(conv);
            let hop = req::Hop {
                conversation_id,
                seq,
                time,
                newer,
                count,
            };
            (conn, Request::Hop(hop))
        }
        Op::Fetch(conn, conv, seqs) => {
            let fetch = req::Fetch {
                conversation_id: conv_id(conv),
                seqs,
            };
            (conn, Request::Fetch(fetch))
        }
        Op::Import(conn, conv, items) => {
            let one = |(id, t): (u8, u8)| {
                let time = IMPORT_TIMES[t as usize % IMPORT_TIMES.len()];
                outbound(conv, format!("m{}", id % 10), body(id | 1), time)
            };
            let messages = items.into_iter().map(one).collect();
            (conn, Request::Import(req::Import { messages }))
        }
        Op::Relogin(conn) => return Step::Relogin(conn % CONNS.len()),
        Op::Ping(conn) => (conn, Request::Ping),
        Op::AddMember(user) => return Step::AddMember(USERS[user % USERS.len()]),
    };
    Step::Request(conn % CONNS.len(), Box::new(req))
}

pub fn login(user: &str) -> Request {
    Request::Login(req::Login {
        user_id: user.into(),
        user_sig: sig(user),
    })
}

fn conv() -> impl Strategy<Value = usize> {
    // Mostly conversations that exist (or may), sometimes a refused one.
    prop_oneof![6 => 0..6usize, 1 => 6..CONVS.len()]
}

fn seq() -> BoxedStrategy<u64> {
    (0..7u64).boxed()
}

fn seqs() -> BoxedStrategy<Vec<u64>> {
    prop::collection::vec(0..7u64, 0..4).boxed()
}

pub fn op() -> impl Strategy<Value = Op> {
    use Op::*;
    let conn = || 0..CONNS.len();
    let convs = || prop::collection::vec(conv(), 0..3);
    let count = || prop_oneof![Just(15u32), 0..5u32];
    let rarely = || prop::bool::weighted(0.2);
    prop_oneof![
        6 => (conn(), conv(), any::<u8>(), any::<u8>(), rarely(), rarely())
            .prop_map(|(c, v, id, b, r, o)| Send(c, v, id, b, r, o)),
        2 => (conn(), conv(), prop::option::of(0..8u64), count())
            .prop_map(|(c, v, before, n)| History(c, v, before, n)),
        2 => conn().prop_map(Conversations),
        2 => (conn(), conv(), seq()).prop_map(|(c, v, s)| Read(c, v, s)),
        1 => (conn(), 0..20u64, prop_oneof![Just(100u32), 0..4u32])
            .prop_map(|(c, since, limit)| Sync(c, since, limit)),
        2 => (conn(), conv(), seq()).prop_map(|(c, v, s)| Revoke(c, v, s)),
        2 => (conn(), conv(), seq(), 0..3u32, any::<u8>())
            .prop_map(|(c, v, s, version, b)| Modify(c, v, s, version, b)),
        1 => (conn(), conv(), seqs()).prop_map(|(c, v, s)| Delete(c, v, s)),
        1 => (conn(), conv()).prop_map(|(c, v)| Hide(c, v)),
        1 => (conn(), conv(), any::<bool>()).prop_map(|(c, v, p)| Pin(c, v, p)),
        1 => (conn(), convs(), 0..4u32, 0..4u32, prop::option::of(0..3u8), prop::option::of(0..4u8), rarely())
            .prop_map(|(c, vs, set, clear, cd, r, h)| Settings(c, vs, set, clear, cd, r, h)),
        1 => (conn(), 0..5u8, 0..3u8, 0..3u8, convs())
            .prop_map(|(c, action, name, new_name, vs)| Group(c, action, name, new_name, vs)),
        2 => (conn(), conv(), seqs()).prop_map(|(c, v, s)| Ack(c, v, s)),
        1 => (conn(), conv(), seqs()).prop_map(|(c, v, s)| Receipts(c, v, s)),
        1 => (conn(), conv(), seq(), any::<bool>(), 0..3u8, 0..3u32)
            .prop_map(|(c, v, s, read, cursor, n)| Members(c, v, s, read, cursor, n)),
        2 => (conn(), conv(), prop::option::of(0..7u64), prop::option::of(any::<u8>()), any::<bool>(), count())
            .prop_map(|(c, v, s, t, newer, n)| Hop(c, v, s, t, newer, n)),
        1 => (conn(), conv(), prop::collection::vec(0..7u64, 0..17))
            .prop_map(|(c, v, s)| Fetch(c, v, s)),
        1 => (conn(), conv(), prop::collection::vec((any::<u8>(), any::<u8>()), 0..4))
            .prop_map(|(c, v, items)| Import(c, v, items)),
        1 => conn().prop_map(Relogin),
        1 => conn().prop_map(Ping),
        1 => (0..USERS.len()).prop_map(AddMember),
    ]
}
