//! Conversions between wire messages (`tim_protocol`) and the tim-js-sdk shaped views.

use tim_protocol::{Content, Message};

use super::types::{GroupProfileView, MessageView, Payload};

/// `TIM.TYPES.MSG_TEXT` & co., the `type` of a Message.
pub(super) const MSG_TEXT: &str = "TIMTextElem";
pub(super) const MSG_CUSTOM: &str = "TIMCustomElem";
pub(super) const MSG_FACE: &str = "TIMFaceElem";
pub(super) const MSG_LOCATION: &str = "TIMLocationElem";
pub(super) const MSG_GRP_SYS_NOTICE: &str = "TIMGroupSystemNoticeElem";

/// `TIM.TYPES.MSG_PRIORITY_*` values.
pub(super) const PRIORITIES: [&str; 4] = ["High", "Normal", "Low", "Lowest"];

/// The `type` and `payload` of a Message with this content.
pub(super) fn content_to_payload(content: &Content) -> (&'static str, Payload) {
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
    }
}

/// A committed message as `viewer` sees it (status `success`).
pub(super) fn message_view(m: &Message, viewer: &str) -> MessageView {
    let (msg_type, payload) = content_to_payload(&m.content);
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
        let v = message_view(&m, "alice");
        assert_eq!(
            (v.flow.as_str(), v.conversation_id.as_str()),
            ("in", "C2Cbob")
        );
        assert_eq!((v.sequence, v.time, v.status.as_str()), (3, 100, "success"));
        let v = message_view(&m, "bob");
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
        let (t, p) = content_to_payload(&c);
        assert_eq!(t, MSG_CUSTOM);
        assert_eq!(p.description.as_deref(), Some(""));
        assert_eq!(p.text, None);
        assert_eq!(message_for_show(&c), "[Custom Messages]");
        let f = Content::Face {
            index: 2,
            data: "x".into(),
        };
        assert_eq!(content_to_payload(&f).1.index, Some(2));
        assert_eq!(message_for_show(&f), "[Face]");
        let l = Content::Location {
            description: "d".into(),
            longitude: 1.5,
            latitude: -2.0,
        };
        assert_eq!(content_to_payload(&l).1.latitude, Some(-2.0));
        assert_eq!(message_for_show(&l), "[Location]");
    }
}
