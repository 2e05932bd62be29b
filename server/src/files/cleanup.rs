//! The background task deleting upload sessions older than `--upload-ttl` (incomplete ones
//! with their temp file; complete ones are only bookkeeping) and temp files left without a
//! session (a crash between creating the file and recording the session).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio_util::sync::CancellationToken;

use super::{valid_id, Files};
use crate::store::sqlite::files as sql;
use crate::store::StoreError;
use crate::time::now_secs;

/// Sweeps every quarter TTL (between 1 s and 5 min) until `shutdown`.
pub fn spawn(files: Arc<Files>, shutdown: CancellationToken) {
    let every = Duration::from_secs((files.ttl / 4).clamp(1, 300));
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(every) => {}
            }
            match sweep(&files).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "expired uploads deleted"),
                Err(e) => tracing::warn!("upload cleanup failed: {e}"),
            }
        }
    });
}

/// One sweep; returns how many sessions it deleted.
pub async fn sweep(files: &Arc<Files>) -> Result<usize, StoreError> {
    sweep_at(files, now_secs()).await
}

/// One sweep as if the clock read `now` (seconds since the epoch): what [`sweep`] does, with
/// the clock injected so that tests (`POST /debug/upload-sweep`) need not wait out the TTL.
pub async fn sweep_at(files: &Arc<Files>, now: u64) -> Result<usize, StoreError> {
    let before = now.saturating_sub(files.ttl);
    let expired = files.db.call(move |c| sql::expired(c, before)).await?;
    let mut deleted = 0;
    for (id, complete) in expired {
        if files.is_busy(&id) {
            continue;
        }
        if !complete {
            match tokio::fs::remove_file(files.temp_path(&id)).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(upload = %id, "cannot delete upload temp file: {e}");
                    continue;
                }
            }
        }
        files.stats.forget(&id);
        let row = id.clone();
        files.db.call(move |c| sql::delete_upload(c, &row)).await?;
        deleted += 1;
    }
    orphans(files, UNIX_EPOCH + Duration::from_secs(now)).await?;
    Ok(deleted)
}

/// Deletes `.part` files older than the TTL at `now` that no session names.
async fn orphans(files: &Arc<Files>, now: SystemTime) -> Result<(), StoreError> {
    let ttl = Duration::from_secs(files.ttl);
    let Ok(mut dir) = tokio::fs::read_dir(&files.uploads_dir).await else {
        return Ok(());
    };
    while let Ok(Some(entry)) = dir.next_entry().await {
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".part")) else {
            continue;
        };
        let old = entry
            .metadata()
            .await
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > ttl);
        if !old || !valid_id(id) || files.is_busy(id) {
            continue;
        }
        let row = id.to_owned();
        if files
            .db
            .call(move |c| sql::upload(c, &row))
            .await?
            .is_none()
        {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
    Ok(())
}
