//! Where finished files live: behind [`BlobStore`] so an S3-compatible backend can replace
//! the local disk. Blobs are content-addressed by their lowercase hex SHA-256; the keys come
//! from the server's own hashing, never from a request.

use std::io::{self, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::pin::Pin;

use tokio::io::{AsyncRead, AsyncReadExt};

/// A byte range of a blob, read asynchronously.
pub type BlobReader = Pin<Box<dyn AsyncRead + Send + Sync>>;

/// Storage of finished files. Methods block (call them off the async threads).
pub trait BlobStore: Send + Sync + 'static {
    /// Takes the finished upload at `temp` (whose SHA-256 is `key`) into the store, consuming
    /// the file; if the blob exists already, `temp` is just removed (deduplication).
    fn put(&self, temp: &Path, key: &str) -> io::Result<()>;
    /// `len` bytes of blob `key` from `start`; `NotFound` if there is no such blob.
    fn open(&self, key: &str, start: u64, len: u64) -> io::Result<BlobReader>;
}

/// Blobs as files on local disk: `<root>/<first 2 hex>/<other 62 hex>`.
pub struct LocalBlobs {
    root: PathBuf,
}

impl LocalBlobs {
    /// A store under `root` (created on demand).
    pub fn new(root: PathBuf) -> LocalBlobs {
        LocalBlobs { root }
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        // Keys are our own hashes; refuse anything else rather than build a path from it.
        if key.len() != 64 || !key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad blob key"));
        }
        Ok(self.root.join(&key[..2]).join(&key[2..]))
    }
}

impl BlobStore for LocalBlobs {
    fn put(&self, temp: &Path, key: &str) -> io::Result<()> {
        let path = self.path(key)?;
        if path.exists() {
            return std::fs::remove_file(temp);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Same file system (both under the data dir): an atomic rename.
        std::fs::rename(temp, &path)
    }

    fn open(&self, key: &str, start: u64, len: u64) -> io::Result<BlobReader> {
        let mut file = std::fs::File::open(self.path(key)?)?;
        file.seek(SeekFrom::Start(start))?;
        Ok(Box::pin(tokio::fs::File::from_std(file).take(len)))
    }
}
