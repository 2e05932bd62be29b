//! Bodies of the IM-group requests (`createGroup`, `joinGroup`, …).

use serde::{Deserialize, Serialize};

use crate::{CustomField, GroupRole, GroupType, InviteOption, JoinOption, NewMember};

/// `createGroup`. Answered with [`crate::Reply::GroupCreated`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupCreate {
    /// The ID the caller chose; empty: the server assigns `@TGS#…`.
    #[serde(default)]
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
    /// Notification.
    #[serde(default)]
    pub notification: String,
    /// Members at most; `None`: the type's default.
    #[serde(default)]
    pub max_member_count: Option<u32>,
    /// How users join; `None`: the type's default.
    #[serde(default)]
    pub join_option: Option<JoinOption>,
    /// How members invite; `None`: the type's default.
    #[serde(default)]
    pub invite_option: Option<InviteOption>,
    /// Members besides the creator (who becomes the owner).
    #[serde(default)]
    pub members: Vec<NewMember>,
    /// Group custom fields.
    #[serde(default)]
    pub custom: Vec<CustomField>,
    /// A community with topics.
    #[serde(default)]
    pub support_topic: bool,
}

/// A request about one group: `dismissGroup`, `quitGroup`, `getGroupProfile`,
/// `searchGroupByID`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRef {
    /// The group.
    pub group_id: String,
}

/// `updateGroupProfile`: the fields present change. Answered with [`crate::Reply::Group`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupUpdate {
    /// The group.
    pub group_id: String,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New avatar.
    #[serde(default)]
    pub avatar: Option<String>,
    /// New introduction.
    #[serde(default)]
    pub introduction: Option<String>,
    /// New notification.
    #[serde(default)]
    pub notification: Option<String>,
    /// Mute everyone but the owner and admins, or stop.
    #[serde(default)]
    pub mute_all: Option<bool>,
    /// New join option.
    #[serde(default)]
    pub join_option: Option<JoinOption>,
    /// New invite option.
    #[serde(default)]
    pub invite_option: Option<InviteOption>,
    /// Custom fields to set (others keep their values).
    #[serde(default)]
    pub custom: Option<Vec<CustomField>>,
}

/// `getGroupList` (no IDs: every group of the requester) or the profiles of `group_ids`.
/// Answered with [`crate::Reply::Groups`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupList {
    /// Only these groups; empty: all the requester's groups.
    #[serde(default)]
    pub group_ids: Vec<String>,
}

/// `joinGroup`. Answered with [`crate::Reply::GroupJoined`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupJoin {
    /// The group.
    pub group_id: String,
    /// The application's note, for groups that need approval.
    #[serde(default)]
    pub apply_message: String,
}

/// `changeGroupOwner`. Answered with [`crate::Reply::Group`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupOwner {
    /// The group.
    pub group_id: String,
    /// The member who becomes the owner.
    pub new_owner_id: String,
}

/// `addGroupMember` (answered with [`crate::Reply::GroupAdded`]) and `deleteGroupMember`
/// (answered with [`crate::Reply::GroupKicked`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupUsers {
    /// The group.
    pub group_id: String,
    /// The users.
    pub user_ids: Vec<String>,
    /// `deleteGroupMember`'s reason.
    #[serde(default)]
    pub reason: String,
}

/// `getGroupMemberList`: one page, in user-ID order. Answered with
/// [`crate::Reply::GroupMembers`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupMembers {
    /// The group.
    pub group_id: String,
    /// Members after this user ID; empty: from the first.
    #[serde(default)]
    pub cursor: String,
    /// At most this many (capped at [`crate::MAX_MEMBER_PAGE`]).
    pub count: u32,
}

/// `getGroupMemberProfile`: these members. Answered with [`crate::Reply::GroupMembers`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupMemberInfo {
    /// The group.
    pub group_id: String,
    /// The members.
    pub user_ids: Vec<String>,
}

/// `setGroupMemberNameCard` / `setGroupMemberCustomField`: the fields present change.
/// Answered with [`crate::Reply::GroupMember`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupMemberSet {
    /// The group.
    pub group_id: String,
    /// The member; empty: the requester.
    #[serde(default)]
    pub user_id: String,
    /// New name card.
    #[serde(default)]
    pub name_card: Option<String>,
    /// Member custom fields to set (others keep their values).
    #[serde(default)]
    pub custom: Option<Vec<CustomField>>,
}

/// `setGroupMemberRole`: the owner makes a member an admin or an admin a member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSetRole {
    /// The group.
    pub group_id: String,
    /// The member.
    pub user_id: String,
    /// `Admin` or `Member` (`Owner` is refused: changeGroupOwner transfers ownership).
    pub role: GroupRole,
}

/// `setGroupMemberMuteTime`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupMute {
    /// The group.
    pub group_id: String,
    /// The member.
    pub user_id: String,
    /// Seconds from now; 0 unmutes.
    pub mute_time: u64,
}

/// `handleGroupApplication`: agree to or refuse `applicant`'s pending application.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupAppHandle {
    /// The group.
    pub group_id: String,
    /// Who applied.
    pub applicant: String,
    /// True: `Agree`; false: `Reject`.
    pub agree: bool,
    /// The handler's note to the applicant.
    #[serde(default)]
    pub handle_message: String,
}
