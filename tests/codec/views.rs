//! The hand-built JS views (`web::views`) against their serde derives.

use super::distinct::{covers, hots, label, Gen};
use tim_sdk::core::{
    ConversationFailure, ConversationView, Fields, GroupProfileView, InGroupView, LastMessageView,
    MergedView, MessageView, NetState, Payload, ProfileView, ReadReceiptInfo, ReceiptView,
    Response, UserFailure, UserProfileView, Val,
};
use tim_sdk::web::{codec, js::views::ToJs};

fn num(g: &mut Gen) -> Val {
    Val::Num(g.f64())
}

fn group_profile(g: &mut Gen) -> GroupProfileView {
    GroupProfileView {
        group_id: g.s("vgroupid"),
        name: g.s("vgroupname"),
    }
}

/// Every plain field set.
fn plain_payload(g: &mut Gen) -> Payload {
    Payload {
        text: Some(g.s("vtext")),
        at_user_list: Some(g.list("vat")),
        data: Some(g.s("vdata")),
        description: Some(g.s("vdesc")),
        extension: Some(g.s("vext")),
        index: Some(g.i64()),
        longitude: Some(g.f64()),
        latitude: Some(g.f64()),
        operator_id: Some(g.s("vop")),
        operation_type: Some(g.u32()),
        group_profile: Some(group_profile(g)),
        rich: None,
    }
}

fn merged_view(g: &mut Gen, payload: Payload) -> MergedView {
    MergedView {
        id: g.s("vmid"),
        from: g.s("vmfrom"),
        nick: g.s("vmnick"),
        avatar: g.s("vmavatar"),
        time: g.big(),
        msg_type: g.s("vmtype"),
        payload,
    }
}

/// Rich fields of every value kind, a merger's list among them.
fn rich_payload(g: &mut Gen) -> Payload {
    let info = |g: &mut Gen| {
        Val::Obj(Fields(vec![
            ("width", num(g)),
            ("height", num(g)),
            ("url", Val::Str(g.s("vurl"))),
            ("size", num(g)),
            ("type", num(g)),
        ]))
    };
    let inner = plain_payload(g);
    let list = vec![merged_view(g, inner), merged_view(g, Payload::default())];
    let fields = vec![
        ("uuid", Val::Str(g.s("vuuid"))),
        ("imageFormat", num(g)),
        ("imageInfoArray", Val::List(vec![info(g), info(g)])),
        ("downloadFlag", Val::Bool(g.b())),
        ("layersOverLimit", Val::Bool(g.b())),
        ("messageList", Val::Messages(list)),
        ("abstractList", Val::List(vec![Val::Str(g.s("vabs"))])),
    ];
    Payload {
        rich: Some(Box::new(Fields(fields))),
        ..Payload::default()
    }
}

fn message_view(g: &mut Gen, payload: Payload) -> MessageView {
    MessageView {
        id: g.s("vid"),
        msg_type: g.s("vtype"),
        payload,
        conversation_id: g.s("vconv"),
        conversation_type: g.s("vconvtype"),
        to: g.s("vto"),
        from: g.s("vfrom"),
        flow: g.s("vflow"),
        time: g.big(),
        client_time: g.big(),
        sequence: g.big(),
        random: g.u32(),
        status: tim_sdk::core::MessageStatus::Fail,
        is_revoked: g.b(),
        priority: g.s("vpriority"),
        nick: g.s("vnick"),
        avatar: g.s("vavatar"),
        is_peer_read: g.b(),
        name_card: g.s("vcard"),
        at_user_list: g.list("vatuser"),
        cloud_custom_data: g.s("vccd"),
        is_deleted: g.b(),
        is_modified: g.b(),
        need_read_receipt: g.b(),
        read_receipt_info: ReadReceiptInfo {
            read_count: g.u32(),
            unread_count: g.u32(),
        },
        is_broadcast_message: g.b(),
        version: g.u32(),
    }
}

fn last_message(g: &mut Gen, with_options: bool) -> LastMessageView {
    let payload = with_options.then(|| plain_payload(g));
    LastMessageView {
        last_time: g.big(),
        last_sequence: g.big(),
        from_account: g.s("lfrom"),
        msg_type: g.s("ltype"),
        payload,
        message_for_show: g.s("lshow"),
        is_revoked: g.b(),
        cloud_custom_data: g.s("lccd"),
        online_only_flag: g.b(),
        nick: g.s("lnick"),
        name_card: g.s("lcard"),
        version: g.u32(),
        is_peer_read: g.b(),
        revoker: with_options.then(|| g.s("lrevoker")),
    }
}

fn conversation_view(g: &mut Gen, with_options: bool) -> ConversationView {
    ConversationView {
        conversation_id: g.s("cid"),
        conv_type: g.s("ctype"),
        unread_count: g.u32(),
        last_message: Some(last_message(g, with_options)),
        group_profile: with_options.then(|| {
            Fields(vec![
                ("groupID", Val::Str(g.s("cgroupid"))),
                ("muteAllMembers", Val::Bool(g.b())),
                ("memberCount", num(g)),
            ])
        }),
        user_profile: with_options.then(|| UserProfileView {
            user_id: g.s("cuser"),
            nick: g.s("cnick"),
            avatar: g.s("cavatar"),
        }),
        group_at_info_list: g.list("cat"),
        remark: g.s("cremark"),
        is_pinned: g.b(),
        message_remind_type: g.s("cremind"),
        mark_list: vec![g.u32(), g.u32()],
        custom_data: g.s("cdata"),
        conversation_group_list: g.list("cgroup"),
        draft_text: g.s("cdraft"),
    }
}

fn receipt_view(g: &mut Gen, group: bool) -> ReceiptView {
    ReceiptView {
        group_id: group.then(|| g.s("rgroup")),
        conversation_id: g.s("rconv"),
        message_id: g.s("rmsg"),
        read_count: g.u32(),
        unread_count: g.u32(),
    }
}

fn response_kind(r: &Response) -> usize {
    match r {
        Response::Login { .. } => 0,
        Response::Message { .. } => 1,
        Response::MessageList { .. } => 2,
        Response::ConversationList { .. } => 3,
        Response::Conversation { .. } => 4,
        Response::ReadReceipts { .. } => 5,
        Response::ReadMembers { .. } => 6,
        Response::Imported { .. } => 7,
        Response::ConversationResults { .. } => 8,
        Response::BatchSent { .. } => 9,
        Response::Names(_) => 10,
        Response::Enabled { .. } => 11,
        Response::Profile(_) => 12,
        Response::Empty {} => 13,
        Response::Fields(_) => 14,
    }
}
const RESPONSE_KINDS: usize = 15;

struct Views {
    payloads: Vec<Payload>,
    merged: Vec<MergedView>,
    messages: Vec<MessageView>,
    conversations: Vec<ConversationView>,
    receipts: Vec<ReceiptView>,
    in_group: InGroupView,
    responses: Vec<Response>,
}

fn views(g: &mut Gen) -> Views {
    let payloads = vec![plain_payload(g), rich_payload(g), Payload::default()];
    let merged = payloads.iter().map(|p| merged_view(g, p.clone())).collect();
    let mut messages: Vec<MessageView> = payloads
        .iter()
        .map(|p| message_view(g, p.clone()))
        .collect();
    messages.push(MessageView::default());
    let conversations = vec![
        conversation_view(g, true),
        conversation_view(g, false),
        ConversationView::default(),
    ];
    let receipts = vec![
        receipt_view(g, true),
        receipt_view(g, false),
        ReceiptView::default(),
    ];
    let in_group = InGroupView {
        group_name: g.s("ingroup"),
        conversation_list: conversations.clone(),
    };
    let responses = vec![
        Response::Login {
            repeat_login: g.b(),
        },
        Response::Message {
            message: {
                let p = plain_payload(g);
                message_view(g, p)
            },
        },
        Response::MessageList {
            message_list: messages.clone(),
            next_req_message_id: g.s("next"),
            is_completed: g.b(),
        },
        Response::ConversationList {
            conversation_list: conversations.clone(),
            is_sync_completed: g.b(),
            next_seq: g.big(),
            is_finished: g.b(),
        },
        Response::Conversation {
            conversation: Box::new(conversation_view(g, true)),
        },
        Response::ReadReceipts {
            receipts: receipts.clone(),
        },
        Response::ReadMembers {
            is_completed: g.b(),
            cursor: g.s("mcursor"),
            message_id: g.s("mmsg"),
            read_user_id_list: Some(g.list("mread")),
            unread_user_id_list: None,
        },
        Response::ReadMembers {
            is_completed: g.b(),
            cursor: g.s("mcursor"),
            message_id: g.s("mmsg"),
            read_user_id_list: None,
            unread_user_id_list: Some(g.list("munread")),
        },
        Response::Imported {
            message_list: messages.clone(),
        },
        Response::ConversationResults {
            success: g.list("ok"),
            failure: vec![ConversationFailure {
                conversation_id: g.s("failconv"),
                code: g.u32(),
                message: g.s("failmsg"),
            }],
        },
        Response::BatchSent {
            success: g.list("sentto"),
            failure: vec![
                UserFailure {
                    user_id: g.s("failuser"),
                    code: g.u32(),
                    message: g.s("failwhy"),
                },
                UserFailure {
                    user_id: g.s("failuser"),
                    code: g.u32(),
                    message: g.s("failwhy"),
                },
            ],
        },
        Response::Names(g.list("name")),
        Response::Enabled { enabled: g.b() },
        Response::Profile(Box::new(ProfileView {
            user_id: g.s("puser"),
            nick: g.s("pnick"),
            avatar: g.s("pavatar"),
            gender: g.s("pgender"),
            self_signature: g.s("psig"),
            allow_type: g.s("pallow"),
            admin_forbid_type: g.s("pforbid"),
            birthday: g.u32(),
            location: g.s("plocation"),
            language: g.u32(),
            message_settings: g.u32(),
            level: g.u32(),
            role: g.u32(),
            last_updated_time: g.big(),
            profile_custom_field: g.list("pcustom"),
        })),
        Response::Empty {},
        Response::Fields(Fields(vec![
            (
                "group",
                Val::Obj(Fields(vec![("groupID", Val::Str(g.s("rgid")))])),
            ),
            ("offset", num(g)),
            ("isSyncCompleted", Val::Bool(g.b())),
        ])),
    ];
    covers(
        "responses",
        responses.iter().map(response_kind),
        RESPONSE_KINDS,
    );
    Views {
        payloads,
        merged,
        messages,
        conversations,
        receipts,
        in_group,
        responses,
    }
}

fn same<T: ToJs + serde::Serialize + ?Sized>(what: &str, value: &T) {
    let manual = js_sys::JSON::stringify(&value.to_js()).expect("manual");
    let serde = js_sys::JSON::stringify(&codec::to_js(value).expect("serde")).expect("serde");
    assert_eq!(manual.as_string(), serde.as_string(), "{what}");
}

/// The views are built as JS objects by hand (`web::views`, no serde in the wasm; a
/// `Message` through positional arguments to `views.js`): each must give exactly what the
/// views' `Serialize` derives give through serde-wasm-bindgen (names, order, absent
/// `None`s). Every field holds a distinct value and each boolean is true alone once, so a
/// swapped argument or field fails.
#[wasm_bindgen_test::wasm_bindgen_test]
fn views_match_serde_with_distinct_values() {
    for hot in hots(views) {
        let v = views(&mut Gen::new(hot, true));
        let what = label(hot);
        for (i, p) in v.payloads.iter().enumerate() {
            same(&format!("{what}: payload {i}"), p);
        }
        same(&format!("{what}: merged"), &v.merged);
        for (i, m) in v.messages.iter().enumerate() {
            same(&format!("{what}: message {i}"), m);
        }
        for (i, c) in v.conversations.iter().enumerate() {
            same(&format!("{what}: conversation {i}"), c);
        }
        same(&format!("{what}: receipts"), &v.receipts);
        same(&format!("{what}: in group"), &v.in_group);
        for (i, r) in v.responses.iter().enumerate() {
            same(&format!("{what}: response {i}"), r);
        }
    }
    for state in [
        NetState::Connected,
        NetState::Connecting,
        NetState::Disconnected,
    ] {
        same("net state", &state);
    }
}
