//! The server's input limits (`tim_protocol::validate`, the very checks the server makes), as
//! the fake's failures.

use tim_protocol::validate::{self as limits, Invalid};
use tim_protocol::{codes, Content, OutboundMessage};

use crate::Fail;

fn fail(e: Invalid) -> Fail {
    (e.code, e.message)
}

pub(crate) fn invalid(message: impl Into<String>) -> Fail {
    (codes::INVALID_REQUEST, message.into())
}

pub(crate) fn id(kind: &str, s: &str) -> Result<(), Fail> {
    limits::id(kind, s).map_err(fail)
}

pub(crate) fn conv_group_name(name: &str) -> Result<(), Fail> {
    limits::conv_group_name(name).map_err(fail)
}

pub(crate) fn conv_custom_data(data: &str) -> Result<(), Fail> {
    limits::conv_custom_data(data).map_err(fail)
}

pub(crate) fn outbound(m: &OutboundMessage) -> Result<(), Fail> {
    limits::outbound(m).map_err(fail)
}

pub(crate) fn content(c: &Content, extra: usize) -> Result<(), Fail> {
    limits::content(c, extra).map_err(fail)
}
