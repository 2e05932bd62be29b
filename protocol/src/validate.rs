//! Input limits of the server (its WebSocket and REST paths check them before anything reaches
//! storage), here so that every model of the server (the core's fake) applies the same ones.

use crate::{codes, Content, ConvType, OutboundMessage};

/// Longest user or group ID, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Longest client message ID, in bytes.
pub const MAX_MSG_ID_BYTES: usize = 128;
/// Largest message content (text, custom fields, cloud custom data together), in bytes.
pub const MAX_CONTENT_BYTES: usize = 12 * 1024;
/// Largest `offlinePushInfo` (JSON text), in bytes.
pub const MAX_PUSH_INFO_BYTES: usize = 4 * 1024;
/// Longest conversation group name, in bytes (as Tencent).
pub const MAX_CONV_GROUP_NAME_BYTES: usize = 32;
/// Longest conversation `customData`, in bytes (as Tencent).
pub const MAX_CONV_CUSTOM_DATA_BYTES: usize = 256;
/// Most users an @-message may mention.
pub const MAX_AT_USERS: usize = 30;

/// A rejected input: a code from [`codes`] and a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Error code.
    pub code: u32,
    /// Reason.
    pub message: String,
}

fn invalid(message: impl Into<String>) -> Invalid {
    Invalid {
        code: codes::INVALID_REQUEST,
        message: message.into(),
    }
}

/// A user or group ID: non-empty, at most 64 characters, no control characters.
pub fn id(kind: &str, s: &str) -> Result<(), Invalid> {
    if s.is_empty() || s.chars().count() > MAX_ID_CHARS || s.chars().any(char::is_control) {
        return Err(invalid(format!(
            "{kind} must be 1 to {MAX_ID_CHARS} printable characters"
        )));
    }
    Ok(())
}

/// A conversation ID as a requester names it: `C2C<userID>` or `GROUP<groupID>` (the ID as
/// [`id`]), or the system conversation.
pub fn conversation_id(conv: &str) -> Result<(ConvType, &str), Invalid> {
    let (conv_type, peer) = crate::parse_conversation_id(conv)
        .ok_or_else(|| invalid("conversationID must be C2C<userID> or GROUP<groupID>"))?;
    if conv_type != ConvType::System {
        id("conversation peer", peer)?;
    }
    Ok((conv_type, peer))
}

/// A conversation group name: 1 to [`MAX_CONV_GROUP_NAME_BYTES`] printable bytes.
pub fn conv_group_name(name: &str) -> Result<(), Invalid> {
    if name.is_empty()
        || name.len() > MAX_CONV_GROUP_NAME_BYTES
        || name.chars().any(char::is_control)
    {
        return Err(Invalid {
            code: codes::CONV_GROUP_NAME_INVALID,
            message: format!("groupName must be 1 to {MAX_CONV_GROUP_NAME_BYTES} printable bytes"),
        });
    }
    Ok(())
}

/// A conversation's `customData`: at most [`MAX_CONV_CUSTOM_DATA_BYTES`].
pub fn conv_custom_data(data: &str) -> Result<(), Invalid> {
    const _: () = assert!(
        MAX_CONV_CUSTOM_DATA_BYTES == 256,
        "the message below says 256"
    );
    if data.len() > MAX_CONV_CUSTOM_DATA_BYTES {
        return Err(invalid("customData is longer than 256 bytes"));
    }
    Ok(())
}

/// A message as a client submits it.
pub fn outbound(m: &OutboundMessage) -> Result<(), Invalid> {
    outbound_shape(m)?;
    let info_ok = m.offline_push_info.is_empty()
        || serde_json::from_str::<serde_json::Value>(&m.offline_push_info)
            .is_ok_and(|v| v.is_object());
    if !info_ok {
        return Err(invalid("offlinePushInfo must be a JSON object"));
    }
    content(&m.content, m.cloud_custom_data.len())
}

/// The rules of [`outbound`] that need no JSON codec (all but the `offlinePushInfo` syntax and
/// the size of rich contents): the SDK checks them before queueing a send, without the cost
/// of `serde_json` in its wasm.
pub fn outbound_shape(m: &OutboundMessage) -> Result<(), Invalid> {
    if m.id.is_empty() || m.id.len() > MAX_MSG_ID_BYTES || m.id.chars().any(char::is_control) {
        return Err(invalid(format!(
            "message id must be 1 to {MAX_MSG_ID_BYTES} printable bytes"
        )));
    }
    id("to", &m.to)?;
    if m.conv_type == ConvType::System {
        return Err(invalid("the system conversation takes no messages"));
    }
    if m.priority.len() > 16 {
        return Err(invalid("priority is too long"));
    }
    if m.at_user_list.len() > MAX_AT_USERS {
        return Err(invalid(format!(
            "at most {MAX_AT_USERS} users can be mentioned"
        )));
    }
    for u in &m.at_user_list {
        id("atUserList entry", u)?;
    }
    if m.offline_push_info.len() > MAX_PUSH_INFO_BYTES {
        return Err(invalid("offlinePushInfo is too large"));
    }
    inline_content(&m.content, m.cloud_custom_data.len())
}

/// Content limits; `extra` counts bytes stored beside it (cloud custom data).
pub fn content(c: &Content, extra: usize) -> Result<(), Invalid> {
    // Rich contents are small descriptors of stored files; a merger's inline list is
    // bounded by the same limit (a long one travels as a file, `download_key`).
    let size = match inline_size(c)? {
        Some(size) => size,
        None => serde_json::to_string(c).map_or(usize::MAX, |s| s.len()),
    };
    within_content_limit(size.saturating_add(extra))
}

/// [`content`] but for the size of rich contents (their JSON), for callers without a JSON codec.
pub fn inline_content(c: &Content, extra: usize) -> Result<(), Invalid> {
    match inline_size(c)? {
        Some(size) => within_content_limit(size.saturating_add(extra)),
        None => Ok(()),
    }
}

/// The bytes a content counts against [`MAX_CONTENT_BYTES`], read from its fields; `None` for
/// rich contents, which count their JSON.
fn inline_size(c: &Content) -> Result<Option<usize>, Invalid> {
    Ok(Some(match c {
        Content::Text { text } => {
            if text.is_empty() {
                return Err(invalid("text must not be empty"));
            }
            text.len()
        }
        Content::Custom {
            data,
            description,
            extension,
        } => data.len() + description.len() + extension.len(),
        Content::Face { data, .. } => data.len(),
        Content::GroupSystemNotice { .. } => {
            return Err(invalid("group system notices are made by the server"))
        }
        Content::GroupTip { .. } => return Err(invalid("group tips are made by the server")),
        Content::Location {
            description,
            longitude,
            latitude,
        } => {
            if !(-180.0..=180.0).contains(longitude) || !(-90.0..=90.0).contains(latitude) {
                return Err(invalid("longitude or latitude out of range"));
            }
            description.len()
        }
        Content::Image { .. }
        | Content::File { .. }
        | Content::Video { .. }
        | Content::Sound { .. }
        | Content::Merger { .. } => return Ok(None),
    }))
}

fn within_content_limit(size: usize) -> Result<(), Invalid> {
    if size > MAX_CONTENT_BYTES {
        return Err(Invalid {
            code: codes::MESSAGE_TOO_LONG,
            message: format!("message content exceeds {MAX_CONTENT_BYTES} bytes"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(id("u", "alice").is_ok());
        assert!(id("u", "").is_err());
        assert!(id("u", &"x".repeat(65)).is_err());
        assert!(id("u", &"é".repeat(64)).is_ok());
        assert!(id("u", "a\nb").is_err());
    }

    #[test]
    fn text_limits() {
        let text = |s: String| Content::Text { text: s };
        assert_eq!(
            content(&text(String::new()), 0).unwrap_err().code,
            codes::INVALID_REQUEST
        );
        assert!(content(&text("x".repeat(MAX_CONTENT_BYTES)), 0).is_ok());
        assert_eq!(
            content(&text("x".repeat(MAX_CONTENT_BYTES + 1)), 0)
                .unwrap_err()
                .code,
            codes::MESSAGE_TOO_LONG
        );
    }

    #[test]
    fn conversation_ids_and_group_names() {
        assert!(conversation_id("C2Calice").is_ok());
        assert!(conversation_id(crate::SYSTEM_CONVERSATION_ID).is_ok());
        assert!(conversation_id(&format!("C2C{}", "x".repeat(65))).is_err());
        assert!(conversation_id("alice").is_err());
        assert!(conv_group_name(&"n".repeat(MAX_CONV_GROUP_NAME_BYTES)).is_ok());
        let long = conv_group_name(&"n".repeat(MAX_CONV_GROUP_NAME_BYTES + 1));
        assert_eq!(long.unwrap_err().code, codes::CONV_GROUP_NAME_INVALID);
    }
}
