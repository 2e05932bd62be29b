//! The file store (issue 3): chunked, resumable uploads over HTTP, content-addressed blobs
//! ([`blob`]), downloads with ranges, and access for the uploader and the members of the
//! conversations whose committed messages refer to a file (grants: `store::sqlite::files`).
//!
//! Routes (JSON in camelCase; errors `{"code", "message"}`):
//! `POST /files/uploads`, `GET /files/uploads/{id}`, `PUT /files/uploads/{id}/{index}`,
//! `POST /files/uploads/{id}/complete`, `GET /files/{fileID}?tk=`.

pub mod blob;
pub mod cleanup;
mod db;
mod download;
mod error;
pub mod stats;
pub mod token;
mod upload;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, Method};
use axum::routing::{get, post, put};
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

use crate::config::Config;
use crate::epochs::SessionEpochs;
use crate::state::AppState;
use crate::store::sqlite::files::Upload;
use crate::store::StoreError;
use crate::time::now_secs;
pub use blob::{BlobStore, LocalBlobs};
pub use db::FileDb;
pub use error::FileError;

/// Bytes per upload chunk.
pub const CHUNK_SIZE: u64 = 4 * 1024 * 1024;
/// Header carrying the file token on uploads.
pub const TOKEN_HEADER: &str = "x-tim-token";
/// Header carrying a chunk's SHA-256.
pub const CHUNK_HASH_HEADER: &str = "x-chunk-sha256";

/// The file store's state.
pub struct Files {
    db: FileDb,
    blobs: Arc<dyn BlobStore>,
    /// `<data>/uploads`: one temp file per upload session.
    uploads_dir: PathBuf,
    max_size: u64,
    ttl: u64,
    key: String,
    /// Kicks end the tokens minted before them.
    epochs: Arc<SessionEpochs>,
    /// Test counters and fault injection (`/debug/uploads*`).
    pub stats: stats::Stats,
    /// `(upload, chunk)` being written (`u32::MAX`: being completed).
    busy: Mutex<HashSet<(String, u32)>>,
}

impl Files {
    /// Opens the file store under the data dir (after the store has migrated the database).
    pub fn open(config: &Config, epochs: Arc<SessionEpochs>) -> Result<Files, StoreError> {
        let uploads_dir = config.data_dir.join("uploads");
        let blobs_dir = config.data_dir.join("blobs");
        for dir in [&uploads_dir, &blobs_dir] {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        Ok(Files {
            db: FileDb::open(&config.data_dir)?,
            blobs: Arc::new(LocalBlobs::new(blobs_dir)),
            uploads_dir,
            max_size: config.max_file_size,
            ttl: config.upload_ttl.as_secs(),
            key: config.secret_key.clone(),
            epochs,
            stats: stats::Stats::default(),
            busy: Mutex::new(HashSet::new()),
        })
    }

    /// The user a file token names; 401 if missing, forged, expired or minted before the
    /// user's last kick.
    fn user(&self, token: Option<&str>) -> Result<String, FileError> {
        token
            .and_then(|t| token::verify(&self.key, t, now_secs()))
            .filter(|c| c.generation == self.epochs.get(&c.user).generation)
            .map(|c| c.user)
            .ok_or_else(FileError::unauthorized)
    }

    /// `user`'s live upload session `id`; 404 if unknown, expired or someone else's.
    async fn session(&self, id: &str, user: &str) -> Result<Upload, FileError> {
        if !valid_id(id) {
            return Err(FileError::no_upload());
        }
        let id = id.to_owned();
        let found = self
            .db
            .call(move |c| crate::store::sqlite::files::upload(c, &id))
            .await?;
        match found {
            Some(u) if u.user == user && (u.file_id.is_some() || !self.expired(&u)) => Ok(u),
            _ => Err(FileError::no_upload()),
        }
    }

    fn expired(&self, u: &Upload) -> bool {
        u.created + self.ttl <= now_secs()
    }

    fn temp_path(&self, upload_id: &str) -> PathBuf {
        self.uploads_dir.join(format!("{upload_id}.part"))
    }

    /// Marks `(upload, chunk)` busy until the guard drops; `None` if it already is.
    fn claim(self: &Arc<Self>, upload: &str, chunk: u32) -> Option<Busy> {
        let key = (upload.to_owned(), chunk);
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.insert(key.clone()).then(|| Busy(self.clone(), key))
    }

    fn is_busy(&self, upload: &str) -> bool {
        let busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.iter().any(|(u, _)| u == upload)
    }

    /// The uploads directory (the debug sink writes there too).
    pub fn uploads_dir(&self) -> &std::path::Path {
        &self.uploads_dir
    }

    /// Incomplete upload sessions in the database.
    pub async fn open_sessions(&self) -> Result<u64, StoreError> {
        self.db
            .call(|c| crate::store::sqlite::files::open_uploads(c))
            .await
    }

    /// An upload session by ID, whoever owns it (debug endpoints).
    pub async fn upload(&self, id: &str) -> Result<Option<Upload>, StoreError> {
        if !valid_id(id) {
            return Ok(None);
        }
        let id = id.to_owned();
        self.db
            .call(move |c| crate::store::sqlite::files::upload(c, &id))
            .await
    }
}

/// Releases a claimed `(upload, chunk)`.
struct Busy(Arc<Files>, (String, u32));

impl Drop for Busy {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.remove(&self.1);
    }
}

/// IDs of uploads and files: 1 to 64 of `[A-Za-z0-9_-]`, so never a path component.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// 128 random bits as 32 lowercase hex digits: upload and file IDs.
fn random_id() -> Result<String, FileError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| FileError::internal(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The `/files` routes, with the CORS the cross-origin SDK needs.
pub fn routes() -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])
        .allow_headers([
            HeaderName::from_static(TOKEN_HEADER),
            HeaderName::from_static(CHUNK_HASH_HEADER),
            header::CONTENT_TYPE,
            header::RANGE,
        ])
        .expose_headers([
            header::CONTENT_LENGTH,
            header::CONTENT_RANGE,
            header::ACCEPT_RANGES,
        ])
        // Chunk PUTs carry custom headers: let the browser cache the preflight.
        .max_age(std::time::Duration::from_secs(7200));
    Router::new()
        .route("/files/uploads", post(upload::create))
        .route("/files/uploads/{id}", get(upload::status))
        .route(
            "/files/uploads/{id}/{index}",
            // The handler bounds the body itself, while streaming it.
            put(upload::put_chunk).layer(DefaultBodyLimit::disable()),
        )
        .route("/files/uploads/{id}/complete", post(upload::complete))
        .route("/files/{id}", get(download::get))
        .layer(cors)
}
