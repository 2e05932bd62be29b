//! Message contents: one variant per `TIM.TYPES.MSG_*` type, with the payload fields
//! tim-js-sdk shows.

use serde::{Deserialize, Serialize};

use crate::{MemberChange, ProfileChange, TipKind};

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
    /// `TIMGroupTipElem`, in a group's history (made by the server): a membership, role, mute
    /// or profile change, one canonical form that the SDK maps to tim-js-sdk's web numbering.
    #[serde(rename = "TIMGroupTipElem")]
    GroupTip {
        /// Who did it (the app admin's identifier for REST calls).
        operator_id: String,
        /// What happened.
        operation: TipKind,
        /// The users it happened to (the operator itself for a join or quit).
        #[serde(default)]
        user_ids: Vec<String>,
        /// Members after the change.
        #[serde(default)]
        member_num: u32,
        /// The group.
        group_id: String,
        /// The group's name after the change.
        #[serde(default)]
        group_name: String,
        /// [`TipKind::Profile`]: the changed fields.
        #[serde(default)]
        profile: Vec<ProfileChange>,
        /// [`TipKind::MemberProfile`]: the members' changes.
        #[serde(default)]
        members: Vec<MemberChange>,
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
    /// The same type with every field empty: what a revoked message shows to others than its
    /// sender (a group notice is never revoked, so it stays whole).
    pub fn emptied(&self) -> Content {
        match self {
            Content::Text { .. } => Content::Text {
                text: String::new(),
            },
            Content::Custom { .. } => Content::Custom {
                data: String::new(),
                description: String::new(),
                extension: String::new(),
            },
            Content::Face { .. } => Content::Face {
                index: 0,
                data: String::new(),
            },
            Content::Location { .. } => Content::Location {
                description: String::new(),
                longitude: 0.0,
                latitude: 0.0,
            },
            Content::GroupSystemNotice { .. } | Content::GroupTip { .. } => self.clone(),
            Content::Image { .. } => Content::Image {
                uuid: String::new(),
                image_format: 0,
                image_info_array: Vec::new(),
            },
            Content::File { .. } => Content::File {
                uuid: String::new(),
                file_name: String::new(),
                file_size: 0,
                file_url: String::new(),
            },
            Content::Video { .. } => Content::Video {
                video_uuid: String::new(),
                video_url: String::new(),
                video_size: 0,
                video_second: 0,
                video_format: String::new(),
                thumb_uuid: String::new(),
                thumb_url: String::new(),
                thumb_width: 0,
                thumb_height: 0,
                thumb_size: 0,
            },
            Content::Sound { .. } => Content::Sound {
                uuid: String::new(),
                url: String::new(),
                size: 0,
                second: 0,
            },
            Content::Merger { .. } => Content::Merger {
                title: String::new(),
                abstract_list: Vec::new(),
                compatible_text: String::new(),
                message_list: Vec::new(),
                download_key: String::new(),
                layers_over_limit: false,
            },
        }
    }

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
            | Content::GroupSystemNotice { .. }
            | Content::GroupTip { .. } => {}
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

#[cfg(test)]
mod emptied_tests {
    use super::*;

    #[test]
    fn emptied_keeps_the_type_and_nothing_else() {
        let image = Content::Image {
            uuid: "u".into(),
            image_format: 1,
            image_info_array: vec![ImageInfo {
                url: "/files/x".into(),
                width: 2,
                height: 3,
                size: 4,
                kind: 1,
            }],
        };
        let text = Content::Text { text: "t".into() };
        for c in [image, text] {
            let (full, empty) = (
                serde_json::to_value(&c).unwrap(),
                serde_json::to_value(c.emptied()).unwrap(),
            );
            assert_eq!(full["type"], empty["type"]);
            assert!(c.emptied().file_ids().is_empty());
            assert_ne!(full, empty);
            assert_eq!(c.emptied(), c.emptied().emptied());
        }
    }
}
