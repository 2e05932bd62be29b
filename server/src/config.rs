//! Server configuration: what `run` needs, independent of how it was obtained (CLI, env, tests).

use std::path::PathBuf;
use std::time::Duration;

/// The development secret key used when none is configured; never use it in production.
pub const DEV_SECRET_KEY: &str = "tim-dev-secret-key-change-me";
/// The default SDKAppID (the placeholder Tencent's own samples use).
pub const DEFAULT_SDKAPPID: u64 = 1_400_000_000;
/// Default revoke window: a sender may revoke a message this long after sending it.
pub const DEFAULT_REVOKE_WINDOW: Duration = Duration::from_secs(120);
/// Default largest uploaded file: 100 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;
/// Default lifetime of an incomplete upload.
pub const DEFAULT_UPLOAD_TTL: Duration = Duration::from_secs(86_400);
/// How long a connection may stay open without logging in.
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a connection has to send a whole request head.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default longest pause within a request body.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Default sockets one user may have logged in at once.
pub const DEFAULT_MAX_SESSIONS_PER_USER: usize = 16;
/// Default interval of handing freed memory back after sockets closed.
pub const DEFAULT_TRIM_INTERVAL: Duration = Duration::from_secs(10);
/// Default administrator identity for the REST API.
pub const DEFAULT_ADMIN: &str = "administrator";

/// Everything the server needs to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Directory holding the SQLite database.
    pub data_dir: PathBuf,
    /// The one SDKAppID this server serves.
    pub sdk_app_id: u64,
    /// Secret key that UserSigs are minted with.
    pub secret_key: String,
    /// Identity allowed to call the REST admin API.
    pub admin: String,
    /// Static files served at `/`.
    pub www_dir: PathBuf,
    /// Static files served at `/pkg/` (the built SDK).
    pub pkg_dir: PathBuf,
    /// Expose `/debug/*` (socket counts, forced drops, UserSig minting).
    pub debug_endpoints: bool,
    /// A connection that sends nothing for this long is closed.
    pub idle_timeout: Duration,
    /// A connection not logged in this long after it opened is closed, whatever it sends
    /// (pings do not extend it), so unauthenticated sockets cannot be held open.
    pub login_timeout: Duration,
    /// How long after sending a sender may revoke a message (whole seconds count).
    pub revoke_window: Duration,
    /// `http://` URL that gets a POST per offline recipient of each new message.
    pub push_webhook: Option<String>,
    /// Largest file accepted for upload, in bytes.
    pub max_file_size: u64,
    /// Incomplete uploads older than this are deleted.
    pub upload_ttl: Duration,
    /// Per-user quotas and rates, and the commit batch.
    pub limits: crate::quota::Limits,
    /// A connection that has not sent a whole request head this long after opening (or after
    /// its previous response) is closed: silent and slowloris connections cannot pile up.
    pub header_timeout: Duration,
    /// A request whose body sends nothing for this long is answered 408 and closed.
    pub body_timeout: Duration,
    /// Open connections (HTTP and WebSocket) beyond which new ones get a 503; `None` derives
    /// it from the file-descriptor limit.
    pub max_connections: Option<usize>,
    /// Logged-in sockets one user may hold; a login beyond is refused (`SESSION_LIMIT`).
    pub max_sessions_per_user: usize,
    /// After sockets have closed, freed heap memory is handed back to the system this often.
    pub trim_interval: Duration,
}

impl Config {
    /// A development configuration storing its data in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            sdk_app_id: DEFAULT_SDKAPPID,
            secret_key: DEV_SECRET_KEY.to_owned(),
            admin: DEFAULT_ADMIN.to_owned(),
            www_dir: PathBuf::from("www"),
            pkg_dir: PathBuf::from("pkg"),
            debug_endpoints: false,
            idle_timeout: Duration::from_secs(90),
            login_timeout: DEFAULT_LOGIN_TIMEOUT,
            revoke_window: DEFAULT_REVOKE_WINDOW,
            push_webhook: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            upload_ttl: DEFAULT_UPLOAD_TTL,
            limits: crate::quota::Limits::default(),
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            max_connections: None,
            max_sessions_per_user: DEFAULT_MAX_SESSIONS_PER_USER,
            trim_interval: DEFAULT_TRIM_INTERVAL,
        }
    }
}
