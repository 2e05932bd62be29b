//! WAL checkpoints off the committer. SQLite's automatic checkpoint runs inside the commit that
//! crosses 1 000 WAL frames, on the committer thread: it copied the frames into the database
//! and synced it before the batch's acks left, an eighth of the committer's time under load.
//! Here a thread of its own checkpoints (PASSIVE: it never blocks the writer) whenever the WAL
//! has grown past that. The WAL restarts from its beginning only at a write that finds every
//! frame copied back, which rarely happens while the writer keeps appending; so past
//! [`INLINE`] frames the committer runs a checkpoint itself, which has little left to copy.

use std::ffi::c_int;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, DEFAULT_NAME};

use crate::store::StoreError;

/// WAL frames (pages) after a commit past which the checkpoint thread is woken (SQLite's
/// automatic checkpoint threshold).
const BACKGROUND: c_int = 1000;
/// WAL frames past which the committer checkpoints inline, so the WAL can restart: it stays
/// around 32 MiB at most.
const INLINE: c_int = 8000;

/// Turns the writer's automatic checkpoints into the background ones above. The thread ends
/// when `writer` is closed.
pub(super) fn install(writer: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("tim-checkpoint".into())
        .spawn(move || {
            while woken.recv().is_ok() {
                if let Err(e) = conn.wal_checkpoint_v2(DEFAULT_NAME, CheckpointMode::PASSIVE) {
                    tracing::warn!("checkpoint: {e}");
                }
            }
        })
        .map_err(|e| StoreError::Backend(format!("cannot start the checkpoint thread: {e}")))?;
    // Replaces SQLite's own hook, which is the automatic checkpoint.
    writer.wal_hook(Some(
        move |wal: &mut rusqlite::hooks::Wal, frames: c_int| {
            if frames >= INLINE {
                // Busy while the thread checkpoints: then the next commit tries again.
                let _ = wal.checkpoint_v2(CheckpointMode::PASSIVE);
            } else if frames >= BACKGROUND {
                let _ = wake.try_send(());
            }
            Ok(())
        },
    ))?;
    Ok(())
}
