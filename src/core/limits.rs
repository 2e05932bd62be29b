//! The server's input rules, checked before a request is queued (issue 12). A request the
//! server would refuse as invalid or too large is refused here at once: a frame beyond what
//! the server's WebSocket layer reads would drop the connection, and the resend after each
//! reconnect would drop it again, forever. The rules are the server's own
//! (`tim_protocol::validate`, `MAX_FRAME_BYTES`); only those that need no JSON codec run here.

use tim_protocol::validate::{self, Invalid};
use tim_protocol::{codes as server_codes, Content, OutboundMessage, ReqId, Request};

use super::*;

/// What a frame adds around its request's JSON: `{"id":<largest id>,"req":` and `}`.
const FRAME_OVERHEAD: usize = r#"{"id":,"req":}"#.len() + ReqId::MAX.ilog10() as usize + 1;

// The limits the messages below spell out.
const _: () = assert!(tim_protocol::MAX_FRAME_BYTES == 65536);

/// A request over the frame limit, refused before queueing with the server's code for it.
fn frame_too_large() -> SdkError {
    SdkError::new(
        server_codes::FRAME_TOO_LARGE,
        "request exceeds the 65536 byte frame limit",
    )
}

/// A message refused by the server's rules keeps the server's code (80002 too long, 20001
/// invalid): the same answer whether refused here or there.
fn refused(e: Invalid) -> SdkError {
    SdkError::new(e.code, e.message)
}

/// Whether `conv` is a conversation ID the server accepts (IDs of at most 64 characters).
pub(super) fn conversation_id_ok(conv: &str) -> bool {
    validate::conversation_id(conv).is_ok()
}

/// A conversation group name as the server takes it (51011 otherwise, the server's code).
pub(super) fn group_name(name: &str) -> Result<(), SdkError> {
    validate::conv_group_name(name).map_err(refused)
}

/// A conversation's `customData` as the server takes it (20001 otherwise, the server's code).
pub(super) fn custom_data(data: &str) -> Result<(), SdkError> {
    validate::conv_custom_data(data).map_err(refused)
}

/// A message's content (with its cloud custom data) as the server takes it (80002 too long).
pub(super) fn content(c: &Content, cloud_custom_data: &str) -> Result<(), SdkError> {
    validate::inline_content(c, cloud_custom_data.len()).map_err(refused)
}

/// A message as the server's rules take it (the frame aside).
pub(super) fn outbound(m: &OutboundMessage) -> Result<(), SdkError> {
    validate::outbound_shape(m).map_err(refused)
}

impl Core {
    /// Refuses `req` if its frame would exceed the server's frame limit.
    pub(super) fn check_frame(&self, req: &Request) -> Result<(), SdkError> {
        let bytes = (self.config.request_bytes)(req).saturating_add(FRAME_OVERHEAD);
        if bytes > tim_protocol::MAX_FRAME_BYTES {
            return Err(frame_too_large());
        }
        Ok(())
    }

    /// A login as the server takes it: the user ID's rule (20001), the frame limit (60003).
    pub(super) fn check_login(&self, user_id: &str, user_sig: &str) -> Result<(), SdkError> {
        validate::id("userID", user_id).map_err(refused)?;
        self.check_frame(&Request::Login(tim_protocol::req::Login {
            user_id: user_id.to_owned(),
            user_sig: user_sig.to_owned(),
        }))
    }

    /// A message to send, checked by the server's rules and the frame limit.
    pub(super) fn check_outbound(&self, m: &OutboundMessage) -> Result<(), SdkError> {
        outbound(m)?;
        self.check_frame(&Request::Send(tim_protocol::req::Send {
            message: m.clone(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overhead_is_that_of_the_largest_id() {
        assert_eq!(FRAME_OVERHEAD, r#"{"id":4294967295,"req":}"#.len());
    }
}
