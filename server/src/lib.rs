//! tim-server: the self-hostable server behind the tim SDK.
//!
//! [`run`] serves, on one listener: the WebSocket endpoint ([`ws`]), the Tencent-shaped admin
//! REST API ([`rest`]), optional debug endpoints ([`debug`]) and the static demo files.
//! Writes go through one committer thread ([`committer`]) that batches them into SQLite
//! transactions ([`store`]) and fans out pushes to sockets ([`hub`]) after each commit.
#![warn(missing_docs)]

pub mod committer;
pub mod config;
mod debug;
pub mod epochs;
pub mod files;
mod http;
pub mod hub;
mod listener;
pub mod push;
pub mod quota;
mod rest;
pub mod state;
pub mod store;
pub mod time;
pub mod trim;
pub use tim_protocol::validate;
mod ws;

use std::future::Future;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use config::Config;
use epochs::SessionEpochs;
use state::{AppState, Shared};
use store::{SqliteStore, Store, StoreError};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Network or thread failure.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Serves on `listener` until `shutdown` resolves, then closes every WebSocket, finishes the
/// queued writes and returns.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    if config.secret_key == config::DEV_SECRET_KEY {
        tracing::warn!(
            "using the development secret key: set --secret-key / TIM_SECRET_KEY in production"
        );
    }
    let store = Arc::new(SqliteStore::open(&config.data_dir)?);
    let readers = store.concurrent_reads();
    let hub = Arc::new(hub::Hub::new(config.max_sessions_per_user));
    let pusher = match config.push_webhook.as_deref() {
        Some(url) => Some(
            push::Pusher::start(url)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
        ),
        None => None,
    };
    let quotas = quota::Quotas::new(&config.limits);
    let epochs = Arc::new(SessionEpochs::new(store.kicked()?));
    let files = Arc::new(files::Files::open(&config, epochs.clone())?);
    let (committer, committer_thread) = committer::start(
        store.clone(),
        hub.clone(),
        pusher,
        config.limits.commit_batch,
    )?;
    let state = AppState::new(Shared {
        config,
        store,
        hub,
        epochs,
        files,
        committer,
        shutdown: CancellationToken::new(),
        sockets: TaskTracker::new(),
        open_sockets: AtomicUsize::new(0),
        quotas,
        readers: Arc::new(Semaphore::new(readers)),
        closed_sockets: AtomicUsize::new(0),
    });
    files::cleanup::spawn(state.files.clone(), state.shutdown.clone());
    trim::spawn(state.clone());
    tracing::info!(addr = ?listener.local_addr().ok(), data_dir = %state.config.data_dir.display(), "tim-server listening");

    let limits = listener::Limits {
        max_connections: (state.config.max_connections)
            .unwrap_or_else(listener::default_max_connections),
        header_timeout: state.config.header_timeout,
    };
    tracing::info!(max_connections = limits.max_connections, "connection cap");
    let token = state.shutdown.clone();
    tokio::spawn(async move {
        shutdown.await;
        token.cancel();
    });
    let router = http::router(state.clone());
    listener::serve(listener, router, limits, state.shutdown.clone()).await;

    // Upgraded connections are not HTTP connections any more: await them here.
    state.sockets.close();
    state.sockets.wait().await;
    drop(state);
    committer_thread.stop().await;
    tracing::info!("tim-server stopped");
    Ok(())
}
