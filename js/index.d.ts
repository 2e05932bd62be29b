// Type declarations of `tim-wasm`, a drop-in for Tencent's tim-js-sdk 2.27. The rule they keep: a
// program that type-checks against tim-js-sdk 2.27's own `tim-js.d.ts` type-checks unchanged
// against these (module name mapped) for every method this SDK implements; only those methods
// are declared. So, as in tim-js-sdk's d.ts:
//  - TIM.EVENT and TIM.TYPES are enums (each member also a type; `let t = TIM.TYPES.CONV_C2C`
//    widens to TIM.TYPES); options take `TIM.TYPES` where tim-js-sdk's do;
//  - Message, Conversation, Group, Profile, GroupMember have tim-js-sdk's fields, types and
//    optionality (`message.payload` is `any`; `conversation.userProfile` is not optional);
//    fields it does not declare are optional, so objects written against its types still fit;
//  - where tim-js-sdk takes `any` (payloads of create*Message, sendMessage's options) any object
//    is accepted; the precise shape is the first member of the union, for completion;
//  - `on`/`off` take any string and `Function`, besides typed handlers of TIM.EVENT members;
//  - results that tim-js-sdk types `any` are precise where this SDK knows the field and `any`
//    for any other field (`Open`).
// Known deviations: `downloadMergeMessage` returns a Promise of the Message (tim-js-sdk's d.ts says
// Message; its run time has only `downloadMergerMessage`, which resolves the message).
// Precise types remain for code that wants them: MessageOf<T> / TypedMessage and the payload
// types, EventHandler<K>, the option and result interfaces. `scripts/test-types.sh` checks them
// against src/api and src/core/constants.rs, and checks an app written for tim-js-sdk's
// declarations against both.

// ---------------------------------------------------------------------------------------------
// TIM.EVENT and TIM.TYPES: frozen tables; each entry is also a type (`TIM.TYPES.CONV_C2C`).
// ---------------------------------------------------------------------------------------------

declare namespace TIM {
  /** `TIM.create({SDKAppID})`: the instance of that SDKAppID (and `instanceName`), made on first use. */
  function create(options: CREATE_OPTIONS): ChatSDK;
  /** The SDK's version. */
  const VERSION: string;

  /**
   * Event names: `tim.on(TIM.EVENT.MESSAGE_RECEIVED, handler)`. An enum as in tim-js-sdk's d.ts, so
   * that `let name = TIM.EVENT.X` widens to `TIM.EVENT`; each member is also a type.
   */
  enum EVENT {
    SDK_READY = 'sdkStateReady',
    SDK_NOT_READY = 'sdkStateNotReady',
    SDK_DESTROY = 'sdkDestroy',
    MESSAGE_RECEIVED = 'onMessageReceived',
    MESSAGE_MODIFIED = 'onMessageModified',
    MESSAGE_REVOKED = 'onMessageRevoked',
    MESSAGE_READ_BY_PEER = 'onMessageReadByPeer',
    MESSAGE_READ_RECEIPT_RECEIVED = 'onMessageReadReceiptReceived',
    MESSAGE_EXTENSIONS_UPDATED = 'onMessageExtensionsUpdated',
    MESSAGE_EXTENSIONS_DELETED = 'onMessageExtensionsDeleted',
    CONVERSATION_LIST_UPDATED = 'onConversationListUpdated',
    TOTAL_UNREAD_MESSAGE_COUNT_UPDATED = 'onTotalUnreadMessageCountUpdated',
    CONVERSATION_GROUP_LIST_UPDATED = 'onConversationGroupListUpdated',
    CONVERSATION_IN_GROUP_UPDATED = 'onConversationInGroupUpdated',
    GROUP_LIST_UPDATED = 'onGroupListUpdated',
    GROUP_SYSTEM_NOTICE_RECEIVED = 'receiveGroupSystemNotice',
    GROUP_ATTRIBUTES_UPDATED = 'groupAttributesUpdated',
    GROUP_COUNTER_UPDATED = 'onGroupCounterUpdated',
    TOPIC_CREATED = 'onTopicCreated',
    TOPIC_DELETED = 'onTopicDeleted',
    TOPIC_UPDATED = 'onTopicUpdated',
    PROFILE_UPDATED = 'onProfileUpdated',
    USER_STATUS_UPDATED = 'onUserStatusUpdated',
    BLACKLIST_UPDATED = 'blacklistUpdated',
    FRIEND_LIST_UPDATED = 'onFriendListUpdated',
    FRIEND_GROUP_LIST_UPDATED = 'onFriendGroupListUpdated',
    FRIEND_APPLICATION_LIST_UPDATED = 'onFriendApplicationListUpdated',
    KICKED_OUT = 'kickedOut',
    ERROR = 'error',
    NET_STATE_CHANGE = 'netStateChange',
    SDK_RELOAD = 'sdkReload',
    // @tencentcloud/chat 3.x.
    ROOM_CUSTOM_DATA_RECEIVED = 'onRoomCustomDataReceived',
    MESSAGE_REACTIONS_UPDATED = 'onMessageReactionsUpdated',
    MY_FOLLOWERS_LIST_UPDATED = 'onMyFollowersListUpdated',
    MY_FOLLOWING_LIST_UPDATED = 'onMyFollowingListUpdated',
    MUTUAL_FOLLOWERS_LIST_UPDATED = 'onMutualFollowersListUpdated',
    ALL_RECEIVE_MESSAGE_OPT_UPDATED = 'onAllReceiveMessageOptUpdated',
    SERVER_CONFIG_UPDATED = 'onServerConfigUpdated',
    PINNED_GROUP_MESSAGE_UPDATED = 'onPinnedGroupMessageUpdated',
  }

  /**
   * Constants: message and conversation types, priorities, options, states. An enum as in
   * tim-js-sdk's d.ts: `let type = TIM.TYPES.CONV_C2C` (or a class field, a Vue `data()` field)
   * widens to `TIM.TYPES` and takes `TIM.TYPES.CONV_GROUP` later; each member is also a type.
   */
  enum TYPES {
    MSG_TEXT = 'TIMTextElem',
    MSG_IMAGE = 'TIMImageElem',
    MSG_SOUND = 'TIMSoundElem',
    MSG_AUDIO = 'TIMSoundElem',
    MSG_FILE = 'TIMFileElem',
    MSG_FACE = 'TIMFaceElem',
    MSG_VIDEO = 'TIMVideoFileElem',
    MSG_GEO = 'TIMLocationElem',
    MSG_LOCATION = 'TIMLocationElem',
    MSG_GRP_TIP = 'TIMGroupTipElem',
    MSG_GRP_SYS_NOTICE = 'TIMGroupSystemNoticeElem',
    MSG_CUSTOM = 'TIMCustomElem',
    MSG_MERGER = 'TIMRelayElem',
    MSG_PRIORITY_HIGH = 'High',
    MSG_PRIORITY_NORMAL = 'Normal',
    MSG_PRIORITY_LOW = 'Low',
    MSG_PRIORITY_LOWEST = 'Lowest',
    CONV_C2C = 'C2C',
    CONV_GROUP = 'GROUP',
    CONV_TOPIC = 'TOPIC',
    CONV_SYSTEM = '@TIM#SYSTEM',
    CONV_AT_ME = 1,
    CONV_AT_ALL = 2,
    CONV_AT_ALL_AT_ME = 3,
    CONV_MARK_TYPE_STAR = 1,
    CONV_MARK_TYPE_UNREAD = 2,
    CONV_MARK_TYPE_FOLD = 4,
    CONV_MARK_TYPE_HIDE = 8,
    GRP_PRIVATE = 'Private',
    GRP_WORK = 'Private',
    GRP_PUBLIC = 'Public',
    GRP_CHATROOM = 'ChatRoom',
    GRP_MEETING = 'ChatRoom',
    GRP_AVCHATROOM = 'AVChatRoom',
    GRP_COMMUNITY = 'Community',
    GRP_MBR_ROLE_OWNER = 'Owner',
    GRP_MBR_ROLE_ADMIN = 'Admin',
    GRP_MBR_ROLE_MEMBER = 'Member',
    GRP_MBR_ROLE_CUSTOM = 'Custom',
    GRP_TIP_MBR_JOIN = 1,
    GRP_TIP_MBR_QUIT = 2,
    GRP_TIP_MBR_KICKED_OUT = 3,
    GRP_TIP_MBR_SET_ADMIN = 4,
    GRP_TIP_MBR_CANCELED_ADMIN = 5,
    GRP_TIP_GRP_PROFILE_UPDATED = 6,
    GRP_TIP_MBR_PROFILE_UPDATED = 7,
    GRP_TIP_BAN_AVCHATROOM_MEMBER = 10,
    GRP_TIP_UNBAN_AVCHATROOM_MEMBER = 11,
    MSG_REMIND_ACPT_AND_NOTE = 'AcceptAndNotify',
    MSG_REMIND_ACPT_NOT_NOTE = 'AcceptNotNotify',
    MSG_REMIND_DISCARD = 'Discard',
    GENDER_UNKNOWN = 'Gender_Type_Unknown',
    GENDER_FEMALE = 'Gender_Type_Female',
    GENDER_MALE = 'Gender_Type_Male',
    KICKED_OUT_MULT_ACCOUNT = 'multipleAccount',
    KICKED_OUT_MULT_DEVICE = 'multipleDevice',
    KICKED_OUT_USERSIG_EXPIRED = 'userSigExpired',
    KICKED_OUT_REST_API = 'REST_API_Kick',
    ALLOW_TYPE_ALLOW_ANY = 'AllowType_Type_AllowAny',
    ALLOW_TYPE_NEED_CONFIRM = 'AllowType_Type_NeedConfirm',
    ALLOW_TYPE_DENY_ANY = 'AllowType_Type_DenyAny',
    FORBID_TYPE_NONE = 'AdminForbid_Type_None',
    FORBID_TYPE_SEND_OUT = 'AdminForbid_Type_SendOut',
    JOIN_OPTIONS_FREE_ACCESS = 'FreeAccess',
    JOIN_OPTIONS_NEED_PERMISSION = 'NeedPermission',
    JOIN_OPTIONS_DISABLE_APPLY = 'DisableApply',
    JOIN_STATUS_SUCCESS = 'JoinedSuccess',
    JOIN_STATUS_ALREADY_IN_GROUP = 'AlreadyInGroup',
    JOIN_STATUS_WAIT_APPROVAL = 'WaitAdminApproval',
    INVITE_OPTIONS_DISABLE_INVITE = 'DisableInvite',
    INVITE_OPTIONS_NEED_PERMISSION = 'NeedPermission',
    INVITE_OPTIONS_FREE_ACCESS = 'FreeAccess',
    GRP_PROFILE_OWNER_ID = 'ownerID',
    GRP_PROFILE_CREATE_TIME = 'createTime',
    GRP_PROFILE_LAST_INFO_TIME = 'lastInfoTime',
    GRP_PROFILE_MEMBER_NUM = 'memberNum',
    GRP_PROFILE_MAX_MEMBER_NUM = 'maxMemberNum',
    GRP_PROFILE_JOIN_OPTION = 'joinOption',
    GRP_PROFILE_INVITE_OPTION = 'inviteOption',
    GRP_PROFILE_INTRODUCTION = 'introduction',
    GRP_PROFILE_NOTIFICATION = 'notification',
    GRP_PROFILE_MUTE_ALL_MBRS = 'muteAllMembers',
    SNS_ADD_TYPE_SINGLE = 'Add_Type_Single',
    SNS_ADD_TYPE_BOTH = 'Add_Type_Both',
    SNS_DELETE_TYPE_SINGLE = 'Delete_Type_Single',
    SNS_DELETE_TYPE_BOTH = 'Delete_Type_Both',
    SNS_APPLICATION_TYPE_BOTH = 'Pendency_Type_Both',
    SNS_APPLICATION_SENT_TO_ME = 'Pendency_Type_ComeIn',
    SNS_APPLICATION_SENT_BY_ME = 'Pendency_Type_SendOut',
    SNS_APPLICATION_AGREE = 'Response_Action_Agree',
    SNS_APPLICATION_AGREE_AND_ADD = 'Response_Action_AgreeAndAdd',
    SNS_CHECK_TYPE_BOTH = 'CheckResult_Type_Both',
    SNS_CHECK_TYPE_SINGLE = 'CheckResult_Type_Single',
    SNS_TYPE_NO_RELATION = 'CheckResult_Type_NoRelation',
    SNS_TYPE_A_WITH_B = 'CheckResult_Type_AWithB',
    SNS_TYPE_B_WITH_A = 'CheckResult_Type_BWithA',
    SNS_TYPE_BOTH_WAY = 'CheckResult_Type_BothWay',
    NET_STATE_CONNECTED = 'connected',
    NET_STATE_CONNECTING = 'connecting',
    NET_STATE_DISCONNECTED = 'disconnected',
    MSG_AT_ALL = '__kImSDK_MesssageAtALL__',
    READ_ALL_C2C_MSG = 'readAllC2CMessage',
    READ_ALL_GROUP_MSG = 'readAllGroupMessage',
    READ_ALL_MSG = 'readAllMessage',
    USER_STATUS_UNKNOWN = 0,
    USER_STATUS_ONLINE = 1,
    USER_STATUS_OFFLINE = 2,
    USER_STATUS_UNLOGINED = 3,
    // @tencentcloud/chat 3.x.
    GRP_ROOM = 'Room',
    GRP_LIVE = 'Live',
    RECEIVE_WITH_OFFLINE_PUSH_EXCEPT_AT = 'AcceptNotNotifyExceptAt',
    NOT_RECEIVE_OFFLINE_PUSH_EXCEPT_AT = 'AcceptNotNotifyExceptAt',
    NOT_RECEIVE_MSG_EXCEPT_AT = 'NotReceiveMsgExceptAt',
    IOS_OFFLINE_PUSH_NO_SOUND = 'push.no_sound',
    IOS_OFFLINE_PUSH_DEFAULT_SOUND = 'default',
  }
}
/** The shape of `TIM`: `create`, `EVENT`, `TYPES`, `VERSION`. */
export type TIMStatic = typeof TIM;
/** Any `TIM.EVENT` member. */
export type EventName = TIM.EVENT;

// ---------------------------------------------------------------------------------------------
// Value sets (precise subsets of TIM.TYPES; options take all of TIM.TYPES, as tim-js-sdk's do)
// ---------------------------------------------------------------------------------------------

/** `TIM.TYPES.CONV_*`: a conversation's type. */
export type ConversationType = TIM.TYPES.CONV_C2C | TIM.TYPES.CONV_GROUP | TIM.TYPES.CONV_TOPIC | TIM.TYPES.CONV_SYSTEM;
/** `TIM.TYPES.MSG_PRIORITY_*`. */
export type MessagePriority =
  | TIM.TYPES.MSG_PRIORITY_HIGH | TIM.TYPES.MSG_PRIORITY_NORMAL | TIM.TYPES.MSG_PRIORITY_LOW | TIM.TYPES.MSG_PRIORITY_LOWEST;
/** `TIM.TYPES.MSG_REMIND_*`. */
export type MessageRemindType =
  | TIM.TYPES.MSG_REMIND_ACPT_AND_NOTE | TIM.TYPES.MSG_REMIND_ACPT_NOT_NOTE | TIM.TYPES.MSG_REMIND_DISCARD;
/** `TIM.TYPES.NET_STATE_*`. */
export type NetState = TIM.TYPES.NET_STATE_CONNECTED | TIM.TYPES.NET_STATE_CONNECTING | TIM.TYPES.NET_STATE_DISCONNECTED;
/** `TIM.TYPES.KICKED_OUT_*`. */
export type KickedOutType =
  | TIM.TYPES.KICKED_OUT_MULT_ACCOUNT | TIM.TYPES.KICKED_OUT_MULT_DEVICE
  | TIM.TYPES.KICKED_OUT_USERSIG_EXPIRED | TIM.TYPES.KICKED_OUT_REST_API;
/** `TIM.TYPES.READ_ALL_*`. */
export type ReadAllScope = TIM.TYPES.READ_ALL_C2C_MSG | TIM.TYPES.READ_ALL_GROUP_MSG | TIM.TYPES.READ_ALL_MSG;
/** `TIM.TYPES.GENDER_*`. */
export type Gender = TIM.TYPES.GENDER_UNKNOWN | TIM.TYPES.GENDER_FEMALE | TIM.TYPES.GENDER_MALE;
/** `TIM.TYPES.GRP_*` group types. */
export type GroupType =
  | TIM.TYPES.GRP_WORK | TIM.TYPES.GRP_PUBLIC | TIM.TYPES.GRP_MEETING | TIM.TYPES.GRP_AVCHATROOM | TIM.TYPES.GRP_COMMUNITY
  | TIM.TYPES.GRP_ROOM | TIM.TYPES.GRP_LIVE;
/** `TIM.TYPES.MSG_*` message types (MSG_SOUND and MSG_GEO are the same members as MSG_AUDIO and MSG_LOCATION). */
export type MessageType =
  | TIM.TYPES.MSG_TEXT | TIM.TYPES.MSG_IMAGE | TIM.TYPES.MSG_AUDIO | TIM.TYPES.MSG_FILE | TIM.TYPES.MSG_FACE
  | TIM.TYPES.MSG_VIDEO | TIM.TYPES.MSG_LOCATION | TIM.TYPES.MSG_GRP_TIP | TIM.TYPES.MSG_GRP_SYS_NOTICE
  | TIM.TYPES.MSG_CUSTOM | TIM.TYPES.MSG_MERGER;

/**
 * Where tim-js-sdk's d.ts has `any`: the fields this SDK knows keep their types (declared beside
 * this), any other field reads as `any`, as it does against tim-js-sdk's.
 */
export interface Open { [field: string]: any }
/** Where tim-js-sdk's d.ts takes `any`: `T` (for completion and documentation), or any object. */
export type Loose<T> = T | Open;

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** Text (and @ text) message payload. */
export interface TextPayload { text: string; atUserList?: string[] }
/** Custom message payload. */
export interface CustomPayload { data: string; description: string; extension: string }
/** Face (sticker) message payload. */
export interface FacePayload { index: number; data: string }
/** Location message payload. */
export interface LocationPayload { description: string; longitude: number; latitude: number }
/** One size of an image, in `imageInfoArray` order [original, large, thumbnail]: `type` 0 original, 2 large (720 px), 1 thumbnail (198 px). */
export interface ImageInfo { width: number; height: number; url: string; size: number; type: number }
/** Image message payload. */
export interface ImagePayload { uuid: string; imageFormat: number; imageInfoArray: ImageInfo[] }
/** File message payload. */
export interface FilePayload { uuid: string; fileName: string; fileSize: number; fileUrl: string }
/** Video message payload (`videoSecond` and the thumbnail are 0 / empty where the browser cannot decode it). */
export interface VideoPayload {
  videoUUID: string; videoUrl: string; videoSize: number; videoSecond: number; videoFormat: string;
  thumbUUID: string; thumbUrl: string; thumbWidth: number; thumbHeight: number; thumbSize: number;
}
/** Audio (sound) message payload. */
export interface AudioPayload { uuid: string; url: string; size: number; second: number }
/** A message inside a merger: its original ID, sender, time and content. */
export type MergedMessage = {
  [T in MessageType]: { ID: string; from: string; nick: string; avatar: string; time: number; type: T; payload: MessagePayloads[`${T}`] }
}[MessageType];
/** Merger (chat history) payload; a long list comes as `downloadKey` until `downloadMergerMessage`. */
export interface MergerPayload {
  title: string; abstractList: string[]; compatibleText: string; messageList: MergedMessage[];
  downloadKey: string; layersOverLimit: boolean;
}
/**
 * Group tip payload (`TIM.TYPES.GRP_TIP_*` web numbers: 1 joined or invited, 2 quit, 3 kicked,
 * 4/5 admin set/revoked, 6 profile changed (`newGroupProfile`: the changed fields), 7 member
 * profile changed (`memberList`)). Tips are in the group's history and never unread.
 */
export interface GroupTipPayload {
  operatorID: string; operationType: number; userIDList: string[]; memberNum?: number;
  groupProfile?: Pick<Group, 'groupID' | 'name'>;
  newGroupProfile?: Partial<Group>; memberList?: { userID: string; muteTime: number }[];
}
/** Group system notice payload (`operationType` 1..10, 255). */
export interface GroupSystemNoticePayload {
  operatorID: string; operationType: number; groupProfile: Pick<Group, 'groupID' | 'name'> & Partial<Group>;
  handleMessage?: string;
}

/** Payload of each message type, by its `TIM.TYPES.MSG_*` value. */
export interface MessagePayloads {
  TIMTextElem: TextPayload;
  TIMImageElem: ImagePayload;
  TIMSoundElem: AudioPayload;
  TIMFileElem: FilePayload;
  TIMFaceElem: FacePayload;
  TIMVideoFileElem: VideoPayload;
  TIMLocationElem: LocationPayload;
  TIMGroupTipElem: GroupTipPayload;
  TIMGroupSystemNoticeElem: GroupSystemNoticePayload;
  TIMCustomElem: CustomPayload;
  TIMRelayElem: MergerPayload;
}
/** Any message payload. */
export type MessagePayload = MessagePayloads[keyof MessagePayloads];

/** Read receipt counts of a message (`needReadReceipt`). */
export interface ReadReceiptInfo extends Open { readCount: number; unreadCount: number }

/** A message (tim-js-sdk's `Message`): `payload` is `any`, as there; `MessageOf<T>` narrows it. */
export interface Message {
  /** Unique, stable across resends. */
  ID: string;
  /** A `TIM.TYPES.MSG_*` (a `MessageType`). */
  type: TIM.TYPES;
  /** The content; its shape per `type` is `MessagePayloads[type]` (e.g. `payload.text`, `payload.imageInfoArray`). */
  payload: any;
  conversationID: string;
  /** `TIM.TYPES.CONV_C2C` or `TIM.TYPES.CONV_GROUP` (a `ConversationType`). */
  conversationType: TIM.TYPES;
  /** Recipient: userID or groupID. */
  to: string;
  /** Sender's userID. */
  from: string;
  /** `'in'` received, `'out'` sent. */
  flow: string;
  /** Server time, seconds. */
  time: number;
  /** `'unSend'`, `'success'` or `'fail'`. */
  status: string;
  isRevoked: boolean;
  /** A `TIM.TYPES.MSG_PRIORITY_*`. */
  priority: TIM.TYPES;
  nick: string;
  avatar: string;
  isPeerRead: boolean;
  nameCard: string;
  atUserList: string[];
  cloudCustomData: string;
  isDeleted: boolean;
  isModified: boolean;
  needReadReceipt: boolean;
  readReceiptInfo: ReadReceiptInfo;
  isBroadcastMessage: boolean;
  // Not in tim-js-sdk's d.ts: always set by this SDK, optional so that objects typed against
  // tim-js-sdk's Message still fit.
  /** Client time of creation, seconds. */
  clientTime?: number;
  sequence?: number;
  random?: number;
  /** Non-standard: the server's edit counter (0 until modified); `modifyMessage` of a stale one rejects 2480. */
  version?: number;
}
/**
 * A message of type `T` (a `TIM.TYPES.MSG_*` member or its value) with its precise payload:
 * `MessageOf<TIM.TYPES.MSG_TEXT>`, `MessageOf<'TIMTextElem'>`. Assignable to `Message`.
 */
export type MessageOf<T extends MessageType | `${MessageType}`> =
  Omit<Message, 'type' | 'payload'> & { type: Extract<MessageType, T>; payload: MessagePayloads[`${T}`] };
/** A message narrowed on `type`: `const m = message as TypedMessage; if (m.type === TIM.TYPES.MSG_TEXT) m.payload.text`. */
export type TypedMessage = { [T in MessageType]: MessageOf<T> }[MessageType];

/** tim-js-sdk's `SimplifiedMessage` (not produced by this SDK). */
export interface SimplifiedMessage {
  ID: string; nick: string; avatar: string; from: string; messageBody: Array<any>; time: number; cloudCustomData: string;
}

// ---------------------------------------------------------------------------------------------
// Conversations, profiles, groups (tim-js-sdk's shapes)
// ---------------------------------------------------------------------------------------------

/** A conversation's newest message; `type` '' and `payload` null when it has none. */
export interface LastMessage extends Open {
  /** Server time, seconds (0 without messages). */
  lastTime: number;
  lastSequence: number;
  fromAccount: string;
  /** A `TIM.TYPES.MSG_*`, '' without messages. */
  type: TIM.TYPES | '';
  /** As `Message.payload`; null without messages. */
  payload: any;
  /** Text a conversation list shows (`[Image]` & co. for non-text). */
  messageForShow: string;
  isRevoked: boolean;
  cloudCustomData: string;
  onlineOnlyFlag: boolean;
  nick: string;
  nameCard: string;
  /** Non-standard: the message's edit version. */
  version: number;
  isPeerRead: boolean;
  revoker: string | null;
}

/** An @ mention of this user in a group conversation. */
export interface GroupAtInfo extends Open { groupID: string; from: string; messageSequence: number; atTypeArray: number[] }

/** A conversation (tim-js-sdk's `Conversation`). */
export interface Conversation {
  /** `C2C<userID>`, `GROUP<groupID>` or `@TIM#SYSTEM`. */
  conversationID: string;
  /** A `TIM.TYPES.CONV_*` (a `ConversationType`). */
  type: TIM.TYPES;
  unreadCount: number;
  lastMessage: LastMessage;
  /**
   * The group of a group conversation (absent from a C2C one at run time, as in tim-js-sdk). This
   * SDK fills `groupID` and `name`.
   */
  groupProfile: Group;
  /**
   * The peer of a C2C conversation (absent from a group one at run time, as in tim-js-sdk). This
   * SDK fills `userID`, `nick` and `avatar`.
   */
  userProfile: Profile;
  groupAtInfoList: GroupAtInfo[];
  remark: string;
  isPinned: boolean;
  /** A `TIM.TYPES.MSG_REMIND_*`. */
  messageRemindType: TIM.TYPES;
  /** `TIM.TYPES.CONV_MARK_TYPE_*` bits set on it. */
  markList: number[];
  customData: string;
  conversationGroupList: string[];
  /** @tencentcloud/chat 3.x's draft (`setConversationDraft`); '' without one. Not in tim-js-sdk 2.27's d.ts. */
  draftText?: string;
}

/** A user profile (tim-js-sdk's `Profile`). */
export interface Profile {
  userID: string;
  nick: string;
  /** A `TIM.TYPES.GENDER_*`. */
  gender: TIM.TYPES;
  birthday: number;
  location: string;
  selfSignature: string;
  /** A `TIM.TYPES.ALLOW_TYPE_*`. */
  allowType: TIM.TYPES;
  language: number;
  avatar: string;
  messageSettings: number;
  /** A `TIM.TYPES.FORBID_TYPE_*`. */
  adminForbidType: TIM.TYPES;
  level: number;
  role: number;
  lastUpdatedNumber: number;
  /** `{key, value}` pairs. */
  profileCustomField: Array<any>;
}

/** A group (tim-js-sdk's `Group`). */
export interface Group {
  groupID: string;
  name: string;
  avatar: string;
  /** A `TIM.TYPES.GRP_*` (a `GroupType`). */
  type: TIM.TYPES;
  introduction: string;
  notification: string;
  ownerID: string;
  createTime: string;
  infoSequence: number;
  lastInfoTime: number;
  /** `{role, messageRemindType, joinTime, nameCard}` of this user. */
  selfInfo: any;
  lastMessage: any;
  nextMessageSeq: number;
  memberCount: number;
  maxMemberCount: number;
  muteAllMembers: boolean;
  /** A `TIM.TYPES.JOIN_OPTIONS_*`. */
  joinOption: TIM.TYPES;
  /** A `TIM.TYPES.INVITE_OPTIONS_*`. */
  inviteOption: TIM.TYPES;
  /** `{key, value}` pairs. */
  groupCustomField: Array<any>;
  isSupportTopic: boolean;
}

/** A group member (tim-js-sdk's `GroupMember`). */
export interface GroupMember {
  userID: string; avatar: string; nick: string; role: string; joinTime: number; nameCard: string;
  muteUntil: number; memberCustomField: Array<any>;
}

/** tim-js-sdk's `Friend` (this SDK has no friend calls). */
export interface Friend {
  userID: string; remark: string; groupList: Array<string>; source: string; wording: string; profile: Profile;
  friendCustomField: Array<any>;
}
/** tim-js-sdk's `FriendApplication` (this SDK has no friend calls). */
export interface FriendApplication {
  userID: string; avatar: string; nick: string; time: number; source: string; wording: string; type: TIM.TYPES;
}
/** tim-js-sdk's `FriendGroup` (this SDK has no friend calls). */
export interface FriendGroup { name: string; userIDList: Array<string>; count: number }
/** tim-js-sdk's `Topic` (this SDK has no topic calls). */
export interface Topic {
  topicID: string; topicName: string; avatar: string; introduction: string; notification: string; unreadCount: number;
  muteAllMembers: boolean; customData: string; groupAtInfoList: Array<any>; lastMessage: any; selfInfo: any;
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** A read receipt (`MESSAGE_READ_RECEIPT_RECEIVED`). */
export interface MessageReadReceipt extends Open {
  conversationID: string; messageID: string; readCount: number; unreadCount: number; groupID?: string;
}

/** `event.data` of the events typed here, by event name: those this SDK emits, and tim-js-sdk's lists. */
export interface KnownEventData {
  sdkStateReady: undefined;
  sdkStateNotReady: undefined;
  sdkDestroy: undefined;
  onMessageReceived: Message[];
  onMessageModified: Message[];
  onMessageRevoked: Message[];
  onMessageReadByPeer: Message[];
  onMessageReadReceiptReceived: MessageReadReceipt[];
  onConversationListUpdated: Conversation[];
  onTotalUnreadMessageCountUpdated: number;
  onConversationGroupListUpdated: string[];
  onConversationInGroupUpdated: { groupName: string; conversationList: Conversation[] };
  receiveGroupSystemNotice: { type: number; message: Message };
  onGroupListUpdated: Group[];
  onProfileUpdated: Profile[];
  onFriendListUpdated: Friend[];
  onFriendGroupListUpdated: FriendGroup[];
  kickedOut: { type: KickedOutType };
  error: { code: number; message: string };
  netStateChange: { state: NetState };
}
/** `event.data` of event `K` (`any` for those this SDK never emits). */
export type EventData<K extends EventName = EventName> = `${K}` extends keyof KnownEventData ? KnownEventData[`${K}`] : any;
/** What a listener of event `K` gets. */
export type ChatEvent<K extends EventName = EventName> = K extends EventName ? { name: K; data: EventData<K> } : never;
/** A typed listener of event `K`. */
export type EventHandler<K extends EventName = EventName> = (event: ChatEvent<K>) => void;

// ---------------------------------------------------------------------------------------------
// Options (tim-js-sdk's names, fields and optionality; non-standard additions say so)
// ---------------------------------------------------------------------------------------------

/** `TIM.create` options. */
export interface CREATE_OPTIONS {
  SDKAppID: number;
  /** Accepted and ignored (tim-js-sdk: Tencent's overseas servers). */
  oversea?: boolean;
  /** Non-standard: the server, e.g. `wss://chat.example.com` (default: the page's origin). */
  serverURL?: string;
  /** Non-standard: a separate instance per name for one SDKAppID (two users in one page). */
  instanceName?: string;
  /** Non-standard: bounds of the IndexedDB message cache. */
  cache?: CACHE_OPTIONS;
}
/** Non-standard: `TIM.create({cache})` (defaults 5 000 and 200 000; the oldest go first). */
export interface CACHE_OPTIONS { maxMessagesPerConversation?: number; maxMessages?: number }
/** Non-standard `destroy` options. */
export interface DESTROY_OPTIONS {
  /** Also delete the last user's IndexedDB cache before resolving. */
  clearCache?: boolean;
}

export interface LOGIN_OPTIONS { userID: string; userSig: string }

/** An upload progress callback: `percent` 0..1 (tim-js-sdk types it `Function`). */
export type ProgressCallback = ((percent: number) => void) | Function;

/** Options of the `create*Message` calls (tim-js-sdk's `MESSAGE_OPTIONS`); `P` is the payload's precise shape. */
export interface MESSAGE_OPTIONS<P = Open> {
  /** userID or groupID of the recipient. */
  to: string;
  /** `TIM.TYPES.CONV_C2C` or `TIM.TYPES.CONV_GROUP` (others are refused, 2106). */
  conversationType: TIM.TYPES;
  /** A `TIM.TYPES.MSG_PRIORITY_*`. */
  priority?: TIM.TYPES;
  /** `P`, or any object (tim-js-sdk's d.ts takes `any`); this SDK validates it. */
  payload: Loose<P>;
  cloudCustomData?: string;
  needReadReceipt?: boolean;
  /** Accepted and not applied: every member of the group receives the message. */
  receiverList?: string[];
  /** Upload progress of a file message during `sendMessage` (ignored by the other kinds). */
  onProgress?: ProgressCallback;
}
/**
 * A file to send. At run time: an `<input type="file">` (its first file), a File or a Blob;
 * anything else throws (2251/2401). Typed `unknown` as tim-js-sdk's d.ts takes anything here
 * (`document.getElementById('imagePicker')`, an `HTMLElement | null`, and mini-program results).
 */
export type FileSource = unknown;
/** Payload of `createImageMessage` & co. */
export interface FILE_PAYLOAD_OPTIONS { file: FileSource }
/** Options of the file message calls. */
export type FILE_MESSAGE_OPTIONS = MESSAGE_OPTIONS<FILE_PAYLOAD_OPTIONS>;
/** `createTextMessage` payload. */
export interface TEXT_PAYLOAD_OPTIONS { text: string }
/** `createTextAtMessage` payload (`TIM.TYPES.MSG_AT_ALL` mentions everyone). */
export interface TEXT_AT_PAYLOAD_OPTIONS { text: string; atUserList: string[] }
/** `createCustomMessage` payload. */
export interface CUSTOM_PAYLOAD_OPTIONS { data?: string; description?: string; extension?: string }
/** `createFaceMessage` payload. */
export interface FACE_PAYLOAD_OPTIONS { index: number; data?: string }
/** `createLocationMessage` payload. */
export interface LOCATION_PAYLOAD_OPTIONS { description?: string; longitude: number; latitude: number }
/** `createMergerMessage` payload: messages this instance sent, received or fetched. */
export interface MERGER_PAYLOAD_OPTIONS {
  messageList: Message[]; title: string; abstractList: string[]; compatibleText: string;
}
/** `createForwardMessage({to, conversationType, payload: message})`. */
export type FORWARD_MESSAGE_OPTIONS = MESSAGE_OPTIONS<Message>;
/** `createForwardMessage(message, {to, conversationType})`. */
export type FORWARD_TARGET_OPTIONS = Omit<MESSAGE_OPTIONS, 'payload'>;

/** `offlinePushInfo` of `sendMessage`: stored with the message and given to the push webhook. */
export interface OFFLINE_PUSH_INFO_PARAMS {
  disablePush?: boolean;
  disableVoipPush?: boolean;
  title?: string;
  description?: string;
  extension?: string;
  ignoreIOSBadge?: boolean;
  androidOPPOChannelID?: string;
  androidInfo?: { sound?: string; XiaoMiChannelID?: string; OPPOChannelID?: string; FCMChannelID?: string;
    VIVOClassification?: string; VIVOCategory?: string; HuaWeiCategory?: string; OPPOCategory?: string };
  apnsInfo?: { sound?: string; ignoreIOSBadge?: boolean; disableVoipPush?: boolean };
}
/** tim-js-sdk's `messageControlInfo` of `sendMessage`: accepted and not applied here. */
export interface MESSAGE_CONTROL_INFO {
  excludedFromUnreadCount?: boolean;
  excludedFromLastMessage?: boolean;
  excludedFromContentModeration?: boolean;
}
/** `sendMessage` options (tim-js-sdk's d.ts takes `any`: any object is accepted). */
export interface SEND_MESSAGE_OPTIONS {
  /** Deliver only to recipients online now: not stored, not unread, `sequence` 0. */
  onlineUserOnly?: boolean;
  offlinePushInfo?: OFFLINE_PUSH_INFO_PARAMS;
  messageControlInfo?: MESSAGE_CONTROL_INFO;
}

export interface GET_MESSAGE_LIST_OPTIONS {
  conversationID: string;
  /** From the previous page's `nextReqMessageID`; omit for the newest page. */
  nextReqMessageID?: string;
  /** Non-standard: at most 15 (the default). */
  count?: number;
}
export interface GET_MESSAGE_LIST_HOPPING_OPTIONS {
  conversationID: string;
  /** Group messages: start at this sequence (inclusive). */
  sequence?: number;
  /** C2C messages: start at this server time, seconds (inclusive). */
  time?: number;
  /** Non-standard: at most 15 (the default). */
  count?: number;
  /** 0 (default) older, 1 newer. */
  direction?: number;
}
export interface SET_MESSAGE_READ_OPTIONS { conversationID: string }
/** Every conversation is marked read, whatever the `TIM.TYPES.READ_ALL_*` scope. */
export interface SET_ALL_MESSAGE_READ_OPTIONS { scope?: TIM.TYPES }
export interface GET_GROUP_MESSAGE_READ_MEMBER_LIST_OPTIONS {
  message: Message;
  /** 0 members who read it, 1 those who did not. */
  filter: number;
  /** From the previous page ('' or omitted for the first). */
  cursor?: string;
  /** At most 100 (the default). */
  count?: number;
}
/** Non-standard `getConversationList` paging (seed 004): `count` (max 100) from position `nextSeq`. */
export interface GET_CONVERSATION_LIST_OPTIONS { nextSeq?: number | string; count?: number }
/** tim-js-sdk 2.27's batch `deleteConversation` options: at most 100 IDs count (the rest are ignored). */
export interface DELETE_CONVERSATION_OPTIONS { conversationIDList: string[]; clearHistoryMessage?: boolean }
export interface PIN_CONVERSATION_OPTIONS { conversationID: string; isPinned: boolean }
export interface MARK_CONVERSATION_OPTIONS {
  conversationIDList: string[];
  /** `TIM.TYPES.CONV_MARK_TYPE_*` bits. */
  markType: number;
  enableMark: boolean;
}
export interface SET_CONVERSATION_CUSTOM_DATA_OPTIONS {
  conversationIDList: string[];
  /** At most 256 bytes. */
  customData: string;
}
export interface SET_MESSAGE_REMIND_TYPE_OPTIONS {
  /** Non-standard: one C2C peer. */
  userID?: string;
  userIDList?: string[];
  groupID?: string;
  /** A `TIM.TYPES.MSG_REMIND_*`. */
  messageRemindType: TIM.TYPES;
}
export interface CREATE_CONVERSATION_GROUP_OPTIONS { groupName: string; conversationIDList: string[] }
export interface RENAME_CONVERSATION_GROUP_OPTIONS { oldName: string; newName: string }
export interface ADD_CONVERSATIONS_TO_GROUP_OPTIONS { groupName: string; conversationIDList: string[] }
export interface DELETE_CONVERSATIONS_FROM_GROUP_OPTIONS { groupName: string; conversationIDList: string[] }
/** `{key, value}` custom fields of groups and members. */
export interface GroupCustomField { key: string; value: string }
export interface GET_GROUP_LIST_OPTIONS { groupProfileFilter?: Array<TIM.TYPES> }
export interface GET_GROUP_PROFILE_OPTIONS { groupID: string; groupCustomFieldFilter?: Array<string> }
export interface CREATE_GROUP_OPTIONS {
  /** 1 to 30 bytes. */
  name: string;
  /** A `TIM.TYPES.GRP_*` (default GRP_WORK). */
  type?: TIM.TYPES;
  /** Empty: the server assigns `@TGS#…`. */
  groupID?: string;
  introduction?: string;
  notification?: string;
  avatar?: string;
  maxMemberNum?: number;
  joinOption?: TIM.TYPES;
  inviteOption?: TIM.TYPES;
  /** At most 500; `role` Admin or Member (default). */
  memberList?: { userID: string; role?: TIM.TYPES | string; memberCustomField?: GroupCustomField[] }[];
  groupCustomField?: GroupCustomField[];
  isSupportTopic?: boolean;
}
export interface UPDATE_GROUP_PROFILE_OPTIONS {
  groupID: string;
  name?: string;
  avatar?: string;
  introduction?: string;
  notification?: string;
  muteAllMembers?: boolean;
  joinOption?: TIM.TYPES;
  inviteOption?: TIM.TYPES;
  groupCustomField?: GroupCustomField[];
}
export interface JOIN_GROUP_OPTIONS {
  groupID: string;
  applyMessage?: string;
  /** GRP_WORK is refused with 2601 (Work groups are joined by invitation only). */
  type?: TIM.TYPES;
}
export interface CHANGE_GROUP_OWNER_OPTIONS { groupID: string; newOwnerID: string }
export interface GET_GROUP_MEMBER_LIST_OPTIONS {
  groupID: string;
  /** Default 15, at most 100. */
  count?: number;
  /** 0 or an `offset` a previous page returned. */
  offset?: number;
  filter?: number;
}
export interface GET_GROUP_MEMBER_PROFILE_OPTIONS {
  groupID: string;
  /** At most 50. */
  userIDList: string[];
  memberCustomFieldFilter?: string[];
}
export interface ADD_GROUP_MEMBER_OPTIONS { groupID: string; userIDList: string[] }
export interface DELETE_GROUP_MEMBER_OPTIONS { groupID: string; userIDList: string[]; reason?: string; duration?: number }
export interface SET_GROUP_MEMBER_NAME_CARD_OPTIONS {
  groupID: string;
  /** At most 50 bytes. */
  nameCard: string;
  /** Default: this user. */
  userID?: string;
}
export interface SET_GROUP_MEMBER_CUSTOM_FIELD_OPTIONS { groupID: string; memberCustomField: GroupCustomField[]; userID?: string }
/** @tencentcloud/chat 3.x: this instance's draft of a listed conversation. */
export interface SET_CONVERSATION_DRAFT_OPTIONS { conversationID: string; draftText: string }

/** Non-standard (C API `TIMMsgImportMsgList`): this user's messages as history. */
export interface IMPORT_MESSAGE_LIST_OPTIONS { conversationID: string; messageList: Message[] }
/** Non-standard (C API `TIMMsgSaveMsg`): a message saved on this instance only. */
export interface INSERT_C2C_MESSAGE_OPTIONS {
  userID: string;
  /** This user or the peer. */
  sender: string;
  /** A message from `create*Message`, or a string (a custom message's `data`). */
  data: Message | string;
}
/** Non-standard: as `INSERT_C2C_MESSAGE_OPTIONS`, in a group. */
export interface INSERT_GROUP_MESSAGE_OPTIONS { groupID: string; sender: string; data: Message | string }
/** Non-standard: one message (`msgID`) or a conversation's local copies (`conversationID`). */
export interface DELETE_MESSAGE_FROM_LOCAL_STORAGE_OPTIONS { msgID?: string; conversationID?: string }
/** Non-standard (C API `TIMMsgFindByMsgLocatorList`). */
export interface FIND_MESSAGE_BY_LOCATOR_LIST_OPTIONS {
  conversationID: string;
  locatorList: { sequence: number; random?: number; time?: number; isSelf?: boolean }[];
}

// ---------------------------------------------------------------------------------------------
// Results: every Promise resolves `{code: 0, data}` and rejects with a `ChatError`. tim-js-sdk's
// d.ts types them `Promise<any>`: `data` here has the fields this SDK sets, and reads any other
// field as `any` (`Open`).
// ---------------------------------------------------------------------------------------------

/** A resolved call (`code` is 0). */
export interface ChatResponse<T> { code: number; data: T }
/** What tim-js-sdk declares `Promise<void>` resolves: `{code: 0, data: {}}`, also usable as `void`. */
export type VoidResponse = void & ChatResponse<EmptyResult>;
/** A rejection: tim-js-sdk's codes (or the server's); message calls carry `data.message`. */
export interface ChatError<D = unknown> { code: number; message: string; data?: D }
/** An empty `data` object. */
export interface EmptyResult extends Open {}

export interface LoginResult extends Open {
  repeatLogin: boolean;
  /** tim-js-sdk's, with `repeatLogin`: not set by this SDK. */
  errorInfo?: string;
}
export interface MessageResult<M extends Message = Message> extends Open { message: M }
export interface MessageListResult<M extends Message = Message> extends Open { messageList: M[] }
export interface GetMessageListResult extends Open {
  /** Oldest first. */
  messageList: Message[];
  nextReqMessageID: string;
  isCompleted: boolean;
}
export interface GetConversationListResult extends Open {
  /** Pinned first, then most recent first. */
  conversationList: Conversation[];
  isSyncCompleted: boolean;
  /** Non-standard paging. */
  nextSeq: number;
  /** Non-standard paging. */
  isFinished: boolean;
}
export interface ConversationResult extends Open { conversation: Conversation }
export interface ConversationIDResult extends Open { conversationID: string }
export interface ConversationOperationResult extends Open {
  successConversationIDList: string[];
  failureConversationIDList: { conversationID: string; code: number; message: string }[];
}
export interface GroupResult extends Open { group: Group }
export interface GroupIDResult extends Open { groupID: string }
export interface CreateGroupResult extends Open { group: Group; overLimitUserIDList: string[] }
export interface GetGroupListResult extends Open { groupList: Group[]; isSyncCompleted: boolean }
export interface JoinGroupResult extends Open {
  /** A `TIM.TYPES.JOIN_STATUS_*`. */
  status: string;
  group?: Group;
}
export interface AddGroupMemberResult extends Open {
  successUserIDList: string[];
  failureUserIDList: string[];
  existedUserIDList: string[];
  overLimitUserIDList: string[];
  group: Group;
}
export interface DeleteGroupMemberResult extends Open { group: Group; userIDList: string[] }
export interface GroupMemberListResult extends Open {
  memberList: GroupMember[];
  /** Pass back for the next page; 0 when there is none. */
  offset: number;
}
export interface GroupMemberProfileResult extends Open { memberList: GroupMember[] }
export interface GroupMemberResult extends Open { group: Group; member: GroupMember }
export interface GroupMessageReadMemberListResult extends Open {
  isCompleted: boolean;
  cursor: string;
  messageID: string;
  /** With `filter` 0. */
  readUserIDList?: string[];
  /** With `filter` 1. */
  unreadUserIDList?: string[];
}
export interface BatchSendMessageResult extends Open {
  successUserIDList: string[];
  failureUserIDList: { userID: string; code: number; message: string }[];
}

// ---------------------------------------------------------------------------------------------
// The instance
// ---------------------------------------------------------------------------------------------

/** An SDK instance, from `TIM.create`. */
export declare class ChatSDK {
  private constructor();

  // ----------- Lifecycle -----------

  /** Logs in; resolves once the SDK is ready (after `SDK_READY`). */
  login(options: LOGIN_OPTIONS): Promise<ChatResponse<LoginResult>>;
  logout(): Promise<VoidResponse>;
  /** Logs out, emits `SDK_DESTROY`, drops listeners; a later `TIM.create` makes a new instance. */
  destroy(options?: DESTROY_OPTIONS): Promise<VoidResponse>;
  /** Listens to a `TIM.EVENT` member; `handler` gets `{name, data}` with `this` = `context`. */
  on<K extends EventName>(eventName: K, handler: EventHandler<K>, context?: unknown): void;
  /** Any event name and any function, as tim-js-sdk's d.ts takes (`tim.on('onMessageReceived', handler)`). */
  on(eventName: string, handler: Function, context?: unknown): void;
  /** Removes a listener (all of `eventName` without `handler`). */
  off<K extends EventName>(eventName: K, handler?: EventHandler<K>, context?: unknown): void;
  off(eventName: string, handler?: Function, context?: unknown): void;
  /** tim-js-sdk's plugins (`{'tim-upload-plugin': TIMUploadPlugin}`) are built in: accepted as no-ops. */
  registerPlugin(plugins: object): void;
  /** 0 everything, 1 release (default), 2 warnings, 3 errors, 4 nothing. */
  setLogLevel(level: number): void;
  /** @tencentcloud/chat 3.x: logged in and synced (`SDK_READY` emitted). */
  isReady(): boolean;
  /** @tencentcloud/chat 3.x: the logged-in userID, '' when logged out. */
  getLoginUser(): string;
  /** @tencentcloud/chat 3.x: server time, seconds. */
  getServerTime(): number;
  /** @tencentcloud/chat 3.x: whether every ability of `feature` (bits) is implemented. */
  callExperimentalAPI(api: 'isCommercialAbilityEnabled', feature: number | string): Promise<ChatResponse<{ enabled: boolean }>>;
  /** @tencentcloud/chat 3.x, synchronous: whether an optional module ('group-module', 'relationship-module') is there. */
  callExperimentalAPI(api: 'canIUseModule', moduleName: string | string[]): boolean;
  /** @tencentcloud/chat 3.x's other experimental calls: statistics ones resolve `{}`, unknown ones reject 2905. */
  callExperimentalAPI(api: string, param?: unknown): Promise<ChatResponse<unknown>>;

  /** The logged-in user's Profile (2999 before login). */
  getMyProfile(): Promise<ChatResponse<Profile>>;

  // ----------- Messages (create* are synchronous and throw `{code, message}`) -----------

  createTextMessage(options: MESSAGE_OPTIONS<TEXT_PAYLOAD_OPTIONS>): Message;
  createTextAtMessage(options: MESSAGE_OPTIONS<TEXT_AT_PAYLOAD_OPTIONS>): Message;
  /** jpg, jpeg, gif, png, bmp or webp, up to 100 MB. */
  createImageMessage(options: FILE_MESSAGE_OPTIONS): Message;
  createAudioMessage(options: FILE_MESSAGE_OPTIONS): Message;
  createVideoMessage(options: FILE_MESSAGE_OPTIONS): Message;
  /** Any file up to 100 MB; uploaded in resumable chunks by `sendMessage`. */
  createFileMessage(options: FILE_MESSAGE_OPTIONS): Message;
  createCustomMessage(options: MESSAGE_OPTIONS<CUSTOM_PAYLOAD_OPTIONS>): Message;
  createFaceMessage(options: MESSAGE_OPTIONS<FACE_PAYLOAD_OPTIONS>): Message;
  createLocationMessage(options: MESSAGE_OPTIONS<LOCATION_PAYLOAD_OPTIONS>): Message;
  createMergerMessage(options: MESSAGE_OPTIONS<MERGER_PAYLOAD_OPTIONS>): Message;
  /** A new message with the content of `payload` (tim-js-sdk's form). */
  createForwardMessage(options: FORWARD_MESSAGE_OPTIONS): Message;
  /** A new message with the content of `message`. */
  createForwardMessage(message: Message, options: FORWARD_TARGET_OPTIONS): Message;
  /**
   * Fills `payload.messageList` of a merger message (downloading it when it carries a
   * `downloadKey`) and resolves the message itself, as tim-js-sdk's run time does (not `{code, data}`).
   */
  downloadMergerMessage(message: Message | MESSAGE_OPTIONS): Promise<Message>;
  /**
   * tim-js-sdk 2.27's declared name of `downloadMergerMessage` (its d.ts types the result
   * `Message`, synchronously; this one is a Promise of it).
   */
  downloadMergeMessage(message: Message | MESSAGE_OPTIONS): Promise<Message>;

  /** Sends; updates `message` in place (`status`, `time`, `sequence`). */
  sendMessage<M extends Message>(message: M, options?: Loose<SEND_MESSAGE_OPTIONS>): Promise<ChatResponse<MessageResult<M>>>;
  /** Sends a failed message again with the same ID (stored once). */
  resendMessage<M extends Message>(message: M): Promise<ChatResponse<MessageResult<M>>>;
  revokeMessage<M extends Message>(message: M): Promise<ChatResponse<MessageResult<M>>>;
  /** Edits the `payload` or `cloudCustomData` of a sent message (its `version` must be current). */
  modifyMessage<M extends Message>(message: M): Promise<ChatResponse<MessageResult<M>>>;
  /** Deletes for this user (the peer keeps them); one conversation's messages. */
  deleteMessage<M extends Message>(messageList: M[]): Promise<ChatResponse<MessageListResult<M>>>;
  /** A message this instance knows, or null. */
  findMessage(messageID: string): Message | null;
  /** A page of at most 15 messages, oldest first. */
  getMessageList(options: GET_MESSAGE_LIST_OPTIONS): Promise<ChatResponse<GetMessageListResult>>;
  getMessageListHopping(options: GET_MESSAGE_LIST_HOPPING_OPTIONS): Promise<ChatResponse<GetMessageListResult>>;
  /** Clears the conversation's unread count. */
  setMessageRead(options: SET_MESSAGE_READ_OPTIONS): Promise<ChatResponse<EmptyResult>>;
  setAllMessageRead(options?: SET_ALL_MESSAGE_READ_OPTIONS): Promise<ChatResponse<EmptyResult>>;
  /** Clears the conversation's messages for this user; the conversation stays listed. */
  clearHistoryMessage(conversationID: string): Promise<ChatResponse<ConversationIDResult>>;
  sendMessageReadReceipt(messageList: Message[]): Promise<ChatResponse<EmptyResult>>;
  /** Sets `readReceiptInfo` on each message. */
  getMessageReadReceiptList<M extends Message>(messageList: M[]): Promise<ChatResponse<MessageListResult<M>>>;
  getGroupMessageReadMemberList(
    options: GET_GROUP_MESSAGE_READ_MEMBER_LIST_OPTIONS,
  ): Promise<ChatResponse<GroupMessageReadMemberListResult>>;

  // ----------- Conversations -----------

  /** The newest 100, or a page with `{nextSeq, count}`. */
  getConversationList(options?: GET_CONVERSATION_LIST_OPTIONS): Promise<ChatResponse<GetConversationListResult>>;
  /** Rejects 2500 for a conversation not in the list. */
  getConversationProfile(conversationID: string): Promise<ChatResponse<ConversationResult>>;
  /** Removes it from this user's list (every instance); its messages are kept. */
  deleteConversation(conversationID: string): Promise<ChatResponse<ConversationIDResult>>;
  /**
   * Removes those of the first 100 that are listed, on every instance, and clears their history
   * unless `clearHistoryMessage: false`. Resolves with the deleted ones; none listed rejects 2500.
   */
  deleteConversation(options: DELETE_CONVERSATION_OPTIONS): Promise<ChatResponse<Open & { conversationIDList: string[] }>>;
  /** Either form (tim-js-sdk's signature). */
  deleteConversation(
    conversationID: string | DELETE_CONVERSATION_OPTIONS,
  ): Promise<ChatResponse<ConversationIDResult | (Open & { conversationIDList: string[] })>>;
  pinConversation(options: PIN_CONVERSATION_OPTIONS): Promise<ChatResponse<ConversationIDResult>>;
  markConversation(options: MARK_CONVERSATION_OPTIONS): Promise<ChatResponse<ConversationOperationResult>>;
  setConversationCustomData(
    options: SET_CONVERSATION_CUSTOM_DATA_OPTIONS,
  ): Promise<ChatResponse<ConversationOperationResult>>;
  setMessageRemindType(options: SET_MESSAGE_REMIND_TYPE_OPTIONS): Promise<ChatResponse<EmptyResult>>;
  /** Synchronous. */
  getTotalUnreadMessageCount(): number;
  /** The group names. */
  getConversationGroupList(): Promise<ChatResponse<string[]>>;
  createConversationGroup(options: CREATE_CONVERSATION_GROUP_OPTIONS): Promise<ChatResponse<ConversationOperationResult>>;
  deleteConversationGroup(groupName: string): Promise<ChatResponse<EmptyResult>>;
  renameConversationGroup(options: RENAME_CONVERSATION_GROUP_OPTIONS): Promise<ChatResponse<EmptyResult>>;
  addConversationsToGroup(
    options: ADD_CONVERSATIONS_TO_GROUP_OPTIONS,
  ): Promise<ChatResponse<ConversationOperationResult>>;
  deleteConversationsFromGroup(
    options: DELETE_CONVERSATIONS_FROM_GROUP_OPTIONS,
  ): Promise<ChatResponse<ConversationOperationResult>>;
  /** @tencentcloud/chat 3.x: sets `draftText` of a listed conversation (this instance only; 2500 otherwise). */
  setConversationDraft(options: SET_CONVERSATION_DRAFT_OPTIONS): Promise<ChatResponse<ConversationResult>>;

  // ----------- Groups (GROUP_LIST_UPDATED carries the whole list when it changes) -----------

  createGroup(options: CREATE_GROUP_OPTIONS): Promise<ChatResponse<CreateGroupResult>>;
  /** The owner; a Work group cannot be dismissed from a client (2622). */
  dismissGroup(groupID: string): Promise<ChatResponse<GroupIDResult>>;
  updateGroupProfile(options: UPDATE_GROUP_PROFILE_OPTIONS): Promise<ChatResponse<GroupResult>>;
  /** Read from the server. */
  getGroupList(options?: GET_GROUP_LIST_OPTIONS): Promise<ChatResponse<GetGroupListResult>>;
  /** A group of this user (2603 otherwise). */
  getGroupProfile(options: GET_GROUP_PROFILE_OPTIONS): Promise<ChatResponse<GroupResult>>;
  /** A group's public profile, member or not (Work groups are not found). */
  searchGroupByID(groupID: string): Promise<ChatResponse<GroupResult>>;
  joinGroup(options: JOIN_GROUP_OPTIONS): Promise<ChatResponse<JoinGroupResult>>;
  quitGroup(groupID: string): Promise<ChatResponse<GroupIDResult>>;
  /** 2621 to oneself, 2620 in an AVChatRoom. */
  changeGroupOwner(options: CHANGE_GROUP_OWNER_OPTIONS): Promise<ChatResponse<GroupResult>>;
  /** At most 500 users; 2661 in an AVChatRoom. */
  addGroupMember(options: ADD_GROUP_MEMBER_OPTIONS): Promise<ChatResponse<AddGroupMemberResult>>;
  deleteGroupMember(options: DELETE_GROUP_MEMBER_OPTIONS): Promise<ChatResponse<DeleteGroupMemberResult>>;
  /** Pages in user-ID order that never repeat or skip a member while others join and leave. */
  getGroupMemberList(options: GET_GROUP_MEMBER_LIST_OPTIONS): Promise<ChatResponse<GroupMemberListResult>>;
  getGroupMemberProfile(options: GET_GROUP_MEMBER_PROFILE_OPTIONS): Promise<ChatResponse<GroupMemberProfileResult>>;
  setGroupMemberNameCard(options: SET_GROUP_MEMBER_NAME_CARD_OPTIONS): Promise<ChatResponse<GroupMemberResult>>;
  setGroupMemberCustomField(
    options: SET_GROUP_MEMBER_CUSTOM_FIELD_OPTIONS,
  ): Promise<ChatResponse<GroupMemberResult>>;

  // ----------- Non-standard: the C API's message calls -----------

  /** Imports this user's messages as history: never delivered or unread. */
  importMessageList(options: IMPORT_MESSAGE_LIST_OPTIONS): Promise<ChatResponse<MessageListResult>>;
  /** Sends a copy of `message` to each user (C2C); idempotent per user. */
  batchSendMessage(message: Message, userIDList: string[]): Promise<ChatResponse<BatchSendMessageResult>>;
  insertC2CMessageToLocalStorage(options: INSERT_C2C_MESSAGE_OPTIONS): Promise<ChatResponse<MessageResult>>;
  insertGroupMessageToLocalStorage(options: INSERT_GROUP_MESSAGE_OPTIONS): Promise<ChatResponse<MessageResult>>;
  /** Deletes on this instance only, never on the server. */
  deleteMessageFromLocalStorage(options: DELETE_MESSAGE_FROM_LOCAL_STORAGE_OPTIONS): Promise<ChatResponse<EmptyResult>>;
  findMessageByLocatorList(options: FIND_MESSAGE_BY_LOCATOR_LIST_OPTIONS): Promise<ChatResponse<GetMessageListResult>>;
  /** `sendMessage` that also calls `callback` with the settled value. */
  sendMessageV2<M extends Message>(
    message: M,
    options?: Loose<SEND_MESSAGE_OPTIONS>,
    callback?: (result: ChatResponse<MessageResult<M>> | ChatError<MessageResult<M>>) => void,
  ): Promise<ChatResponse<MessageResult<M>>>;
}

/**
 * The instance type of the global class `K` where the environment declares it (DOM, Node), else
 * `never`: no DOM name is referenced directly, so that these declarations compile without the
 * DOM lib (mini-programs, Node), as tim-js-sdk's do.
 */
type GlobalInstance<K extends string> = typeof globalThis extends { [P in K]: { prototype: infer I } } ? I : never;
/** `WebAssembly.Module` where the environment declares it. */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;
/** What `init` loads the WebAssembly from: a URL (string or `URL`), a `Response`, the bytes, or a compiled module. */
export type InitInput = string | GlobalInstance<'URL'> | GlobalInstance<'Response'> | ArrayBuffer | ArrayBufferView | WasmModule;

/** Loads the WebAssembly explicitly (Node, tests, mini-programs); the browser build starts it on import. Once. */
export declare function init(input?: InitInput | Promise<InitInput>): Promise<void>;

export { TIM };
export default TIM;
