//! Text frame → [`ClientFrame`], or the error frame to answer with. The only place that parses.

use serde::Deserialize;
use tim_protocol::{codes, ClientFrame, ReqId, ServerFrame, MAX_FRAME_BYTES};

/// Just the id, to correlate an error for a frame that is otherwise unreadable.
#[derive(Deserialize)]
struct PeekId {
    id: Option<ReqId>,
}

fn peek_id(text: &str) -> Option<ReqId> {
    serde_json::from_str::<PeekId>(text).ok().and_then(|p| p.id)
}

/// Decodes a client text frame.
pub fn decode(text: &str) -> Result<ClientFrame, Box<ServerFrame>> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(Box::new(ServerFrame::Error {
            id: peek_id(text),
            code: codes::FRAME_TOO_LARGE,
            message: format!("frame exceeds {MAX_FRAME_BYTES} bytes"),
        }));
    }
    serde_json::from_str(text).map_err(|e| {
        Box::new(ServerFrame::Error {
            id: peek_id(text),
            code: codes::FRAME_MALFORMED,
            message: format!("malformed frame: {e}"),
        })
    })
}

/// The answer to a binary frame.
pub fn binary_refused() -> ServerFrame {
    ServerFrame::Error {
        id: None,
        code: codes::FRAME_MALFORMED,
        message: "binary frames are not supported".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_protocol::Request;

    fn err(r: Result<ClientFrame, Box<ServerFrame>>) -> (Option<ReqId>, u32) {
        match r.map_err(|e| *e) {
            Err(ServerFrame::Error { id, code, .. }) => (id, code),
            other => panic!("expected error, got {other:?}"),
        }
    }

    #[test]
    fn decodes_requests() {
        let f = decode(r#"{"id":3,"req":{"op":"ping"}}"#).unwrap();
        assert_eq!(
            f,
            ClientFrame {
                id: 3,
                req: Request::Ping
            }
        );
    }

    #[test]
    fn malformed_keeps_id_when_readable() {
        assert_eq!(err(decode("not json")), (None, codes::FRAME_MALFORMED));
        assert_eq!(
            err(decode(r#"{"id":9,"req":{"op":"fly"}}"#)),
            (Some(9), codes::FRAME_MALFORMED)
        );
        assert_eq!(
            err(decode(r#"{"id":"x","req":{"op":"ping"}}"#)),
            (None, codes::FRAME_MALFORMED)
        );
        assert_eq!(err(decode(r#"[1,2]"#)), (None, codes::FRAME_MALFORMED));
    }

    #[test]
    fn oversize() {
        let big = format!(
            r#"{{"id":4,"pad":"{}","req":{{"op":"ping"}}}}"#,
            "x".repeat(MAX_FRAME_BYTES)
        );
        assert_eq!(err(decode(&big)), (Some(4), codes::FRAME_TOO_LARGE));
    }
}
