//! A message's push frames, encoded once per message rather than once per recipient. The
//! recipients' frames differ only in `sync_seq`, which serde writes right after the `op` tag:
//! the rest of the frame is encoded once per view of the message (its sender's, and everyone
//! else's, which differ once it is revoked: [`Message::seen_by`]) and each recipient's cursor
//! is written in front of it. A frame that does not start as expected is encoded whole.

use std::fmt::Write as _;

use axum::extract::ws::Utf8Bytes;
use tim_protocol::{Change, Message, ServerFrame};

use crate::hub::encode;

/// How every push frame starts, up to its `sync_seq` value.
const HEAD: &str = r#"{"op":"push","sync_seq":"#;

/// The push frames of one change of one message.
pub(super) struct PushFrames<'a> {
    message: &'a Message,
    change: Change,
    /// What follows `sync_seq` in the sender's frame and in everyone else's, once encoded
    /// (`Some(None)`: not in the expected shape).
    sender_tail: Option<Option<String>>,
    others_tail: Option<Option<String>>,
}

impl<'a> PushFrames<'a> {
    pub(super) fn new(message: &'a Message, change: Change) -> Self {
        PushFrames {
            message,
            change,
            sender_tail: None,
            others_tail: None,
        }
    }

    /// The frame `user` gets: `Push {sync_seq, message: message.seen_by(user), change}`.
    pub(super) fn for_user(&mut self, user: &str, sync_seq: u64) -> Option<Utf8Bytes> {
        // `seen_by` depends on the viewer only through whether it is the sender.
        let slot = match user == self.message.from {
            true => &mut self.sender_tail,
            false => &mut self.others_tail,
        };
        let (message, change) = (self.message, self.change);
        let frame = |sync_seq| ServerFrame::Push {
            sync_seq,
            message: message.clone().seen_by(user),
            change,
        };
        let tail = slot.get_or_insert_with(|| {
            let text = serde_json::to_string(&frame(0)).ok()?;
            let tail = text.strip_prefix(HEAD)?.strip_prefix('0')?;
            tail.starts_with(',').then(|| tail.to_owned())
        });
        let Some(tail) = tail else {
            return encode(&frame(sync_seq));
        };
        let mut text = String::with_capacity(HEAD.len() + 20 + tail.len());
        text.push_str(HEAD);
        let _ = write!(text, "{sync_seq}");
        text.push_str(tail);
        Some(text.into())
    }
}

#[cfg(test)]
mod tests {
    use tim_protocol::{Content, ConvType, OutboundMessage};

    use super::*;

    #[test]
    fn each_recipient_gets_exactly_the_frame_serde_writes() {
        let sent = OutboundMessage::new(
            ConvType::Group,
            "g",
            "id-1",
            Content::Text {
                text: "a \"quoted\" text\n".into(),
            },
        )
        .committed("alice".into(), 7, 1_700_000_000);
        let revoked = Message {
            revoked: true,
            ..sent.clone()
        };
        for (message, change) in [(sent, Change::New), (revoked, Change::Revoked)] {
            let mut frames = PushFrames::new(&message, change);
            for (user, sync_seq) in [("bob", 1), ("alice", 12), ("carol", u64::MAX), ("bob", 0)] {
                let expected = ServerFrame::Push {
                    sync_seq,
                    message: message.clone().seen_by(user),
                    change,
                };
                let text = frames.for_user(user, sync_seq).unwrap();
                assert_eq!(text.as_str(), serde_json::to_string(&expected).unwrap());
            }
        }
    }
}
