//! State shared by every request: a cheap `Clone` handle around one `Arc`.

use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::committer::Committer;
use crate::config::Config;
use crate::epochs::SessionEpochs;
use crate::files::Files;
use crate::hub::Hub;
use crate::store::{Store, StoreError};

/// The shared state.
pub struct Shared {
    /// Configuration.
    pub config: Config,
    /// Storage, for reads (writes go through the committer).
    pub store: Arc<dyn Store>,
    /// Logged-in sockets.
    pub hub: Arc<Hub>,
    /// What kicks revoked (UserSigs, file tokens).
    pub epochs: Arc<SessionEpochs>,
    /// The file store.
    pub files: Arc<Files>,
    /// The write path.
    pub committer: Committer,
    /// Cancelled when the server shuts down; WebSocket tasks watch it.
    pub shutdown: CancellationToken,
    /// WebSocket tasks, awaited on shutdown (axum does not track upgraded connections).
    pub sockets: TaskTracker,
    /// Live WebSocket connections.
    pub open_sockets: AtomicUsize,
    /// Per-user quotas and rates.
    pub quotas: crate::quota::Quotas,
    /// Store reads running at once (`Store::concurrent_reads`; a reconnect storm's syncs grew
    /// the server to hundreds of threads); the rest wait their turn without a thread.
    pub readers: Arc<Semaphore>,
    /// WebSocket connections closed since start (the heap is trimmed after closes).
    pub closed_sockets: AtomicUsize,
}

/// Handle to the shared state.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// Wraps the shared state.
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }

    /// Runs a blocking store read off the async threads.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        let permit = (self.readers.clone().acquire_owned().await)
            .map_err(|_| StoreError::Backend("reads closed".into()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit; // held until the read ends, even if the caller went away
            f(&*store)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("read task failed: {e}")))?
    }

    /// Counts a WebSocket as open until the returned guard drops.
    pub fn socket_guard(&self) -> SocketGuard {
        self.open_sockets.fetch_add(1, Ordering::SeqCst);
        SocketGuard(self.clone())
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Decrements the open-socket count however the connection task ends.
pub struct SocketGuard(AppState);

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.0.open_sockets.fetch_sub(1, Ordering::SeqCst);
        self.0.closed_sockets.fetch_add(1, Ordering::Relaxed);
    }
}
