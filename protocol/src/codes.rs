//! Error codes the server returns, on the WebSocket (`ServerFrame::Error.code`) and in the REST
//! API (`ErrorCode`). Values follow Tencent Cloud Chat's server codes where one means the same,
//! so existing error handling keeps working. Documented in the README.

/// UserSig has expired (`TLS.time + TLS.expire` is in the past), or was issued no later than
/// the second its user was kicked (REST `im_open_login_svc/kick`): either way the app server
/// must mint a new one.
pub const USERSIG_EXPIRED: u32 = 70001;
/// UserSig cannot be decoded: bad base64, bad zlib, bad JSON, missing field, wrong version.
pub const USERSIG_MALFORMED: u32 = 70003;
/// UserSig's HMAC does not verify with this server's secret key.
pub const USERSIG_VERIFY_FAILED: u32 = 70009;
/// UserSig was issued for another user ID than the one logging in.
pub const USERSIG_IDENTIFIER_MISMATCH: u32 = 70013;
/// UserSig was issued for another SDKAppID.
pub const USERSIG_SDKAPPID_MISMATCH: u32 = 70014;

/// Request is well-formed JSON but invalid (bad field value, empty text, bad ID...).
pub const INVALID_REQUEST: u32 = 20001;
/// A frame could not be decoded (not JSON, unknown op, missing fields).
pub const FRAME_MALFORMED: u32 = 60002;
/// A frame exceeded [`crate::MAX_FRAME_BYTES`].
pub const FRAME_TOO_LARGE: u32 = 60003;
/// Storage or another internal failure; the request may be retried.
pub const INTERNAL: u32 = 60004;
/// The request needs a logged-in session.
pub const NOT_LOGGED_IN: u32 = 6014;
/// `Login` on a connection that is already logged in as another user.
pub const ALREADY_LOGGED_IN: u32 = 6015;

/// The group does not exist.
pub const GROUP_NOT_FOUND: u32 = 10010;
/// The requester is not a member of the group (send, history, read).
pub const NOT_GROUP_MEMBER: u32 = 10007;
/// The group already exists (REST `create_group`).
pub const GROUP_ALREADY_EXISTS: u32 = 10021;
/// Message content is too long.
pub const MESSAGE_TOO_LONG: u32 = 80002;
/// The message does not exist in that conversation (or was deleted by the requester).
pub const MESSAGE_NOT_FOUND: u32 = 20022;
/// Revoke after the server's revoke window (default 2 minutes).
pub const REVOKE_TIME_LIMIT: u32 = 20016;
/// Revoke or modify of a message the requester did not send.
pub const NOT_MESSAGE_SENDER: u32 = 20026;
/// Modify of a version that is no longer current.
pub const MODIFY_CONFLICT: u32 = 20027;
/// Modify that changes the message's type.
pub const MODIFY_TYPE_MISMATCH: u32 = 20028;
/// The conversation is not one of the requester's.
pub const CONVERSATION_FORBIDDEN: u32 = 20009;

/// REST: the `identifier` is not an administrator of this app.
pub const ADMIN_REQUIRED: u32 = 60011;
/// REST: the `sdkappid` query parameter does not match this server.
pub const SDKAPPID_MISMATCH: u32 = 60020;
/// REST: unknown service/command.
pub const UNKNOWN_COMMAND: u32 = 60009;

/// Conversation group: no group of that name.
pub const CONV_GROUP_NOT_FOUND: u32 = 51009;
/// Conversation group: more than [`MAX_CONV_GROUPS`] groups.
pub const CONV_GROUP_LIMIT: u32 = 51010;
/// Conversation group: name empty or longer than 32 bytes.
pub const CONV_GROUP_NAME_INVALID: u32 = 51011;
/// Conversation group: a group of that name exists already (not a Tencent code).
pub const CONV_GROUP_EXISTS: u32 = 51012;
/// Most conversation groups per user (as Tencent).
pub const MAX_CONV_GROUPS: usize = 20;

/// File endpoints: the file token is missing, forged or expired (`USER_NOT_LOGGED_IN`).
pub const FILE_TOKEN_INVALID: u32 = 2024;
/// File upload of 0 bytes (`MESSAGE_FILE_IS_EMPTY`).
pub const FILE_IS_EMPTY: u32 = 2108;
/// File upload refused: bad chunk (length or hash), missing chunks, unknown session
/// (`MESSAGE_FILE_UPLOAD_FAIL`).
pub const FILE_UPLOAD_FAIL: u32 = 2400;
/// File larger than the server's `--max-file-size` (`MESSAGE_FILE_SIZE_LIMIT`).
pub const FILE_SIZE_LIMIT: u32 = 2402;
/// A message refers to a file its sender may not read, or a file is not found
/// (`MESSAGE_FILE_URL_IS_EMPTY`).
pub const FILE_FORBIDDEN: u32 = 2403;

/// Per-user quotas (issue 12). Too many messages: the sender's rate (`--msg-rate` a second,
/// `--msg-burst` at once) is spent; retry later (Tencent's code for sends over the frequency
/// limit).
pub const MESSAGE_RATE_LIMIT: u32 = 10023;
/// The C2C peer is unknown to this server (never seen: no account, no conversation) and the
/// requester has opened its allowance of such conversations (`--unknown-peers-per-min`);
/// Tencent's code for a recipient that does not exist.
pub const UNKNOWN_PEER_LIMIT: u32 = 20003;
/// File upload refused: the user's incomplete upload sessions are at their count
/// (`--max-open-uploads`) or total declared size (`--max-upload-bytes`); complete or let some
/// expire first (this server's code).
pub const UPLOAD_QUOTA: u32 = 2404;
/// Too many requests at once: the user's chunk PUTs in progress are at `--max-chunk-puts`;
/// retry shortly (`OVER_FREQUENCY_LIMIT`).
pub const OVER_FREQUENCY_LIMIT: u32 = 2996;
/// Login refused: the user already has `--max-sessions-per-user` logged-in sockets (this
/// server's code; Tencent kicks the oldest instance instead).
pub const SESSION_LIMIT: u32 = 60025;

/// Groups (issue 13). A group request's argument is invalid: empty or oversize name, bad
/// option for the group's type, bad custom field (Tencent's "invalid parameter").
pub const GROUP_INVALID_PARAMETER: u32 = 10004;
/// The owner of a group other than a Work group cannot quit it; transfer it or dismiss it.
pub const GROUP_OWNER_CANNOT_QUIT: u32 = 10009;
/// The user is a member of the group already.
pub const GROUP_ALREADY_MEMBER: u32 = 10013;
/// The group has its most members.
pub const GROUP_FULL: u32 = 10014;
/// An AVChatRoom's owner cannot change (`CANNOT_CHANGE_OWNER_IN_AVCHATROOM`).
pub const GROUP_CANNOT_CHANGE_AVCHATROOM_OWNER: u32 = 2620;
/// The new owner is the owner already (`CANNOT_CHANGE_OWNER_TO_SELF`).
pub const GROUP_CANNOT_CHANGE_OWNER_TO_SELF: u32 = 2621;
/// A client cannot dismiss a Work group; only the app admin can (`CANNOT_DISMISS_WORK`).
pub const GROUP_CANNOT_DISMISS_WORK: u32 = 2622;
/// A muted member's group message: muted by setGroupMemberMuteTime until a later time, or a
/// plain member while the group's `muteAllMembers` is on (Tencent's code).
pub const GROUP_MEMBER_MUTED: u32 = 10017;
/// handleGroupApplication on an application someone handled already (first handler wins).
pub const GROUP_APPLICATION_HANDLED: u32 = 10024;
/// setGroupMemberRole by a member who is not the owner (`NOT_OWNER`).
pub const GROUP_NOT_OWNER: u32 = 2681;
/// setGroupMemberRole in a Work group or an AVChatRoom
/// (`CANNOT_SET_MEMBER_ROLE_IN_WORK_AND_AVCHATROOM`).
pub const GROUP_CANNOT_SET_ROLE_HERE: u32 = 2682;
/// setGroupMemberRole to a role other than `Admin` or `Member` (`INVALID_MEMBER_ROLE`).
pub const GROUP_INVALID_MEMBER_ROLE: u32 = 2683;
/// setGroupMemberRole on oneself (`CANNOT_SET_SELF_MEMBER_ROLE`).
pub const GROUP_CANNOT_SET_SELF_ROLE: u32 = 2684;
/// setGroupMemberMuteTime on oneself (`CANNOT_MUTE_SELF`).
pub const GROUP_CANNOT_MUTE_SELF: u32 = 2685;
