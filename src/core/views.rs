//! Conversions between wire messages (`tim_protocol`) and the tim-js-sdk shaped views.

use tim_protocol::{Content, MergedMessage, Message};

use super::files::FileUrls;
use super::types::{
    GroupProfileView, ImageInfoView, MergedView, MessageView, Payload, RichPayload,
};

/// `TIM.TYPES.MSG_TEXT` & co., the `type` of a Message.
pub(super) const MSG_TEXT: &str = "TIMTextElem";
pub(super) const MSG_CUSTOM: &str = "TIMCustomElem";
pub(super) const MSG_FACE: &str = "TIMFaceElem";
pub(super) const MSG_LOCATION: &str = "TIMLocationElem";
pub(super) const MSG_GRP_SYS_NOTICE: &str = "TIMGroupSystemNoticeElem";
pub(super) const MSG_IMAGE: &str = "TIMImageElem";
pub(super) const MSG_FILE: &str = "TIMFileElem";
pub(super) const MSG_VIDEO: &str = "TIMVideoFileElem";
pub(super) const MSG_SOUND: &str = "TIMSoundElem";
pub(super) const MSG_MERGER: &str = "TIMRelayElem";

/// `TIM.TYPES.MSG_PRIORITY_*` values.
pub(super) const PRIORITIES: [&str; 4] = ["High", "Normal", "Low", "Lowest"];

fn rich(r: RichPayload) -> Payload {
    Payload {
        rich: Some(Box::new(r)),
        ..Payload::default()
    }
}

/// A merged message as JavaScript sees it.
pub(super) fn merged_view(m: &MergedMessage, files: &FileUrls) -> MergedView {
    let (msg_type, payload) = content_to_payload(&m.content, files);
    MergedView {
        id: m.id.clone(),
        from: m.from.clone(),
        nick: m.nick.clone(),
        avatar: m.avatar.clone(),
        time: m.time,
        msg_type: msg_type.to_owned(),
        payload,
    }
}

/// The `type` and `payload` of a Message with this content; file URLs made absolute.
pub(super) fn content_to_payload(content: &Content, files: &FileUrls) -> (&'static str, Payload) {
    let url = |u: &str| Some(files.absolute(u));
    match content {
        Content::Text { text } => (
            MSG_TEXT,
            Payload {
                text: Some(text.clone()),
                ..Payload::default()
            },
        ),
        Content::Custom {
            data,
            description,
            extension,
        } => (
            MSG_CUSTOM,
            Payload {
                data: Some(data.clone()),
                description: Some(description.clone()),
                extension: Some(extension.clone()),
                ..Payload::default()
            },
        ),
        Content::Face { index, data } => (
            MSG_FACE,
            Payload {
                index: Some(*index),
                data: Some(data.clone()),
                ..Payload::default()
            },
        ),
        Content::Location {
            description,
            longitude,
            latitude,
        } => (
            MSG_LOCATION,
            Payload {
                description: Some(description.clone()),
                longitude: Some(*longitude),
                latitude: Some(*latitude),
                ..Payload::default()
            },
        ),
        Content::GroupSystemNotice {
            operator_id,
            operation_type,
            group_id,
            group_name,
        } => (
            MSG_GRP_SYS_NOTICE,
            Payload {
                operator_id: Some(operator_id.clone()),
                operation_type: Some(*operation_type),
                group_profile: Some(GroupProfileView {
                    group_id: group_id.clone(),
                    name: group_name.clone(),
                }),
                ..Payload::default()
            },
        ),
        Content::Image {
            uuid,
            image_format,
            image_info_array,
        } => (
            MSG_IMAGE,
            rich(RichPayload {
                uuid: Some(uuid.clone()),
                image_format: Some(*image_format),
                image_info_array: Some(
                    image_info_array
                        .iter()
                        .map(|i| ImageInfoView {
                            width: i.width,
                            height: i.height,
                            url: files.absolute(&i.url),
                            size: i.size,
                            kind: i.kind,
                        })
                        .collect(),
                ),
                ..RichPayload::default()
            }),
        ),
        Content::File {
            uuid,
            file_name,
            file_size,
            file_url,
        } => (
            MSG_FILE,
            rich(RichPayload {
                uuid: Some(uuid.clone()),
                file_name: Some(file_name.clone()),
                file_size: Some(*file_size),
                file_url: url(file_url),
                ..RichPayload::default()
            }),
        ),
        Content::Video {
            video_uuid,
            video_url,
            video_size,
            video_second,
            video_format,
            thumb_uuid,
            thumb_url,
            thumb_width,
            thumb_height,
            thumb_size,
        } => (
            MSG_VIDEO,
            rich(RichPayload {
                video_uuid: Some(video_uuid.clone()),
                video_url: url(video_url),
                video_size: Some(*video_size),
                video_second: Some(*video_second),
                video_format: Some(video_format.clone()),
                thumb_uuid: Some(thumb_uuid.clone()),
                thumb_url: url(thumb_url),
                thumb_width: Some(*thumb_width),
                thumb_height: Some(*thumb_height),
                thumb_size: Some(*thumb_size),
                ..RichPayload::default()
            }),
        ),
        Content::Sound {
            uuid,
            url: u,
            size,
            second,
        } => (
            MSG_SOUND,
            rich(RichPayload {
                uuid: Some(uuid.clone()),
                url: url(u),
                size: Some(*size),
                second: Some(*second),
                ..RichPayload::default()
            }),
        ),
        Content::Merger {
            title,
            abstract_list,
            compatible_text,
            message_list,
            download_key,
            layers_over_limit,
        } => (
            MSG_MERGER,
            rich(RichPayload {
                title: Some(title.clone()),
                abstract_list: Some(abstract_list.clone()),
                message_list: Some(message_list.iter().map(|m| merged_view(m, files)).collect()),
                compatible_text: Some(compatible_text.clone()),
                download_key: Some(download_key.clone()),
                layers_over_limit: Some(*layers_over_limit),
                ..RichPayload::default()
            }),
        ),
    }
}

/// The text a conversation list shows for a last message.
pub(super) fn message_for_show(content: &Content) -> String {
    match content {
        Content::Text { text } => text.clone(),
        Content::Custom { .. } => "[Custom Messages]".to_owned(),
        Content::Face { .. } => "[Face]".to_owned(),
        Content::Location { .. } => "[Location]".to_owned(),
        Content::GroupSystemNotice { .. } => "[Group System Notice]".to_owned(),
        Content::Image { .. } => "[Image]".to_owned(),
        Content::File { .. } => "[File]".to_owned(),
        Content::Video { .. } => "[Video]".to_owned(),
        Content::Sound { .. } => "[Voice]".to_owned(),
        Content::Merger { .. } => "[Chat History]".to_owned(),
    }
}

/// A committed message as `viewer` sees it (status `success`).
pub(super) fn message_view(m: &Message, viewer: &str, files: &FileUrls) -> MessageView {
    let (msg_type, payload) = content_to_payload(&m.content, files);
    MessageView {
        id: m.id.clone(),
        msg_type: msg_type.to_owned(),
        payload,
        conversation_id: m.conversation_id_for(viewer),
        conversation_type: m.conv_type.as_str().to_owned(),
        to: m.to.clone(),
        from: m.from.clone(),
        flow: if m.from == viewer { "out" } else { "in" }.to_owned(),
        time: m.time,
        client_time: m.client_time,
        sequence: m.seq,
        random: m.random,
        status: "success".to_owned(),
        priority: m.priority.clone(),
        nick: m.nick.clone(),
        avatar: m.avatar.clone(),
        at_user_list: m.at_user_list.clone(),
        cloud_custom_data: m.cloud_custom_data.clone(),
        is_revoked: m.revoked,
        is_modified: m.version > 0,
        version: m.version,
        need_read_receipt: m.need_read_receipt,
        ..MessageView::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_protocol::ConvType;

    fn msg(from: &str, content: Content) -> Message {
        Message {
            id: "m1".into(),
            conv_type: ConvType::C2c,
            from: from.into(),
            to: if from == "alice" { "bob" } else { "alice" }.into(),
            seq: 3,
            time: 100,
            random: 7,
            client_time: 99,
            priority: "Normal".into(),
            content,
            cloud_custom_data: String::new(),
            at_user_list: vec![],
            nick: String::new(),
            avatar: String::new(),
            revoked: false,
            version: 0,
            need_read_receipt: false,
            offline_push_info: String::new(),
        }
    }

    #[test]
    fn view_direction_and_conversation_follow_the_viewer() {
        let m = msg("bob", Content::Text { text: "hi".into() });
        let v = message_view(&m, "alice", &FileUrls::default());
        assert_eq!(
            (v.flow.as_str(), v.conversation_id.as_str()),
            ("in", "C2Cbob")
        );
        assert_eq!((v.sequence, v.time, v.status.as_str()), (3, 100, "success"));
        let v = message_view(&m, "bob", &FileUrls::default());
        assert_eq!(
            (v.flow.as_str(), v.conversation_id.as_str()),
            ("out", "C2Calice")
        );
    }

    #[test]
    fn payload_shapes_and_show_text() {
        let c = Content::Custom {
            data: "d".into(),
            description: String::new(),
            extension: "e".into(),
        };
        let (t, p) = content_to_payload(&c, &FileUrls::default());
        assert_eq!(t, MSG_CUSTOM);
        assert_eq!(p.description.as_deref(), Some(""));
        assert_eq!(p.text, None);
        assert_eq!(message_for_show(&c), "[Custom Messages]");
        let f = Content::Face {
            index: 2,
            data: "x".into(),
        };
        assert_eq!(
            content_to_payload(&f, &FileUrls::default()).1.index,
            Some(2)
        );
        assert_eq!(message_for_show(&f), "[Face]");
        let l = Content::Location {
            description: "d".into(),
            longitude: 1.5,
            latitude: -2.0,
        };
        assert_eq!(
            content_to_payload(&l, &FileUrls::default()).1.latitude,
            Some(-2.0)
        );
        assert_eq!(message_for_show(&l), "[Location]");
    }

    #[test]
    fn file_payloads_show_absolute_urls_and_read_back_relative() {
        let files = FileUrls {
            origin: "http://h:1".into(),
            token: "tk1".into(),
        };
        let img = Content::Image {
            uuid: "o".into(),
            image_format: 3,
            image_info_array: vec![tim_protocol::ImageInfo {
                width: 800,
                height: 600,
                size: 9,
                url: "/files/o".into(),
                kind: 0,
            }],
        };
        let (t, p) = content_to_payload(&img, &files);
        assert_eq!(t, MSG_IMAGE);
        let info = &p.rich.as_ref().unwrap().image_info_array.as_ref().unwrap()[0];
        assert_eq!(info.url, "http://h:1/files/o?tk=tk1");
        assert_eq!((info.width, info.kind), (800, 0));
        assert_eq!(super::super::create::content_of(t, &p).unwrap(), img);
        let merger = Content::Merger {
            title: "t".into(),
            abstract_list: vec!["a: b".into()],
            compatible_text: "c".into(),
            message_list: vec![MergedMessage {
                id: "m".into(),
                from: "a".into(),
                nick: String::new(),
                avatar: String::new(),
                time: 3,
                content: Content::Sound {
                    uuid: "s".into(),
                    url: "/files/s".into(),
                    size: 5,
                    second: 2,
                },
            }],
            download_key: String::new(),
            layers_over_limit: false,
        };
        let (t, p) = content_to_payload(&merger, &files);
        let inner = &p.rich.as_ref().unwrap().message_list.as_ref().unwrap()[0];
        assert_eq!(
            inner.payload.rich.as_ref().unwrap().url.as_deref(),
            Some("http://h:1/files/s?tk=tk1")
        );
        assert_eq!(super::super::create::content_of(t, &p).unwrap(), merger);
        let shows: Vec<String> = [&img, &merger]
            .iter()
            .map(|c| message_for_show(c))
            .collect();
        assert_eq!(shows, ["[Image]", "[Chat History]"]);
        let file = Content::File {
            uuid: "f".into(),
            file_name: "a.bin".into(),
            file_size: 7,
            file_url: "/files/f".into(),
        };
        let (t, mut p) = content_to_payload(&file, &files);
        assert_eq!(message_for_show(&file), "[File]");
        assert_eq!(super::super::create::content_of(t, &p).unwrap(), file);
        p.rich.as_mut().unwrap().file_url = Some(String::new());
        assert_eq!(
            super::super::create::content_of(t, &p).unwrap_err().code,
            2403
        );
    }
}
