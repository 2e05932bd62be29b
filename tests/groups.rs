//! Browser tests of IM groups against the real server: createGroup / joinGroup / quitGroup /
//! dismissGroup as the other members see them (GROUP_LIST_UPDATED, group system notices, group
//! tips by MESSAGE_RECEIVED with tim-js-sdk's web numbers), member paging by offset, and bad
//! input per method (the reference's codes, the instance still usable). Every test runs under a
//! hard bound; waits are on conditions, never sleeps.
#![cfg(target_arch = "wasm32")]

mod support;

use std::future::Future;

use js_sys::{Array, Object, Reflect};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A test body under a hard bound: a hang fails the test by name.
async fn bounded(f: impl Future<Output = ()>) {
    if timeout(120_000, f).await.is_none() {
        panic!("the test did not finish within 120 s");
    }
}

fn set(o: &Object, key: &str, v: impl Into<JsValue>) {
    let _ = Reflect::set(o, &key.into(), &v.into());
}

fn strings(list: &[&str]) -> JsValue {
    list.iter()
        .map(|s| JsValue::from_str(s))
        .collect::<Array>()
        .into()
}

/// `createGroup` options: `type`, `name`, members, and `joinOption` when given.
fn create_options(kind: &str, name: &str, members: &[&str], join: Option<&str>) -> JsValue {
    let o = Object::new();
    set(&o, "type", type_str(kind));
    set(&o, "name", name);
    let list: Array = members
        .iter()
        .map(|m| {
            let e = Object::new();
            set(&e, "userID", *m);
            JsValue::from(e)
        })
        .collect();
    set(&o, "memberList", list);
    if let Some(j) = join {
        set(&o, "joinOption", type_str(j));
    }
    o.into()
}

fn group_arg(group_id: &str) -> JsValue {
    let o = Object::new();
    set(&o, "groupID", group_id);
    o.into()
}

/// The group IDs of a GROUP_LIST_UPDATED payload.
fn ids(list: &JsValue) -> Vec<String> {
    items(list).iter().map(|g| s(g, "groupID")).collect()
}

async fn code_of(tim: &JsValue, method: &str, args: &[JsValue]) -> f64 {
    n(&rejects(tim, method, args).await, "code")
}

/// Every member, page by page (`count` each), following the returned offsets.
async fn all_members(tim: &JsValue, group_id: &str, count: u32) -> Vec<String> {
    let (mut out, mut offset) = (Vec::new(), 0.0);
    for _ in 0..50 {
        let o = Object::new();
        set(&o, "groupID", group_id);
        set(&o, "count", count);
        set(&o, "offset", offset);
        let page = ok(tim, "getGroupMemberList", &[o.into()]).await;
        let list = items(&get(&page, "memberList"));
        assert!(list.len() <= count as usize, "{}", show(&page));
        out.extend(list.iter().map(|m| s(m, "userID")));
        offset = n(&page, "offset");
        if offset == 0.0 {
            return out;
        }
    }
    panic!("paging never ended");
}

#[wasm_bindgen_test]
async fn a_work_group_reaches_its_members() {
    bounded(async {
        let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
        import_accounts(&[&alice_id, &bob_id, &carol_id]).await;
        let alice = login(&unique("g"), &alice_id).await;
        let bob = login(&unique("g"), &bob_id).await;
        let carol = login(&unique("g"), &carol_id).await;
        let bob_lists = Recorder::new(&bob, "GROUP_LIST_UPDATED");
        let bob_notices = Recorder::new(&bob, "GROUP_SYSTEM_NOTICE_RECEIVED");

        let created = ok(
            &alice,
            "createGroup",
            &[create_options("GRP_WORK", "team", &[&bob_id], None)],
        )
        .await;
        let group = get(&created, "group");
        let group_id = s(&group, "groupID");
        assert!(group_id.starts_with("@TGS#"), "{}", show(&created));
        assert_eq!(s(&group, "type"), type_str("GRP_WORK"));
        assert_eq!(s(&group, "name"), "team");
        assert_eq!(s(&group, "ownerID"), alice_id);
        assert_eq!(s(&group, "selfInfo.role"), "Owner");
        assert_eq!(n(&group, "memberCount"), 2.0);
        assert_eq!(items(&get(&created, "overLimitUserIDList")).len(), 0);

        // Bob: the list with the group, and notice 7 (added).
        assert!(
            bob_lists
                .wait(10_000, |d| d.iter().any(|l| ids(l).contains(&group_id)))
                .await,
            "bob's GROUP_LIST_UPDATED"
        );
        assert!(
            bob_notices
                .wait(10_000, |d| d.iter().any(|x| n(x, "type") == 7.0))
                .await,
            "bob's group system notice"
        );
        let list = ok(&bob, "getGroupList", &[]).await;
        let mine = items(&get(&list, "groupList"));
        let g = mine
            .iter()
            .find(|g| s(g, "groupID") == group_id)
            .expect("listed");
        assert_eq!(s(g, "selfInfo.role"), "Member");
        let profile = ok(&bob, "getGroupProfile", &[group_arg(&group_id)]).await;
        assert_eq!(s(&profile, "group.name"), "team");

        // Carol cannot join a Work group: refused by the SDK with its type, else by the server.
        let o = Object::new();
        set(&o, "groupID", group_id.as_str());
        set(&o, "type", type_str("GRP_WORK"));
        assert_eq!(code_of(&carol, "joinGroup", &[o.into()]).await, 2601.0);
        assert_eq!(
            code_of(&carol, "joinGroup", &[group_arg(&group_id)]).await,
            10007.0
        );

        // Paging by offset: every member once.
        let mut members = all_members(&alice, &group_id, 1).await;
        members.sort();
        let mut want = vec![alice_id.clone(), bob_id.clone()];
        want.sort();
        assert_eq!(members, want);
        let infos = ok(
            &alice,
            "getGroupMemberProfile",
            &[{
                let o = Object::new();
                set(&o, "groupID", group_id.as_str());
                set(&o, "userIDList", strings(&[&bob_id]));
                o.into()
            }],
        )
        .await;
        let m = items(&get(&infos, "memberList"));
        assert_eq!(m.len(), 1, "{}", show(&infos));
        assert_eq!(
            (s(&m[0], "userID"), s(&m[0], "role")),
            (bob_id.clone(), "Member".into())
        );

        // Bob's name card, as the others see it.
        let o = Object::new();
        set(&o, "groupID", group_id.as_str());
        set(&o, "nameCard", "bobby");
        let set_card = ok(&bob, "setGroupMemberNameCard", &[o.into()]).await;
        assert_eq!(
            s(&set_card, "member.nameCard"),
            "bobby",
            "{}",
            show(&set_card)
        );

        for t in [&alice, &bob, &carol] {
            destroy(t).await;
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn joins_and_quits_send_tips_and_a_dismissal_drops_the_group() {
    bounded(async {
        let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
        import_accounts(&[&alice_id, &bob_id, &carol_id]).await;
        let alice = login(&unique("t"), &alice_id).await;
        let bob = login(&unique("t"), &bob_id).await;
        let carol = login(&unique("t"), &carol_id).await;
        let alice_got = Recorder::new(&alice, "MESSAGE_RECEIVED");
        let bob_got = Recorder::new(&bob, "MESSAGE_RECEIVED");
        let bob_lists = Recorder::new(&bob, "GROUP_LIST_UPDATED");
        let carol_lists = Recorder::new(&carol, "GROUP_LIST_UPDATED");

        let created = ok(
            &alice,
            "createGroup",
            &[create_options(
                "GRP_PUBLIC",
                "fans",
                &[&bob_id],
                Some("JOIN_OPTIONS_FREE_ACCESS"),
            )],
        )
        .await;
        let group_id = s(&created, "group.groupID");
        assert_eq!(s(&created, "group.joinOption"), "FreeAccess");

        let joined = ok(&carol, "joinGroup", &[group_arg(&group_id)]).await;
        assert_eq!(s(&joined, "status"), type_str("JOIN_STATUS_SUCCESS"));
        assert_eq!(s(&joined, "group.groupID"), group_id);
        assert!(
            carol_lists
                .wait(10_000, |d| d.iter().any(|l| ids(l).contains(&group_id)))
                .await,
            "carol's list has the group"
        );

        // The join tip (1) reaches alice and bob as a message of the group.
        let is_tip = |m: &JsValue, op: f64| {
            s(m, "type") == type_str("MSG_GRP_TIP")
                && s(m, "conversationID") == format!("GROUP{group_id}")
                && n(m, "payload.operationType") == op
        };
        for (who, got) in [("alice", &alice_got), ("bob", &bob_got)] {
            let tip = got.wait_message(10_000, |m| is_tip(m, 1.0)).await;
            let tip = tip.unwrap_or_else(|| panic!("{who}: no join tip"));
            assert_eq!(s(&tip, "payload.operatorID"), carol_id);
            let users: Vec<String> = items(&path(&tip, "payload.userIDList"))
                .iter()
                .filter_map(|u| u.as_string())
                .collect();
            assert_eq!(users, vec![carol_id.clone()], "{who}");
            assert_eq!(n(&tip, "payload.memberNum"), 3.0, "{who}");
        }
        // Tips are never unread; the conversation shows the group's profile.
        let convs = ok(&bob, "getConversationList", &[]).await;
        let conv = items(&get(&convs, "conversationList"))
            .into_iter()
            .find(|c| s(c, "conversationID") == format!("GROUP{group_id}"))
            .expect("the group conversation is listed");
        assert_eq!(n(&conv, "unreadCount"), 0.0, "{}", show(&conv));
        assert_eq!(s(&conv, "groupProfile.name"), "fans");
        assert_eq!(s(&conv, "groupProfile.type"), type_str("GRP_PUBLIC"));
        assert_eq!(s(&conv, "lastMessage.type"), type_str("MSG_GRP_TIP"));

        // Quit: tip 2 to the others, the group leaves carol's list.
        let quit = ok(&carol, "quitGroup", &[JsValue::from_str(&group_id)]).await;
        assert_eq!(s(&quit, "groupID"), group_id);
        for (who, got) in [("alice", &alice_got), ("bob", &bob_got)] {
            let tip = got.wait_message(10_000, |m| is_tip(m, 2.0)).await;
            assert!(tip.is_some(), "{who}: no quit tip");
        }
        assert!(
            carol_lists
                .wait(10_000, |d| d
                    .last()
                    .is_some_and(|l| !ids(l).contains(&group_id)))
                .await,
            "carol's list drops the group"
        );

        // Dismiss: bob's list drops it, and alice's getGroupList no longer has it.
        let dismissed = ok(&alice, "dismissGroup", &[JsValue::from_str(&group_id)]).await;
        assert_eq!(s(&dismissed, "groupID"), group_id);
        assert!(
            bob_lists
                .wait(10_000, |d| d
                    .last()
                    .is_some_and(|l| !ids(l).contains(&group_id)))
                .await,
            "bob's list drops the dismissed group"
        );
        let list = ok(&alice, "getGroupList", &[]).await;
        assert!(!ids(&get(&list, "groupList")).contains(&group_id));

        for t in [&alice, &bob, &carol] {
            destroy(t).await;
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_with_the_reference_codes() {
    bounded(async {
        let me = unique("bad");
        import_accounts(&[&me]).await;
        let tim = login(&unique("b"), &me).await;
        let created = ok(
            &tim,
            "createGroup",
            &[create_options("GRP_PUBLIC", "mine", &[], None)],
        )
        .await;
        let group_id = s(&created, "group.groupID");
        let with = |fields: &[(&str, JsValue)]| {
            let o = Object::new();
            for (k, v) in fields {
                set(&o, k, v.clone());
            }
            JsValue::from(o)
        };
        let g = JsValue::from_str(&group_id);
        let cases: Vec<(&str, JsValue, f64)> = vec![
            ("createGroup", with(&[]), 2905.0),
            ("createGroup", JsValue::from(5), 2905.0),
            (
                "createGroup",
                with(&[("name", "n".repeat(31).into())]),
                2905.0,
            ),
            (
                "createGroup",
                with(&[("name", "x".into()), ("type", "Nope".into())]),
                2600.0,
            ),
            (
                "createGroup",
                with(&[("name", "x".into()), ("memberList", "bob".into())]),
                2905.0,
            ),
            ("dismissGroup", JsValue::from(5), 2905.0),
            ("quitGroup", JsValue::from_str(""), 2905.0),
            ("searchGroupByID", JsValue::NULL, 2905.0),
            (
                "getGroupProfile",
                with(&[("groupID", "bad\u{1}id".into())]),
                2602.0,
            ),
            (
                "updateGroupProfile",
                with(&[("groupID", g.clone()), ("muteAllMembers", "yes".into())]),
                2905.0,
            ),
            (
                "changeGroupOwner",
                with(&[("groupID", g.clone()), ("newOwnerID", me.as_str().into())]),
                2621.0,
            ),
            (
                "getGroupMemberList",
                with(&[("groupID", g.clone()), ("count", "ten".into())]),
                2905.0,
            ),
            (
                "getGroupMemberProfile",
                with(&[("groupID", g.clone()), ("userIDList", "bob".into())]),
                2905.0,
            ),
            ("addGroupMember", with(&[("groupID", g.clone())]), 2905.0),
            (
                "deleteGroupMember",
                with(&[("groupID", g.clone()), ("userIDList", strings(&[]))]),
                2905.0,
            ),
            (
                "setGroupMemberNameCard",
                with(&[("groupID", g.clone()), ("nameCard", "c".repeat(51).into())]),
                2905.0,
            ),
            (
                "setGroupMemberCustomField",
                with(&[("groupID", g.clone()), ("memberCustomField", "x".into())]),
                2905.0,
            ),
            // The server's refusals: an unknown group.
            (
                "joinGroup",
                with(&[("groupID", unique("nogroup").into())]),
                10010.0,
            ),
            ("quitGroup", JsValue::from_str(&unique("nogroup")), 10010.0),
        ];
        for (method, arg, code) in cases {
            let got = code_of(&tim, method, std::slice::from_ref(&arg)).await;
            assert_eq!(got, code, "{method}({})", show(&arg));
        }
        // Still usable.
        let list = ok(&tim, "getGroupList", &[]).await;
        assert!(ids(&get(&list, "groupList")).contains(&group_id));
        let o = Object::new();
        set(&o, "groupID", group_id.as_str());
        set(&o, "introduction", "still here");
        let updated = ok(&tim, "updateGroupProfile", &[o.into()]).await;
        assert_eq!(s(&updated, "group.introduction"), "still here");
        destroy(&tim).await;
    })
    .await;
}

#[wasm_bindgen_test]
async fn members_added_removed_and_profile_changes_reach_the_others() {
    bounded(async {
        let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
        import_accounts(&[&alice_id, &bob_id, &carol_id]).await;
        let alice = login(&unique("m"), &alice_id).await;
        let bob = login(&unique("m"), &bob_id).await;
        let carol = login(&unique("m"), &carol_id).await;
        let bob_got = Recorder::new(&bob, "MESSAGE_RECEIVED");
        let bob_lists = Recorder::new(&bob, "GROUP_LIST_UPDATED");
        let carol_lists = Recorder::new(&carol, "GROUP_LIST_UPDATED");
        let created = ok(
            &alice,
            "createGroup",
            &[create_options("GRP_PUBLIC", "club", &[&bob_id], None)],
        )
        .await;
        let group_id = s(&created, "group.groupID");
        let conv = format!("GROUP{group_id}");
        let tip = |op: f64| {
            let conv = conv.clone();
            move |m: &JsValue| {
                s(m, "type") == type_str("MSG_GRP_TIP")
                    && s(m, "conversationID") == conv
                    && n(m, "payload.operationType") == op
            }
        };

        // addGroupMember: carol is in, bob hears the join tip (1), carol's list has it.
        let o = Object::new();
        set(&o, "groupID", group_id.as_str());
        set(&o, "userIDList", strings(&[&carol_id, &bob_id]));
        let added = ok(&alice, "addGroupMember", &[o.into()]).await;
        let list = |key: &str| -> Vec<String> {
            items(&get(&added, key))
                .iter()
                .filter_map(|u| u.as_string())
                .collect()
        };
        assert_eq!(
            list("successUserIDList"),
            vec![carol_id.clone()],
            "{}",
            show(&added)
        );
        assert_eq!(list("existedUserIDList"), vec![bob_id.clone()]);
        assert_eq!(n(&added, "group.memberCount"), 3.0);
        assert!(
            bob_got.wait_message(10_000, tip(1.0)).await.is_some(),
            "add tip"
        );
        assert!(
            carol_lists
                .wait(10_000, |d| d.iter().any(|l| ids(l).contains(&group_id)))
                .await,
            "carol's list has the group"
        );

        // updateGroupProfile: tip 6 with the new name; bob's list shows it.
        let o = Object::new();
        set(&o, "groupID", group_id.as_str());
        set(&o, "name", "club 2");
        let updated = ok(&alice, "updateGroupProfile", &[o.into()]).await;
        assert_eq!(s(&updated, "group.name"), "club 2");
        let t = bob_got
            .wait_message(10_000, tip(6.0))
            .await
            .expect("profile tip");
        assert_eq!(
            s(&t, "payload.newGroupProfile.name"),
            "club 2",
            "{}",
            show(&t)
        );
        assert!(
            bob_lists
                .wait(10_000, |d| d.last().is_some_and(|l| {
                    items(l).iter().any(|g| s(g, "name") == "club 2")
                }))
                .await,
            "bob's list shows the new name"
        );

        // deleteGroupMember: tip 3 to bob, carol's list drops the group.
        let o = Object::new();
        set(&o, "groupID", group_id.as_str());
        set(&o, "userIDList", strings(&[&carol_id]));
        let kicked = ok(&alice, "deleteGroupMember", &[o.into()]).await;
        assert_eq!(n(&kicked, "group.memberCount"), 2.0, "{}", show(&kicked));
        assert!(
            bob_got.wait_message(10_000, tip(3.0)).await.is_some(),
            "kick tip"
        );
        assert!(
            carol_lists
                .wait(10_000, |d| d
                    .last()
                    .is_some_and(|l| !ids(l).contains(&group_id)))
                .await,
            "carol's list drops the group"
        );

        // changeGroupOwner: bob owns it now.
        let o = Object::new();
        set(&o, "groupID", group_id.as_str());
        set(&o, "newOwnerID", bob_id.as_str());
        let owned = ok(&alice, "changeGroupOwner", &[o.into()]).await;
        assert_eq!(s(&owned, "group.ownerID"), bob_id);
        assert_eq!(s(&owned, "group.selfInfo.role"), "Member");
        let profile = ok(&bob, "getGroupProfile", &[group_arg(&group_id)]).await;
        assert_eq!(
            s(&profile, "group.selfInfo.role"),
            "Owner",
            "{}",
            show(&profile)
        );
        // The owner of a Public group cannot quit (10009); a plain member can.
        assert_eq!(
            code_of(&bob, "quitGroup", &[JsValue::from_str(&group_id)]).await,
            10009.0
        );
        ok(&alice, "quitGroup", &[JsValue::from_str(&group_id)]).await;

        // searchGroupByID finds a Public group for anyone; a Work group is not found.
        let found = ok(&carol, "searchGroupByID", &[JsValue::from_str(&group_id)]).await;
        assert_eq!(s(&found, "group.name"), "club 2");
        let work = ok(
            &alice,
            "createGroup",
            &[create_options("GRP_WORK", "hidden", &[], None)],
        )
        .await;
        let work_id = s(&work, "group.groupID");
        assert_eq!(
            code_of(&carol, "searchGroupByID", &[JsValue::from_str(&work_id)]).await,
            10010.0
        );

        for t in [&alice, &bob, &carol] {
            destroy(t).await;
        }
    })
    .await;
}
