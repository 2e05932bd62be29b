//! getGroupMemberList paging over real sockets: pages in user-ID order, the cursor the last
//! user ID, never repeat or skip a member present throughout while other users join and quit
//! concurrently on their own sockets.

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{req, GroupRole, GroupType, JoinOption, Reply, Request};

/// One full scan of the member list in pages of `count`.
async fn scan(c: &mut Client, group: &str, count: u32) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let Reply::GroupMembers {
            members,
            cursor: next,
            complete,
        } = c
            .ok(Request::GroupMembers(req::GroupMembers {
                group_id: group.into(),
                cursor: cursor.clone(),
                count,
            }))
            .await
        else {
            panic!()
        };
        assert!(members.len() <= count as usize);
        seen.extend(members.into_iter().map(|m| m.user_id));
        if complete {
            return seen;
        }
        cursor = next;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_pages_never_repeat_or_skip_while_others_join_and_leave() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    alice
        .ok(Request::GroupCreate(req::GroupCreate {
            group_id: "big".into(),
            group_type: GroupType::Public,
            name: "Big".into(),
            join_option: Some(JoinOption::FreeAccess),
            ..Default::default()
        }))
        .await;
    // Members present throughout, added by the admin (no login needed).
    let stable: Vec<String> = (0..40).map(|i| format!("s{i:02}")).collect();
    let body = json!({"GroupId": "big", "MemberList": admin_body_members(
        &stable.iter().map(String::as_str).collect::<Vec<_>>())});
    let r = server
        .rest("group_open_http_svc/add_group_member", body)
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");

    // Meanwhile users sorting before, among and after the stable ones join and quit, over
    // and over, on their own sockets.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut churners = Vec::new();
    for name in ["a0", "s05x", "s20x", "s39x", "z9"] {
        let mut c = server.login(name).await;
        let stop = stop.clone();
        churners.push(tokio::spawn(async move {
            let mut rounds = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                c.ok(Request::GroupJoin(req::GroupJoin {
                    group_id: "big".into(),
                    apply_message: String::new(),
                }))
                .await;
                c.ok(Request::GroupQuit(req::GroupRef {
                    group_id: "big".into(),
                }))
                .await;
                rounds += 1;
            }
            rounds
        }));
    }
    for count in [1, 3, 7, 16] {
        let seen = scan(&mut alice, "big", count).await;
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted, seen,
            "pages repeat or leave user-ID order: {seen:?}"
        );
        for s in stable.iter().chain(["alice".to_owned()].iter()) {
            assert!(seen.contains(s), "{s} skipped with pages of {count}");
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for c in churners {
        assert!(
            c.await.unwrap() > 0,
            "every churner ran while pages were read"
        );
    }
    // The count is capped.
    let Reply::GroupMembers { members, .. } = alice
        .ok(Request::GroupMembers(req::GroupMembers {
            group_id: "big".into(),
            cursor: String::new(),
            count: 10_000,
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(members.len(), 41);
    let owner = members
        .iter()
        .find(|m| m.user_id == "alice")
        .map(|m| m.role);
    assert_eq!(owner, Some(GroupRole::Owner));
}
