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

/// Reads an options object field by field. A field of the wrong type (or a required one
/// missing) marks the read bad and the call rejects once at the end: an early return per
/// field cost the wasm a cleanup path for everything read before it.
struct Opts<'a> {
    o: &'a JsValue,
    bad: Option<&'static str>,
}

impl Opts<'_> {
    fn fail(&mut self, key: &'static str) {
        self.bad.get_or_insert(key);
    }

    fn field(&self, key: &'static str) -> Option<JsValue> {
        let v = fields::field(self.o, key);
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    /// An optional string.
    fn opt(&mut self, key: &'static str) -> Option<String> {
        let v = self.field(key)?;
        let s = v.as_string();
        if s.is_none() {
            self.fail(key);
        }
        s
    }

    /// An optional string, "" when absent.
    fn text(&mut self, key: &'static str) -> String {
        self.opt(key).unwrap_or_default()
    }

    /// A required string.
    fn need(&mut self, key: &'static str) -> String {
        let s = self.opt(key);
        if s.is_none() {
            self.fail(key);
        }
        s.unwrap_or_default()
    }

    /// The group: the argument itself when it is a string (dismissGroup & co.), else
    /// `options.groupID`.
    fn group_id(&mut self) -> String {
        match self.o.as_string() {
            Some(id) => id,
            None => self.need("groupID"),
        }
    }

    fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let v = self.field(key)?;
        if v.as_bool().is_none() {
            self.fail(key);
        }
        v.as_bool()
    }

    fn count(&mut self, key: &'static str) -> Option<u32> {
        self.field(key)?;
        let n = fields::uint(self.o, key).and_then(|n| u32::try_from(n).ok());
        if n.is_none() {
            self.fail(key);
        }
        n
    }

    /// An array read element by element (absent: `None`; a wrong element marks it bad).
    fn list<T>(&mut self, key: &'static str, read: fn(&JsValue) -> Option<T>) -> Option<Vec<T>> {
        self.field(key)?;
        let mut out = Vec::new();
        for v in fields::array(self.o, key).unwrap_or_default() {
            match read(&v) {
                Some(x) => out.push(x),
                None => self.fail(key),
            }
        }
        if !js_sys::Array::is_array(&fields::field(self.o, key)) {
            self.fail(key);
        }
        Some(out)
    }

    fn users(&mut self) -> Vec<String> {
        let list = self.list("userIDList", |v| v.as_string());
        if list.is_none() {
            self.fail("userIDList");
        }
        list.unwrap_or_default()
    }

    fn customs(&mut self, key: &'static str) -> Option<Vec<CustomField>> {
        self.list(key, custom)
    }

    fn join_option(&mut self) -> Option<JoinOption> {
        Some(match self.opt("joinOption")?.as_str() {
            "FreeAccess" => JoinOption::FreeAccess,
            "NeedPermission" => JoinOption::NeedPermission,
            "DisableApply" => JoinOption::DisableApply,
            _ => {
                self.fail("joinOption");
                return None;
            }
        })
    }

    fn invite_option(&mut self) -> Option<InviteOption> {
        Some(match self.opt("inviteOption")?.as_str() {
            "FreeAccess" => InviteOption::FreeAccess,
            "NeedPermission" => InviteOption::NeedPermission,
            "DisableInvite" => InviteOption::DisableInvite,
            _ => {
                self.fail("inviteOption");
                return None;
            }
        })
    }
}

fn custom(f: &JsValue) -> Option<CustomField> {
    Some(CustomField {
        key: fields::string(f, "key")?,
        value: fields::string(f, "value")?,
    })
}

/// A `memberList` entry `{userID, role?: Admin | Member, memberCustomField?}`.
fn new_member(m: &JsValue) -> Option<NewMember> {
    let role = match fields::field(m, "role").as_string().as_deref() {
        None | Some("Member") => GroupRole::Member,
        Some("Admin") => GroupRole::Admin,
        Some(_) => return None,
    };
    let mut o = Opts { o: m, bad: None };
    let custom = o.customs("memberCustomField").unwrap_or_default();
    Some(NewMember {
        user_id: fields::string(m, "userID")?,
        role,
        custom,
    })
    .filter(|_| o.bad.is_none())
}

/// The wire request of group call `method` from its argument, and getGroupMemberList's offset.
#[inline(never)]
fn read(method: GroupMethod, arg: &JsValue) -> Res<(Request, u64)> {
    use GroupMethod as M;
    let mut o = Opts { o: arg, bad: None };
    let mut offset = 0;
    let gref = |o: &mut Opts| req::GroupRef {
        group_id: o.group_id(),
    };
    let request = match method {
        M::Create => {
            let group_type = match o.opt("type") {
                None => Some(GroupType::Work),
                Some(t) => GroupType::parse(&t),
            };
            let Some(group_type) = group_type else {
                return Err(err(codes::ILLEGAL_GROUP_TYPE, "type must be a GRP_* value"));
            };
            Request::GroupCreate(req::GroupCreate {
                group_id: o.text("groupID"),
                group_type,
                name: o.need("name"),
                avatar: o.text("avatar"),
                introduction: o.text("introduction"),
                notification: o.text("notification"),
                max_member_count: o.count("maxMemberNum"),
                join_option: o.join_option(),
                invite_option: o.invite_option(),
                members: o.list("memberList", new_member).unwrap_or_default(),
                custom: o.customs("groupCustomField").unwrap_or_default(),
                support_topic: o.boolean("isSupportTopic").unwrap_or(false),
            })
        }
        M::Dismiss => Request::GroupDismiss(gref(&mut o)),
        M::Search => Request::GroupSearch(gref(&mut o)),
        M::Quit => Request::GroupQuit(gref(&mut o)),
        M::Update => Request::GroupUpdate(req::GroupUpdate {
            group_id: o.need("groupID"),
            name: o.opt("name"),
            avatar: o.opt("avatar"),
            introduction: o.opt("introduction"),
            notification: o.opt("notification"),
            mute_all: o.boolean("muteAllMembers"),
            join_option: o.join_option(),
            invite_option: o.invite_option(),
            custom: o.customs("groupCustomField"),
        }),
        M::List => Request::GroupList(req::GroupList::default()),
        M::Profile => Request::GroupList(req::GroupList {
            group_ids: vec![o.need("groupID")],
        }),
        M::Join => {
            if o.opt("type").as_deref() == Some("Private") {
                let m = "a Work group is joined by invitation only";
                return Err(err(codes::CANNOT_JOIN_WORK, m));
            }
            Request::GroupJoin(req::GroupJoin {
                group_id: o.need("groupID"),
                apply_message: o.text("applyMessage"),
            })
        }
        M::Owner => Request::GroupOwner(req::GroupOwner {
            group_id: o.need("groupID"),
            new_owner_id: o.need("newOwnerID"),
        }),
        M::Add | M::Kick => {
            let r = req::GroupUsers {
                group_id: o.need("groupID"),
                user_ids: o.users(),
                reason: o.text("reason"),
            };
            match method {
                M::Add => Request::GroupAdd(r),
                _ => Request::GroupKick(r),
            }
        }
        M::Members => {
            offset = o.count("offset").unwrap_or(0).into();
            Request::GroupMembers(req::GroupMembers {
                group_id: o.need("groupID"),
                cursor: String::new(),
                count: o.count("count").unwrap_or(0),
            })
        }
        M::MemberProfile => Request::GroupMemberInfo(req::GroupMemberInfo {
            group_id: o.need("groupID"),
            user_ids: o.users(),
        }),
        M::MemberSet => {
            let custom = o.customs("memberCustomField");
            let name_card = o.opt("nameCard");
            // setGroupMemberNameCard sends a nameCard, setGroupMemberCustomField a field list.
            if name_card.is_none() && custom.is_none() {
                o.fail("nameCard");
            }
            Request::GroupMemberSet(req::GroupMemberSet {
                group_id: o.need("groupID"),
                user_id: o.text("userID"),
                name_card,
                custom,
            })
        }
    };
    match o.bad {
        Some(key) => Err(invalid(key)),
        None => Ok((request, offset)),
    }
}

fn invalid(key: &str) -> SdkError {
    err(
        codes::INVALID_OPERATION,
        &["invalid option: ", key].concat(),
    )
}

impl Tim {
    fn group(&self, method: GroupMethod, arg: &JsValue) -> Promise {
        match read(method, arg) {
            Ok((request, offset)) => self.inner.call(
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
        self.group(GroupMethod::Create, &options)
    }

    /// `dismissGroup(groupID)` → `{groupID}` (the owner; not a Work group: 2622).
    #[wasm_bindgen(js_name = dismissGroup)]
    pub fn dismiss_group(&self, group_id: JsValue) -> Promise {
        self.group(GroupMethod::Dismiss, &group_id)
    }

    /// `updateGroupProfile({groupID, name?, avatar?, introduction?, notification?,
    /// muteAllMembers?, joinOption?, inviteOption?, groupCustomField?})` → `{group}`.
    #[wasm_bindgen(js_name = updateGroupProfile)]
    pub fn update_group_profile(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Update, &options)
    }

    /// `getGroupList()` → `{groupList, isSyncCompleted}` (read from the server).
    #[wasm_bindgen(js_name = getGroupList)]
    pub fn get_group_list(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::List, &options)
    }

    /// `getGroupProfile({groupID})` → `{group}` (a group of this user).
    #[wasm_bindgen(js_name = getGroupProfile)]
    pub fn get_group_profile(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Profile, &options)
    }

    /// `searchGroupByID(groupID)` → `{group}` (Work groups are not found).
    #[wasm_bindgen(js_name = searchGroupByID)]
    pub fn search_group_by_id(&self, group_id: JsValue) -> Promise {
        self.group(GroupMethod::Search, &group_id)
    }

    /// `joinGroup({groupID, applyMessage?, type?})` → `{status, group?}`; `type: GRP_WORK`
    /// is refused with 2601.
    #[wasm_bindgen(js_name = joinGroup)]
    pub fn join_group(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Join, &options)
    }

    /// `quitGroup(groupID)` → `{groupID}`.
    #[wasm_bindgen(js_name = quitGroup)]
    pub fn quit_group(&self, group_id: JsValue) -> Promise {
        self.group(GroupMethod::Quit, &group_id)
    }

    /// `changeGroupOwner({groupID, newOwnerID})` → `{group}`.
    #[wasm_bindgen(js_name = changeGroupOwner)]
    pub fn change_group_owner(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Owner, &options)
    }

    /// `addGroupMember({groupID, userIDList})` → `{successUserIDList, failureUserIDList,
    /// existedUserIDList, overLimitUserIDList, group}`.
    #[wasm_bindgen(js_name = addGroupMember)]
    pub fn add_group_member(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Add, &options)
    }

    /// `deleteGroupMember({groupID, userIDList, reason?})` → `{group, userIDList}`.
    #[wasm_bindgen(js_name = deleteGroupMember)]
    pub fn delete_group_member(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Kick, &options)
    }

    /// `getGroupMemberList({groupID, count = 15 (≤ 100), offset = 0})` → `{memberList,
    /// offset}`: pass the returned offset for the next page (0: no more). Pages follow the
    /// server's cursor, so members joining or leaving never make a page repeat or skip one.
    #[wasm_bindgen(js_name = getGroupMemberList)]
    pub fn get_group_member_list(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::Members, &options)
    }

    /// `getGroupMemberProfile({groupID, userIDList})` → `{memberList}` (≤ 50 users).
    #[wasm_bindgen(js_name = getGroupMemberProfile)]
    pub fn get_group_member_profile(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::MemberProfile, &options)
    }

    /// `setGroupMemberNameCard({groupID, nameCard, userID?})` → `{group, member}`.
    #[wasm_bindgen(js_name = setGroupMemberNameCard)]
    pub fn set_group_member_name_card(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::MemberSet, &options)
    }

    /// `setGroupMemberCustomField({groupID, memberCustomField, userID?})` → `{group, member}`.
    #[wasm_bindgen(js_name = setGroupMemberCustomField)]
    pub fn set_group_member_custom_field(&self, options: JsValue) -> Promise {
        self.group(GroupMethod::MemberSet, &options)
    }
}
