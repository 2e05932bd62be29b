//! Error codes the SDK itself raises, with tim-js-sdk's names and values.
//! Server-side failures keep the server's code (see `tim_protocol::codes`).

/// tim-js-sdk `NO_ACCOUNT_TYPE`.
pub const NO_ACCOUNT_TYPE: u32 = 2001;
/// tim-js-sdk `NO_IDENTIFIER`.
pub const NO_IDENTIFIER: u32 = 2002;
/// tim-js-sdk `NO_USERSIG`.
pub const NO_USERSIG: u32 = 2003;
/// tim-js-sdk `NO_TINYID`.
pub const NO_TINYID: u32 = 2022;
/// tim-js-sdk `USER_NOT_LOGGED_IN`.
pub const USER_NOT_LOGGED_IN: u32 = 2024;
/// tim-js-sdk `REPEAT_LOGIN`.
pub const REPEAT_LOGIN: u32 = 2025;
/// tim-js-sdk `COS_UNDETECTED`.
pub const COS_UNDETECTED: u32 = 2040;
/// tim-js-sdk `COS_GET_SIG_FAIL`.
pub const COS_GET_SIG_FAIL: u32 = 2041;
/// tim-js-sdk `MESSAGE_SEND_FAIL`.
pub const MESSAGE_SEND_FAIL: u32 = 2100;
/// tim-js-sdk `MESSAGE_SEND_FAIL_NOT_IN_AVCHATROOM`.
pub const MESSAGE_SEND_FAIL_NOT_IN_AVCHATROOM: u32 = 2101;
/// tim-js-sdk `MESSAGE_SEND_NEED_MESSAGE_INSTANCE`.
pub const MESSAGE_SEND_NEED_MESSAGE_INSTANCE: u32 = 2105;
/// tim-js-sdk `MESSAGE_SEND_INVALID_CONVERSATION_TYPE`.
pub const MESSAGE_SEND_INVALID_CONVERSATION_TYPE: u32 = 2106;
/// tim-js-sdk `MESSAGE_FILE_IS_EMPTY`.
pub const MESSAGE_FILE_IS_EMPTY: u32 = 2108;
/// tim-js-sdk `MESSAGE_ONPROGRESS_FUNCTION_ERROR`.
pub const MESSAGE_ONPROGRESS_FUNCTION_ERROR: u32 = 2109;
/// tim-js-sdk `MESSAGE_REVOKE_FAIL`.
pub const MESSAGE_REVOKE_FAIL: u32 = 2110;
/// tim-js-sdk `MESSAGE_DELETE_FAIL`.
pub const MESSAGE_DELETE_FAIL: u32 = 2111;
/// tim-js-sdk `MESSAGE_UNREAD_ALL_FAIL`.
pub const MESSAGE_UNREAD_ALL_FAIL: u32 = 2112;
/// tim-js-sdk `READ_RECEIPT_MESSAGE_LIST_EMPTY`.
pub const READ_RECEIPT_MESSAGE_LIST_EMPTY: u32 = 2114;
/// tim-js-sdk `MESSAGE_SEND_GROUP_WITH_TOPIC_FAIL`.
pub const MESSAGE_SEND_GROUP_WITH_TOPIC_FAIL: u32 = 2115;
/// tim-js-sdk `CANNOT_DELETE_GROUP_SYSTEM_NOTICE`.
pub const CANNOT_DELETE_GROUP_SYSTEM_NOTICE: u32 = 2116;
/// tim-js-sdk `TRANSLATE_TEXT_FAIL`.
pub const TRANSLATE_TEXT_FAIL: u32 = 2117;
/// tim-js-sdk `MESSAGE_IMAGE_SELECT_FILE_FIRST`.
pub const MESSAGE_IMAGE_SELECT_FILE_FIRST: u32 = 2251;
/// tim-js-sdk `MESSAGE_IMAGE_TYPES_LIMIT`.
pub const MESSAGE_IMAGE_TYPES_LIMIT: u32 = 2252;
/// tim-js-sdk `MESSAGE_IMAGE_SIZE_LIMIT`.
pub const MESSAGE_IMAGE_SIZE_LIMIT: u32 = 2253;
/// tim-js-sdk `MESSAGE_AUDIO_UPLOAD_FAIL`.
pub const MESSAGE_AUDIO_UPLOAD_FAIL: u32 = 2300;
/// tim-js-sdk `MESSAGE_AUDIO_SIZE_LIMIT`.
pub const MESSAGE_AUDIO_SIZE_LIMIT: u32 = 2301;
/// tim-js-sdk `MESSAGE_VIDEO_UPLOAD_FAIL`.
pub const MESSAGE_VIDEO_UPLOAD_FAIL: u32 = 2350;
/// tim-js-sdk `MESSAGE_VIDEO_SIZE_LIMIT`.
pub const MESSAGE_VIDEO_SIZE_LIMIT: u32 = 2351;
/// tim-js-sdk `MESSAGE_VIDEO_TYPES_LIMIT`.
pub const MESSAGE_VIDEO_TYPES_LIMIT: u32 = 2352;
/// tim-js-sdk `MESSAGE_FILE_UPLOAD_FAIL`.
pub const MESSAGE_FILE_UPLOAD_FAIL: u32 = 2400;
/// tim-js-sdk `MESSAGE_FILE_SELECT_FILE_FIRST`.
pub const MESSAGE_FILE_SELECT_FILE_FIRST: u32 = 2401;
/// tim-js-sdk `MESSAGE_FILE_SIZE_LIMIT`.
pub const MESSAGE_FILE_SIZE_LIMIT: u32 = 2402;
/// tim-js-sdk `MESSAGE_FILE_URL_IS_EMPTY`.
pub const MESSAGE_FILE_URL_IS_EMPTY: u32 = 2403;
/// tim-js-sdk `MESSAGE_MERGER_TYPE_INVALID`.
pub const MESSAGE_MERGER_TYPE_INVALID: u32 = 2450;
/// tim-js-sdk `MESSAGE_MERGER_KEY_INVALID`.
pub const MESSAGE_MERGER_KEY_INVALID: u32 = 2451;
/// tim-js-sdk `MESSAGE_MERGER_DOWNLOAD_FAIL`.
pub const MESSAGE_MERGER_DOWNLOAD_FAIL: u32 = 2452;
/// tim-js-sdk `MESSAGE_FORWARD_TYPE_INVALID`.
pub const MESSAGE_FORWARD_TYPE_INVALID: u32 = 2453;
/// tim-js-sdk `MESSAGE_MODIFY_CONFLICT`.
pub const MESSAGE_MODIFY_CONFLICT: u32 = 2480;
/// tim-js-sdk `MESSAGE_MODIFY_DISABLED_IN_AVCHATROOM`.
pub const MESSAGE_MODIFY_DISABLED_IN_AVCHATROOM: u32 = 2481;
/// tim-js-sdk `CONVERSATION_NOT_FOUND`.
pub const CONVERSATION_NOT_FOUND: u32 = 2500;
/// tim-js-sdk `USER_OR_GROUP_NOT_FOUND`.
pub const USER_OR_GROUP_NOT_FOUND: u32 = 2501;
/// tim-js-sdk `CONVERSATION_UN_RECORDED_TYPE`.
pub const CONVERSATION_UN_RECORDED_TYPE: u32 = 2502;
/// tim-js-sdk `INVALID_CONVERSATION_ID`.
pub const INVALID_CONVERSATION_ID: u32 = 2503;
/// tim-js-sdk `ILLEGAL_GROUP_TYPE`.
pub const ILLEGAL_GROUP_TYPE: u32 = 2600;
/// tim-js-sdk `CANNOT_JOIN_WORK`.
pub const CANNOT_JOIN_WORK: u32 = 2601;
/// tim-js-sdk `ILLEGAL_GROUP_ID`.
pub const ILLEGAL_GROUP_ID: u32 = 2602;
/// tim-js-sdk `CANNOT_FIND_GROUP`.
pub const CANNOT_FIND_GROUP: u32 = 2603;
/// tim-js-sdk `CANNOT_CHANGE_OWNER_IN_AVCHATROOM`.
pub const CANNOT_CHANGE_OWNER_IN_AVCHATROOM: u32 = 2620;
/// tim-js-sdk `CANNOT_CHANGE_OWNER_TO_SELF`.
pub const CANNOT_CHANGE_OWNER_TO_SELF: u32 = 2621;
/// tim-js-sdk `CANNOT_DISMISS_WORK`.
pub const CANNOT_DISMISS_WORK: u32 = 2622;
/// tim-js-sdk `MEMBER_NOT_IN_GROUP`.
pub const MEMBER_NOT_IN_GROUP: u32 = 2623;
/// tim-js-sdk `JOIN_GROUP_FAIL`.
pub const JOIN_GROUP_FAIL: u32 = 2660;
/// tim-js-sdk `CANNOT_ADD_MEMBER_IN_AVCHATROOM`.
pub const CANNOT_ADD_MEMBER_IN_AVCHATROOM: u32 = 2661;
/// tim-js-sdk `CANNOT_JOIN_NON_AVCHATROOM_WITHOUT_LOGIN`.
pub const CANNOT_JOIN_NON_AVCHATROOM_WITHOUT_LOGIN: u32 = 2662;
/// tim-js-sdk `NOT_OWNER`.
pub const NOT_OWNER: u32 = 2681;
/// tim-js-sdk `CANNOT_SET_MEMBER_ROLE_IN_WORK_AND_AVCHATROOM`.
pub const CANNOT_SET_MEMBER_ROLE_IN_WORK_AND_AVCHATROOM: u32 = 2682;
/// tim-js-sdk `INVALID_MEMBER_ROLE`.
pub const INVALID_MEMBER_ROLE: u32 = 2683;
/// tim-js-sdk `CANNOT_SET_SELF_MEMBER_ROLE`.
pub const CANNOT_SET_SELF_MEMBER_ROLE: u32 = 2684;
/// tim-js-sdk `CANNOT_MUTE_SELF`.
pub const CANNOT_MUTE_SELF: u32 = 2685;
/// tim-js-sdk `BAN_DURATION_INVALID`.
pub const BAN_DURATION_INVALID: u32 = 2686;
/// tim-js-sdk `NOT_MY_FRIEND`.
pub const NOT_MY_FRIEND: u32 = 2700;
/// tim-js-sdk `ALREADY_MY_FRIEND`.
pub const ALREADY_MY_FRIEND: u32 = 2701;
/// tim-js-sdk `FRIEND_GROUP_EXISTED`.
pub const FRIEND_GROUP_EXISTED: u32 = 2710;
/// tim-js-sdk `FRIEND_GROUP_NOT_EXIST`.
pub const FRIEND_GROUP_NOT_EXIST: u32 = 2711;
/// tim-js-sdk `FRIEND_APPLICATION_NOT_EXIST`.
pub const FRIEND_APPLICATION_NOT_EXIST: u32 = 2716;
/// tim-js-sdk `UPDATE_PROFILE_INVALID_PARAM`.
pub const UPDATE_PROFILE_INVALID_PARAM: u32 = 2721;
/// tim-js-sdk `UPDATE_PROFILE_NO_KEY`.
pub const UPDATE_PROFILE_NO_KEY: u32 = 2722;
/// tim-js-sdk `CANNOT_ADD_SELF_TO_BLACKLIST`.
pub const CANNOT_ADD_SELF_TO_BLACKLIST: u32 = 2742;
/// tim-js-sdk `NETWORK_ERROR`.
pub const NETWORK_ERROR: u32 = 2800;
/// tim-js-sdk `NETWORK_TIMEOUT`.
pub const NETWORK_TIMEOUT: u32 = 2801;
/// tim-js-sdk `NO_NETWORK`.
pub const NO_NETWORK: u32 = 2805;
/// tim-js-sdk `UNCAUGHT_ERROR`.
pub const UNCAUGHT_ERROR: u32 = 2903;
/// tim-js-sdk `INVALID_OPERATION`.
pub const INVALID_OPERATION: u32 = 2905;
/// tim-js-sdk `INVALID_TRTC_CMD`.
pub const INVALID_TRTC_CMD: u32 = 2995;
/// tim-js-sdk `OVER_FREQUENCY_LIMIT`.
pub const OVER_FREQUENCY_LIMIT: u32 = 2996;
/// tim-js-sdk `CANNOT_FIND_PROTOCOL`.
pub const CANNOT_FIND_PROTOCOL: u32 = 2997;
/// tim-js-sdk `CANNOT_FIND_MODULE`.
pub const CANNOT_FIND_MODULE: u32 = 2998;
/// tim-js-sdk `SDK_IS_NOT_READY`.
pub const SDK_IS_NOT_READY: u32 = 2999;
/// Not tim-js-sdk's: the message cache (IndexedDB) cannot be opened or failed during use
/// (closed, deleted, over quota); the SDK goes on from memory. Sent with `TIM.EVENT.ERROR`.
pub const CACHE_UNAVAILABLE: u32 = 2920;
