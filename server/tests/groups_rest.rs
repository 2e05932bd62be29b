//! The admin's group commands over REST (`group_open_http_svc`): `get_group_info`,
//! `delete_group_member` and `destroy_group` reach the members' sockets like their own
//! changes; `create_group` / `add_group_member` stay quiet (notices only) as before.

mod common;

use common::*;
use serde_json::json;
use tim_protocol::{codes, Content, ServerFrame, TipKind};

fn notice_type(frame: ServerFrame) -> u32 {
    match push_of(frame).1.content {
        Content::GroupSystemNotice { operation_type, .. } => operation_type,
        other => panic!("not a notice: {other:?}"),
    }
}

#[tokio::test]
async fn admin_reads_removes_and_destroys() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Owner_Account": "alice", "Type": "Work", "GroupId": "team", "Name": "Team",
                   "MemberList": admin_body_members(&["bob", "carol"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(notice_type(alice.next_push().await), 6);
    assert_eq!(notice_type(bob.next_push().await), 7);
    alice.expect_quiet().await; // quiet: no tip, no GroupChanged

    let r = server
        .rest(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": ["team", "nope"]}),
        )
        .await;
    let info = &r["GroupInfo"];
    assert_eq!(
        (
            &info[0]["Type"],
            &info[0]["Owner_Account"],
            &info[0]["MemberNum"]
        ),
        (&json!("Private"), &json!("alice"), &json!(3))
    );
    assert_eq!(info[0]["MemberList"][0]["Role"], "Owner");
    assert_eq!(info[1]["ErrorCode"], codes::GROUP_NOT_FOUND);

    let r = server
        .rest(
            "group_open_http_svc/delete_group_member",
            json!({"GroupId": "team", "MemberToDel_Account": ["bob"]}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(notice_type(bob.next_push().await), 4);
    assert!(
        matches!(bob.next_push().await, ServerFrame::GroupLeft { group_id } if group_id == "team")
    );
    let (_, tip, _) = push_of(alice.next_push().await);
    assert!(matches!(
        tip.content,
        Content::GroupTip {
            operation: TipKind::Kick,
            ..
        }
    ));
    assert!(
        matches!(alice.next_push().await, ServerFrame::GroupChanged { group } if group.member_count == 2)
    );

    // The admin destroys even a Work group.
    let r = server
        .rest(
            "group_open_http_svc/destroy_group",
            json!({"GroupId": "team"}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(notice_type(alice.next_push().await), 5);
    assert!(matches!(
        alice.next_push().await,
        ServerFrame::GroupLeft { .. }
    ));
    bob.expect_quiet().await;
    let r = server
        .rest(
            "group_open_http_svc/destroy_group",
            json!({"GroupId": "team"}),
        )
        .await;
    assert_eq!(r["ErrorCode"], codes::GROUP_NOT_FOUND);
}

#[tokio::test]
async fn admin_edits_profiles_owners_and_members() {
    let server = TestServer::start().await;
    let mut bob = server.login("bob").await;
    server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Owner_Account": "alice", "Type": "Public", "GroupId": "pub", "Name": "Pub",
                   "MemberList": admin_body_members(&["bob", "carol"])}),
        )
        .await;
    assert_eq!(notice_type(bob.next_push().await), 7);

    let r = server
        .rest(
            "group_open_http_svc/modify_group_base_info",
            json!({"GroupId": "pub", "Name": "Renamed", "ShutUpAllMember": "On",
                   "AppDefinedData": [{"Key": "k", "Value": "v"}]}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let (_, tip, _) = push_of(bob.next_push().await);
    let Content::GroupTip {
        operation, profile, ..
    } = tip.content
    else {
        panic!()
    };
    assert_eq!(operation, TipKind::Profile);
    let keys: Vec<&str> = profile.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["name", "muteAllMembers", "groupCustomField"]);
    assert!(matches!(bob.next_push().await,
        ServerFrame::GroupChanged { group } if group.name == "Renamed" && group.mute_all));
    let bad = server
        .rest(
            "group_open_http_svc/modify_group_base_info",
            json!({"GroupId": "pub", "ShutUpAllMember": "maybe"}),
        )
        .await;
    assert_eq!(bad["ErrorCode"], codes::GROUP_INVALID_PARAMETER);

    let r = server
        .rest(
            "group_open_http_svc/change_group_owner",
            json!({"GroupId": "pub", "NewOwner_Account": "bob"}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    push_of(bob.next_push().await); // tip Profile (ownerID)
    assert!(
        matches!(bob.next_push().await, ServerFrame::GroupChanged { group }
        if group.self_info.as_ref().map(|s| s.role) == Some(tim_protocol::GroupRole::Owner))
    );

    let r = server
        .rest(
            "group_open_http_svc/modify_group_member_info",
            json!({"GroupId": "pub", "Member_Account": "carol", "NameCard": "Caz"}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let r = server
        .rest(
            "group_open_http_svc/get_group_member_info",
            json!({"GroupId": "pub", "Limit": 2, "Offset": 1}),
        )
        .await;
    assert_eq!(r["MemberNum"], 3);
    let list = r["MemberList"].as_array().expect("list");
    let names: Vec<_> = list
        .iter()
        .map(|m| (&m["Member_Account"], &m["Role"]))
        .collect();
    assert_eq!(
        names,
        [
            (&json!("bob"), &json!("Owner")),
            (&json!("carol"), &json!("Member"))
        ]
    );
    assert_eq!(list[1]["NameCard"], "Caz");

    let r = server
        .rest(
            "group_open_http_svc/get_joined_group_list",
            json!({"Member_Account": "carol"}),
        )
        .await;
    assert_eq!(
        (&r["TotalCount"], &r["GroupIdList"][0]["GroupId"]),
        (&json!(1), &json!("pub"))
    );
    bob.expect_quiet().await; // carol's name card changed carol's view only
}

/// `forbid_send_msg` mutes like a member's setGroupMemberMuteTime (tip to the members, sends
/// refused 10017; non-members skipped), `get_group_muted_account` lists who is muted, and
/// `get_online_member_num` counts members with a socket.
#[tokio::test]
async fn admin_mutes_lists_muted_and_counts_online() {
    let server = TestServer::start().await;
    let mut alice = server.login("alice").await;
    let mut bob = server.login("bob").await;
    let r = server
        .rest(
            "group_open_http_svc/create_group",
            json!({"Owner_Account": "alice", "Type": "Public", "GroupId": "pub", "Name": "Pub",
                   "MemberList": admin_body_members(&["bob", "carol"])}),
        )
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let forbid =
        |secs: u32| json!({"GroupId": "pub", "Members_Account": ["bob", "zed"], "MuteTime": secs});
    let r = server
        .rest("group_open_http_svc/forbid_send_msg", forbid(600))
        .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(notice_type(bob.next_push().await), 7);
    match push_of(bob.next_push().await).1.content {
        Content::GroupTip {
            operation, members, ..
        } => {
            assert_eq!(operation, TipKind::MemberProfile);
            assert_eq!(
                (members[0].user_id.as_str(), members[0].mute_time),
                ("bob", 600)
            );
        }
        other => panic!("not a tip: {other:?}"),
    }
    let send = |id: &str| {
        tim_protocol::Request::Send(tim_protocol::req::Send {
            message: message(tim_protocol::ConvType::Group, "pub", id, "hi"),
        })
    };
    assert_eq!(bob.err_code(send("b1")).await, codes::GROUP_MEMBER_MUTED);
    let r = server
        .rest(
            "group_open_http_svc/get_group_muted_account",
            json!({"GroupId": "pub"}),
        )
        .await;
    let list = r["ShuttedUinList"].as_array().expect("a list").clone();
    assert_eq!(list.len(), 1, "{r}");
    assert_eq!(list[0]["Member_Account"], "bob");
    assert!(list[0]["ShuttedUntil"].as_u64().unwrap() >= now() + 590);

    let r = server
        .rest(
            "group_open_http_svc/get_online_member_num",
            json!({"GroupId": "pub"}),
        )
        .await;
    assert_eq!(r["OnlineMemberNum"], 2, "{r}"); // alice and bob; carol never connected

    server
        .rest("group_open_http_svc/forbid_send_msg", forbid(0))
        .await;
    bob.ok(send("b2")).await;
    alice.ok(send("a1")).await;
    let r = server
        .rest(
            "group_open_http_svc/get_online_member_num",
            json!({"GroupId": "nope"}),
        )
        .await;
    assert_eq!(r["ErrorCode"], codes::GROUP_NOT_FOUND);
}
