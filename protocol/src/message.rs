//! Messages and conversations as they travel on the wire.

use serde::{Deserialize, Serialize};

/// Conversation type, serialized with the `TIM.TYPES.CONV_*` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConvType {
    /// One-to-one conversation (`"C2C"`).
    #[serde(rename = "C2C")]
    C2c,
    /// Group conversation (`"GROUP"`).
    #[serde(rename = "GROUP")]
    Group,
    /// The user's system conversation (`"@TIM#SYSTEM"`): group system notices. Its ID is the
    /// type itself; nobody sends to it.
    #[serde(rename = "@TIM#SYSTEM")]
    System,
}

impl ConvType {
    /// The `TIM.TYPES.CONV_*` value, which is also the conversation ID prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            ConvType::C2c => "C2C",
            ConvType::Group => "GROUP",
            ConvType::System => SYSTEM_CONVERSATION_ID,
        }
    }

    /// Parses a `TIM.TYPES.CONV_*` value.
    pub fn parse(s: &str) -> Option<ConvType> {
        match s {
            "C2C" => Some(ConvType::C2c),
            "GROUP" => Some(ConvType::Group),
            SYSTEM_CONVERSATION_ID => Some(ConvType::System),
            _ => None,
        }
    }
}

/// `TIM.TYPES.CONV_SYSTEM`: the ID (and type) of the system conversation, and the sender of
/// its messages.
pub const SYSTEM_CONVERSATION_ID: &str = "@TIM#SYSTEM";

/// Builds a conversation ID as tim-js-sdk spells it: `C2C<userID>` or `GROUP<groupID>`.
pub fn conversation_id(conv_type: ConvType, peer: &str) -> String {
    let mut id = String::with_capacity(5 + peer.len());
    id.push_str(conv_type.as_str());
    id.push_str(peer);
    id
}

/// Splits a conversation ID into its type and peer (user or group ID); `None` if malformed.
pub fn parse_conversation_id(id: &str) -> Option<(ConvType, &str)> {
    if let Some(peer) = id.strip_prefix("C2C") {
        (!peer.is_empty()).then_some((ConvType::C2c, peer))
    } else if let Some(peer) = id.strip_prefix("GROUP") {
        (!peer.is_empty()).then_some((ConvType::Group, peer))
    } else if id == SYSTEM_CONVERSATION_ID {
        Some((ConvType::System, ""))
    } else {
        None
    }
}

/// Message content: serialized as `{"type": <TIM.TYPES.MSG_* value>, "payload": {...}}`,
/// which is exactly the `type` + `payload` pair of a tim-js-sdk Message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "payload")]
pub enum Content {
    /// `TIMTextElem`: `{text}`.
    #[serde(rename = "TIMTextElem")]
    Text {
        /// The text.
        text: String,
    },
    /// `TIMCustomElem`: `{data, description, extension}`.
    #[serde(rename = "TIMCustomElem")]
    Custom {
        /// Application data.
        #[serde(default)]
        data: String,
        /// Description.
        #[serde(default)]
        description: String,
        /// Extension.
        #[serde(default)]
        extension: String,
    },
    /// `TIMFaceElem`: `{index, data}`.
    #[serde(rename = "TIMFaceElem")]
    Face {
        /// Index of the face in the application's table.
        index: i64,
        /// Extra data.
        #[serde(default)]
        data: String,
    },
    /// `TIMLocationElem`: `{description, longitude, latitude}`.
    #[serde(rename = "TIMLocationElem")]
    Location {
        /// Description of the place.
        #[serde(default)]
        description: String,
        /// Longitude in degrees.
        longitude: f64,
        /// Latitude in degrees.
        latitude: f64,
    },
    /// `TIMGroupSystemNoticeElem`, in the system conversation only (made by the server):
    /// `{operatorID, operationType, groupProfile: {groupID, name}}` in tim-js-sdk's shape.
    #[serde(rename = "TIMGroupSystemNoticeElem")]
    GroupSystemNotice {
        /// Who did it (the admin for REST calls).
        operator_id: String,
        /// tim-js-sdk's operationType: 6 group created (to its owner), 7 added to a group.
        operation_type: u32,
        /// The group.
        group_id: String,
        /// The group's name.
        group_name: String,
    },
    /// `TIMImageElem`: `{uuid, imageFormat, imageInfoArray}`; the array holds the original,
    /// the large (720 px) and the thumbnail (198 px) image, in that order.
    #[serde(rename = "TIMImageElem")]
    Image {
        /// The original's file ID.
        uuid: String,
        /// tim-js-sdk's imageFormat: 1 JPG, 2 GIF, 3 PNG, 4 BMP, 255 other.
        image_format: u32,
        /// Original, large, thumbnail.
        image_info_array: Vec<ImageInfo>,
    },
    /// `TIMFileElem`: `{uuid, fileName, fileSize, fileUrl}`.
    #[serde(rename = "TIMFileElem")]
    File {
        /// The file ID.
        uuid: String,
        /// The name the sender's file had.
        file_name: String,
        /// Bytes.
        file_size: u64,
        /// Server-relative URL, [`FILE_URL_PREFIX`] + file ID.
        file_url: String,
    },
    /// `TIMVideoFileElem`: `{videoUrl, videoSize, videoSecond, videoFormat, thumbUrl, ...}`.
    #[serde(rename = "TIMVideoFileElem")]
    Video {
        /// The video's file ID.
        video_uuid: String,
        /// Server-relative URL of the video.
        video_url: String,
        /// Bytes.
        video_size: u64,
        /// Duration in whole seconds (0 when the browser could not tell).
        video_second: u32,
        /// Container, e.g. `"mp4"`.
        video_format: String,
        /// The thumbnail's file ID ("" when none could be made).
        thumb_uuid: String,
        /// Server-relative URL of the thumbnail ("" when none).
        thumb_url: String,
        /// Thumbnail width in pixels.
        thumb_width: u32,
        /// Thumbnail height in pixels.
        thumb_height: u32,
        /// Thumbnail bytes.
        thumb_size: u64,
    },
    /// `TIMSoundElem`: `{uuid, url, size, second}`.
    #[serde(rename = "TIMSoundElem")]
    Sound {
        /// The file ID.
        uuid: String,
        /// Server-relative URL.
        url: String,
        /// Bytes.
        size: u64,
        /// Duration in whole seconds.
        second: u32,
    },
    /// `TIMRelayElem` (merged messages): `{title, abstractList, compatibleText, messageList,
    /// downloadKey, layersOverLimit}`. A long list is stored as a file (`download_key`, its
    /// file ID) and `message_list` is then empty until `downloadMergeMessage`.
    #[serde(rename = "TIMRelayElem")]
    Merger {
        /// Title.
        title: String,
        /// Summary lines.
        abstract_list: Vec<String>,
        /// Text shown by clients that cannot show merged messages.
        compatible_text: String,
        /// The merged messages, when small enough to travel inline.
        #[serde(default)]
        message_list: Vec<MergedMessage>,
        /// File ID of the JSON-encoded `message_list` when stored as a file, else "".
        #[serde(default)]
        download_key: String,
        /// Merged messages nest more levels than are carried.
        #[serde(default)]
        layers_over_limit: bool,
    },
}

/// Server-relative URLs of stored files start with this, followed by the file ID; clients
/// make them absolute and append their download token.
pub const FILE_URL_PREFIX: &str = "/files/";

/// One image of an [`Content::Image`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// Pixels.
    pub width: u32,
    /// Pixels.
    pub height: u32,
    /// Bytes.
    pub size: u64,
    /// Server-relative URL ([`FILE_URL_PREFIX`] + file ID).
    pub url: String,
    /// tim-js-sdk's `type`: 0 original, 1 thumbnail (198 px), 2 large (720 px).
    #[serde(rename = "type")]
    pub kind: u32,
}

/// One message inside a [`Content::Merger`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergedMessage {
    /// Original message ID.
    pub id: String,
    /// Sender.
    pub from: String,
    /// Sender's nickname.
    #[serde(default)]
    pub nick: String,
    /// Sender's avatar.
    #[serde(default)]
    pub avatar: String,
    /// Original server time, seconds.
    pub time: u64,
    /// The content (a merger may nest mergers).
    pub content: Content,
}

impl Content {
    /// File IDs this content refers to (its URLs under [`FILE_URL_PREFIX`] and a merger's
    /// `download_key`), nested mergers included: what a recipient must be allowed to read.
    pub fn file_ids(&self) -> Vec<&str> {
        let mut ids = Vec::new();
        self.collect_file_ids(&mut ids);
        ids
    }

    fn collect_file_ids<'a>(&'a self, ids: &mut Vec<&'a str>) {
        let mut url = |u: &'a str| {
            if let Some(id) = u.strip_prefix(FILE_URL_PREFIX) {
                if !id.is_empty() {
                    ids.push(id);
                }
            }
        };
        match self {
            Content::Image {
                image_info_array, ..
            } => image_info_array.iter().for_each(|i| url(&i.url)),
            Content::File { file_url, .. } => url(file_url),
            Content::Video {
                video_url,
                thumb_url,
                ..
            } => {
                url(video_url);
                url(thumb_url);
            }
            Content::Sound { url: u, .. } => url(u),
            Content::Merger {
                message_list,
                download_key,
                ..
            } => {
                if !download_key.is_empty() {
                    ids.push(download_key);
                }
                for m in message_list {
                    m.content.collect_file_ids(ids);
                }
            }
            Content::Text { .. }
            | Content::Custom { .. }
            | Content::Face { .. }
            | Content::Location { .. }
            | Content::GroupSystemNotice { .. } => {}
        }
    }
}

/// A message as the sender submits it. `id` is chosen by the client and is the idempotency
/// key: the server stores a given `(from, id)` once and answers a repeat with the stored copy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboundMessage {
    /// Client-generated message ID (tim-js-sdk `Message.ID`), stable across resends.
    pub id: String,
    /// Conversation type.
    pub conv_type: ConvType,
    /// Recipient user ID (C2C) or group ID (GROUP).
    pub to: String,
    /// Client random, echoed back.
    pub random: u32,
    /// Client clock in seconds when created; informational only, never used for ordering.
    pub client_time: u64,
    /// `TIM.TYPES.MSG_PRIORITY_*` value.
    #[serde(default = "default_priority")]
    pub priority: String,
    /// The content.
    pub content: Content,
    /// `cloudCustomData`.
    #[serde(default)]
    pub cloud_custom_data: String,
    /// `atUserList` of a text-at message.
    #[serde(default)]
    pub at_user_list: Vec<String>,
    /// `needReadReceipt`: recipients may acknowledge it with [`crate::Request::ReadReceipt`].
    #[serde(default)]
    pub need_read_receipt: bool,
    /// `sendMessage` option `onlineUserOnly`: delivered to connected sockets only; never
    /// stored, no sequence (`seq` 0), not unread, not synced later.
    #[serde(default)]
    pub online_user_only: bool,
    /// `sendMessage` option `offlinePushInfo` as JSON text ("" when not given): stored with the
    /// message and handed to the server's push webhook for recipients who are offline.
    #[serde(default)]
    pub offline_push_info: String,
}

/// A committed message, as stored and delivered. `seq` is the per-conversation sequence the
/// server assigned; it (never a clock) defines the order of a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Client-generated message ID.
    pub id: String,
    /// Conversation type.
    pub conv_type: ConvType,
    /// Sender user ID.
    pub from: String,
    /// Recipient user ID (C2C) or group ID (GROUP).
    pub to: String,
    /// Per-conversation sequence, from 1, without gaps.
    pub seq: u64,
    /// Server time in seconds when committed.
    pub time: u64,
    /// Client random.
    pub random: u32,
    /// Client clock in seconds when created.
    pub client_time: u64,
    /// `TIM.TYPES.MSG_PRIORITY_*` value.
    #[serde(default = "default_priority")]
    pub priority: String,
    /// The content.
    pub content: Content,
    /// `cloudCustomData`.
    #[serde(default)]
    pub cloud_custom_data: String,
    /// `atUserList`.
    #[serde(default)]
    pub at_user_list: Vec<String>,
    /// Sender's nickname, if known.
    #[serde(default)]
    pub nick: String,
    /// Sender's avatar URL, if known.
    #[serde(default)]
    pub avatar: String,
    /// Revoked by its sender or an admin: still listed, content kept for the sender only.
    #[serde(default)]
    pub revoked: bool,
    /// 0 until modified; each successful `Modify` adds 1 (optimistic concurrency).
    #[serde(default)]
    pub version: u32,
    /// `needReadReceipt`.
    #[serde(default)]
    pub need_read_receipt: bool,
    /// `offlinePushInfo` as JSON text, "" when none (see [`OutboundMessage`]).
    #[serde(default)]
    pub offline_push_info: String,
}

/// Read-receipt counts of one message that asked for them (`needReadReceipt`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The message ID.
    pub id: String,
    /// The message's sequence.
    pub seq: u64,
    /// Participants other than the sender who sent a read receipt.
    pub read: u32,
    /// Participants other than the sender who did not.
    pub unread: u32,
}

/// What a delivery ([`crate::ServerFrame::Push`], [`crate::SyncItem`]) says happened to its
/// message. Every change travels the same per-user delivery log as new messages, so a client
/// that was offline learns of it by `Sync`, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A new message.
    #[default]
    New,
    /// The message was revoked; the delivery carries it with `revoked: true`.
    Revoked,
    /// The message was modified; the delivery carries its new content and version.
    Modified,
    /// This user deleted the message (for themself only; sent to their other connections).
    Deleted,
}

impl Message {
    /// The conversation ID of this message as seen by `viewer`.
    pub fn conversation_id_for(&self, viewer: &str) -> String {
        match self.conv_type {
            ConvType::Group => conversation_id(ConvType::Group, &self.to),
            ConvType::System => SYSTEM_CONVERSATION_ID.to_owned(),
            ConvType::C2c if self.from == viewer => conversation_id(ConvType::C2c, &self.to),
            ConvType::C2c => conversation_id(ConvType::C2c, &self.from),
        }
    }
}

fn default_priority() -> String {
    "Normal".to_owned()
}

/// One conversation of the requesting user, with that user's read state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationInfo {
    /// `C2C<userID>` or `GROUP<groupID>`.
    pub conversation_id: String,
    /// Conversation type.
    pub conv_type: ConvType,
    /// The peer user ID (C2C) or the group ID (GROUP).
    pub peer: String,
    /// Highest sequence this user has read.
    pub read_seq: u64,
    /// Messages from others with `seq > read_seq`.
    pub unread: u32,
    /// Newest message, if any.
    pub last_message: Option<Message>,
    /// Group name (GROUP only).
    #[serde(default)]
    pub group_name: String,
    /// C2C: the highest sequence the peer has read (for `isPeerRead`).
    #[serde(default)]
    pub peer_read_seq: u64,
    /// Pinned by this user.
    #[serde(default)]
    pub pinned: bool,
    /// This user's settings of the conversation (marks, customData, remind type).
    #[serde(default)]
    pub settings: ConvSettings,
}

/// One user's settings of one conversation: `markConversation`, `setConversationCustomData`,
/// `setMessageRemindType`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvSettings {
    /// `CONV_MARK_TYPE_*` bits.
    #[serde(default)]
    pub marks: u32,
    /// `customData`.
    #[serde(default)]
    pub custom_data: String,
    /// A `MSG_REMIND_*` value; empty means `AcceptAndNotify`.
    #[serde(default)]
    pub remind: String,
    /// `clearHistoryMessage`: messages up to this sequence are gone for this user.
    #[serde(default)]
    pub cleared_seq: u64,
}

/// `MSG_REMIND_DISCARD`: the server stores the conversation's new messages but neither
/// delivers them to this user nor counts them unread.
pub const REMIND_DISCARD: &str = "Discard";

/// A conversation group of one user (`createConversationGroup`): its name and the
/// conversation IDs in it, in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvGroup {
    /// The group name (1..=32 bytes, unique per user).
    pub name: String,
    /// Conversation IDs.
    #[serde(default)]
    pub conversation_ids: Vec<String>,
}

/// What a [`crate::Request::ConvGroup`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConvGroupAction {
    /// Create `name` with `conversation_ids`.
    Create,
    /// Delete `name`.
    Delete,
    /// Rename `name` to `new_name`.
    Rename,
    /// Add `conversation_ids` to `name`.
    Add,
    /// Remove `conversation_ids` from `name`.
    Remove,
}

impl ConvGroupAction {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConvGroupAction::Create => "create",
            ConvGroupAction::Delete => "delete",
            ConvGroupAction::Rename => "rename",
            ConvGroupAction::Add => "add",
            ConvGroupAction::Remove => "remove",
        }
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;

    fn file(id: &str) -> Content {
        Content::File {
            uuid: id.into(),
            file_name: "a.txt".into(),
            file_size: 1,
            file_url: format!("{FILE_URL_PREFIX}{id}"),
        }
    }

    #[test]
    fn file_ids_walk_nested_mergers_and_skip_foreign_urls() {
        let merged = |content| MergedMessage {
            id: "m".into(),
            from: "alice".into(),
            nick: String::new(),
            avatar: String::new(),
            time: 1,
            content,
        };
        let inner = Content::Merger {
            title: "t".into(),
            abstract_list: vec![],
            compatible_text: "c".into(),
            message_list: vec![merged(file("f2"))],
            download_key: String::new(),
            layers_over_limit: false,
        };
        let outer = Content::Merger {
            title: "t".into(),
            abstract_list: vec![],
            compatible_text: "c".into(),
            message_list: vec![merged(file("f1")), merged(inner)],
            download_key: "list1".into(),
            layers_over_limit: false,
        };
        assert_eq!(outer.file_ids(), vec!["list1", "f1", "f2"]);
        let foreign = Content::Sound {
            uuid: "x".into(),
            url: "https://elsewhere/x".into(),
            size: 1,
            second: 1,
        };
        assert!(foreign.file_ids().is_empty());
    }

    #[test]
    fn image_serializes_with_tim_type_names() {
        let c = Content::Image {
            uuid: "u".into(),
            image_format: 3,
            image_info_array: vec![ImageInfo {
                width: 2,
                height: 3,
                size: 4,
                url: "/files/u".into(),
                kind: 0,
            }],
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["type"], "TIMImageElem");
        assert_eq!(v["payload"]["image_info_array"][0]["type"], 0);
        assert_eq!(serde_json::from_value::<Content>(v).unwrap(), c);
    }
}
