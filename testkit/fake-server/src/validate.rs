//! The server's input limits (`server/src/validate.rs`), checked before anything is stored.

use tim_protocol::{codes, Content, ConvType, OutboundMessage};

use crate::Fail;

const MAX_ID_CHARS: usize = 64;
const MAX_MSG_ID_BYTES: usize = 128;
const MAX_CONTENT_BYTES: usize = 12 * 1024;
const MAX_PUSH_INFO_BYTES: usize = 4 * 1024;
const MAX_AT_USERS: usize = 30;

pub(crate) fn invalid(message: impl Into<String>) -> Fail {
    (codes::INVALID_REQUEST, message.into())
}

/// A user or group ID: non-empty, at most 64 characters, no control characters.
pub(crate) fn id(kind: &str, s: &str) -> Result<(), Fail> {
    if s.is_empty() || s.chars().count() > MAX_ID_CHARS || s.chars().any(char::is_control) {
        return Err(invalid(format!(
            "{kind} must be 1 to {MAX_ID_CHARS} printable characters"
        )));
    }
    Ok(())
}

/// A message as a client submits it.
pub(crate) fn outbound(m: &OutboundMessage) -> Result<(), Fail> {
    if m.id.is_empty() || m.id.len() > MAX_MSG_ID_BYTES || m.id.chars().any(char::is_control) {
        return Err(invalid("message id must be 1 to 128 printable bytes"));
    }
    id("to", &m.to)?;
    if m.conv_type == ConvType::System {
        return Err(invalid("the system conversation takes no messages"));
    }
    if m.priority.len() > 16 {
        return Err(invalid("priority is too long"));
    }
    if m.at_user_list.len() > MAX_AT_USERS {
        return Err(invalid("too many users mentioned"));
    }
    for u in &m.at_user_list {
        id("atUserList entry", u)?;
    }
    if m.offline_push_info.len() > MAX_PUSH_INFO_BYTES {
        return Err(invalid("offlinePushInfo is too large"));
    }
    // The server parses it as JSON; the fake accepts what looks like an object.
    let info = m.offline_push_info.trim();
    if !(info.is_empty() || info.starts_with('{') && info.ends_with('}')) {
        return Err(invalid("offlinePushInfo must be a JSON object"));
    }
    content(&m.content, m.cloud_custom_data.len())
}

/// Content limits; `extra` counts bytes stored beside it (cloud custom data).
pub(crate) fn content(c: &Content, extra: usize) -> Result<(), Fail> {
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
        // Rich contents: the server measures their JSON; the fake does not model files
        // (uploads and grants are HTTP), so it only bounds what it can count cheaply.
        Content::Image { .. }
        | Content::File { .. }
        | Content::Video { .. }
        | Content::Sound { .. }
        | Content::Merger { .. } => 0,
    };
    if size + extra > MAX_CONTENT_BYTES {
        return Err((
            codes::MESSAGE_TOO_LONG,
            "message content is too long".to_owned(),
        ));
    }
    Ok(())
}
