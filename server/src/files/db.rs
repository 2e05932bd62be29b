//! The file store's own SQLite connection (WAL lets it sit beside the committer's; writes wait
//! for each other through the busy timeout). Upload bookkeeping is small and infrequent (one
//! row per 4 MiB chunk), so it does not go through the message committer.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

use crate::store::StoreError;

/// A shared connection, used off the async threads.
#[derive(Clone)]
pub struct FileDb(Arc<Mutex<Connection>>);

impl FileDb {
    /// Opens `tim.sqlite` in `data_dir` (already created and migrated by the store).
    pub fn open(data_dir: &Path) -> Result<FileDb, StoreError> {
        let conn = Connection::open(data_dir.join("tim.sqlite"))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // NORMAL: a chunk row lost in a power cut only costs a re-upload, and one that outlives
        // its unsynced bytes is caught by the hash check at completion. Completion itself
        // commits with FULL.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(FileDb(Arc::new(Mutex::new(conn))))
    }

    /// Runs `f` on the connection in a blocking task.
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db
                .lock()
                .map_err(|_| StoreError::Backend("file db connection poisoned".into()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("file db task failed: {e}")))?
    }
}
