//! The IM-group calls of the `TIM` class (createGroup, joinGroup, getGroupMemberList, …; not
//! the conversation groups of `conversations.rs`). Each reads its options into the wire
//! request and hands it to the core, which checks it, sends it and resolves in tim-js-sdk's
//! shape; a missing or wrong-typed option rejects at once with 2905 (`INVALID_OPERATION`).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::instance::{err, Settle};
use super::{js, Tim};
use crate::core::{codes, Command, GroupMethod, SdkError};
use crate::web::js::read as fields;
use tim_protocol::{
    req, CustomField, GroupRole, GroupType, InviteOption, JoinOption, NewMember, Request,
};

type Res<T> = Result<T, SdkError>;

fn invalid(message: &str) -> SdkError {
    err(codes::INVALID_OPERATION, message)
}

/// `options.groupID`, or the argument itself when it is a string (dismissGroup & co.).
fn group_id(options: &JsValue) -> Res<String> {
    options
        .as_string()
        .or_else(|| fields::string(options, "groupID"))
        .ok_or_else(|| invalid("groupID must be a string"))
}

/// An optional string option: absent is `None`, another type an error.
fn opt_string(options: &JsValue, key: &'static str) -> Res<Option<String>> {
    let v = fields::field(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| invalid("an option has the wrong type"))
}

fn string_or_empty(options: &JsValue, key: &'static str) -> Res<String> {
    Ok(opt_string(options, key)?.unwrap_or_default())
}

/// `options[key]`: an array of user IDs (strings).
fn user_ids(options: &JsValue, key: &'static str) -> Res<Vec<String>> {
    let list = fields::array(options, key).ok_or_else(|| invalid("userIDList must be an array"))?;
    list.iter()
        .map(|v| {
            v.as_string()
                .ok_or_else(|| invalid("a userID must be a string"))
        })
        .collect()
}

/// `[{key, value}]` custom fields; absent is `None`.
fn customs(options: &JsValue, key: &'static str) -> Res<Option<Vec<CustomField>>> {
    if fields::field(options, key).is_undefined() {
        return Ok(None);
    }
    let list =
        fields::array(options, key).ok_or_else(|| invalid("custom fields: [{key, value}]"))?;
    list.iter()
        .map(
            |f| match (fields::string(f, "key"), fields::string(f, "value")) {
                (Some(key), Some(value)) => Ok(CustomField { key, value }),
                _ => Err(invalid("custom fields: [{key, value}] of strings")),
            },
        )
        .collect::<Res<Vec<_>>>()
        .map(Some)
}

fn join_option(options: &JsValue) -> Res<Option<JoinOption>> {
    Ok(match opt_string(options, "joinOption")?.as_deref() {
        None => None,
        Some("FreeAccess") => Some(JoinOption::FreeAccess),
        Some("NeedPermission") => Some(JoinOption::NeedPermission),
        Some("DisableApply") => Some(JoinOption::DisableApply),
        Some(_) => return Err(invalid("joinOption must be a JOIN_OPTIONS_* value")),
    })
}

fn invite_option(options: &JsValue) -> Res<Option<InviteOption>> {
    Ok(match opt_string(options, "inviteOption")?.as_deref() {
        None => None,
        Some("FreeAccess") => Some(InviteOption::FreeAccess),
        Some("NeedPermission") => Some(InviteOption::NeedPermission),
        Some("DisableInvite") => Some(InviteOption::DisableInvite),
        Some(_) => return Err(invalid("inviteOption must be an INVITE_OPTIONS_* value")),
    })
}

fn new_member(m: &JsValue) -> Res<NewMember> {
    let user_id = fields::string(m, "userID").ok_or_else(|| invalid("memberList: [{userID}]"))?;
    let role = match opt_string(m, "role")?.as_deref() {
        None | Some("Member") => GroupRole::Member,
        Some("Admin") => GroupRole::Admin,
        Some(_) => {
            return Err(err(
                codes::INVALID_MEMBER_ROLE,
                "role must be Admin or Member",
            ))
        }
    };
    let custom = customs(m, "memberCustomField")?.unwrap_or_default();
    Ok(NewMember {
        user_id,
        role,
        custom,
    })
}

fn create(o: &JsValue) -> Res<Request> {
    let name = fields::string(o, "name").ok_or_else(|| invalid("name must be a string"))?;
    let group_type = match opt_string(o, "type")? {
        None => GroupType::Work,
        Some(t) => GroupType::parse(&t)
            .ok_or_else(|| err(codes::ILLEGAL_GROUP_TYPE, "type must be a GRP_* value"))?,
    };
    let members = match fields::field(o, "memberList") {
        v if v.is_undefined() => Vec::new(),
        _ => fields::array(o, "memberList")
            .ok_or_else(|| invalid("memberList must be an array"))?
            .iter()
            .map(new_member)
            .collect::<Res<_>>()?,
    };
    let max = match fields::field(o, "maxMemberNum") {
        v if v.is_undefined() => None,
        _ => Some(
            fields::uint(o, "maxMemberNum")
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| invalid("maxMemberNum must be a count"))?,
        ),
    };
    Ok(Request::GroupCreate(req::GroupCreate {
        group_id: string_or_empty(o, "groupID")?,
        group_type,
        name,
        avatar: string_or_empty(o, "avatar")?,
        introduction: string_or_empty(o, "introduction")?,
        notification: string_or_empty(o, "notification")?,
        max_member_count: max,
        join_option: join_option(o)?,
        invite_option: invite_option(o)?,
        members,
        custom: customs(o, "groupCustomField")?.unwrap_or_default(),
        support_topic: fields::boolean(o, "isSupportTopic").unwrap_or(false),
    }))
}

fn update(o: &JsValue) -> Res<Request> {
    let mute = fields::field(o, "muteAllMembers");
    Ok(Request::GroupUpdate(req::GroupUpdate {
        group_id: group_id(o)?,
        name: opt_string(o, "name")?,
        avatar: opt_string(o, "avatar")?,
        introduction: opt_string(o, "introduction")?,
        notification: opt_string(o, "notification")?,
        mute_all: match mute.as_bool() {
            Some(b) => Some(b),
            None if mute.is_undefined() => None,
            None => return Err(invalid("muteAllMembers must be a boolean")),
        },
        join_option: join_option(o)?,
        invite_option: invite_option(o)?,
        custom: customs(o, "groupCustomField")?,
    }))
}

fn users_request(o: &JsValue, kick: bool) -> Res<Request> {
    let r = req::GroupUsers {
        group_id: group_id(o)?,
        user_ids: user_ids(o, "userIDList")?,
        reason: string_or_empty(o, "reason")?,
    };
    Ok(if kick {
        Request::GroupKick(r)
    } else {
        Request::GroupAdd(r)
    })
}

fn member_set(o: &JsValue, card: bool) -> Res<Request> {
    let (name_card, custom) = if card {
        let c =
            fields::string(o, "nameCard").ok_or_else(|| invalid("nameCard must be a string"))?;
        (Some(c), None)
    } else {
        let c = customs(o, "memberCustomField")?
            .ok_or_else(|| invalid("memberCustomField: [{key, value}]"))?;
        (None, Some(c))
    };
    Ok(Request::GroupMemberSet(req::GroupMemberSet {
        group_id: group_id(o)?,
        user_id: string_or_empty(o, "userID")?,
        name_card,
        custom,
    }))
}

fn by_id(o: &JsValue, make: fn(req::GroupRef) -> Request) -> Res<Request> {
    Ok(make(req::GroupRef {
        group_id: group_id(o)?,
    }))
}

impl Tim {
    fn group(&self, method: GroupMethod, request: Res<Request>, offset: u64) -> Promise {
        match request {
            Ok(request) => self.inner.call(
                Command::Group {
                    method,
                    request,
                    offset,
                },
                Settle::Plain,
            ),
            Err(e) => js::rejected(&e),
        }
    }
}

#[wasm_bindgen(js_class = TIM)]
impl Tim {
    /// `createGroup({name, type = GRP_WORK, groupID?, introduction?, notification?, avatar?,
    /// maxMemberNum?, joinOption?, inviteOption?, memberList?, groupCustomField?,
    /// isSupportTopic?})` → `{group, overLimitUserIDList}`.
    #[wasm_bindgen(js_name = createGroup)]
    pub fn create_group(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Create, create(&options), 0)
    }

    /// `dismissGroup(groupID)` → `{groupID}` (the owner; not a Work group: 2622).
    #[wasm_bindgen(js_name = dismissGroup)]
    pub fn dismiss_group(&self, group_id: JsValue) -> Promise {
        let r = by_id(&group_id, Request::GroupDismiss);
        self.group(GroupMethod::Dismiss, r, 0)
    }

    /// `updateGroupProfile({groupID, name?, avatar?, introduction?, notification?,
    /// muteAllMembers?, joinOption?, inviteOption?, groupCustomField?})` → `{group}`.
    #[wasm_bindgen(js_name = updateGroupProfile)]
    pub fn update_group_profile(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Update, update(&options), 0)
    }

    /// `getGroupList()` → `{groupList, isSyncCompleted}` (read from the server).
    #[wasm_bindgen(js_name = getGroupList)]
    pub fn get_group_list(&self, _options: JsValue) -> Promise {
        let r = Request::GroupList(req::GroupList::default());
        self.group(GroupMethod::List, Ok(r), 0)
    }

    /// `getGroupProfile({groupID})` → `{group}` (a group of this user).
    #[wasm_bindgen(js_name = getGroupProfile)]
    pub fn get_group_profile(&self, options: JsValue) -> Promise {
        let r = group_id(&options).map(|id| {
            Request::GroupList(req::GroupList {
                group_ids: vec![id],
            })
        });
        self.group(GroupMethod::Profile, r, 0)
    }

    /// `searchGroupByID(groupID)` → `{group}` (Work groups are not found).
    #[wasm_bindgen(js_name = searchGroupByID)]
    pub fn search_group_by_id(&self, group_id: JsValue) -> Promise {
        let r = by_id(&group_id, Request::GroupSearch);
        self.group(GroupMethod::Search, r, 0)
    }

    /// `joinGroup({groupID, applyMessage?, type?})` → `{status, group?}`; `type: GRP_WORK`
    /// is refused with 2601.
    #[wasm_bindgen(js_name = joinGroup)]
    pub fn join_group(&self, options: JsValue) -> Promise {
        let r = (|| {
            if opt_string(&options, "type")?.as_deref() == Some("Private") {
                let m = "a Work group is joined by invitation only";
                return Err(err(codes::CANNOT_JOIN_WORK, m));
            }
            Ok(Request::GroupJoin(req::GroupJoin {
                group_id: group_id(&options)?,
                apply_message: string_or_empty(&options, "applyMessage")?,
            }))
        })();
        self.group(GroupMethod::Join, r, 0)
    }

    /// `quitGroup(groupID)` → `{groupID}`.
    #[wasm_bindgen(js_name = quitGroup)]
    pub fn quit_group(&self, group_id: JsValue) -> Promise {
        let r = by_id(&group_id, Request::GroupQuit);
        self.group(GroupMethod::Quit, r, 0)
    }

    /// `changeGroupOwner({groupID, newOwnerID})` → `{group}`.
    #[wasm_bindgen(js_name = changeGroupOwner)]
    pub fn change_group_owner(&self, options: JsValue) -> Promise {
        let r = (|| {
            Ok(Request::GroupOwner(req::GroupOwner {
                group_id: group_id(&options)?,
                new_owner_id: fields::string(&options, "newOwnerID")
                    .ok_or_else(|| invalid("newOwnerID must be a string"))?,
            }))
        })();
        self.group(GroupMethod::Owner, r, 0)
    }

    /// `addGroupMember({groupID, userIDList})` → `{successUserIDList, failureUserIDList,
    /// existedUserIDList, overLimitUserIDList, group}`.
    #[wasm_bindgen(js_name = addGroupMember)]
    pub fn add_group_member(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Add, users_request(&options, false), 0)
    }

    /// `deleteGroupMember({groupID, userIDList, reason?})` → `{group, userIDList}`.
    #[wasm_bindgen(js_name = deleteGroupMember)]
    pub fn delete_group_member(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Kick, users_request(&options, true), 0)
    }

    /// `getGroupMemberList({groupID, count = 15 (≤ 100), offset = 0})` → `{memberList,
    /// offset}`: pass the returned offset for the next page (0: no more). Pages follow the
    /// server's cursor, so members joining or leaving never make a page repeat or skip one.
    #[wasm_bindgen(js_name = getGroupMemberList)]
    pub fn get_group_member_list(&self, options: JsValue) -> Promise {
        let read = |key| match fields::field(&options, key) {
            v if v.is_undefined() => Ok(0),
            _ => fields::uint(&options, key).ok_or_else(|| invalid("count and offset: numbers")),
        };
        let (count, offset) = match (read("count"), read("offset")) {
            (Ok(c), Ok(o)) => (c, o),
            (Err(e), _) | (_, Err(e)) => return js::rejected(&e),
        };
        let r = group_id(&options).map(|group_id| {
            Request::GroupMembers(req::GroupMembers {
                group_id,
                cursor: String::new(),
                count: u32::try_from(count).unwrap_or(u32::MAX),
            })
        });
        self.group(GroupMethod::Members, r, offset)
    }

    /// `getGroupMemberProfile({groupID, userIDList})` → `{memberList}` (≤ 50 users).
    #[wasm_bindgen(js_name = getGroupMemberProfile)]
    pub fn get_group_member_profile(&self, options: JsValue) -> Promise {
        let r = (|| {
            Ok(Request::GroupMemberInfo(req::GroupMemberInfo {
                group_id: group_id(&options)?,
                user_ids: user_ids(&options, "userIDList")?,
            }))
        })();
        self.group(GroupMethod::MemberProfile, r, 0)
    }

    /// `setGroupMemberNameCard({groupID, nameCard, userID?})` → `{group, member}`.
    #[wasm_bindgen(js_name = setGroupMemberNameCard)]
    pub fn set_group_member_name_card(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::MemberSet, member_set(&options, true), 0)
    }

    /// `setGroupMemberCustomField({groupID, memberCustomField, userID?})` → `{group, member}`.
    #[wasm_bindgen(js_name = setGroupMemberCustomField)]
    pub fn set_group_member_custom_field(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::MemberSet, member_set(&options, false), 0)
    }
}
