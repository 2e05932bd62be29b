//! A data directory written by the previous release (schema version 0, message bodies without
//! `revoked`/`version`) opens, upgrades in place and keeps working, including the new
//! operations; opening it again does not migrate twice.

mod common;

use common::*;
use tim_protocol::{req, Change, Content, Reply, Request};

/// The Foundation release's schema, verbatim: what existing data directories contain.
const V0_SCHEMA: &str = "
CREATE TABLE convs (conv_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, a TEXT NOT NULL,
    b TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0, UNIQUE (kind, a, b));
CREATE TABLE groups (group_id TEXT PRIMARY KEY, conv_id INTEGER NOT NULL,
    group_type TEXT NOT NULL, name TEXT NOT NULL, owner TEXT, created INTEGER NOT NULL);
CREATE TABLE user_convs (user_id TEXT NOT NULL, conv_id INTEGER NOT NULL,
    read_seq INTEGER NOT NULL DEFAULT 0, sort_key INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, conv_id));
CREATE INDEX user_convs_by_conv ON user_convs (conv_id);
CREATE TABLE messages (msg_id INTEGER PRIMARY KEY, conv_id INTEGER NOT NULL,
    seq INTEGER NOT NULL, sender TEXT NOT NULL, client_id TEXT NOT NULL,
    sender_sync INTEGER NOT NULL, body TEXT NOT NULL, UNIQUE (conv_id, seq),
    UNIQUE (sender, client_id));
CREATE TABLE users (user_id TEXT PRIMARY KEY, sync_seq INTEGER NOT NULL DEFAULT 0,
    nick TEXT NOT NULL DEFAULT '', avatar TEXT NOT NULL DEFAULT '');
CREATE TABLE inbox (user_id TEXT NOT NULL, sync_seq INTEGER NOT NULL,
    conv_id INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, sync_seq))
    WITHOUT ROWID;
";

/// A message body as the previous release serialized it.
fn v0_body(seq: u64, id: &str, text: &str, time: u64) -> String {
    format!(
        r#"{{"id":"{id}","conv_type":"C2C","from":"alice","to":"bob","seq":{seq},"time":{time},"random":7,"client_time":{time},"priority":"Normal","content":{{"type":"TIMTextElem","payload":{{"text":"{text}"}}}},"cloud_custom_data":"","at_user_list":[],"nick":"","avatar":""}}"#
    )
}

fn user_version(dir: &std::path::Path) -> u32 {
    let db = rusqlite::Connection::open(dir.join("tim.sqlite")).unwrap();
    db.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_version_0_data_dir_upgrades_and_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let now = now();
    {
        let db = rusqlite::Connection::open(dir.path().join("tim.sqlite")).unwrap();
        db.pragma_update(None, "journal_mode", "WAL").unwrap();
        db.execute_batch(V0_SCHEMA).unwrap();
        db.execute(
            "INSERT INTO convs (conv_id, kind, a, b, last_seq) VALUES (1, 'C', 'alice', 'bob', 2)",
            [],
        )
        .unwrap();
        db.execute_batch(
            "INSERT INTO users (user_id, sync_seq) VALUES ('alice', 2), ('bob', 2);
             INSERT INTO user_convs VALUES ('alice', 1, 0, 2), ('bob', 1, 1, 2);
             INSERT INTO inbox VALUES ('alice', 1, 1, 1), ('alice', 2, 1, 2),
                                      ('bob', 1, 1, 1), ('bob', 2, 1, 2);",
        )
        .unwrap();
        for (seq, id, text) in [(1, "old-1", "first"), (2, "old-2", "second")] {
            db.execute(
                "INSERT INTO messages (conv_id, seq, sender, client_id, sender_sync, body)
                 VALUES (1, ?1, 'alice', ?2, ?1, ?3)",
                rusqlite::params![seq, id, v0_body(seq, id, text, now)],
            )
            .unwrap();
        }
        assert_eq!(user_version(dir.path()), 0);
    }

    let mut server = TestServer::start_with(config(dir.path())).await;
    let mut alice = server.login("alice").await;
    assert_eq!(
        user_version(dir.path()),
        8,
        "upgraded on open (to the last of MIGRATIONS)"
    );
    let mut bob = server.login("bob").await;
    assert_eq!(bob.history("C2Calice", None, 15).await.0, [1, 2]);
    let h = bob.messages("C2Calice").await;
    assert!(h.iter().all(|m| !m.revoked && m.version == 0));
    let convs = bob.conversations().await;
    assert_eq!(
        (convs[0].unread, convs[0].pinned, convs[0].peer_read_seq),
        (1, false, 0)
    );
    let items = bob.sync_items(0).await;
    assert!(items.iter().all(|i| i.change == Change::New));

    // Old messages take part in the new operations.
    let Reply::Updated { message, sync_seq } = alice
        .ok(Request::Modify(req::Modify {
            conversation_id: "C2Cbob".into(),
            seq: 1,
            version: 0,
            content: Content::Text {
                text: "first, edited".into(),
            },
            cloud_custom_data: String::new(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!((message.version, sync_seq), (1, 3));
    alice
        .ok(Request::Revoke(req::Revoke {
            conversation_id: "C2Cbob".into(),
            seq: 2,
        }))
        .await;
    bob.ok(Request::Pin(req::Pin {
        conversation_id: "C2Calice".into(),
        pinned: true,
    }))
    .await;
    alice.send(text("bob", "new-1", "third")).await;
    let changes: Vec<_> = bob.sync_items(2).await.iter().map(|i| i.change).collect();
    assert_eq!(changes, [Change::Modified, Change::Revoked, Change::New]);
    alice.close().await;
    bob.close().await;
    server.stop().await;

    // Reopened: already at the current version, the state is intact.
    let server = TestServer::start_with(config(dir.path())).await;
    let mut bob = server.login("bob").await;
    assert_eq!(user_version(dir.path()), 8);
    let h = bob.messages("C2Calice").await;
    assert_eq!(
        h.iter()
            .map(|m| (m.seq, m.version, m.revoked))
            .collect::<Vec<_>>(),
        [(1, 1, false), (2, 0, true), (3, 0, false)]
    );
    assert!(bob.conversations().await[0].pinned);
}

/// A group the admin made over REST before groups were served (type stored as the alias
/// `Work`, membership only in `user_convs`) opens with a roster (owner and member roles),
/// the canonical type, and serves the group commands.
#[tokio::test]
async fn a_rest_made_group_gets_its_roster_on_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let now = now();
    {
        let db = rusqlite::Connection::open(dir.path().join("tim.sqlite")).unwrap();
        db.pragma_update(None, "journal_mode", "WAL").unwrap();
        db.execute_batch(V0_SCHEMA).unwrap();
        db.execute(
            "INSERT INTO convs (conv_id, kind, a, b, last_seq) VALUES (1, 'G', 'team', '', 0)",
            [],
        )
        .unwrap();
        db.execute(
            "INSERT INTO groups VALUES ('team', 1, 'Work', 'The Team', 'alice', ?1)",
            [now],
        )
        .unwrap();
        db.execute_batch("INSERT INTO user_convs VALUES ('alice', 1, 0, 0), ('bob', 1, 0, 0);")
            .unwrap();
    }
    let server = TestServer::start_with(config(dir.path())).await;
    let mut bob = server.login("bob").await;
    assert_eq!(user_version(dir.path()), 8);
    let Reply::Groups { groups } = bob.ok(Request::GroupList(req::GroupList::default())).await
    else {
        panic!()
    };
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(
        (
            g.group_type,
            g.owner_id.as_str(),
            g.member_count,
            g.create_time
        ),
        (tim_protocol::GroupType::Work, "alice", 2, now)
    );
    assert_eq!(
        g.self_info.as_ref().map(|s| s.role),
        Some(tim_protocol::GroupRole::Member)
    );
    let Reply::GroupMembers {
        members, complete, ..
    } = bob
        .ok(Request::GroupMembers(req::GroupMembers {
            group_id: "team".into(),
            cursor: String::new(),
            count: 10,
        }))
        .await
    else {
        panic!()
    };
    let roles: Vec<_> = members
        .iter()
        .map(|m| (m.user_id.as_str(), m.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("alice", tim_protocol::GroupRole::Owner),
            ("bob", tim_protocol::GroupRole::Member)
        ]
    );
    assert!(complete);
    // Group commands work on it: a member of a Work group adds a member.
    server.login("carol").await;
    let added = bob
        .ok(Request::GroupAdd(req::GroupUsers {
            group_id: "team".into(),
            user_ids: vec!["carol".into()],
            reason: String::new(),
        }))
        .await;
    assert!(matches!(added, Reply::GroupAdded { success, .. } if success == ["carol"]));
}
