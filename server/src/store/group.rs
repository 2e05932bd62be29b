//! IM-group writes (not conversation groups, which are [`super::GroupWrite`]): one
//! [`Write::Group`](super::Write::Group) carries a [`GroupOp`]; its [`GroupOutcome`] says what
//! to answer and whom to tell. The per-type rules that need no database (defaults, limits, who
//! may do what by role) live here, so the WebSocket and REST paths share them; the checks that
//! need the roster run inside the write's transaction (`sqlite/group.rs`).

use tim_protocol::{codes, req, GroupInfo, GroupRole, GroupType, InviteOption, JoinOption, Reply};

use super::{Notice, Sent, StoreError};

use std::sync::atomic::{AtomicU64, Ordering};

/// A Tencent-looking generated ID (`@TGS#` + base-36; a community's `@TGS#_` + base-36), unique within this process and, by its
/// clock component, across restarts.
pub fn generate_id(community: bool) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut n = nanos.wrapping_add(COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n % 36) as usize]);
        n /= 36;
    }
    digits.reverse();
    let prefix = if community { "@TGS#_" } else { "@TGS#" };
    format!("{prefix}{}", String::from_utf8_lossy(&digits))
}

/// Most custom fields per group or member.
pub const MAX_CUSTOM_FIELDS: usize = 16;

/// Who asks for a group change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A logged-in user, bound by the group's rules.
    User(String),
    /// The app admin (REST): every operation allowed; notices name the group's owner as
    /// their operator (as the REST path always did).
    Admin,
}

impl Actor {
    /// The user, if not the admin.
    pub fn user(&self) -> Option<&str> {
        match self {
            Actor::User(u) => Some(u),
            Actor::Admin => None,
        }
    }
}

/// A group to create: the request (its `group_id` already chosen and validated) and the owner.
#[derive(Clone, Debug)]
pub struct CreateGroup {
    /// The group; `members` excludes the owner.
    pub spec: req::GroupCreate,
    /// The owner (the creator on the WebSocket; REST's `Owner_Account`, maybe none).
    pub owner: Option<String>,
}

/// What to do.
#[derive(Clone, Debug)]
pub enum GroupAction {
    /// createGroup.
    Create(CreateGroup),
    /// dismissGroup.
    Dismiss(String),
    /// updateGroupProfile.
    Update(req::GroupUpdate),
    /// joinGroup: joins a free group, applies to one needing approval.
    Join(req::GroupJoin),
    /// quitGroup.
    Quit(String),
    /// changeGroupOwner.
    Owner(req::GroupOwner),
    /// addGroupMember.
    Add(req::GroupUsers),
    /// deleteGroupMember.
    Kick(req::GroupUsers),
    /// setGroupMemberNameCard / setGroupMemberCustomField.
    MemberSet(req::GroupMemberSet),
    /// setGroupMemberRole.
    Role(req::GroupSetRole),
    /// setGroupMemberMuteTime.
    Mute(req::GroupMute),
    /// handleGroupApplication.
    AppHandle(req::GroupAppHandle),
}

/// One group change.
#[derive(Clone, Debug)]
pub struct GroupOp {
    /// Who asks.
    pub actor: Actor,
    /// What to do.
    pub action: GroupAction,
    /// Commit no tips and tell no member's sockets of the change (notices still go): the REST
    /// `create_group` / `add_group_member`, whose observable behaviour the SDK's fake server
    /// models as it was before groups were served (Tencent's `Silence`).
    pub quiet: bool,
}

/// What a [`GroupOp`] did.
#[derive(Clone, Debug)]
pub struct GroupOutcome {
    /// The answer to the requester.
    pub reply: Reply,
    /// Tips committed to the group's history, with their deliveries.
    pub tips: Vec<Sent>,
    /// Notices committed to users' system conversations.
    pub notices: Vec<Notice>,
    /// Users whose view of the group changed, and that view (`GroupChanged`).
    pub changed: Vec<(String, GroupInfo)>,
    /// Users who are no longer members, and the group (`GroupLeft`).
    pub left: Vec<(String, String)>,
}

/// A refusal with its wire code.
pub fn refuse(code: u32, message: impl Into<String>) -> StoreError {
    StoreError::Refused(code, message.into())
}

/// A group's default and largest member count.
pub fn max_members(t: GroupType) -> u32 {
    match t {
        GroupType::Work => 200,
        GroupType::Public => 2000,
        GroupType::Meeting => 10_000,
        GroupType::AvChatRoom => 1_000_000,
        GroupType::Community => 100_000,
    }
}

/// How users join a group of type `t` unless its creator says otherwise: Work groups are
/// invite only, Public ones need approval, the others are free.
pub fn default_join(t: GroupType) -> JoinOption {
    match t {
        GroupType::Work => JoinOption::DisableApply,
        GroupType::Public => JoinOption::NeedPermission,
        _ => JoinOption::FreeAccess,
    }
}

/// How members of a group of type `t` invite unless its creator says otherwise: any Work
/// member adds anyone; elsewhere the owner and admins do.
pub fn default_invite(t: GroupType) -> InviteOption {
    match t {
        GroupType::Work => InviteOption::FreeAccess,
        _ => InviteOption::DisableInvite,
    }
}

/// Whether `role` may add members to a group of type `t` with `invite`: Work groups let any
/// member add; Meeting groups only the app admin (refused here for every member); elsewhere
/// the owner and admins, and everyone when invitations are free.
pub fn may_add(t: GroupType, invite: InviteOption, role: GroupRole) -> bool {
    match t {
        GroupType::Work => true,
        GroupType::Meeting | GroupType::AvChatRoom => false,
        _ => role != GroupRole::Member || invite == InviteOption::FreeAccess,
    }
}

/// Whether `role` may change a group's profile: the owner and admins; in a Work group every
/// member (as Tencent's Private groups).
pub fn may_update(t: GroupType, role: GroupRole) -> bool {
    t == GroupType::Work || role != GroupRole::Member
}

/// Whether joining and quitting by oneself commit a tip: not in Meeting groups and
/// AVChatRoom, where people come and go all the time (the reference: "join/quit tips off by
/// default"); additions and removals by others always do.
pub fn join_quit_tips(t: GroupType) -> bool {
    !matches!(t, GroupType::Meeting | GroupType::AvChatRoom)
}

/// Rank for "may act on": the owner outranks admins, admins outrank members.
pub fn rank(role: GroupRole) -> u8 {
    match role {
        GroupRole::Owner => 2,
        GroupRole::Admin => 1,
        GroupRole::Member => 0,
    }
}

/// The stored form of a role.
pub fn role_from_str(s: &str) -> GroupRole {
    match s {
        "Owner" => GroupRole::Owner,
        "Admin" => GroupRole::Admin,
        _ => GroupRole::Member,
    }
}

/// The stored form of a join option (its wire string).
pub fn join_str(o: JoinOption) -> &'static str {
    match o {
        JoinOption::FreeAccess => "FreeAccess",
        JoinOption::NeedPermission => "NeedPermission",
        JoinOption::DisableApply => "DisableApply",
    }
}

/// Parses [`join_str`]; anything else is the type's default.
pub fn join_from_str(s: &str, t: GroupType) -> JoinOption {
    match s {
        "FreeAccess" => JoinOption::FreeAccess,
        "NeedPermission" => JoinOption::NeedPermission,
        "DisableApply" => JoinOption::DisableApply,
        _ => default_join(t),
    }
}

/// The stored form of an invite option (its wire string).
pub fn invite_str(o: InviteOption) -> &'static str {
    match o {
        InviteOption::FreeAccess => "FreeAccess",
        InviteOption::NeedPermission => "NeedPermission",
        InviteOption::DisableInvite => "DisableInvite",
    }
}

/// Parses [`invite_str`]; anything else is the type's default.
pub fn invite_from_str(s: &str, t: GroupType) -> InviteOption {
    match s {
        "FreeAccess" => InviteOption::FreeAccess,
        "NeedPermission" => InviteOption::NeedPermission,
        "DisableInvite" => InviteOption::DisableInvite,
        _ => default_invite(t),
    }
}

/// Not a member (or not allowed): 10007.
pub fn not_member() -> StoreError {
    StoreError::NotGroupMember
}

/// No permission for `what`: 10007 with a reason.
pub fn no_permission(what: &str) -> StoreError {
    refuse(codes::NOT_GROUP_MEMBER, format!("no permission to {what}"))
}

impl GroupOp {
    /// The REST `create_group`: `owner` (if any) and `members` join, quietly (see
    /// [`GroupOp::quiet`]); the type's defaults for everything else.
    pub fn admin_create(
        group_id: String,
        group_type: GroupType,
        name: String,
        owner: Option<String>,
        members: Vec<String>,
    ) -> GroupOp {
        let members = members
            .into_iter()
            .map(|user_id| tim_protocol::NewMember {
                user_id,
                ..Default::default()
            })
            .collect();
        let spec = req::GroupCreate {
            group_id,
            group_type,
            name,
            members,
            ..Default::default()
        };
        GroupOp {
            actor: Actor::Admin,
            action: GroupAction::Create(CreateGroup { spec, owner }),
            quiet: true,
        }
    }
}
