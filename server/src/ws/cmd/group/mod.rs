//! IM-group commands (createGroup, joinGroup, …): one file per command below this module.

use tim_protocol::{codes, ReqId, Request};

use super::{CmdResult, ReqError};
use crate::ws::session::Session;

/// Runs one group request.
pub async fn run(_s: &mut Session, _id: ReqId, _req: Request) -> CmdResult {
    Err(ReqError::new(
        codes::INVALID_REQUEST,
        "groups are not served yet",
    ))
}
