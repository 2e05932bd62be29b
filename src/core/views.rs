//! Conversions between wire messages (`tim_protocol`) and the tim-js-sdk shaped views.

use tim_protocol::{Content, MergedMessage, Message};

use super::files::FileUrls;
use super::types::{
    Fields, GroupProfileView, MergedView, MessageStatus, MessageView, Payload, Val,
};

/// `TIM.TYPES.MSG_TEXT` & co., the `type` of a Message.
pub(super) const MSG_TEXT: &str = "TIMTextElem";
pub(super) const MSG_CUSTOM: &str = "TIMCustomElem";
pub(super) const MSG_FACE: &str = "TIMFaceElem";
pub(super) const MSG_LOCATION: &str = "TIMLocationElem";
pub(super) const MSG_GRP_SYS_NOTICE: &str = "TIMGroupSystemNoticeElem";
pub(super) const MSG_GRP_TIP: &str = "TIMGroupTipElem";
pub(super) const MSG_IMAGE: &str = "TIMImageElem";
pub(super) const MSG_FILE: &str = "TIMFileElem";
pub(super) const MSG_VIDEO: &str = "TIMVideoFileElem";
pub(super) const MSG_SOUND: &str = "TIMSoundElem";
pub(super) const MSG_MERGER: &str = "TIMRelayElem";

/// `TIM.TYPES.MSG_PRIORITY_*` values.
pub(super) const PRIORITIES: [&str; 4] = ["High", "Normal", "Low", "Lowest"];

fn rich(msg_type: &'static str, fields: Vec<(&'static str, Val)>) -> (&'static str, Payload) {
    let payload = Payload {
        rich: Some(Box::new(Fields(fields))),
        ..Payload::default()
    };
    (msg_type, payload)
}

fn text(s: &str) -> Val {
    Val::Str(s.to_owned())
}

fn num(n: impl Into<f64>) -> Val {
    Val::Num(n.into())
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
    let url = |u: &str| Val::Str(files.absolute(u));
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
        Content::GroupTip { .. } => rich(MSG_GRP_TIP, super::groups::tip_payload(content)),
        Content::Image {
            uuid,
            image_format,
            image_info_array,
        } => {
            let infos = image_info_array.iter().map(|i| {
                Val::Obj(Fields(vec![
                    ("width", num(i.width)),
                    ("height", num(i.height)),
                    ("url", url(&i.url)),
                    ("size", num(i.size as f64)),
                    ("type", num(i.kind)),
                ]))
            });
            rich(
                MSG_IMAGE,
                vec![
                    ("uuid", text(uuid)),
                    ("imageFormat", num(*image_format)),
                    ("imageInfoArray", Val::List(infos.collect())),
                ],
            )
        }
        Content::File {
            uuid,
            file_name,
            file_size,
            file_url,
        } => rich(
            MSG_FILE,
            vec![
                ("uuid", text(uuid)),
                ("fileName", text(file_name)),
                ("fileSize", num(*file_size as f64)),
                ("fileUrl", url(file_url)),
            ],
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
        } => rich(
            MSG_VIDEO,
            vec![
                ("videoUUID", text(video_uuid)),
                ("videoUrl", url(video_url)),
                ("videoSize", num(*video_size as f64)),
                ("videoSecond", num(*video_second)),
                ("videoFormat", text(video_format)),
                ("thumbUUID", text(thumb_uuid)),
                ("thumbUrl", url(thumb_url)),
                ("thumbWidth", num(*thumb_width)),
                ("thumbHeight", num(*thumb_height)),
                ("thumbSize", num(*thumb_size as f64)),
            ],
        ),
        Content::Sound {
            uuid,
            url: u,
            size,
            second,
        } => rich(
            MSG_SOUND,
            vec![
                ("uuid", text(uuid)),
                ("url", url(u)),
                ("size", num(*size as f64)),
                ("second", num(*second)),
            ],
        ),
        Content::Merger {
            title,
            abstract_list,
            compatible_text,
            message_list,
            download_key,
            layers_over_limit,
        } => rich(
            MSG_MERGER,
            vec![
                ("title", text(title)),
                (
                    "abstractList",
                    Val::List(abstract_list.iter().map(|a| text(a)).collect()),
                ),
                (
                    "messageList",
                    Val::Messages(message_list.iter().map(|m| merged_view(m, files)).collect()),
                ),
                ("compatibleText", text(compatible_text)),
                ("downloadKey", text(download_key)),
                ("layersOverLimit", Val::Bool(*layers_over_limit)),
            ],
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
        Content::GroupTip { .. } => super::groups::tip_for_show(content),
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
        status: MessageStatus::Success,
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
    use tim_protocol::{ConvType, OutboundMessage};

    fn msg(from: &str, content: Content) -> Message {
        let to = if from == "alice" { "bob" } else { "alice" };
        let out = OutboundMessage {
            random: 7,
            client_time: 99,
            ..OutboundMessage::new(ConvType::C2c, to, "m1", content)
        };
        out.committed(from.into(), 3, 100)
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
    fn file_payloads_show_absolute_urls() {
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
        let rich = p.rich.unwrap();
        let Some(Val::List(infos)) = rich.get("imageInfoArray") else {
            panic!("no imageInfoArray")
        };
        let Val::Obj(info) = &infos[0] else {
            panic!("no image info")
        };
        let url = Val::Str("http://h:1/files/o?tk=tk1".into());
        assert_eq!(info.get("url"), Some(&url));
        assert_eq!(info.get("width"), Some(&Val::Num(800.0)));
        assert_eq!(rich.get("imageFormat"), Some(&Val::Num(3.0)));
        let sound = Content::Sound {
            uuid: "s".into(),
            url: "/files/s".into(),
            size: 5,
            second: 2,
        };
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
                content: sound.clone(),
            }],
            download_key: String::new(),
            layers_over_limit: false,
        };
        let (_, p) = content_to_payload(&merger, &files);
        let Some(Val::Messages(inner)) = p.rich.as_ref().unwrap().get("messageList") else {
            panic!("no list")
        };
        let url = Val::Str("http://h:1/files/s?tk=tk1".into());
        assert_eq!(
            inner[0].payload.rich.as_ref().unwrap().get("url"),
            Some(&url)
        );
        assert_eq!((inner[0].msg_type.as_str(), inner[0].time), (MSG_SOUND, 3));
        let file = Content::File {
            uuid: "f".into(),
            file_name: "a.bin".into(),
            file_size: 7,
            file_url: String::new(),
        };
        let (_, p) = content_to_payload(&file, &files);
        assert_eq!(
            p.rich.unwrap().get("fileUrl"),
            Some(&Val::Str(String::new()))
        );
        let shows: Vec<String> = [&img, &merger, &file, &sound]
            .iter()
            .map(|c| message_for_show(c))
            .collect();
        assert_eq!(shows, ["[Image]", "[Chat History]", "[File]", "[Voice]"]);
    }
}
