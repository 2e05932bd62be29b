//! IM groups (createGroup, joinGroup, …; not the conversation groups of `conv_settings`): the
//! user's group list by ID, the member-page cursors behind getGroupMemberList's numeric
//! `offset`, the calls' option checks and the shapes their answers resolve with. The list is
//! the server's: re-read at every (re)login after the conversations, kept current by the
//! calls' answers and the `GroupChanged`/`GroupLeft` pushes, and announced whole
//! (GROUP_LIST_UPDATED) whenever it changes.

use tim_protocol::{validate, GroupInfo, GroupType, Reply, Request};
use tim_protocol::{
    MAX_GROUP_NAME, MAX_GROUP_USERS, MAX_INTRODUCTION, MAX_MEMBER_PROFILES, MAX_NAME_CARD,
    MAX_NOTIFICATION,
};

use super::requests::{Internal, JobKind};
use super::*;

mod views;
pub(super) use views::{group_fields, tip_for_show, tip_payload};
pub use views::{invite_name, join_name};

/// Which tim-js-sdk call a group request is, which decides the shape it resolves with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupMethod {
    /// createGroup → `{group, overLimitUserIDList}`.
    Create,
    /// dismissGroup → `{groupID}`.
    Dismiss,
    /// updateGroupProfile → `{group}`.
    Update,
    /// getGroupList → `{groupList, isSyncCompleted}`.
    List,
    /// getGroupProfile → `{group}`.
    Profile,
    /// searchGroupByID → `{group}`.
    Search,
    /// joinGroup → `{status, group?}`.
    Join,
    /// quitGroup → `{groupID}`.
    Quit,
    /// changeGroupOwner → `{group}`.
    Owner,
    /// addGroupMember → `{successUserIDList, failureUserIDList, existedUserIDList,
    /// overLimitUserIDList, group}`.
    Add,
    /// deleteGroupMember → `{group, userIDList}`.
    Kick,
    /// getGroupMemberList → `{memberList, offset}`.
    Members,
    /// getGroupMemberProfile → `{memberList}`.
    MemberProfile,
    /// setGroupMemberNameCard / setGroupMemberCustomField → `{group, member}`.
    MemberSet,
}

/// getGroupMemberList's default page.
const DEFAULT_PAGE: u32 = 15;

/// A change of the group list.
pub(super) enum Change {
    /// A group of this user, new or changed.
    Put(GroupInfo),
    /// No longer a group of this user.
    Remove(String),
    /// The server's whole list.
    All(Vec<GroupInfo>),
}

/// The user's groups and the member-list cursors handed out as offsets.
#[derive(Default)]
pub(super) struct Groups {
    list: Vec<GroupInfo>,
    /// (group, offset, server cursor): the page at `offset` starts after that cursor.
    cursors: Vec<(String, u64, String)>,
    /// The list was read from the server in this session.
    pub(super) loaded: bool,
}

impl Groups {
    pub(super) fn get(&self, id: &str) -> Option<&GroupInfo> {
        self.list.iter().find(|g| g.group_id == id)
    }

    pub(super) fn all(&self) -> &[GroupInfo] {
        &self.list
    }

    /// Adds or replaces a group this user is a member of; true if the list changed.
    pub(super) fn put(&mut self, g: GroupInfo) -> bool {
        if g.self_info.is_none() {
            return false;
        }
        match self.list.iter_mut().find(|o| o.group_id == g.group_id) {
            Some(o) if *o == g => false,
            Some(o) => {
                *o = g;
                true
            }
            None => {
                self.list.push(g);
                true
            }
        }
    }

    /// Drops a group; true if it was listed.
    pub(super) fn remove(&mut self, id: &str) -> bool {
        self.cursors.retain(|c| c.0 != id);
        let n = self.list.len();
        self.list.retain(|g| g.group_id != id);
        n != self.list.len()
    }

    /// The server's whole list; true if it differs.
    pub(super) fn replace(&mut self, mut list: Vec<GroupInfo>) -> bool {
        list.retain(|g| g.self_info.is_some());
        self.cursors
            .retain(|c| list.iter().any(|g| g.group_id == c.0));
        let changed = list != self.list;
        self.list = list;
        changed
    }

    /// The cursor a page at `offset` starts after ("" from the first member; an offset
    /// never handed out starts over).
    fn cursor(&self, group: &str, offset: u64) -> String {
        self.cursors
            .iter()
            .find(|c| c.0 == group && c.1 == offset)
            .map(|c| c.2.clone())
            .unwrap_or_default()
    }

    fn remember(&mut self, group: &str, offset: u64, cursor: String) {
        self.cursors.retain(|c| !(c.0 == group && c.1 == offset));
        if self.cursors.len() >= 256 {
            self.cursors.remove(0);
        }
        self.cursors.push((group.to_owned(), offset, cursor));
    }
}

/// User IDs as a JS array.
fn ids(v: Vec<String>) -> Val {
    let mut list = Vec::with_capacity(v.len());
    for s in v {
        list.push(Val::Str(s));
    }
    Val::List(list)
}

fn invalid(m: &str) -> SdkError {
    SdkError::new(codes::INVALID_OPERATION, m)
}

fn too_long(s: &Option<String>, max: usize, what: &str) -> Result<(), SdkError> {
    match s {
        Some(s) if s.len() > max => Err(invalid(what)),
        _ => Ok(()),
    }
}

fn users(ids: &[String], max: usize) -> Result<(), SdkError> {
    if ids.is_empty() || ids.len() > max {
        return Err(invalid(
            "userIDList must hold 1 to 500 (50 for profiles) user IDs",
        ));
    }
    match ids.iter().any(|u| validate::id("userID", u).is_err()) {
        true => Err(invalid("userIDList holds a malformed user ID")),
        false => Ok(()),
    }
}

/// The group a request is about ("" for getGroupList).
fn group_of(req: &Request) -> &str {
    match req {
        Request::GroupCreate(r) => &r.group_id,
        Request::GroupDismiss(r) | Request::GroupSearch(r) | Request::GroupQuit(r) => &r.group_id,
        Request::GroupUpdate(r) => &r.group_id,
        Request::GroupList(r) => r.group_ids.first().map_or("", |s| s),
        Request::GroupJoin(r) => &r.group_id,
        Request::GroupOwner(r) => &r.group_id,
        Request::GroupAdd(r) | Request::GroupKick(r) => &r.group_id,
        Request::GroupMembers(r) => &r.group_id,
        Request::GroupMemberInfo(r) => &r.group_id,
        Request::GroupMemberSet(r) => &r.group_id,
        _ => "",
    }
}

impl Core {
    /// The checks tim-js-sdk makes before a group call leaves (26xx codes, 2905 for bad
    /// options); the server enforces every rule again.
    fn check_group(&self, method: GroupMethod, req: &Request) -> Result<(), SdkError> {
        let gid = group_of(req);
        let known = self
            .session
            .as_ref()
            .and_then(|s| s.convs.im.get(gid))
            .map(|g| g.group_type);
        let create = method == GroupMethod::Create;
        if !(method == GroupMethod::List || create && gid.is_empty()) {
            if gid.is_empty() {
                return Err(invalid("groupID is required"));
            }
            if validate::id("groupID", gid).is_err() {
                return Err(SdkError::new(codes::ILLEGAL_GROUP_ID, "malformed groupID"));
            }
        }
        let me = self.user_id().unwrap_or("");
        match req {
            Request::GroupCreate(r) => {
                if r.name.is_empty() || r.name.len() > MAX_GROUP_NAME {
                    return Err(invalid("name must be 1 to 30 bytes"));
                }
                too_long(
                    &Some(r.introduction.clone()),
                    MAX_INTRODUCTION,
                    "introduction too long",
                )?;
                too_long(
                    &Some(r.notification.clone()),
                    MAX_NOTIFICATION,
                    "notification too long",
                )?;
                if r.group_type == GroupType::AvChatRoom && !r.members.is_empty() {
                    let m = "an AVChatRoom is created without members";
                    return Err(SdkError::new(codes::CANNOT_ADD_MEMBER_IN_AVCHATROOM, m));
                }
                let mut ids = Vec::new();
                for m in &r.members {
                    ids.push(m.user_id.clone());
                }
                if !ids.is_empty() {
                    users(&ids, MAX_GROUP_USERS)?;
                }
            }
            Request::GroupUpdate(r) => {
                if r.name.as_ref().is_some_and(|n| n.is_empty()) {
                    return Err(invalid("name must be 1 to 30 bytes"));
                }
                too_long(&r.name, MAX_GROUP_NAME, "name must be 1 to 30 bytes")?;
                too_long(&r.introduction, MAX_INTRODUCTION, "introduction too long")?;
                too_long(&r.notification, MAX_NOTIFICATION, "notification too long")?;
            }
            Request::GroupDismiss(_) if known == Some(GroupType::Work) => {
                let m = "a Work group cannot be dismissed by a member";
                return Err(SdkError::new(codes::CANNOT_DISMISS_WORK, m));
            }
            Request::GroupOwner(r) => {
                if r.new_owner_id == me {
                    let m = "the new owner is the owner already";
                    return Err(SdkError::new(codes::CANNOT_CHANGE_OWNER_TO_SELF, m));
                }
                if known == Some(GroupType::AvChatRoom) {
                    let m = "an AVChatRoom's owner cannot change";
                    return Err(SdkError::new(codes::CANNOT_CHANGE_OWNER_IN_AVCHATROOM, m));
                }
                if validate::id("newOwnerID", &r.new_owner_id).is_err() {
                    return Err(invalid("newOwnerID must be a user ID"));
                }
            }
            Request::GroupAdd(r) => {
                if known == Some(GroupType::AvChatRoom) {
                    let m = "members join an AVChatRoom themselves";
                    return Err(SdkError::new(codes::CANNOT_ADD_MEMBER_IN_AVCHATROOM, m));
                }
                users(&r.user_ids, MAX_GROUP_USERS)?;
            }
            Request::GroupKick(r) => users(&r.user_ids, MAX_GROUP_USERS)?,
            Request::GroupMemberInfo(r) => users(&r.user_ids, MAX_MEMBER_PROFILES)?,
            Request::GroupMemberSet(r) => {
                too_long(
                    &r.name_card,
                    MAX_NAME_CARD,
                    "nameCard must be at most 50 bytes",
                )?;
                if !r.user_id.is_empty() && validate::id("userID", &r.user_id).is_err() {
                    return Err(invalid("userID must be a user ID"));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A group call: checked, then sent (getGroupMemberList's offset becomes its cursor).
    pub(super) fn cmd_im_group(
        &mut self,
        now: u64,
        op: OpId,
        method: GroupMethod,
        mut req: Request,
        offset: u64,
    ) {
        if let Err(e) = self.check_group(method, &req) {
            return self.complete(op, Err(e));
        }
        let group_id = group_of(&req).to_owned();
        if let (Request::GroupMembers(r), Some(s)) = (&mut req, self.session.as_ref()) {
            r.cursor = s.convs.im.cursor(&group_id, offset);
            r.count = match r.count {
                0 => DEFAULT_PAGE,
                n => n.min(tim_protocol::MAX_MEMBER_PAGE),
            };
        }
        let kind = JobKind::Grp {
            method,
            group_id,
            offset,
        };
        self.add_call(now, op, kind, req);
    }

    /// Re-reads the whole list (after the conversations, at every (re)login).
    pub(super) fn transmit_group_list(&mut self, now: u64) {
        let req = Request::GroupList(Default::default());
        self.transmit_internal(now, Internal::GroupList, req);
    }

    /// Applies `change` to the list; announces it (and the conversations whose groupProfile
    /// changed) when it changed, or when `first` (the session's first read). One non-generic
    /// body: a closure per caller cost the wasm a copy of it each.
    #[inline(never)]
    pub(super) fn change_groups(&mut self, first: bool, change: Change) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let im = &mut s.convs.im;
        let changed = match change {
            Change::Put(g) => im.put(g),
            Change::Remove(id) => im.remove(&id),
            Change::All(list) => im.replace(list),
        };
        if (changed || first) && s.ready {
            let list = s.convs.group_views();
            self.emit(Event::GroupListUpdated(list));
        }
        self.publish(before, false);
    }

    /// The whole list from the server.
    pub(super) fn on_group_list(&mut self, groups: Vec<GroupInfo>) {
        let first = self
            .session
            .as_mut()
            .is_some_and(|s| !std::mem::replace(&mut s.convs.im.loaded, true));
        self.change_groups(first, Change::All(groups));
    }

    /// The answer to a group call: the list updated, the call resolved in tim-js-sdk's shape
    /// (`group` first when the answer has one, then the call's own fields).
    pub(super) fn on_group_reply(
        &mut self,
        op: OpId,
        method: GroupMethod,
        gid: String,
        offset: u64,
        reply: Reply,
    ) {
        use GroupMethod as M;
        let mut out: Vec<(&'static str, Val)> = Vec::new();
        let group = match (method, reply) {
            (M::Create, Reply::GroupCreated { group, over_limit }) => {
                out.push(("overLimitUserIDList", ids(over_limit)));
                Some(group)
            }
            (M::Dismiss | M::Quit, Reply::Done) => {
                self.change_groups(false, Change::Remove(gid.clone()));
                out.push(("groupID", Val::Str(gid)));
                None
            }
            (M::List, Reply::Groups { groups }) => {
                if let Some(s) = self.session.as_mut() {
                    s.convs.im.loaded = true;
                }
                self.change_groups(false, Change::All(groups));
                let mut list = Vec::new();
                if let Some(s) = self.session.as_ref() {
                    for g in s.convs.im.all() {
                        list.push(Val::Obj(s.convs.group_view(g)));
                    }
                }
                out.push(("groupList", Val::List(list)));
                out.push(("isSyncCompleted", Val::Bool(true)));
                None
            }
            (M::Profile, Reply::Groups { groups }) => match groups.into_iter().next() {
                Some(g) => Some(g),
                None => {
                    let e = SdkError::new(codes::CANNOT_FIND_GROUP, "not a group of this user");
                    return self.complete(op, Err(e));
                }
            },
            (M::Update | M::Owner | M::Search | M::Profile, Reply::Group { group }) => Some(group),
            (M::Join, Reply::GroupJoined { status, group }) => {
                let status = match status {
                    tim_protocol::JoinStatus::JoinedSuccess => "JoinedSuccess",
                    tim_protocol::JoinStatus::WaitAdminApproval => "WaitAdminApproval",
                    tim_protocol::JoinStatus::AlreadyInGroup => "AlreadyInGroup",
                };
                out.push(("status", Val::Str(status.to_owned())));
                group
            }
            (
                M::Add,
                Reply::GroupAdded {
                    success,
                    failure,
                    existed,
                    over_limit,
                    group,
                },
            ) => {
                out.push(("successUserIDList", ids(success)));
                out.push(("failureUserIDList", ids(failure)));
                out.push(("existedUserIDList", ids(existed)));
                out.push(("overLimitUserIDList", ids(over_limit)));
                Some(group)
            }
            (M::Kick, Reply::GroupKicked { user_ids, group }) => {
                out.push(("userIDList", ids(user_ids)));
                Some(group)
            }
            (
                M::Members | M::MemberProfile,
                Reply::GroupMembers {
                    members,
                    cursor,
                    complete,
                },
            ) => {
                let next = offset.saturating_add(members.len() as u64);
                let mut list = Vec::new();
                for m in &members {
                    list.push(views::member_val(m));
                }
                out.push(("memberList", Val::List(list)));
                if method == M::Members {
                    let next = if complete || cursor.is_empty() {
                        0
                    } else {
                        next
                    };
                    if let (Some(s), true) = (self.session.as_mut(), next > 0) {
                        s.convs.im.remember(&gid, next, cursor);
                    }
                    out.push(("offset", Val::Num(next as f64)));
                }
                None
            }
            (M::MemberSet, Reply::GroupMember { group, member }) => {
                out.push(("member", views::member_val(&member)));
                Some(group)
            }
            _ => {
                let e = SdkError::new(codes::UNCAUGHT_ERROR, "unexpected answer from the server");
                return self.complete(op, Err(e));
            }
        };
        if let Some(g) = group {
            out.insert(0, ("group", self.group_val(&g)));
            self.change_groups(false, Change::Put(g));
        }
        self.complete(op, Ok(Response::Fields(Fields(out))));
    }

    fn group_val(&self, g: &GroupInfo) -> Val {
        let f = match self.session.as_ref() {
            Some(s) => s.convs.group_view(g),
            None => group_fields(g, "", None),
        };
        Val::Obj(f)
    }
}
