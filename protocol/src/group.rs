//! IM groups on the wire (not conversation groups, which are [`crate::ConvGroup`]): a group's
//! profile as one member sees it, its members, and the values tim-js-sdk uses for them. The
//! enums serialize to tim-js-sdk's own strings (`TIM.TYPES.GRP_WORK` is `"Private"`), so the
//! SDK passes them through unchanged.

use serde::{Deserialize, Serialize};

/// Longest group name, UTF-8 bytes (createGroup, updateGroupProfile), as Tencent documents it.
/// The limits here are checked by the SDK before sending and by the server (10004).
pub const MAX_GROUP_NAME: usize = 30;
/// Longest group introduction, bytes.
pub const MAX_INTRODUCTION: usize = 240;
/// Longest group notification, bytes.
pub const MAX_NOTIFICATION: usize = 300;
/// Longest member name card, bytes.
pub const MAX_NAME_CARD: usize = 50;
/// Most users one createGroup member list, addGroupMember or deleteGroupMember names.
pub const MAX_GROUP_USERS: usize = 500;
/// Most users one getGroupMemberProfile names.
pub const MAX_MEMBER_PROFILES: usize = 50;

/// A group's type. Its rules (who may join, invite, mute; whether unread is counted) differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupType {
    /// `GRP_WORK`: members are invited, never apply.
    #[default]
    #[serde(rename = "Private", alias = "Work")]
    Work,
    /// `GRP_PUBLIC`: users apply to join; the owner or an admin approves.
    #[serde(rename = "Public")]
    Public,
    /// `GRP_MEETING`: anyone joins freely; unread is not counted.
    #[serde(rename = "ChatRoom", alias = "Meeting")]
    Meeting,
    /// `GRP_AVCHATROOM`: live-stream rooms.
    #[serde(rename = "AVChatRoom")]
    AvChatRoom,
    /// `GRP_COMMUNITY`: large groups with topics.
    #[serde(rename = "Community")]
    Community,
}

impl GroupType {
    /// The wire string, as `TIM.TYPES.GRP_*` has it.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupType::Work => "Private",
            GroupType::Public => "Public",
            GroupType::Meeting => "ChatRoom",
            GroupType::AvChatRoom => "AVChatRoom",
            GroupType::Community => "Community",
        }
    }

    /// Parses a wire string or one of its aliases (`Work`, `Meeting`).
    pub fn parse(s: &str) -> Option<GroupType> {
        Some(match s {
            "Private" | "Work" => GroupType::Work,
            "Public" => GroupType::Public,
            "ChatRoom" | "Meeting" => GroupType::Meeting,
            "AVChatRoom" => GroupType::AvChatRoom,
            "Community" => GroupType::Community,
            _ => return None,
        })
    }
}

/// A member's role (`TIM.TYPES.GRP_MBR_ROLE_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupRole {
    /// The group's owner: one per group (none for a group made by the app admin alone).
    Owner,
    /// An administrator.
    Admin,
    /// A plain member.
    #[default]
    Member,
}

impl GroupRole {
    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupRole::Owner => "Owner",
            GroupRole::Admin => "Admin",
            GroupRole::Member => "Member",
        }
    }
}

/// How users may join (`TIM.TYPES.JOIN_OPTIONS_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JoinOption {
    /// Anyone joins at once.
    FreeAccess,
    /// An application the owner or an admin approves.
    #[default]
    NeedPermission,
    /// Nobody may apply.
    DisableApply,
}

/// How members may invite others (`TIM.TYPES.INVITE_OPTIONS_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InviteOption {
    /// Any member invites, no approval.
    #[default]
    FreeAccess,
    /// Invitations need the owner's or an admin's approval.
    NeedPermission,
    /// Only the owner and admins add members.
    DisableInvite,
}

/// The outcome of a join (`TIM.TYPES.JOIN_STATUS_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinStatus {
    /// A member now.
    JoinedSuccess,
    /// Applied; waiting for the owner or an admin.
    WaitAdminApproval,
    /// Was a member already.
    AlreadyInGroup,
}

/// A custom field of a group or member: `{key, value}` as tim-js-sdk lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    /// The key the app declared.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// The viewer's own membership, in a [`GroupInfo`] (`Group.selfInfo`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfInfo {
    /// The viewer's role.
    pub role: GroupRole,
    /// When the viewer joined, seconds.
    pub join_time: u64,
    /// The viewer's name card in the group.
    #[serde(default)]
    pub name_card: String,
}

/// A group's profile as one user sees it (`Group` in tim-js-sdk).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupInfo {
    /// `@TGS#…` when the server chose it.
    pub group_id: String,
    /// The type.
    pub group_type: GroupType,
    /// Name.
    pub name: String,
    /// Avatar URL.
    #[serde(default)]
    pub avatar: String,
    /// Introduction.
    #[serde(default)]
    pub introduction: String,
    /// Notification (the group's announcement).
    #[serde(default)]
    pub notification: String,
    /// The owner; empty for a group the app admin made without one.
    #[serde(default)]
    pub owner_id: String,
    /// Creation time, seconds.
    pub create_time: u64,
    /// Bumped by every profile change (`infoSequence`).
    #[serde(default)]
    pub info_seq: u64,
    /// Time of the last profile change, seconds (`lastInfoTime`).
    #[serde(default)]
    pub info_time: u64,
    /// Members now.
    pub member_count: u32,
    /// Members at most.
    pub max_member_count: u32,
    /// Everyone but the owner and admins muted.
    #[serde(default)]
    pub mute_all: bool,
    /// How users join.
    #[serde(default)]
    pub join_option: JoinOption,
    /// How members invite.
    #[serde(default)]
    pub invite_option: InviteOption,
    /// Group custom fields.
    #[serde(default)]
    pub custom: Vec<CustomField>,
    /// The sequence of the group's newest message (`nextMessageSeq` is one more).
    #[serde(default)]
    pub last_seq: u64,
    /// A community with topics.
    #[serde(default)]
    pub support_topic: bool,
    /// The viewer's membership; `None` when the viewer is not a member (search).
    #[serde(default)]
    pub self_info: Option<SelfInfo>,
}

/// One member of a group (`GroupMember` in tim-js-sdk).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    /// The member.
    pub user_id: String,
    /// Role.
    pub role: GroupRole,
    /// When they joined, seconds.
    pub join_time: u64,
    /// Name card in this group.
    #[serde(default)]
    pub name_card: String,
    /// Muted until then, seconds (0: not muted).
    #[serde(default)]
    pub mute_until: u64,
    /// Member custom fields.
    #[serde(default)]
    pub custom: Vec<CustomField>,
    /// The user's profile nick.
    #[serde(default)]
    pub nick: String,
    /// The user's profile avatar.
    #[serde(default)]
    pub avatar: String,
}

/// A member to add at creation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMember {
    /// The user.
    pub user_id: String,
    /// Role (`Admin` or `Member`; the creator is the owner).
    #[serde(default)]
    pub role: GroupRole,
    /// Member custom fields.
    #[serde(default)]
    pub custom: Vec<CustomField>,
}

/// What a group tip reports (`TIMGroupTipElem`'s operationType; the SDK maps it to
/// tim-js-sdk's web numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipKind {
    /// Users joined (`GRP_TIP_MBR_JOIN`, 1), by themselves or approved.
    Join,
    /// Users were invited or added by the operator (also `GRP_TIP_MBR_JOIN`, 1).
    Invite,
    /// The operator quit (`GRP_TIP_MBR_QUIT`, 2).
    Quit,
    /// Users were removed (`GRP_TIP_MBR_KICKED_OUT`, 3).
    Kick,
    /// Users were made admins (`GRP_TIP_MBR_SET_ADMIN`, 4).
    SetAdmin,
    /// Users stopped being admins (`GRP_TIP_MBR_CANCELED_ADMIN`, 5).
    CancelAdmin,
    /// The group's profile changed (`GRP_TIP_GRP_PROFILE_UPDATED`, 6).
    Profile,
    /// Members' profiles in the group changed, e.g. muted (`GRP_TIP_MBR_PROFILE_UPDATED`, 7).
    MemberProfile,
}

/// One changed field of a group's profile, in a [`TipKind::Profile`] tip
/// (`newGroupProfile`): `key` is tim-js-sdk's field name (`name`, `ownerID`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileChange {
    /// tim-js-sdk's field name.
    pub key: String,
    /// The new value, as a string (`muteAllMembers`: `"true"`/`"false"`).
    pub value: String,
}

/// One member's change in a [`TipKind::MemberProfile`] tip (`memberList`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChange {
    /// The member.
    pub user_id: String,
    /// Seconds muted from now (0: unmuted).
    pub mute_time: u64,
}

/// A pending application to join a group (`getGroupApplicationList`'s items).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupApplication {
    /// The group applied to.
    pub group_id: String,
    /// Its name.
    #[serde(default)]
    pub group_name: String,
    /// Who applied.
    pub applicant: String,
    /// The applicant's profile nick.
    #[serde(default)]
    pub applicant_nick: String,
    /// The application's note (joinGroup's `applyMessage`).
    #[serde(default)]
    pub note: String,
    /// When it was made (or last repeated), seconds.
    pub time: u64,
    /// tim-js-sdk's `applicationType`: 0 a join request (the only kind served).
    #[serde(default)]
    pub application_type: u32,
}
