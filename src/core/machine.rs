//! The state machine. (Interface fixed; bodies are being written.)

use tim_protocol::ServerFrame;

use super::*;

/// One SDK instance's state. See the module docs for the driving loop.
pub struct Core {
    config: Config,
}

impl Core {
    /// A logged-out instance.
    pub fn new(config: Config) -> Core {
        Core { config }
    }

    /// `createTextMessage` & co.: validates options and returns a Message with status `unSend`.
    /// Synchronous: needs no network. `now_ms` is wall-clock milliseconds since the Unix epoch.
    pub fn create_message(&mut self, kind: MessageKind, options: CreateMessageOptions, now_ms: u64) -> Result<MessageView, SdkError> {
        let _ = (kind, options, now_ms, &self.config);
        Err(SdkError::new(codes::INVALID_OPERATION, "not yet"))
    }

    /// An API call; its result comes out later as [`Output::Complete`] with the same `op`.
    pub fn handle_command(&mut self, now_ms: u64, op: OpId, command: Command) {
        let _ = (now_ms, op, command);
    }

    /// A frame decoded from the socket.
    pub fn handle_frame(&mut self, now_ms: u64, frame: ServerFrame) {
        let _ = (now_ms, frame);
    }

    /// The socket asked for by [`Output::Connect`] is open.
    pub fn handle_connected(&mut self, now_ms: u64) {
        let _ = now_ms;
    }

    /// The socket failed to open or closed without being asked to.
    pub fn handle_disconnected(&mut self, now_ms: u64) {
        let _ = now_ms;
    }

    /// The timer armed for [`Core::poll_timeout`] fired.
    pub fn handle_timeout(&mut self, now_ms: u64) {
        let _ = now_ms;
    }

    /// The next thing to do, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        None
    }

    /// When `handle_timeout` must be called next (same clock as `now_ms`), if ever.
    pub fn poll_timeout(&self) -> Option<u64> {
        None
    }

    /// The logged-in (or logging-in) user.
    pub fn user_id(&self) -> Option<&str> {
        None
    }
}
