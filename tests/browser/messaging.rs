//! Messages between users and instances: delivery, paging, unread counts, groups.

use super::*;

#[wasm_bindgen_test]
async fn c2c_text_reaches_the_peer_and_not_the_sender() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = create(&unique("a"));
    let ready = Recorder::new(&alice, "SDK_READY");
    let login = Object::new();
    let _ = Reflect::set(&login, &"userID".into(), &JsValue::from_str(&alice_id));
    let _ = Reflect::set(
        &login,
        &"userSig".into(),
        &JsValue::from_str(&user_sig(&alice_id)),
    );
    let data = ok(&alice, "login", &[login.into()]).await;
    // SDK_READY follows login's resolution, in a later task.
    let heard = ready.wait(5_000, |d| d.len() == 1).await;
    assert!(heard, "SDK_READY after login resolved");
    assert!(
        path(&data, "repeatLogin").as_bool().is_some(),
        "login data: {}",
        show(&data)
    );
    let bob = login_as(&bob_id).await;
    let alice_rx = Recorder::new(&alice, "MESSAGE_RECEIVED");
    let bob_rx = Recorder::new(&bob, "MESSAGE_RECEIVED");

    let text = "hello bob, \u{4f60}\u{597d} \u{1f44b}";
    let message = call_sync(
        &alice,
        "createTextMessage",
        &[text_options(&bob_id, C2C, text)],
    )
    .expect("create");
    assert_eq!(s(&message, "status"), "unSend");
    assert_eq!(s(&message, "flow"), "out");
    assert_eq!(s(&message, "type"), "TIMTextElem");
    assert_eq!(s(&message, "payload.text"), text);
    assert_eq!(s(&message, "conversationID"), format!("C2C{bob_id}"));
    assert!(!s(&message, "ID").is_empty());

    let sent = ok(&alice, "sendMessage", std::slice::from_ref(&message)).await;
    let sent = get(&sent, "message");
    assert_eq!(s(&sent, "status"), "success");
    assert!(n(&sent, "sequence") >= 1.0, "{}", show(&sent));
    assert!(n(&sent, "time") > 1.6e9, "{}", show(&sent));
    assert_eq!(
        s(&message, "status"),
        "success",
        "the passed message object must be updated in place"
    );
    assert_eq!(n(&message, "sequence"), n(&sent, "sequence"));

    let got = bob_rx
        .wait_message(5_000, |m| s(m, "ID") == s(&message, "ID"))
        .await;
    let got = got.unwrap_or_else(|| {
        panic!(
            "bob got nothing; saw {:?}",
            bob_rx.messages().iter().map(show).collect::<Vec<_>>()
        )
    });
    assert_eq!(s(&got, "payload.text"), text);
    assert_eq!(s(&got, "from"), alice_id);
    assert_eq!(s(&got, "to"), bob_id);
    assert_eq!(s(&got, "conversationID"), format!("C2C{alice_id}"));
    assert_eq!(s(&got, "conversationType"), "C2C");
    assert_eq!(s(&got, "type"), "TIMTextElem");
    assert_eq!(s(&got, "flow"), "in");
    assert_eq!(n(&got, "sequence"), n(&sent, "sequence"));
    assert_eq!(n(&got, "time"), n(&sent, "time"));
    assert_eq!(bob_rx.messages().len(), 1, "exactly one delivery");

    // Bob answers: once alice has that, anything her own send was to bring her has come.
    let answer = follow_up(&bob, &alice_id, &alice_rx).await;
    assert_eq!(
        alice_rx.ids(),
        vec![answer],
        "the sender must not get MESSAGE_RECEIVED for its own send"
    );
    assert_eq!(bob_rx.messages().len(), 1, "exactly one delivery");
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn forty_messages_page_as_15_15_10() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    import_accounts(&[&bob_id]).await;
    let alice = login_as(&alice_id).await;
    for i in 0..40 {
        send_text(&alice, &bob_id, C2C, &format!("m{i}")).await;
    }
    // Bob logs in afterwards: his history comes from the server.
    let bob = login_as(&bob_id).await;
    let conversation = format!("C2C{alice_id}");
    let mut next: Option<String> = None;
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    for _ in 0..3 {
        let options = Object::new();
        let _ = Reflect::set(
            &options,
            &"conversationID".into(),
            &JsValue::from_str(&conversation),
        );
        if let Some(id) = &next {
            let _ = Reflect::set(&options, &"nextReqMessageID".into(), &JsValue::from_str(id));
        }
        let data = ok(&bob, "getMessageList", &[options.into()]).await;
        let list = items(&get(&data, "messageList"));
        let texts: Vec<String> = list.iter().map(|m| s(m, "payload.text")).collect();
        pages.push((texts.len(), b(&data, "isCompleted")));
        // Oldest first within a page; each page older than the one before.
        let seqs: Vec<f64> = list.iter().map(|m| n(m, "sequence")).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "page not in ascending sequence: {seqs:?}"
        );
        if let (Some(last), Some(newer)) = (list.last(), seen.first()) {
            assert!(n(last, "sequence") < n(newer, "sequence"), "pages overlap");
        }
        next = Some(s(&data, "nextReqMessageID"));
        let mut all = list.clone();
        all.extend(seen);
        seen = all;
    }
    assert_eq!(pages, vec![(15, false), (15, false), (10, true)]);
    let texts: Vec<String> = seen.iter().map(|m| s(m, "payload.text")).collect();
    let expected: Vec<String> = (0..40).map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected, "no repeat, no skip, in order");
    for m in &seen {
        assert_eq!(s(m, "flow"), "in");
        assert_eq!(s(m, "from"), alice_id);
    }
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn unread_counts_rise_and_set_message_read_clears_them() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let bob_list = Recorder::new(&bob, "CONVERSATION_LIST_UPDATED");
    let bob_total = Recorder::new(&bob, "TOTAL_UNREAD_MESSAGE_COUNT_UPDATED");
    let conv_id = format!("C2C{alice_id}");
    for i in 0..3 {
        send_text(&alice, &bob_id, C2C, &format!("u{i}")).await;
    }
    let rose = bob_total
        .wait(5_000, |d| d.last().and_then(JsValue::as_f64) == Some(3.0))
        .await;
    assert!(
        rose,
        "total unread must reach 3; saw {:?}",
        bob_total.data().iter().map(show).collect::<Vec<_>>()
    );
    let listed = bob_list
        .wait(5_000, |d| {
            d.last().is_some_and(|l| {
                conversation(&items(l), &conv_id).is_some_and(|c| n(c, "unreadCount") == 3.0)
            })
        })
        .await;
    assert!(listed, "CONVERSATION_LIST_UPDATED must carry unreadCount 3");

    let data = ok(&bob, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    let conv = conversation(&list, &conv_id)
        .unwrap_or_else(|| panic!("no {conv_id} in {}", show(&get(&data, "conversationList"))));
    assert_eq!(n(conv, "unreadCount"), 3.0);
    assert_eq!(s(conv, "type"), "C2C");
    assert_eq!(s(conv, "lastMessage.payload.text"), "u2");
    assert_eq!(s(conv, "lastMessage.fromAccount"), alice_id);
    assert_eq!(s(conv, "userProfile.userID"), alice_id);

    let (lists_before, totals_before) = (bob_list.count(), bob_total.count());
    ok(
        &bob,
        "setMessageRead",
        &[obj(&format!(r#"{{"conversationID":"{conv_id}"}}"#))],
    )
    .await;
    let cleared = bob_total
        .wait(5_000, |d| {
            d.len() > totals_before && d.last().and_then(JsValue::as_f64) == Some(0.0)
        })
        .await;
    assert!(
        cleared,
        "TOTAL_UNREAD_MESSAGE_COUNT_UPDATED must fire with 0"
    );
    let list_cleared = bob_list
        .wait(5_000, |d| {
            d.len() > lists_before
                && d.last().is_some_and(|l| {
                    conversation(&items(l), &conv_id).is_some_and(|c| n(c, "unreadCount") == 0.0)
                })
        })
        .await;
    assert!(
        list_cleared,
        "CONVERSATION_LIST_UPDATED must fire with unreadCount 0"
    );
    let data = ok(&bob, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    assert_eq!(
        conversation(&list, &conv_id).map(|c| n(c, "unreadCount")),
        Some(0.0)
    );
    // The sender's own messages never count as unread for her.
    let data = ok(&alice, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    assert_eq!(
        conversation(&list, &format!("C2C{bob_id}")).map(|c| n(c, "unreadCount")),
        Some(0.0)
    );
    destroy(&alice).await;
    destroy(&bob).await;
}

#[wasm_bindgen_test]
async fn group_message_reaches_every_member() {
    let (alice_id, bob_id, carol_id) = (unique("alice"), unique("bob"), unique("carol"));
    let group_id = unique("grp");
    import_accounts(&[&alice_id, &bob_id, &carol_id]).await;
    let body = obj(&format!(
        r#"{{"Owner_Account":"{alice_id}","Type":"Public","GroupId":"{group_id}","Name":"Test group",
            "MemberList":[{{"Member_Account":"{bob_id}"}},{{"Member_Account":"{carol_id}"}}]}}"#
    ));
    rest("group_open_http_svc/create_group", &body).await;
    let alice = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let carol = login_as(&carol_id).await;
    let rx: Vec<Recorder> = [&alice, &bob, &carol]
        .iter()
        .map(|t| Recorder::new(t, "MESSAGE_RECEIVED"))
        .collect();

    let sent = send_text(&alice, &group_id, GROUP, "hello group").await;
    assert_eq!(s(&sent, "status"), "success");
    assert_eq!(s(&sent, "conversationID"), format!("GROUP{group_id}"));
    for (who, r) in [("bob", &rx[1]), ("carol", &rx[2])] {
        let got = r
            .wait_message(5_000, |m| s(m, "ID") == s(&sent, "ID"))
            .await;
        let got = got.unwrap_or_else(|| panic!("{who} did not get the group message"));
        assert_eq!(s(&got, "conversationID"), format!("GROUP{group_id}"));
        assert_eq!(s(&got, "conversationType"), "GROUP");
        assert_eq!(s(&got, "to"), group_id);
        assert_eq!(s(&got, "from"), alice_id);
        assert_eq!(s(&got, "flow"), "in");
        assert_eq!(s(&got, "payload.text"), "hello group");
    }
    // A member answers; the owner and the other member receive it.
    let reply = send_text(&bob, &group_id, GROUP, "hi alice").await;
    for (who, r) in [("alice", &rx[0]), ("carol", &rx[2])] {
        let got = r
            .wait_message(5_000, |m| s(m, "ID") == s(&reply, "ID"))
            .await;
        assert!(got.is_some(), "{who} did not get bob's reply");
    }
    // Bob's reply was committed after her message: anything that was to bring her own message
    // back to her came before it.
    assert!(
        rx[0].messages().iter().all(|m| s(m, "from") != alice_id),
        "alice got her own group message"
    );
    // Carol has both messages (waited for above), so her list counts both.
    let data = ok(&carol, "getConversationList", &[]).await;
    let list = items(&get(&data, "conversationList"));
    let conv = conversation(&list, &format!("GROUP{group_id}"))
        .map(|c| (s(c, "type"), n(c, "unreadCount")));
    assert_eq!(conv, Some(("GROUP".to_owned(), 2.0)));
    for t in [&alice, &bob, &carol] {
        destroy(t).await;
    }
}

#[wasm_bindgen_test]
async fn another_instance_of_the_sender_receives_its_sends() {
    let (alice_id, bob_id) = (unique("alice"), unique("bob"));
    let alice1 = login_as(&alice_id).await;
    let alice2 = login_as(&alice_id).await;
    let bob = login_as(&bob_id).await;
    let rx1 = Recorder::new(&alice1, "MESSAGE_RECEIVED");
    let rx2 = Recorder::new(&alice2, "MESSAGE_RECEIVED");
    let rxb = Recorder::new(&bob, "MESSAGE_RECEIVED");
    let sent = send_text(&alice1, &bob_id, C2C, "from my laptop").await;
    let got = rx2
        .wait_message(5_000, |m| s(m, "ID") == s(&sent, "ID"))
        .await
        .expect("alice's other instance got nothing");
    assert_eq!(s(&got, "flow"), "out");
    assert_eq!(s(&got, "from"), alice_id);
    assert_eq!(s(&got, "to"), bob_id);
    assert_eq!(s(&got, "conversationID"), format!("C2C{bob_id}"));
    assert_eq!(s(&got, "payload.text"), "from my laptop");
    assert!(
        rxb.wait_message(5_000, |m| s(m, "ID") == s(&sent, "ID"))
            .await
            .is_some(),
        "bob got nothing"
    );
    // Bob answers: once the sending instance has that, its own message would have come too.
    let answer = follow_up(&bob, &alice_id, &rx1).await;
    assert_eq!(
        rx1.ids(),
        vec![answer],
        "the sending instance must not get its own message"
    );
    for t in [&alice1, &alice2, &bob] {
        destroy(t).await;
    }
}
