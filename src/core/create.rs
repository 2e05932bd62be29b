//! Message creation (`createTextMessage` & co.) and the validation `sendMessage` repeats on the
//! object JavaScript hands back, which may have been built or edited by hand.

use tim_protocol::{conversation_id, Content, ConvType, OutboundMessage};

use super::codes;
use super::files::FileUrls;
use super::types::{
    CreateMessageOptions, MessageKind, MessageStatus, MessageView, Payload, SdkError,
};
use super::views::{content_to_payload, MSG_CUSTOM, MSG_FACE, MSG_LOCATION, MSG_TEXT, PRIORITIES};

fn invalid(message: &str) -> SdkError {
    SdkError::new(codes::INVALID_OPERATION, message)
}

fn check_to(to: Option<&str>) -> Result<String, SdkError> {
    match to {
        Some(to) if !to.is_empty() => Ok(to.to_owned()),
        _ => Err(invalid("to is required")),
    }
}

fn check_conv_type(t: Option<&str>) -> Result<ConvType, SdkError> {
    let sendable = t
        .and_then(ConvType::parse)
        .filter(|t| *t != ConvType::System);
    sendable.ok_or_else(|| {
        SdkError::new(
            codes::MESSAGE_SEND_INVALID_CONVERSATION_TYPE,
            "conversationType must be C2C or GROUP",
        )
    })
}

fn check_priority(p: Option<&str>) -> Result<String, SdkError> {
    match p {
        None | Some("") => Ok("Normal".to_owned()),
        Some(p) if PRIORITIES.contains(&p) => Ok(p.to_owned()),
        Some(_) => Err(invalid("priority must be a MSG_PRIORITY_* value")),
    }
}

fn text_content(p: &Payload) -> Result<Content, SdkError> {
    match &p.text {
        Some(text) if !text.is_empty() => Ok(Content::Text { text: text.clone() }),
        _ => Err(invalid("text is empty")),
    }
}

/// The wire content of a `type` + `payload` pair; errors say what is missing.
pub(super) fn content_of(msg_type: &str, p: &Payload) -> Result<Content, SdkError> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    match msg_type {
        MSG_TEXT => text_content(p),
        MSG_CUSTOM => Ok(Content::Custom {
            data: s(&p.data),
            description: s(&p.description),
            extension: s(&p.extension),
        }),
        MSG_FACE => match p.index {
            Some(index) => Ok(Content::Face {
                index,
                data: s(&p.data),
            }),
            None => Err(invalid("face index is required")),
        },
        MSG_LOCATION => match (p.longitude, p.latitude) {
            (Some(longitude), Some(latitude)) if longitude.is_finite() && latitude.is_finite() => {
                Ok(Content::Location {
                    description: s(&p.description),
                    longitude,
                    latitude,
                })
            }
            _ => Err(invalid("longitude and latitude must be numbers")),
        },
        _ => Err(invalid("unsupported message type")),
    }
}

/// A file content refers to its uploaded files (a merger needs no file).
fn uploaded(c: &Content) -> bool {
    match c {
        Content::Image {
            image_info_array, ..
        } => !image_info_array.is_empty(),
        Content::File { file_url, .. } => !file_url.is_empty(),
        Content::Video { video_url, .. } => !video_url.is_empty(),
        Content::Sound { url, .. } => !url.is_empty(),
        _ => true,
    }
}

/// Who a new message goes to: checked `to`, conversation type and priority.
pub(super) struct Envelope {
    to: String,
    conv_type: ConvType,
    priority: String,
}

/// Checks the addressing options every creator shares.
pub(super) fn envelope(options: &CreateMessageOptions) -> Result<Envelope, SdkError> {
    Ok(Envelope {
        to: check_to(options.to.as_deref())?,
        conv_type: check_conv_type(options.conversation_type.as_deref())?,
        priority: check_priority(options.priority.as_deref())?,
    })
}

/// The identity of a new message: sender, clock, random and ID.
pub(super) struct Stamp<'a> {
    pub(super) from: &'a str,
    pub(super) now_ms: u64,
    pub(super) random: u32,
    pub(super) id: String,
}

/// Validates `create*Message` options and builds the `unSend` message.
pub(super) fn build_message(
    kind: MessageKind,
    options: CreateMessageOptions,
    from: &str,
    now_ms: u64,
    random: u32,
    id: String,
) -> Result<MessageView, SdkError> {
    let env = envelope(&options)?;
    let payload = options
        .payload
        .as_ref()
        .ok_or_else(|| invalid("payload is required"))?;
    let msg_type = match kind {
        MessageKind::Text | MessageKind::TextAt => MSG_TEXT,
        MessageKind::Custom => MSG_CUSTOM,
        MessageKind::Face => MSG_FACE,
        MessageKind::Location => MSG_LOCATION,
    };
    let content = content_of(msg_type, payload)?;
    let at_user_list = match kind {
        MessageKind::TextAt => payload.at_user_list.clone().unwrap_or_default(),
        _ => Vec::new(),
    };
    let stamp = Stamp {
        from,
        now_ms,
        random,
        id,
    };
    let mut view = build_view(env, &content, &options, stamp, &FileUrls::default());
    view.at_user_list = at_user_list;
    Ok(view)
}

/// The `unSend` message of a checked envelope and content.
pub(super) fn build_view(
    env: Envelope,
    content: &Content,
    options: &CreateMessageOptions,
    stamp: Stamp<'_>,
    files: &FileUrls,
) -> MessageView {
    let Envelope {
        to,
        conv_type,
        priority,
    } = env;
    let Stamp {
        from,
        now_ms,
        random,
        id,
    } = stamp;
    let (msg_type, payload) = content_to_payload(content, files);
    let secs = now_ms / 1000;
    MessageView {
        id,
        msg_type: msg_type.to_owned(),
        payload,
        conversation_id: conversation_id(conv_type, &to),
        conversation_type: conv_type.as_str().to_owned(),
        to,
        from: from.to_owned(),
        flow: "out".to_owned(),
        time: secs,
        client_time: secs,
        sequence: 0,
        random,
        status: MessageStatus::UnSend,
        priority,
        cloud_custom_data: options.cloud_custom_data.clone().unwrap_or_default(),
        need_read_receipt: options.need_read_receipt.unwrap_or(false),
        ..MessageView::default()
    }
}

/// Checks a Message handed to `sendMessage` and turns it into what goes on the wire; `known`
/// is the content of a file or merger message created here (its payload is not read back).
pub(super) fn outbound_of(
    view: &MessageView,
    me: &str,
    known: Option<&Content>,
) -> Result<OutboundMessage, SdkError> {
    if view.id.is_empty() {
        return Err(SdkError::new(
            codes::MESSAGE_SEND_NEED_MESSAGE_INSTANCE,
            "a Message created by create*Message is required",
        ));
    }
    let to = check_to(Some(&view.to))?;
    let conv_type = check_conv_type(Some(&view.conversation_type))?;
    if !view.conversation_id.is_empty() && view.conversation_id != conversation_id(conv_type, &to) {
        return Err(invalid(
            "conversationID does not match conversationType and to",
        ));
    }
    if !view.from.is_empty() && view.from != me {
        return Err(invalid("message was created by another user"));
    }
    Ok(OutboundMessage {
        id: view.id.clone(),
        conv_type,
        to,
        random: view.random,
        client_time: view.client_time,
        priority: check_priority(Some(&view.priority))?,
        content: match known {
            Some(c) if uploaded(c) => c.clone(),
            Some(_) => {
                return Err(SdkError::new(
                    codes::MESSAGE_FILE_URL_IS_EMPTY,
                    "the file is not uploaded yet",
                ))
            }
            None => content_of(&view.msg_type, &view.payload)?,
        },
        cloud_custom_data: view.cloud_custom_data.clone(),
        at_user_list: view.at_user_list.clone(),
        need_read_receipt: view.need_read_receipt,
        online_user_only: false,
        offline_push_info: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(to: Option<&str>, ct: Option<&str>, payload: Payload) -> CreateMessageOptions {
        CreateMessageOptions {
            to: to.map(Into::into),
            conversation_type: ct.map(Into::into),
            payload: Some(payload),
            ..Default::default()
        }
    }

    fn text(t: &str) -> Payload {
        Payload {
            text: Some(t.into()),
            ..Default::default()
        }
    }

    fn build(kind: MessageKind, o: CreateMessageOptions) -> Result<MessageView, SdkError> {
        build_message(kind, o, "me", 5_500, 9, "id1".into())
    }

    #[test]
    fn validation_codes() {
        let code = |r: Result<MessageView, SdkError>| r.err().map(|e| e.code);
        assert_eq!(
            code(build(MessageKind::Text, opts(None, Some("C2C"), text("a")))),
            Some(2905)
        );
        assert_eq!(
            code(build(
                MessageKind::Text,
                opts(Some(""), Some("C2C"), text("a"))
            )),
            Some(2905)
        );
        assert_eq!(
            code(build(MessageKind::Text, opts(Some("b"), None, text("a")))),
            Some(2106)
        );
        assert_eq!(
            code(build(
                MessageKind::Text,
                opts(Some("b"), Some("TOPIC"), text("a"))
            )),
            Some(2106)
        );
        assert_eq!(
            code(build(
                MessageKind::Text,
                opts(Some("b"), Some("C2C"), text(""))
            )),
            Some(2905)
        );
        assert_eq!(
            code(build(
                MessageKind::Text,
                opts(Some("b"), Some("C2C"), Payload::default())
            )),
            Some(2905)
        );
        assert_eq!(
            code(build(
                MessageKind::Face,
                opts(Some("b"), Some("C2C"), Payload::default())
            )),
            Some(2905)
        );
        let loc = Payload {
            longitude: Some(1.0),
            ..Default::default()
        };
        assert_eq!(
            code(build(
                MessageKind::Location,
                opts(Some("b"), Some("GROUP"), loc)
            )),
            Some(2905)
        );
        let mut o = opts(Some("b"), Some("C2C"), text("a"));
        o.priority = Some("Urgent".into());
        assert_eq!(code(build(MessageKind::Text, o)), Some(2905));
    }

    #[test]
    fn built_message_shape() {
        let mut o = opts(
            Some("g1"),
            Some("GROUP"),
            Payload {
                text: Some("hi @b".into()),
                at_user_list: Some(vec!["b".into()]),
                ..Default::default()
            },
        );
        o.priority = Some("High".into());
        let m = build(MessageKind::TextAt, o).unwrap();
        assert_eq!(
            (
                m.msg_type.as_str(),
                m.conversation_id.as_str(),
                m.status.as_str()
            ),
            ("TIMTextElem", "GROUPg1", "unSend")
        );
        assert_eq!((m.time, m.client_time, m.sequence, m.random), (5, 5, 0, 9));
        assert_eq!(
            (m.flow.as_str(), m.from.as_str(), m.priority.as_str()),
            ("out", "me", "High")
        );
        assert_eq!(m.at_user_list, vec!["b".to_string()]);
        assert_eq!(m.payload.at_user_list, None);
        let c = build(
            MessageKind::Custom,
            opts(
                Some("b"),
                Some("C2C"),
                Payload {
                    data: Some("d".into()),
                    ..Default::default()
                },
            ),
        )
        .unwrap();
        assert_eq!(
            (
                c.payload.description.as_deref(),
                c.payload.extension.as_deref()
            ),
            (Some(""), Some(""))
        );
        assert_eq!(c.priority, "Normal");
    }

    #[test]
    fn outbound_checks_the_returned_object() {
        let m = build(MessageKind::Text, opts(Some("b"), Some("C2C"), text("a"))).unwrap();
        let out = outbound_of(&m, "me", None).unwrap();
        assert_eq!(
            (out.id.as_str(), out.random, out.client_time),
            ("id1", 9, 5)
        );
        assert_eq!(
            outbound_of(&MessageView::default(), "me", None)
                .unwrap_err()
                .code,
            2105
        );
        let mut bad = m.clone();
        bad.payload.text = Some(String::new());
        assert_eq!(outbound_of(&bad, "me", None).unwrap_err().code, 2905);
        let mut bad = m.clone();
        bad.conversation_type = "X".into();
        assert_eq!(outbound_of(&bad, "me", None).unwrap_err().code, 2106);
        let mut bad = m.clone();
        bad.conversation_id = "C2Cother".into();
        assert_eq!(outbound_of(&bad, "me", None).unwrap_err().code, 2905);
        let mut bad = m.clone();
        bad.msg_type = "TIMGroupTipElem".into();
        assert_eq!(outbound_of(&bad, "me", None).unwrap_err().code, 2905);
        let mut bad = m;
        bad.msg_type = "TIMImageElem".into();
        assert_eq!(outbound_of(&bad, "me", None).unwrap_err().code, 2905);
    }
}
