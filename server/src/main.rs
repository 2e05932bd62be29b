//! `tim-server`: parses the command line and environment, then serves (or mints a UserSig).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use tim_server::config::{
    DEFAULT_ADMIN, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_SESSIONS_PER_USER, DEFAULT_SDKAPPID,
    DEV_SECRET_KEY,
};
use tim_server::quota::{self, Limits};
use tim_server::Config;

/// Self-hostable server for the tim SDK.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    opts: Opts,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the WebSocket endpoint, the REST API and the static files (the default).
    Serve,
    /// Print a UserSig for USERID minted with this server's key and SDKAppID.
    Usersig {
        /// The user ID.
        user_id: String,
        /// Validity in seconds.
        #[arg(long, default_value_t = 180 * 86_400)]
        expire: u64,
    },
}

#[derive(Args)]
struct Opts {
    /// Address to listen on.
    #[arg(
        long,
        env = "TIM_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    listen: SocketAddr,
    /// Directory of the SQLite database.
    #[arg(long, env = "TIM_DATA_DIR", default_value = "./data", global = true)]
    data_dir: PathBuf,
    /// The SDKAppID this server answers to.
    #[arg(long, env = "TIM_SDKAPPID", default_value_t = DEFAULT_SDKAPPID, global = true)]
    sdkappid: u64,
    /// Secret key UserSigs are minted with.
    #[arg(long, env = "TIM_SECRET_KEY", default_value = DEV_SECRET_KEY, hide_default_value = true, global = true)]
    secret_key: String,
    /// Identity allowed to call the REST admin API.
    #[arg(long, env = "TIM_ADMIN", default_value = DEFAULT_ADMIN, global = true)]
    admin: String,
    /// Static files served at `/`.
    #[arg(long, default_value = "./www", global = true)]
    www: PathBuf,
    /// The built SDK, served at `/pkg/`.
    #[arg(long, default_value = "./pkg", global = true)]
    pkg: PathBuf,
    /// Expose /debug/stats, /debug/drop and /debug/usersig (tests and the demo only).
    #[arg(long, env = "TIM_DEBUG_ENDPOINTS", global = true, action = clap::ArgAction::SetTrue, value_parser = clap::builder::BoolishValueParser::new())]
    debug_endpoints: bool,
    /// Seconds after sending during which a sender may revoke a message.
    #[arg(
        long,
        env = "TIM_REVOKE_WINDOW",
        default_value_t = 120,
        value_name = "SECS",
        global = true
    )]
    revoke_window: u64,
    /// http:// URL POSTed a JSON body for each offline recipient of a new message
    /// (offline push: plug in a push provider here).
    #[arg(long, env = "TIM_PUSH_WEBHOOK", value_name = "URL", global = true)]
    push_webhook: Option<String>,
    /// Largest file accepted for upload, in bytes.
    #[arg(long, env = "TIM_MAX_FILE_SIZE", default_value_t = DEFAULT_MAX_FILE_SIZE, value_name = "BYTES", global = true)]
    max_file_size: u64,
    /// Seconds after which an incomplete upload is deleted.
    #[arg(
        long,
        env = "TIM_UPLOAD_TTL",
        default_value_t = 86_400,
        value_name = "SECS",
        global = true
    )]
    upload_ttl: u64,
    /// Messages a user may send per second, sustained (0: unlimited).
    #[arg(long, env = "TIM_MSG_RATE", default_value_t = quota::DEFAULT_MSG_PER_SEC, value_name = "N", global = true)]
    msg_rate: u32,
    /// Messages a user may send at once before --msg-rate applies.
    #[arg(long, env = "TIM_MSG_BURST", default_value_t = quota::DEFAULT_MSG_BURST, value_name = "N", global = true)]
    msg_burst: u32,
    /// New conversations with unknown peers a user may open per minute (0: unlimited).
    #[arg(long, env = "TIM_UNKNOWN_PEERS_PER_MIN", default_value_t = Limits::default().unknown_peers_per_min, value_name = "N", global = true)]
    unknown_peers_per_min: u32,
    /// New conversations with unknown peers a user may open at once.
    #[arg(long, env = "TIM_UNKNOWN_PEER_BURST", default_value_t = Limits::default().unknown_peer_burst, value_name = "N", global = true)]
    unknown_peer_burst: u32,
    /// Incomplete upload sessions a user may hold.
    #[arg(long, env = "TIM_MAX_OPEN_UPLOADS", default_value_t = Limits::default().max_open_uploads, value_name = "N", global = true)]
    max_open_uploads: u32,
    /// Total declared size of a user's incomplete uploads, in bytes.
    #[arg(long, env = "TIM_MAX_UPLOAD_BYTES", default_value_t = Limits::default().max_upload_bytes, value_name = "BYTES", global = true)]
    max_upload_bytes: u64,
    /// Chunk PUTs of one user in progress at once (0: unlimited).
    #[arg(long, env = "TIM_MAX_CHUNK_PUTS", default_value_t = Limits::default().max_chunk_puts, value_name = "N", global = true)]
    max_chunk_puts: u32,
    /// Seconds a connection has to send a whole request head (silent and slowloris clients
    /// are closed after it).
    #[arg(
        long,
        env = "TIM_HEADER_TIMEOUT",
        default_value_t = 10,
        value_name = "SECS",
        global = true
    )]
    header_timeout: u64,
    /// Longest pause, in seconds, within a request body (an upload chunk) before it is
    /// answered 408.
    #[arg(
        long,
        env = "TIM_BODY_TIMEOUT",
        default_value_t = 30,
        value_name = "SECS",
        global = true
    )]
    body_timeout: u64,
    /// Open connections beyond which new ones get a 503 [default: the file-descriptor limit
    /// less an eighth].
    #[arg(long, env = "TIM_MAX_CONNECTIONS", value_name = "N", global = true)]
    max_connections: Option<usize>,
    /// Logged-in sockets one user may hold at once.
    #[arg(long, env = "TIM_MAX_SESSIONS_PER_USER", default_value_t = DEFAULT_MAX_SESSIONS_PER_USER, value_name = "N", global = true)]
    max_sessions_per_user: usize,
}

impl Opts {
    fn config(self) -> Config {
        Config {
            data_dir: self.data_dir,
            sdk_app_id: self.sdkappid,
            secret_key: self.secret_key,
            admin: self.admin,
            www_dir: self.www,
            pkg_dir: self.pkg,
            debug_endpoints: self.debug_endpoints,
            idle_timeout: Duration::from_secs(90),
            login_timeout: tim_server::config::DEFAULT_LOGIN_TIMEOUT,
            revoke_window: Duration::from_secs(self.revoke_window),
            push_webhook: self.push_webhook.filter(|u| !u.is_empty()),
            max_file_size: self.max_file_size,
            upload_ttl: Duration::from_secs(self.upload_ttl.max(1)),
            limits: Limits {
                msg_per_sec: self.msg_rate,
                msg_burst: self.msg_burst,
                unknown_peers_per_min: self.unknown_peers_per_min,
                unknown_peer_burst: self.unknown_peer_burst,
                max_open_uploads: self.max_open_uploads,
                max_upload_bytes: self.max_upload_bytes,
                max_chunk_puts: self.max_chunk_puts,
                ..Limits::default()
            },
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            body_timeout: Duration::from_secs(self.body_timeout.max(1)),
            max_connections: self.max_connections,
            max_sessions_per_user: self.max_sessions_per_user.max(1),
            trim_interval: tim_server::config::DEFAULT_TRIM_INTERVAL,
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

/// Blocking-pool threads at most. Store reads take at most `Store::concurrent_reads` of them; the rest
/// serve file I/O. Tokio's default (512) let a reconnect storm grow the server to hundreds of
/// threads.
const MAX_BLOCKING_THREADS: usize = 32;

fn main() -> std::process::ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .on_thread_park(tim_server::trim::on_thread_park)
        .build()
    {
        Ok(runtime) => runtime.block_on(cli()),
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Raises the soft file-descriptor limit to the hard one: every socket is a descriptor, and
/// the default soft limit (often 1024) would cap the server far below what it can serve.
fn raise_fd_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!("file descriptor limit: {limit}"),
        Err(e) => tracing::warn!("cannot raise the file descriptor limit: {e}"),
    }
}

async fn cli() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tim_server=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let listen = cli.opts.listen;
    let config = cli.opts.config();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Usersig { user_id, expire } => {
            if config.secret_key == DEV_SECRET_KEY {
                eprintln!("warning: minting with the development secret key");
            }
            let now = tim_server::time::now_secs();
            println!(
                "{}",
                tim_protocol::usersig::generate(
                    config.sdk_app_id,
                    &config.secret_key,
                    &user_id,
                    expire,
                    now
                )
            );
            std::process::ExitCode::SUCCESS
        }
        Command::Serve => {
            raise_fd_limit();
            let listener = match tokio::net::TcpListener::bind(listen).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::error!("cannot listen on {listen}: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            match tim_server::run(listener, config, shutdown_signal()).await {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!("{e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
    }
}
