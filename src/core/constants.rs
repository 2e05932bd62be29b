//! The `TIM.EVENT` and `TIM.TYPES` tables: tim-js-sdk 2.27's (from
//! `shared/reference/tim-surface.md`), then the keys @tencentcloud/chat 3.6.6 adds (read from
//! its runtime `TencentCloudChat.EVENT` / `TYPES`). Every shared key has the same value in
//! both; 3.x drops `GROUP_SYSTEM_NOTICE_RECEIVED` and `SDK_RELOAD`, kept here for 2.27 code.
//! The API turns them into frozen JS objects.

/// A `TIM.TYPES` value: tim-js-sdk mixes strings and numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeValue {
    /// A string value.
    Str(&'static str),
    /// A numeric value.
    Num(u32),
}

/// `TIM.EVENT`: (name, emitted value).
pub const EVENTS: &[(&str, &str)] = &[
    ("SDK_READY", "sdkStateReady"),
    ("SDK_NOT_READY", "sdkStateNotReady"),
    ("SDK_DESTROY", "sdkDestroy"),
    ("MESSAGE_RECEIVED", "onMessageReceived"),
    ("MESSAGE_MODIFIED", "onMessageModified"),
    ("MESSAGE_REVOKED", "onMessageRevoked"),
    ("MESSAGE_READ_BY_PEER", "onMessageReadByPeer"),
    (
        "MESSAGE_READ_RECEIPT_RECEIVED",
        "onMessageReadReceiptReceived",
    ),
    ("MESSAGE_EXTENSIONS_UPDATED", "onMessageExtensionsUpdated"),
    ("MESSAGE_EXTENSIONS_DELETED", "onMessageExtensionsDeleted"),
    ("CONVERSATION_LIST_UPDATED", "onConversationListUpdated"),
    (
        "TOTAL_UNREAD_MESSAGE_COUNT_UPDATED",
        "onTotalUnreadMessageCountUpdated",
    ),
    (
        "CONVERSATION_GROUP_LIST_UPDATED",
        "onConversationGroupListUpdated",
    ),
    (
        "CONVERSATION_IN_GROUP_UPDATED",
        "onConversationInGroupUpdated",
    ),
    ("GROUP_LIST_UPDATED", "onGroupListUpdated"),
    ("GROUP_SYSTEM_NOTICE_RECEIVED", "receiveGroupSystemNotice"),
    ("GROUP_ATTRIBUTES_UPDATED", "groupAttributesUpdated"),
    ("GROUP_COUNTER_UPDATED", "onGroupCounterUpdated"),
    ("TOPIC_CREATED", "onTopicCreated"),
    ("TOPIC_DELETED", "onTopicDeleted"),
    ("TOPIC_UPDATED", "onTopicUpdated"),
    ("PROFILE_UPDATED", "onProfileUpdated"),
    ("USER_STATUS_UPDATED", "onUserStatusUpdated"),
    ("BLACKLIST_UPDATED", "blacklistUpdated"),
    ("FRIEND_LIST_UPDATED", "onFriendListUpdated"),
    ("FRIEND_GROUP_LIST_UPDATED", "onFriendGroupListUpdated"),
    (
        "FRIEND_APPLICATION_LIST_UPDATED",
        "onFriendApplicationListUpdated",
    ),
    ("KICKED_OUT", "kickedOut"),
    ("ERROR", "error"),
    ("NET_STATE_CHANGE", "netStateChange"),
    ("SDK_RELOAD", "sdkReload"),
    // @tencentcloud/chat 3.x.
    ("ROOM_CUSTOM_DATA_RECEIVED", "onRoomCustomDataReceived"),
    ("MESSAGE_REACTIONS_UPDATED", "onMessageReactionsUpdated"),
    ("MY_FOLLOWERS_LIST_UPDATED", "onMyFollowersListUpdated"),
    ("MY_FOLLOWING_LIST_UPDATED", "onMyFollowingListUpdated"),
    (
        "MUTUAL_FOLLOWERS_LIST_UPDATED",
        "onMutualFollowersListUpdated",
    ),
    (
        "ALL_RECEIVE_MESSAGE_OPT_UPDATED",
        "onAllReceiveMessageOptUpdated",
    ),
    ("SERVER_CONFIG_UPDATED", "onServerConfigUpdated"),
    (
        "PINNED_GROUP_MESSAGE_UPDATED",
        "onPinnedGroupMessageUpdated",
    ),
];

/// `TIM.TYPES`: (name, value).
pub const TYPES: &[(&str, TypeValue)] = &[
    ("MSG_TEXT", TypeValue::Str("TIMTextElem")),
    ("MSG_IMAGE", TypeValue::Str("TIMImageElem")),
    ("MSG_SOUND", TypeValue::Str("TIMSoundElem")),
    ("MSG_AUDIO", TypeValue::Str("TIMSoundElem")),
    ("MSG_FILE", TypeValue::Str("TIMFileElem")),
    ("MSG_FACE", TypeValue::Str("TIMFaceElem")),
    ("MSG_VIDEO", TypeValue::Str("TIMVideoFileElem")),
    ("MSG_GEO", TypeValue::Str("TIMLocationElem")),
    ("MSG_LOCATION", TypeValue::Str("TIMLocationElem")),
    ("MSG_GRP_TIP", TypeValue::Str("TIMGroupTipElem")),
    (
        "MSG_GRP_SYS_NOTICE",
        TypeValue::Str("TIMGroupSystemNoticeElem"),
    ),
    ("MSG_CUSTOM", TypeValue::Str("TIMCustomElem")),
    ("MSG_MERGER", TypeValue::Str("TIMRelayElem")),
    ("MSG_PRIORITY_HIGH", TypeValue::Str("High")),
    ("MSG_PRIORITY_NORMAL", TypeValue::Str("Normal")),
    ("MSG_PRIORITY_LOW", TypeValue::Str("Low")),
    ("MSG_PRIORITY_LOWEST", TypeValue::Str("Lowest")),
    ("CONV_C2C", TypeValue::Str("C2C")),
    ("CONV_GROUP", TypeValue::Str("GROUP")),
    ("CONV_TOPIC", TypeValue::Str("TOPIC")),
    ("CONV_SYSTEM", TypeValue::Str("@TIM#SYSTEM")),
    ("CONV_AT_ME", TypeValue::Num(1)),
    ("CONV_AT_ALL", TypeValue::Num(2)),
    ("CONV_AT_ALL_AT_ME", TypeValue::Num(3)),
    ("CONV_MARK_TYPE_STAR", TypeValue::Num(1)),
    ("CONV_MARK_TYPE_UNREAD", TypeValue::Num(2)),
    ("CONV_MARK_TYPE_FOLD", TypeValue::Num(4)),
    ("CONV_MARK_TYPE_HIDE", TypeValue::Num(8)),
    ("GRP_PRIVATE", TypeValue::Str("Private")),
    ("GRP_WORK", TypeValue::Str("Private")),
    ("GRP_PUBLIC", TypeValue::Str("Public")),
    ("GRP_CHATROOM", TypeValue::Str("ChatRoom")),
    ("GRP_MEETING", TypeValue::Str("ChatRoom")),
    ("GRP_AVCHATROOM", TypeValue::Str("AVChatRoom")),
    ("GRP_COMMUNITY", TypeValue::Str("Community")),
    ("GRP_MBR_ROLE_OWNER", TypeValue::Str("Owner")),
    ("GRP_MBR_ROLE_ADMIN", TypeValue::Str("Admin")),
    ("GRP_MBR_ROLE_MEMBER", TypeValue::Str("Member")),
    ("GRP_MBR_ROLE_CUSTOM", TypeValue::Str("Custom")),
    ("GRP_TIP_MBR_JOIN", TypeValue::Num(1)),
    ("GRP_TIP_MBR_QUIT", TypeValue::Num(2)),
    ("GRP_TIP_MBR_KICKED_OUT", TypeValue::Num(3)),
    ("GRP_TIP_MBR_SET_ADMIN", TypeValue::Num(4)),
    ("GRP_TIP_MBR_CANCELED_ADMIN", TypeValue::Num(5)),
    ("GRP_TIP_GRP_PROFILE_UPDATED", TypeValue::Num(6)),
    ("GRP_TIP_MBR_PROFILE_UPDATED", TypeValue::Num(7)),
    ("GRP_TIP_BAN_AVCHATROOM_MEMBER", TypeValue::Num(10)),
    ("GRP_TIP_UNBAN_AVCHATROOM_MEMBER", TypeValue::Num(11)),
    (
        "MSG_REMIND_ACPT_AND_NOTE",
        TypeValue::Str("AcceptAndNotify"),
    ),
    (
        "MSG_REMIND_ACPT_NOT_NOTE",
        TypeValue::Str("AcceptNotNotify"),
    ),
    ("MSG_REMIND_DISCARD", TypeValue::Str("Discard")),
    ("GENDER_UNKNOWN", TypeValue::Str("Gender_Type_Unknown")),
    ("GENDER_FEMALE", TypeValue::Str("Gender_Type_Female")),
    ("GENDER_MALE", TypeValue::Str("Gender_Type_Male")),
    ("KICKED_OUT_MULT_ACCOUNT", TypeValue::Str("multipleAccount")),
    ("KICKED_OUT_MULT_DEVICE", TypeValue::Str("multipleDevice")),
    (
        "KICKED_OUT_USERSIG_EXPIRED",
        TypeValue::Str("userSigExpired"),
    ),
    ("KICKED_OUT_REST_API", TypeValue::Str("REST_API_Kick")),
    (
        "ALLOW_TYPE_ALLOW_ANY",
        TypeValue::Str("AllowType_Type_AllowAny"),
    ),
    (
        "ALLOW_TYPE_NEED_CONFIRM",
        TypeValue::Str("AllowType_Type_NeedConfirm"),
    ),
    (
        "ALLOW_TYPE_DENY_ANY",
        TypeValue::Str("AllowType_Type_DenyAny"),
    ),
    ("FORBID_TYPE_NONE", TypeValue::Str("AdminForbid_Type_None")),
    (
        "FORBID_TYPE_SEND_OUT",
        TypeValue::Str("AdminForbid_Type_SendOut"),
    ),
    ("JOIN_OPTIONS_FREE_ACCESS", TypeValue::Str("FreeAccess")),
    (
        "JOIN_OPTIONS_NEED_PERMISSION",
        TypeValue::Str("NeedPermission"),
    ),
    ("JOIN_OPTIONS_DISABLE_APPLY", TypeValue::Str("DisableApply")),
    ("JOIN_STATUS_SUCCESS", TypeValue::Str("JoinedSuccess")),
    (
        "JOIN_STATUS_ALREADY_IN_GROUP",
        TypeValue::Str("AlreadyInGroup"),
    ),
    (
        "JOIN_STATUS_WAIT_APPROVAL",
        TypeValue::Str("WaitAdminApproval"),
    ),
    (
        "INVITE_OPTIONS_DISABLE_INVITE",
        TypeValue::Str("DisableInvite"),
    ),
    (
        "INVITE_OPTIONS_NEED_PERMISSION",
        TypeValue::Str("NeedPermission"),
    ),
    ("INVITE_OPTIONS_FREE_ACCESS", TypeValue::Str("FreeAccess")),
    ("GRP_PROFILE_OWNER_ID", TypeValue::Str("ownerID")),
    ("GRP_PROFILE_CREATE_TIME", TypeValue::Str("createTime")),
    ("GRP_PROFILE_LAST_INFO_TIME", TypeValue::Str("lastInfoTime")),
    ("GRP_PROFILE_MEMBER_NUM", TypeValue::Str("memberNum")),
    ("GRP_PROFILE_MAX_MEMBER_NUM", TypeValue::Str("maxMemberNum")),
    ("GRP_PROFILE_JOIN_OPTION", TypeValue::Str("joinOption")),
    ("GRP_PROFILE_INVITE_OPTION", TypeValue::Str("inviteOption")),
    ("GRP_PROFILE_INTRODUCTION", TypeValue::Str("introduction")),
    ("GRP_PROFILE_NOTIFICATION", TypeValue::Str("notification")),
    (
        "GRP_PROFILE_MUTE_ALL_MBRS",
        TypeValue::Str("muteAllMembers"),
    ),
    ("SNS_ADD_TYPE_SINGLE", TypeValue::Str("Add_Type_Single")),
    ("SNS_ADD_TYPE_BOTH", TypeValue::Str("Add_Type_Both")),
    (
        "SNS_DELETE_TYPE_SINGLE",
        TypeValue::Str("Delete_Type_Single"),
    ),
    ("SNS_DELETE_TYPE_BOTH", TypeValue::Str("Delete_Type_Both")),
    (
        "SNS_APPLICATION_TYPE_BOTH",
        TypeValue::Str("Pendency_Type_Both"),
    ),
    (
        "SNS_APPLICATION_SENT_TO_ME",
        TypeValue::Str("Pendency_Type_ComeIn"),
    ),
    (
        "SNS_APPLICATION_SENT_BY_ME",
        TypeValue::Str("Pendency_Type_SendOut"),
    ),
    (
        "SNS_APPLICATION_AGREE",
        TypeValue::Str("Response_Action_Agree"),
    ),
    (
        "SNS_APPLICATION_AGREE_AND_ADD",
        TypeValue::Str("Response_Action_AgreeAndAdd"),
    ),
    (
        "SNS_CHECK_TYPE_BOTH",
        TypeValue::Str("CheckResult_Type_Both"),
    ),
    (
        "SNS_CHECK_TYPE_SINGLE",
        TypeValue::Str("CheckResult_Type_Single"),
    ),
    (
        "SNS_TYPE_NO_RELATION",
        TypeValue::Str("CheckResult_Type_NoRelation"),
    ),
    (
        "SNS_TYPE_A_WITH_B",
        TypeValue::Str("CheckResult_Type_AWithB"),
    ),
    (
        "SNS_TYPE_B_WITH_A",
        TypeValue::Str("CheckResult_Type_BWithA"),
    ),
    (
        "SNS_TYPE_BOTH_WAY",
        TypeValue::Str("CheckResult_Type_BothWay"),
    ),
    ("NET_STATE_CONNECTED", TypeValue::Str("connected")),
    ("NET_STATE_CONNECTING", TypeValue::Str("connecting")),
    ("NET_STATE_DISCONNECTED", TypeValue::Str("disconnected")),
    ("MSG_AT_ALL", TypeValue::Str("__kImSDK_MesssageAtALL__")),
    ("READ_ALL_C2C_MSG", TypeValue::Str("readAllC2CMessage")),
    ("READ_ALL_GROUP_MSG", TypeValue::Str("readAllGroupMessage")),
    ("READ_ALL_MSG", TypeValue::Str("readAllMessage")),
    ("USER_STATUS_UNKNOWN", TypeValue::Num(0)),
    ("USER_STATUS_ONLINE", TypeValue::Num(1)),
    ("USER_STATUS_OFFLINE", TypeValue::Num(2)),
    ("USER_STATUS_UNLOGINED", TypeValue::Num(3)),
    // @tencentcloud/chat 3.x.
    ("GRP_ROOM", TypeValue::Str("Room")),
    ("GRP_LIVE", TypeValue::Str("Live")),
    (
        "RECEIVE_WITH_OFFLINE_PUSH_EXCEPT_AT",
        TypeValue::Str("AcceptNotNotifyExceptAt"),
    ),
    (
        "NOT_RECEIVE_OFFLINE_PUSH_EXCEPT_AT",
        TypeValue::Str("AcceptNotNotifyExceptAt"),
    ),
    (
        "NOT_RECEIVE_MSG_EXCEPT_AT",
        TypeValue::Str("NotReceiveMsgExceptAt"),
    ),
    ("IOS_OFFLINE_PUSH_NO_SOUND", TypeValue::Str("push.no_sound")),
    ("IOS_OFFLINE_PUSH_DEFAULT_SOUND", TypeValue::Str("default")),
];
