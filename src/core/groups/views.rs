//! Groups, members and group tips as tim-js-sdk shows them, built as [`Fields`] (one generic
//! object builder in the wasm instead of a view type per shape).

use tim_protocol::{GroupInfo, InviteOption, JoinOption, MemberInfo, Message, TipKind};

use crate::core::types::{Fields, Val};

fn s(v: &str) -> Val {
    Val::Str(v.to_owned())
}

fn n(v: u64) -> Val {
    Val::Num(v as f64)
}

fn customs(list: &[tim_protocol::CustomField]) -> Val {
    let item = |c: &tim_protocol::CustomField| {
        Val::Obj(Fields(vec![("key", s(&c.key)), ("value", s(&c.value))]))
    };
    Val::List(list.iter().map(item).collect())
}

fn ids(list: &[String]) -> Val {
    Val::List(list.iter().map(|u| s(u)).collect())
}

/// `TIM.TYPES.JOIN_OPTIONS_*`.
pub fn join_name(j: JoinOption) -> &'static str {
    match j {
        JoinOption::FreeAccess => "FreeAccess",
        JoinOption::NeedPermission => "NeedPermission",
        JoinOption::DisableApply => "DisableApply",
    }
}

/// `TIM.TYPES.INVITE_OPTIONS_*`.
pub fn invite_name(i: InviteOption) -> &'static str {
    match i {
        InviteOption::FreeAccess => "FreeAccess",
        InviteOption::NeedPermission => "NeedPermission",
        InviteOption::DisableInvite => "DisableInvite",
    }
}

/// A Group: `remind` is the group conversation's messageRemindType, `last` its newest message.
pub(in crate::core) fn group_fields(g: &GroupInfo, remind: &str, last: Option<&Message>) -> Fields {
    let me = g.self_info.clone().unwrap_or_default();
    let role = if g.self_info.is_some() {
        me.role.as_str()
    } else {
        ""
    };
    let remind = if remind.is_empty() {
        "AcceptAndNotify"
    } else {
        remind
    };
    let last = last.map_or_else(Fields::default, |m| {
        Fields(vec![
            ("lastTime", n(m.time)),
            ("lastSequence", n(m.seq)),
            ("fromAccount", s(&m.from)),
            (
                "messageForShow",
                s(&crate::core::views::message_for_show(&m.content)),
            ),
        ])
    });
    Fields(vec![
        ("groupID", s(&g.group_id)),
        ("name", s(&g.name)),
        ("avatar", s(&g.avatar)),
        ("type", s(g.group_type.as_str())),
        ("introduction", s(&g.introduction)),
        ("notification", s(&g.notification)),
        ("ownerID", s(&g.owner_id)),
        ("createTime", n(g.create_time)),
        ("infoSequence", n(g.info_seq)),
        ("lastInfoTime", n(g.info_time)),
        (
            "selfInfo",
            Val::Obj(Fields(vec![
                ("role", s(role)),
                ("messageRemindType", s(remind)),
                ("joinTime", n(me.join_time)),
                ("nameCard", s(&me.name_card)),
            ])),
        ),
        ("memberCount", n(g.member_count.into())),
        ("maxMemberCount", n(g.max_member_count.into())),
        ("muteAllMembers", Val::Bool(g.mute_all)),
        ("joinOption", s(join_name(g.join_option))),
        ("inviteOption", s(invite_name(g.invite_option))),
        ("groupCustomField", customs(&g.custom)),
        ("nextMessageSeq", n(g.last_seq.saturating_add(1))),
        ("isSupportTopic", Val::Bool(g.support_topic)),
        ("lastMessage", Val::Obj(last)),
    ])
}

/// A GroupMember.
pub(super) fn member_val(m: &MemberInfo) -> Val {
    Val::Obj(Fields(vec![
        ("userID", s(&m.user_id)),
        ("avatar", s(&m.avatar)),
        ("nick", s(&m.nick)),
        ("role", s(m.role.as_str())),
        ("joinTime", n(m.join_time)),
        ("nameCard", s(&m.name_card)),
        ("muteUntil", n(m.mute_until)),
        ("memberCustomField", customs(&m.custom)),
    ]))
}

/// tim-js-sdk's web number of a tip (`TIM.TYPES.GRP_TIP_*`).
pub(in crate::core) fn web_tip(t: TipKind) -> u32 {
    match t {
        TipKind::Join | TipKind::Invite => 1,
        TipKind::Quit => 2,
        TipKind::Kick => 3,
        TipKind::SetAdmin => 4,
        TipKind::CancelAdmin => 5,
        TipKind::Profile => 6,
        TipKind::MemberProfile => 7,
    }
}

/// A group tip's payload: `{operatorID, operationType, userIDList, memberNum, groupProfile,
/// newGroupProfile, memberList}`.
pub(in crate::core) fn tip_payload(content: &tim_protocol::Content) -> Vec<(&'static str, Val)> {
    let tim_protocol::Content::GroupTip {
        operator_id,
        operation,
        user_ids,
        member_num,
        group_id,
        group_name,
        profile,
        members,
    } = content
    else {
        return Vec::new();
    };
    let changed = profile.iter().map(|c| {
        let v = match c.key.as_str() {
            "muteAllMembers" => Val::Bool(c.value == "true"),
            _ => s(&c.value),
        };
        (profile_key(&c.key), v)
    });
    let member = |m: &tim_protocol::MemberChange| {
        Val::Obj(Fields(vec![
            ("userID", s(&m.user_id)),
            ("muteTime", n(m.mute_time)),
        ]))
    };
    vec![
        ("operatorID", s(operator_id)),
        ("operationType", n(web_tip(*operation).into())),
        ("userIDList", ids(user_ids)),
        ("memberNum", n((*member_num).into())),
        (
            "groupProfile",
            Val::Obj(Fields(vec![
                ("groupID", s(group_id)),
                ("name", s(group_name)),
            ])),
        ),
        ("newGroupProfile", Val::Obj(Fields(changed.collect()))),
        (
            "memberList",
            Val::List(members.iter().map(member).collect()),
        ),
    ]
}

/// The `newGroupProfile` keys tim-js-sdk knows (an unknown key is dropped to "").
fn profile_key(k: &str) -> &'static str {
    const KEYS: [&str; 9] = [
        "name",
        "avatar",
        "introduction",
        "notification",
        "ownerID",
        "muteAllMembers",
        "joinOption",
        "inviteOption",
        "groupCustomField",
    ];
    KEYS.iter().find(|x| **x == k).copied().unwrap_or("")
}

/// What a conversation list shows for a tip: "carol joined the group" and the like.
pub(in crate::core) fn tip_for_show(content: &tim_protocol::Content) -> String {
    let tim_protocol::Content::GroupTip {
        operator_id: op,
        operation,
        user_ids,
        ..
    } = content
    else {
        return String::new();
    };
    let mut who = String::new();
    for u in user_ids {
        if !who.is_empty() {
            who.push_str(", ");
        }
        who.push_str(u);
    }
    let parts: [&str; 4] = match operation {
        TipKind::Join => [&who, " joined the group", "", ""],
        TipKind::Invite => [op, " invited ", &who, " to the group"],
        TipKind::Quit => [op, " left the group", "", ""],
        TipKind::Kick => [op, " removed ", &who, " from the group"],
        TipKind::SetAdmin => [op, " made ", &who, " admin"],
        TipKind::CancelAdmin => [op, " revoked admin from ", &who, ""],
        TipKind::Profile => [op, " changed the group profile", "", ""],
        TipKind::MemberProfile => [op, " changed members' profiles", "", ""],
    };
    parts.concat()
}
