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

/// A message as a client submits it.
pub fn outbound(m: &OutboundMessage) -> Result<(), Invalid> {
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
    let info_ok = m.offline_push_info.is_empty()
        || serde_json::from_str::<serde_json::Value>(&m.offline_push_info)
            .is_ok_and(|v| v.is_object());
    if !info_ok {
        return Err(invalid("offlinePushInfo must be a JSON object"));
    }
    content(&m.content, m.cloud_custom_data.len())
}

/// Content limits; `extra` counts bytes stored beside it (cloud custom data).
pub fn content(c: &Content, extra: usize) -> Result<(), Invalid> {
    let size = match c {
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
        // Rich contents are small descriptors of stored files; a merger's inline list is
        // bounded by the same limit (a long one travels as a file, `download_key`).
        Content::Image { .. }
        | Content::File { .. }
        | Content::Video { .. }
        | Content::Sound { .. }
        | Content::Merger { .. } => serde_json::to_string(c).map_or(usize::MAX, |s| s.len()),
    };
    if size + extra > MAX_CONTENT_BYTES {
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
}
