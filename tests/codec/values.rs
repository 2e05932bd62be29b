//! Protocol values for the codec tests, built by [`Gen`]: one of every `ServerFrame`, `Reply`,
//! `Request` and content type (exhaustive `match`es make a new variant fail to compile here
//! until it is built), with non-default, distinct values in every field.

use tim_protocol::{
    req, Change, Content, ConvGroup, ConvGroupAction, ConvSettings, ConversationInfo, CustomField,
    GroupApplication, GroupInfo, GroupRole, GroupType, ImageInfo, InviteOption, JoinOption,
    JoinStatus, MemberChange, MemberInfo, MergedMessage, Message, NewMember, OutboundMessage,
    ProfileChange, Receipt, Reply, Request, SelfInfo, ServerFrame, SyncItem, TipKind,
};
use tim_sdk::core::cache::{Changes, OutboxEntry};

use super::distinct::{covers, Gen};

fn merged(g: &mut Gen, content: Content) -> MergedMessage {
    MergedMessage {
        id: g.s("mid"),
        from: g.s("mfrom"),
        nick: g.s("mnick"),
        avatar: g.s("mavatar"),
        time: g.big(),
        content,
    }
}

fn image_info(g: &mut Gen) -> ImageInfo {
    ImageInfo {
        width: g.u32(),
        height: g.u32(),
        size: g.big(),
        url: g.s("/files/img"),
        kind: g.u32(),
    }
}

/// Index of a content type (a new one fails to compile here).
fn content_kind(c: &Content) -> usize {
    match c {
        Content::Text { .. } => 0,
        Content::Custom { .. } => 1,
        Content::Face { .. } => 2,
        Content::Location { .. } => 3,
        Content::GroupSystemNotice { .. } => 4,
        Content::Image { .. } => 5,
        Content::File { .. } => 6,
        Content::Video { .. } => 7,
        Content::Sound { .. } => 8,
        Content::Merger { .. } => 9,
        Content::GroupTip { .. } => 10,
    }
}
const CONTENT_KINDS: usize = 11;

const TIPS: [TipKind; 8] = [
    TipKind::Join,
    TipKind::Invite,
    TipKind::Quit,
    TipKind::Kick,
    TipKind::SetAdmin,
    TipKind::CancelAdmin,
    TipKind::Profile,
    TipKind::MemberProfile,
];

fn tip(g: &mut Gen, operation: TipKind) -> Content {
    Content::GroupTip {
        operator_id: g.s("tipop"),
        operation,
        user_ids: g.list("tipuser"),
        member_num: g.u32(),
        group_id: g.s("tipgroup"),
        group_name: g.s("tipname"),
        profile: vec![ProfileChange {
            key: g.s("tipkey"),
            value: g.s("tipvalue"),
        }],
        members: vec![MemberChange {
            user_id: g.s("tipmember"),
            mute_time: g.big(),
        }],
    }
}

fn customs(g: &mut Gen) -> Vec<CustomField> {
    vec![
        CustomField {
            key: g.s("ckey"),
            value: g.s("cvalue"),
        },
        CustomField {
            key: g.s("ckey"),
            value: g.s("cvalue"),
        },
    ]
}

const GROUP_TYPES: [GroupType; 5] = [
    GroupType::Work,
    GroupType::Public,
    GroupType::Meeting,
    GroupType::AvChatRoom,
    GroupType::Community,
];

/// A group; `i` picks its type and options, `member` gives it a selfInfo.
fn group_info(g: &mut Gen, i: usize, member: bool) -> GroupInfo {
    GroupInfo {
        group_id: g.s("gid"),
        group_type: GROUP_TYPES[i % 5],
        name: g.s("gname"),
        avatar: g.s("gavatar"),
        introduction: g.s("gintro"),
        notification: g.s("gnote"),
        owner_id: g.s("gowner"),
        create_time: g.big(),
        info_seq: g.big(),
        info_time: g.big(),
        member_count: g.u32(),
        max_member_count: g.u32(),
        mute_all: g.b(),
        join_option: [
            JoinOption::FreeAccess,
            JoinOption::NeedPermission,
            JoinOption::DisableApply,
        ][i % 3],
        invite_option: [
            InviteOption::FreeAccess,
            InviteOption::NeedPermission,
            InviteOption::DisableInvite,
        ][i % 3],
        custom: customs(g),
        last_seq: g.big(),
        support_topic: g.b(),
        self_info: member.then(|| SelfInfo {
            role: [GroupRole::Owner, GroupRole::Admin, GroupRole::Member][i % 3],
            join_time: g.big(),
            name_card: g.s("gcard"),
        }),
    }
}

fn member_info(g: &mut Gen, i: usize) -> MemberInfo {
    MemberInfo {
        user_id: g.s("muser"),
        role: [GroupRole::Owner, GroupRole::Admin, GroupRole::Member][i % 3],
        join_time: g.big(),
        name_card: g.s("mcard"),
        mute_until: g.big(),
        custom: customs(g),
        nick: g.s("mnick"),
        avatar: g.s("mavatar"),
    }
}

/// One content of each type; the merger holds every other type and a nested merger.
fn contents(g: &mut Gen) -> Vec<Content> {
    let mut all = vec![
        Content::Text { text: g.s("text") },
        Content::Custom {
            data: g.s("data"),
            description: g.s("description"),
            extension: g.s("extension"),
        },
        Content::Face {
            index: g.i64(),
            data: g.s("facedata"),
        },
        Content::Location {
            description: g.s("place"),
            longitude: g.f64(),
            latitude: g.f64(),
        },
        Content::GroupSystemNotice {
            operator_id: g.s("operator"),
            operation_type: g.u32(),
            group_id: g.s("groupid"),
            group_name: g.s("groupname"),
        },
        Content::Image {
            uuid: g.s("imageuuid"),
            image_format: g.u32(),
            image_info_array: vec![image_info(g), image_info(g), image_info(g)],
        },
        Content::File {
            uuid: g.s("fileuuid"),
            file_name: g.s("filename"),
            file_size: g.big(),
            file_url: g.s("/files/file"),
        },
        Content::Video {
            video_uuid: g.s("videouuid"),
            video_url: g.s("/files/video"),
            video_size: g.big(),
            video_second: g.u32(),
            video_format: g.s("videoformat"),
            thumb_uuid: g.s("thumbuuid"),
            thumb_url: g.s("/files/thumb"),
            thumb_width: g.u32(),
            thumb_height: g.u32(),
            thumb_size: g.big(),
        },
        Content::Sound {
            uuid: g.s("sounduuid"),
            url: g.s("/files/sound"),
            size: g.big(),
            second: g.u32(),
        },
    ];
    for t in TIPS {
        all.push(tip(g, t));
    }
    let inner = Content::Merger {
        title: g.s("innertitle"),
        abstract_list: g.list("innerabstract"),
        compatible_text: g.s("innercompat"),
        message_list: vec![merged(g, all[0].clone())],
        download_key: g.s("innerkey"),
        layers_over_limit: g.b(),
    };
    let mut list: Vec<MergedMessage> = all.iter().map(|c| merged(g, c.clone())).collect();
    list.push(merged(g, inner));
    all.push(Content::Merger {
        title: g.s("title"),
        abstract_list: g.list("abstract"),
        compatible_text: g.s("compat"),
        message_list: list,
        download_key: g.s("key"),
        layers_over_limit: g.b(),
    });
    covers("contents", all.iter().map(content_kind), CONTENT_KINDS);
    all
}

fn message(g: &mut Gen, content: Content) -> Message {
    Message {
        id: g.s("id"),
        conv_type: g.conv_type(),
        from: g.s("from"),
        to: g.s("to"),
        seq: g.big(),
        time: g.big(),
        random: g.u32(),
        client_time: g.big(),
        priority: g.s("priority"),
        content,
        cloud_custom_data: g.s("ccd"),
        at_user_list: g.list("at"),
        nick: g.s("nick"),
        avatar: g.s("avatar"),
        revoked: g.b(),
        version: g.u32(),
        need_read_receipt: g.b(),
        offline_push_info: g.push_info(),
    }
}

fn text_message(g: &mut Gen) -> Message {
    let content = Content::Text { text: g.s("t") };
    message(g, content)
}

fn outbound(g: &mut Gen, content: Content) -> OutboundMessage {
    OutboundMessage {
        id: g.s("oid"),
        conv_type: g.conv_type(),
        to: g.s("oto"),
        random: g.u32(),
        client_time: g.big(),
        priority: g.s("opriority"),
        content,
        cloud_custom_data: g.s("occd"),
        at_user_list: g.list("oat"),
        need_read_receipt: g.b(),
        online_user_only: g.b(),
        // Submitted messages carry it everywhere (the server needs it).
        offline_push_info: g.s("opush"),
    }
}

fn settings(g: &mut Gen) -> ConvSettings {
    ConvSettings {
        marks: g.u32(),
        custom_data: g.s("customdata"),
        remind: g.s("remind"),
        cleared_seq: g.big(),
    }
}

fn conversation(g: &mut Gen, last_message: Option<Message>) -> ConversationInfo {
    ConversationInfo {
        conversation_id: g.s("conv"),
        conv_type: g.conv_type(),
        peer: g.s("peer"),
        read_seq: g.big(),
        unread: g.u32(),
        last_message,
        group_name: g.s("gname"),
        peer_read_seq: g.big(),
        pinned: g.b(),
        settings: settings(g),
    }
}

fn group(g: &mut Gen) -> ConvGroup {
    ConvGroup {
        name: g.s("group"),
        conversation_ids: g.list("gconv"),
    }
}

fn receipt(g: &mut Gen) -> Receipt {
    Receipt {
        id: g.s("rid"),
        seq: g.big(),
        read: g.u32(),
        unread: g.u32(),
    }
}

const CHANGES: [Change; 4] = [
    Change::New,
    Change::Revoked,
    Change::Modified,
    Change::Deleted,
];

fn reply_kind(r: &Reply) -> usize {
    match r {
        Reply::Login { .. } => 0,
        Reply::Pong { .. } => 1,
        Reply::Sent { .. } => 2,
        Reply::History { .. } => 3,
        Reply::Conversations { .. } => 4,
        Reply::ConvGroups { .. } => 5,
        Reply::Updated { .. } => 6,
        Reply::Read { .. } => 7,
        Reply::Sync { .. } => 8,
        Reply::Receipts { .. } => 9,
        Reply::Members { .. } => 10,
        Reply::Imported { .. } => 11,
        Reply::Done => 12,
        Reply::GroupCreated { .. } => 13,
        Reply::Group { .. } => 14,
        Reply::Groups { .. } => 15,
        Reply::GroupJoined { .. } => 16,
        Reply::GroupAdded { .. } => 17,
        Reply::GroupKicked { .. } => 18,
        Reply::GroupMembers { .. } => 19,
        Reply::GroupMember { .. } => 20,
        Reply::GroupApps { .. } => 21,
        Reply::GroupCount { .. } => 22,
    }
}
const REPLY_KINDS: usize = 23;

fn replies(g: &mut Gen) -> Vec<Reply> {
    let mut replies = vec![
        Reply::Login {
            user_id: g.s("user"),
            server_time: g.big(),
            sync_seq: g.big(),
            file_token: g.s("token"),
        },
        Reply::Pong {
            server_time: g.big(),
        },
        Reply::Sent {
            message: text_message(g),
            sync_seq: g.big(),
        },
        Reply::History {
            messages: vec![text_message(g), text_message(g)],
            complete: g.b(),
        },
        Reply::Conversations {
            conversations: vec![
                {
                    let m = text_message(g);
                    conversation(g, Some(m))
                },
                conversation(g, None),
            ],
            sync_seq: g.big(),
            groups: vec![group(g), group(g)],
        },
        Reply::ConvGroups {
            groups: vec![group(g), group(g)],
        },
        Reply::Updated {
            message: text_message(g),
            sync_seq: g.big(),
        },
        Reply::Read {
            conversation_id: g.s("readconv"),
            read_seq: g.big(),
            unread: g.u32(),
        },
    ];
    // A sync page with every content type and every change.
    let mut items = Vec::new();
    for (i, content) in contents(g).into_iter().enumerate() {
        items.push(SyncItem {
            sync_seq: g.big(),
            message: message(g, content),
            change: CHANGES[i % CHANGES.len()],
        });
    }
    replies.extend([
        Reply::Sync {
            items,
            complete: g.b(),
        },
        Reply::Receipts {
            receipts: vec![receipt(g), receipt(g)],
        },
        Reply::Members {
            users: g.list("member"),
            cursor: g.s("cursor"),
            complete: g.b(),
        },
        Reply::Imported {
            messages: vec![text_message(g), text_message(g)],
        },
        Reply::Done,
        Reply::GroupCreated {
            group: group_info(g, 0, true),
            over_limit: g.list("over"),
        },
        Reply::Group {
            group: group_info(g, 1, false),
        },
        Reply::Groups {
            groups: (0..5).map(|i| group_info(g, i, i % 2 == 0)).collect(),
        },
        Reply::GroupJoined {
            status: JoinStatus::JoinedSuccess,
            group: Some(group_info(g, 2, true)),
        },
        Reply::GroupJoined {
            status: JoinStatus::WaitAdminApproval,
            group: None,
        },
        Reply::GroupJoined {
            status: JoinStatus::AlreadyInGroup,
            group: None,
        },
        Reply::GroupAdded {
            success: g.list("added"),
            failure: g.list("failed"),
            existed: g.list("existed"),
            over_limit: g.list("overadd"),
            group: group_info(g, 3, true),
        },
        Reply::GroupKicked {
            user_ids: g.list("kicked"),
            group: group_info(g, 4, true),
        },
        Reply::GroupMembers {
            members: (0..3).map(|i| member_info(g, i)).collect(),
            cursor: g.s("mcursor"),
            complete: g.b(),
        },
        Reply::GroupMember {
            group: group_info(g, 5, true),
            member: member_info(g, 1),
        },
        Reply::GroupApps {
            applications: (0..2)
                .map(|i| GroupApplication {
                    group_id: g.s("appgroup"),
                    group_name: g.s("appname"),
                    applicant: g.s("applicant"),
                    applicant_nick: g.s("appnick"),
                    note: g.s("appnote"),
                    time: g.big(),
                    application_type: i * 2,
                })
                .collect(),
        },
        Reply::GroupCount { count: g.u32() },
    ]);
    covers("replies", replies.iter().map(reply_kind), REPLY_KINDS);
    replies
}

fn frame_kind(f: &ServerFrame) -> usize {
    match f {
        ServerFrame::Ok { .. } => 0,
        ServerFrame::Error { .. } => 1,
        ServerFrame::Push { .. } => 2,
        ServerFrame::PeerRead { .. } => 3,
        ServerFrame::Receipts { .. } => 4,
        ServerFrame::ConversationState { .. } => 5,
        ServerFrame::ConversationSettings { .. } => 6,
        ServerFrame::ConvGroups { .. } => 7,
        ServerFrame::ReadState { .. } => 8,
        ServerFrame::Kicked { .. } => 9,
        ServerFrame::GroupChanged { .. } => 10,
        ServerFrame::GroupLeft { .. } => 11,
    }
}
const FRAME_KINDS: usize = 12;

pub(crate) fn frames(g: &mut Gen) -> Vec<ServerFrame> {
    let mut frames = Vec::new();
    for data in replies(g) {
        frames.push(ServerFrame::Ok { id: g.u32(), data });
    }
    frames.push(ServerFrame::Error {
        id: Some(g.u32()),
        code: g.u32(),
        message: g.s("error"),
    });
    frames.push(ServerFrame::Error {
        id: None,
        code: g.u32(),
        message: g.s("unreadable"),
    });
    // A push of every content type, with every change.
    for (i, content) in contents(g).into_iter().enumerate() {
        frames.push(ServerFrame::Push {
            sync_seq: g.big(),
            message: message(g, content),
            change: CHANGES[i % CHANGES.len()],
        });
    }
    frames.extend([
        ServerFrame::PeerRead {
            conversation_id: g.s("peerconv"),
            read_seq: g.big(),
        },
        ServerFrame::Receipts {
            conversation_id: g.s("receiptconv"),
            receipts: vec![receipt(g), receipt(g)],
        },
        ServerFrame::ConversationState {
            conversation_id: g.s("stateconv"),
            hidden: g.b(),
            pinned: g.b(),
        },
        ServerFrame::ConversationSettings {
            conversation_id: g.s("settingsconv"),
            settings: settings(g),
        },
        ServerFrame::ConvGroups {
            groups: vec![group(g), group(g)],
        },
        ServerFrame::ReadState {
            conversation_id: g.s("readstateconv"),
            read_seq: g.big(),
            unread: g.u32(),
        },
        ServerFrame::Kicked {
            reason: g.s("reason"),
        },
        ServerFrame::GroupChanged {
            group: group_info(g, 6, true),
        },
        ServerFrame::GroupLeft {
            group_id: g.s("leftgroup"),
        },
    ]);
    covers("frames", frames.iter().map(frame_kind), FRAME_KINDS);
    frames
}

fn request_kind(r: &Request) -> usize {
    match r {
        Request::Login(req::Login { .. }) => 0,
        Request::Logout => 1,
        Request::Ping => 2,
        Request::Send(req::Send { .. }) => 3,
        Request::History(req::History { .. }) => 4,
        Request::Conversations => 5,
        Request::Read(req::Read { .. }) => 6,
        Request::Revoke(req::Revoke { .. }) => 7,
        Request::Modify(req::Modify { .. }) => 8,
        Request::Delete(req::Delete { .. }) => 9,
        Request::DeleteConversation(req::DeleteConversation { .. }) => 10,
        Request::Pin(req::Pin { .. }) => 11,
        Request::ReadReceipt(req::ReadReceipt { .. }) => 12,
        Request::ReceiptList(req::ReceiptList { .. }) => 13,
        Request::ReceiptMembers(req::ReceiptMembers { .. }) => 14,
        Request::Import(req::Import { .. }) => 15,
        Request::ConvSettings(req::ConvSettings { .. }) => 16,
        Request::ConvGroup(req::ConvGroup { .. }) => 17,
        Request::Hop(req::Hop { .. }) => 18,
        Request::Fetch(req::Fetch { .. }) => 19,
        Request::Sync(req::Sync { .. }) => 20,
        Request::GroupCreate(_) => 21,
        Request::GroupDismiss(_) => 22,
        Request::GroupUpdate(_) => 23,
        Request::GroupList(_) => 24,
        Request::GroupSearch(_) => 25,
        Request::GroupJoin(_) => 26,
        Request::GroupQuit(_) => 27,
        Request::GroupOwner(_) => 28,
        Request::GroupAdd(_) => 29,
        Request::GroupKick(_) => 30,
        Request::GroupMembers(_) => 31,
        Request::GroupMemberInfo(_) => 32,
        Request::GroupMemberSet(_) => 33,
        Request::GroupRole(_) => 34,
        Request::GroupMute(_) => 35,
        Request::GroupApps => 36,
        Request::GroupAppHandle(_) => 37,
        Request::GroupOnline(_) => 38,
    }
}
const REQUEST_KINDS: usize = 39;

pub(crate) fn requests(g: &mut Gen) -> Vec<Request> {
    let mut requests = vec![
        Request::Login(req::Login {
            user_id: g.s("user"),
            user_sig: g.s("sig"),
        }),
        Request::Logout,
        Request::Ping,
    ];
    // Every content type, in a submitted message and in a modification.
    for content in contents(g) {
        requests.push(Request::Send(req::Send {
            message: outbound(g, content.clone()),
        }));
        requests.push(Request::Modify(req::Modify {
            conversation_id: g.s("modconv"),
            seq: g.big(),
            version: g.u32(),
            content,
            cloud_custom_data: g.s("modccd"),
        }));
    }
    requests.extend([
        Request::History(req::History {
            conversation_id: g.s("histconv"),
            before_seq: Some(g.big()),
            count: g.u32(),
        }),
        Request::History(req::History {
            conversation_id: g.s("histconv"),
            before_seq: None,
            count: g.u32(),
        }),
        Request::Conversations,
        Request::Read(req::Read {
            conversation_id: g.s("readconv"),
            seq: g.big(),
        }),
        Request::Revoke(req::Revoke {
            conversation_id: g.s("revokeconv"),
            seq: g.big(),
        }),
        Request::Delete(req::Delete {
            conversation_id: g.s("delconv"),
            seqs: vec![g.big(), g.big(), g.big()],
        }),
        Request::DeleteConversation(req::DeleteConversation {
            conversation_id: g.s("hideconv"),
        }),
        Request::Pin(req::Pin {
            conversation_id: g.s("pinconv"),
            pinned: g.b(),
        }),
        Request::ReadReceipt(req::ReadReceipt {
            conversation_id: g.s("rrconv"),
            seqs: vec![g.big(), g.big()],
        }),
        Request::ReceiptList(req::ReceiptList {
            conversation_id: g.s("rlconv"),
            seqs: vec![g.big(), g.big()],
        }),
        Request::ReceiptMembers(req::ReceiptMembers {
            conversation_id: g.s("rmconv"),
            seq: g.big(),
            read: g.b(),
            cursor: g.s("cursor"),
            count: g.u32(),
        }),
    ]);
    let import = {
        let text = Content::Text { text: g.s("it") };
        let face = Content::Face {
            index: g.i64(),
            data: g.s("if"),
        };
        vec![outbound(g, text), outbound(g, face)]
    };
    requests.push(Request::Import(req::Import { messages: import }));
    requests.extend([
        Request::ConvSettings(req::ConvSettings {
            conversation_ids: g.list("setconv"),
            mark_set: g.u32(),
            mark_clear: g.u32(),
            custom_data: Some(g.s("setdata")),
            remind: Some(g.s("setremind")),
            clear_history: g.b(),
        }),
        Request::ConvSettings(req::ConvSettings {
            conversation_ids: g.list("setconv"),
            mark_set: g.u32(),
            mark_clear: g.u32(),
            custom_data: None,
            remind: None,
            clear_history: g.b(),
        }),
    ]);
    for action in [
        ConvGroupAction::Create,
        ConvGroupAction::Delete,
        ConvGroupAction::Rename,
        ConvGroupAction::Add,
        ConvGroupAction::Remove,
    ] {
        requests.push(Request::ConvGroup(req::ConvGroup {
            action,
            name: g.s("cgname"),
            new_name: g.s("cgnew"),
            conversation_ids: g.list("cgconv"),
        }));
    }
    requests.extend([
        Request::Hop(req::Hop {
            conversation_id: g.s("hopconv"),
            seq: Some(g.big()),
            time: Some(g.big()),
            newer: g.b(),
            count: g.u32(),
        }),
        Request::Hop(req::Hop {
            conversation_id: g.s("hopconv"),
            seq: None,
            time: None,
            newer: g.b(),
            count: g.u32(),
        }),
        Request::Fetch(req::Fetch {
            conversation_id: g.s("fetchconv"),
            seqs: vec![g.big(), g.big()],
        }),
        Request::Sync(req::Sync {
            since: g.big(),
            limit: g.u32(),
        }),
    ]);
    for (i, group_type) in GROUP_TYPES.into_iter().enumerate() {
        let member = |g: &mut Gen, role| NewMember {
            user_id: g.s("nmember"),
            role,
            custom: customs(g),
        };
        requests.push(Request::GroupCreate(req::GroupCreate {
            group_id: g.s("cgid"),
            group_type,
            name: g.s("cgname"),
            avatar: g.s("cgavatar"),
            introduction: g.s("cgintro"),
            notification: g.s("cgnote"),
            max_member_count: (i % 2 == 0).then(|| g.u32()),
            join_option: [
                Some(JoinOption::FreeAccess),
                Some(JoinOption::NeedPermission),
                Some(JoinOption::DisableApply),
                None,
            ][i % 4],
            invite_option: [
                Some(InviteOption::FreeAccess),
                Some(InviteOption::NeedPermission),
                Some(InviteOption::DisableInvite),
                None,
            ][i % 4],
            members: vec![member(g, GroupRole::Admin), member(g, GroupRole::Member)],
            custom: customs(g),
            support_topic: g.b(),
        }));
    }
    let gref = |g: &mut Gen| req::GroupRef {
        group_id: g.s("refgroup"),
    };
    requests.extend([
        Request::GroupDismiss(gref(g)),
        Request::GroupSearch(gref(g)),
        Request::GroupQuit(gref(g)),
        Request::GroupUpdate(req::GroupUpdate {
            group_id: g.s("ugid"),
            name: Some(g.s("uname")),
            avatar: Some(g.s("uavatar")),
            introduction: Some(g.s("uintro")),
            notification: Some(g.s("unote")),
            mute_all: Some(g.b()),
            join_option: Some(JoinOption::DisableApply),
            invite_option: Some(InviteOption::NeedPermission),
            custom: Some(customs(g)),
        }),
        Request::GroupUpdate(req::GroupUpdate {
            group_id: g.s("ugid"),
            ..Default::default()
        }),
        Request::GroupList(req::GroupList {
            group_ids: g.list("lgid"),
        }),
        Request::GroupList(req::GroupList::default()),
        Request::GroupJoin(req::GroupJoin {
            group_id: g.s("jgid"),
            apply_message: g.s("japply"),
        }),
        Request::GroupOwner(req::GroupOwner {
            group_id: g.s("ogid"),
            new_owner_id: g.s("oowner"),
        }),
        Request::GroupAdd(req::GroupUsers {
            group_id: g.s("agid"),
            user_ids: g.list("auser"),
            reason: g.s("areason"),
        }),
        Request::GroupKick(req::GroupUsers {
            group_id: g.s("kgid"),
            user_ids: g.list("kuser"),
            reason: g.s("kreason"),
        }),
        Request::GroupMembers(req::GroupMembers {
            group_id: g.s("mgid"),
            cursor: g.s("mcursor"),
            count: g.u32(),
        }),
        Request::GroupMemberInfo(req::GroupMemberInfo {
            group_id: g.s("migid"),
            user_ids: g.list("miuser"),
        }),
        Request::GroupMemberSet(req::GroupMemberSet {
            group_id: g.s("msgid"),
            user_id: g.s("msuser"),
            name_card: Some(g.s("mscard")),
            custom: Some(customs(g)),
        }),
        Request::GroupMemberSet(req::GroupMemberSet {
            group_id: g.s("msgid"),
            user_id: g.s("msuser"),
            name_card: None,
            custom: None,
        }),
        Request::GroupRole(req::GroupSetRole {
            group_id: g.s("rolegroup"),
            user_id: g.s("roleuser"),
            role: GroupRole::Admin,
        }),
        Request::GroupMute(req::GroupMute {
            group_id: g.s("mutegroup"),
            user_id: g.s("muteuser"),
            mute_time: g.big(),
        }),
        Request::GroupApps,
        Request::GroupAppHandle(req::GroupAppHandle {
            group_id: g.s("handlegroup"),
            applicant: g.s("handleuser"),
            agree: g.b(),
            handle_message: g.s("handlenote"),
        }),
        Request::GroupOnline(gref(g)),
    ]);
    covers("requests", requests.iter().map(request_kind), REQUEST_KINDS);
    requests
}

/// One message of every content type in one conversation, a conversation whose last message
/// has each content type (and one without), and an outbox entry of each content type.
pub(crate) fn records(g: &mut Gen) -> Changes {
    let conv = g.s("C2Ccached");
    let mut changes = Changes::default();
    for content in contents(g) {
        let m = message(g, content.clone());
        changes.messages.push((conv.clone(), m));
        let last = message(g, content.clone());
        changes.conversations.push(conversation(g, Some(last)));
        changes.outbox_put.push(OutboxEntry {
            pos: g.big(),
            conversation_id: g.s("C2Coutbox"),
            message: outbound(g, content),
        });
    }
    changes.conversations.push(conversation(g, None));
    changes
}
