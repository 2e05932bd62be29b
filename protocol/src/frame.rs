//! Frames: what the client asks, what the server answers and pushes.

use serde::{Deserialize, Serialize};

use crate::{
    req, Change, ConvGroup, ConvSettings, ConversationInfo, GroupApplication, GroupInfo,
    JoinStatus, MemberInfo, Message, Receipt,
};

/// Request id chosen by the client; echoed in the answer.
pub type ReqId = u32;

/// A client-to-server frame: `{"id": 7, "req": {"op": "send", ...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientFrame {
    /// Correlates the answer.
    pub id: ReqId,
    /// The request.
    pub req: Request,
}

/// What a client can ask. Everything but `Login` and `Ping` requires a logged-in session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// [`req::Login`]: authenticate this connection.
    Login(req::Login),
    /// End the session; the server answers [`Reply::Done`] and the client closes the socket.
    Logout,
    /// Heartbeat. Answered with [`Reply::Pong`].
    Ping,
    /// [`req::Send`]: send a message.
    Send(req::Send),
    /// [`req::History`]: a page of history, returned in ascending `seq`.
    History(req::History),
    /// The requester's conversations. Answered with [`Reply::Conversations`].
    Conversations,
    /// [`req::Read`]: mark a conversation read up to `seq` (inclusive).
    Read(req::Read),
    /// [`req::Revoke`]: revoke a message this user sent, within the server's revoke window.
    Revoke(req::Revoke),
    /// [`req::Modify`]: replace the content and/or cloudCustomData of a message this user sent.
    Modify(req::Modify),
    /// [`req::Delete`]: delete messages for this user only.
    Delete(req::Delete),
    /// [`req::DeleteConversation`]: hide a conversation from this user's list.
    DeleteConversation(req::DeleteConversation),
    /// [`req::Pin`]: pin or unpin a conversation for this user.
    Pin(req::Pin),
    /// [`req::ReadReceipt`]: acknowledge reading messages that asked for a receipt.
    ReadReceipt(req::ReadReceipt),
    /// [`req::ReceiptList`]: current receipt counts of messages.
    ReceiptList(req::ReceiptList),
    /// [`req::ReceiptMembers`]: one page of who did or did not acknowledge a message.
    ReceiptMembers(req::ReceiptMembers),
    /// [`req::Import`]: import messages of this user into one conversation.
    Import(req::Import),
    /// [`req::ConvSettings`]: change this user's settings of conversations.
    ConvSettings(req::ConvSettings),
    /// [`req::ConvGroup`]: change this user's conversation groups.
    ConvGroup(req::ConvGroup),
    /// [`req::Hop`]: getMessageListHopping: messages from a point, older or newer.
    Hop(req::Hop),
    /// [`req::Fetch`]: findMessageByLocatorList: the messages with these sequences.
    Fetch(req::Fetch),
    /// [`req::Sync`]: everything delivered to this user after a cursor, one page.
    Sync(req::Sync),
    /// [`req::GroupCreate`]: createGroup.
    GroupCreate(req::GroupCreate),
    /// [`req::GroupRef`]: dismissGroup (owner only). Answered with [`Reply::Done`].
    GroupDismiss(req::GroupRef),
    /// [`req::GroupUpdate`]: updateGroupProfile.
    GroupUpdate(req::GroupUpdate),
    /// [`req::GroupList`]: getGroupList / the profiles of some groups (members only).
    GroupList(req::GroupList),
    /// [`req::GroupRef`]: searchGroupByID: a group's public profile, member or not (Work
    /// groups are not found). Answered with [`Reply::Group`].
    GroupSearch(req::GroupRef),
    /// [`req::GroupJoin`]: joinGroup.
    GroupJoin(req::GroupJoin),
    /// [`req::GroupRef`]: quitGroup. Answered with [`Reply::Done`].
    GroupQuit(req::GroupRef),
    /// [`req::GroupOwner`]: changeGroupOwner.
    GroupOwner(req::GroupOwner),
    /// [`req::GroupUsers`]: addGroupMember.
    GroupAdd(req::GroupUsers),
    /// [`req::GroupUsers`]: deleteGroupMember.
    GroupKick(req::GroupUsers),
    /// [`req::GroupMembers`]: getGroupMemberList, one page.
    GroupMembers(req::GroupMembers),
    /// [`req::GroupMemberInfo`]: getGroupMemberProfile.
    GroupMemberInfo(req::GroupMemberInfo),
    /// [`req::GroupMemberSet`]: setGroupMemberNameCard / setGroupMemberCustomField.
    GroupMemberSet(req::GroupMemberSet),
    /// [`req::GroupSetRole`]: setGroupMemberRole (owner only). Answered with
    /// [`Reply::GroupMember`].
    GroupRole(req::GroupSetRole),
    /// [`req::GroupMute`]: setGroupMemberMuteTime. Answered with [`Reply::GroupMember`].
    GroupMute(req::GroupMute),
    /// getGroupApplicationList: the pending applications to the groups the requester owns or
    /// administers. Answered with [`Reply::GroupApps`].
    GroupApps,
    /// [`req::GroupAppHandle`]: handleGroupApplication. Answered with [`Reply::Group`].
    GroupAppHandle(req::GroupAppHandle),
    /// [`req::GroupRef`]: getGroupOnlineMemberCount (members only). Answered with
    /// [`Reply::GroupCount`].
    GroupOnline(req::GroupRef),
}

/// A server-to-client frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Success answer to request `id`.
    Ok {
        /// The request's id.
        id: ReqId,
        /// The answer.
        data: Reply,
    },
    /// Failure answer to request `id`, or (with `id: None`) a complaint about a frame that
    /// could not be read. The connection stays open.
    Error {
        /// The request's id, when the frame was readable enough to have one.
        id: Option<ReqId>,
        /// A code from [`crate::codes`].
        code: u32,
        /// Human-readable reason.
        message: String,
    },
    /// A message was committed (or changed: see `change`) in one of this user's
    /// conversations. Sent to every logged-in connection of every participant except the one
    /// that made the change.
    Push {
        /// This user's delivery cursor for the message (see [`Request::Sync`]).
        sync_seq: u64,
        /// The message, in its state after the change.
        message: Message,
        /// What happened to it.
        #[serde(default)]
        change: Change,
    },
    /// The C2C peer read this conversation up to `read_seq` (read receipt).
    PeerRead {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// The peer's read sequence.
        read_seq: u64,
    },
    /// Participants acknowledged messages this user sent (group or C2C read receipts).
    Receipts {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// The counts after the change.
        receipts: Vec<Receipt>,
    },
    /// Another connection of this user changed a conversation's list state.
    ConversationState {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// Hidden from the list (`DeleteConversation`) until its next message.
        hidden: bool,
        /// Pinned.
        pinned: bool,
    },
    /// A connection of this user (this one too) changed a conversation's settings.
    ConversationSettings {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// The settings after the change.
        settings: ConvSettings,
    },
    /// Another connection of this user changed the user's conversation groups.
    ConvGroups {
        /// Every group after the change.
        groups: Vec<ConvGroup>,
    },
    /// Another connection of this user changed a conversation's read state.
    ReadState {
        /// Conversation ID as this user sees it.
        conversation_id: String,
        /// New read sequence.
        read_seq: u64,
        /// Unread count after the change.
        unread: u32,
    },
    /// The server ends this session; the socket closes right after. `reason` is a
    /// `TIM.TYPES.KICKED_OUT_*` value.
    Kicked {
        /// Why.
        reason: String,
    },
    /// A group this user is a member of was created, joined or changed (profile, members,
    /// the user's own role): its profile as this user sees it now. Sent to every socket of
    /// every member concerned, the requester's too; after a reconnect the client re-reads
    /// its list ([`Request::GroupList`]).
    GroupChanged {
        /// The group.
        group: GroupInfo,
    },
    /// This user is no longer a member of a group: quit, removed, or the group dismissed.
    /// Sent to every socket of the user, the requester's too.
    GroupLeft {
        /// The group.
        group_id: String,
    },
}

/// The data of a successful answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// Logged in.
    Login {
        /// The authenticated user.
        user_id: String,
        /// Server clock, seconds.
        server_time: u64,
        /// This user's current delivery cursor: everything up to it is history.
        sync_seq: u64,
        /// Token for the HTTP file endpoints: uploads send it in the `x-tim-token` header,
        /// downloads append it as `?tk=` to a file URL. Valid 7 days, until the user is
        /// kicked (REST `kick`).
        #[serde(default)]
        file_token: String,
    },
    /// Heartbeat answer.
    Pong {
        /// Server clock, seconds.
        server_time: u64,
    },
    /// The message is committed.
    Sent {
        /// The message with its sequence and server time.
        message: Message,
        /// The sender's delivery cursor for it.
        sync_seq: u64,
    },
    /// A page of history in ascending `seq`.
    History {
        /// The messages.
        messages: Vec<Message>,
        /// True when no older message exists before the first one returned.
        complete: bool,
    },
    /// The requester's conversations, most recent first.
    Conversations {
        /// The conversations.
        conversations: Vec<ConversationInfo>,
        /// The delivery cursor they reflect.
        sync_seq: u64,
        /// The user's conversation groups.
        #[serde(default)]
        groups: Vec<ConvGroup>,
    },
    /// The user's conversation groups after a [`Request::ConvGroup`].
    ConvGroups {
        /// Every group.
        groups: Vec<ConvGroup>,
    },
    /// The message after a [`Request::Revoke`] or [`Request::Modify`].
    Updated {
        /// The message in its new state.
        message: Message,
        /// The requester's delivery cursor for the change.
        sync_seq: u64,
    },
    /// Read state after [`Request::Read`].
    Read {
        /// Conversation ID.
        conversation_id: String,
        /// New read sequence.
        read_seq: u64,
        /// Unread count after the change.
        unread: u32,
    },
    /// A page of missed deliveries, oldest first.
    Sync {
        /// The deliveries.
        items: Vec<SyncItem>,
        /// True when nothing newer remains.
        complete: bool,
    },
    /// Receipt counts after [`Request::ReadReceipt`] / for [`Request::ReceiptList`].
    Receipts {
        /// One per message that asked for receipts.
        receipts: Vec<Receipt>,
    },
    /// A page of [`Request::ReceiptMembers`].
    Members {
        /// User IDs, ascending.
        users: Vec<String>,
        /// Pass back to get the next page.
        cursor: String,
        /// True when no more users follow.
        complete: bool,
    },
    /// The messages stored by [`Request::Import`], in sequence order.
    Imported {
        /// The messages.
        messages: Vec<Message>,
    },
    /// A created group: the creator's view, and the requested members the group had no
    /// room for.
    GroupCreated {
        /// The group.
        group: GroupInfo,
        /// Members not added: the group was full.
        #[serde(default)]
        over_limit: Vec<String>,
    },
    /// One group as the requester sees it.
    Group {
        /// The group.
        group: GroupInfo,
    },
    /// Groups as the requester sees them.
    Groups {
        /// The groups.
        groups: Vec<GroupInfo>,
    },
    /// The outcome of [`Request::GroupJoin`].
    GroupJoined {
        /// Joined, waiting for approval, or a member already.
        status: JoinStatus,
        /// The group, once a member.
        #[serde(default)]
        group: Option<GroupInfo>,
    },
    /// The outcome of [`Request::GroupAdd`], user by user.
    GroupAdded {
        /// Added now.
        success: Vec<String>,
        /// Not added (unknown user, not allowed).
        failure: Vec<String>,
        /// Members already.
        existed: Vec<String>,
        /// Not added: the group was full.
        over_limit: Vec<String>,
        /// The group after the change.
        group: GroupInfo,
    },
    /// The outcome of [`Request::GroupKick`].
    GroupKicked {
        /// The users removed.
        user_ids: Vec<String>,
        /// The group after the change.
        group: GroupInfo,
    },
    /// Members: a page of [`Request::GroupMembers`] or the answer to
    /// [`Request::GroupMemberInfo`].
    GroupMembers {
        /// The members.
        members: Vec<MemberInfo>,
        /// Pass back to get the next page; empty with `complete`.
        #[serde(default)]
        cursor: String,
        /// True when no more members follow.
        #[serde(default)]
        complete: bool,
    },
    /// One member after [`Request::GroupMemberSet`].
    GroupMember {
        /// The group.
        group: GroupInfo,
        /// The member.
        member: MemberInfo,
    },
    /// The answer to [`Request::GroupApps`], oldest first.
    GroupApps {
        /// The pending applications.
        applications: Vec<GroupApplication>,
    },
    /// A count: [`Request::GroupOnline`]'s members with a connected socket.
    GroupCount {
        /// The count.
        count: u32,
    },
    /// Nothing to return.
    Done,
}

/// One delivery in a [`Reply::Sync`] page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncItem {
    /// The delivery cursor.
    pub sync_seq: u64,
    /// The message, in its state after the change.
    pub message: Message,
    /// What happened to it.
    #[serde(default)]
    pub change: Change,
}
