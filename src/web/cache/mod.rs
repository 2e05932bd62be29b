//! The browser's message cache: [`IdbStore`] (IndexedDB, one database per app and user) behind
//! [`WebCache`], which falls back to a [`MemoryStore`] when IndexedDB cannot be opened or
//! disappears for good, and records a warning for the SDK to emit. The SDK never fails
//! because of its cache.

mod idb_store;
mod records;

use std::cell::RefCell;
use std::rc::Rc;

pub use idb_store::IdbStore;

use crate::core::cache::{
    CacheError, CacheStore, Caps, Changes, MemoryStore, OutboxEntry, SeqRanges,
};
use tim_protocol::{ConversationInfo, Message};

/// Why the cache fell back to memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheWarning {
    /// IndexedDB could not be opened (unavailable, private mode, blocked or newer schema).
    OpenFailed,
    /// The database went away during use and could not be reopened.
    Lost,
}

/// IndexedDB when possible, memory otherwise.
pub struct WebCache {
    idb: RefCell<Option<Rc<IdbStore>>>,
    memory: MemoryStore,
    warnings: RefCell<Vec<CacheWarning>>,
}

impl WebCache {
    /// Opens database `name`; on failure the cache lives in memory (see [`Self::take_warnings`]).
    pub async fn open(name: &str, caps: Caps) -> WebCache {
        let (idb, warnings) = match IdbStore::open(name, caps).await {
            Ok(store) => (Some(Rc::new(store)), vec![]),
            Err(_) => (None, vec![CacheWarning::OpenFailed]),
        };
        WebCache {
            idb: RefCell::new(idb),
            memory: MemoryStore::new(caps),
            warnings: RefCell::new(warnings),
        }
    }

    /// True while backed by IndexedDB.
    pub fn persistent(&self) -> bool {
        self.idb.borrow().is_some()
    }

    /// The IndexedDB store, while there is one.
    pub fn idb(&self) -> Option<Rc<IdbStore>> {
        self.idb.borrow().clone()
    }

    /// Warnings since the last call, oldest first.
    pub fn take_warnings(&self) -> Vec<CacheWarning> {
        std::mem::take(&mut *self.warnings.borrow_mut())
    }

    /// Runs `op` on IndexedDB, or on memory when there is none or it is gone for good.
    async fn run<T, F, G>(&self, on_idb: F, on_memory: G) -> Result<T, CacheError>
    where
        F: AsyncFnOnce(&IdbStore) -> Result<T, CacheError>,
        G: AsyncFnOnce(&MemoryStore) -> Result<T, CacheError>,
    {
        let idb = self.idb.borrow().clone();
        if let Some(idb) = idb {
            match on_idb(&idb).await {
                Err(CacheError::Unavailable) => {
                    self.idb.borrow_mut().take();
                    self.warnings.borrow_mut().push(CacheWarning::Lost);
                }
                other => return other,
            }
        }
        on_memory(&self.memory).await
    }
}

impl CacheStore for WebCache {
    async fn apply(&self, c: &Changes) -> Result<(), CacheError> {
        self.run(async |s| s.apply(c).await, async |s| s.apply(c).await)
            .await
    }

    async fn newest(
        &self,
        conv: &str,
        before: u64,
        limit: u32,
    ) -> Result<Vec<Message>, CacheError> {
        self.run(
            async |s| s.newest(conv, before, limit).await,
            async |s| s.newest(conv, before, limit).await,
        )
        .await
    }

    async fn conversations(&self) -> Result<Vec<ConversationInfo>, CacheError> {
        self.run(
            async |s| s.conversations().await,
            async |s| s.conversations().await,
        )
        .await
    }

    async fn ranges(&self, conv: &str) -> Result<SeqRanges, CacheError> {
        self.run(
            async |s| s.ranges(conv).await,
            async |s| s.ranges(conv).await,
        )
        .await
    }

    async fn cursor(&self) -> Result<u64, CacheError> {
        self.run(async |s| s.cursor().await, async |s| s.cursor().await)
            .await
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, CacheError> {
        self.run(async |s| s.outbox().await, async |s| s.outbox().await)
            .await
    }

    async fn count(&self, conv: Option<&str>) -> Result<u32, CacheError> {
        self.run(async |s| s.count(conv).await, async |s| s.count(conv).await)
            .await
    }

    async fn clear(&self) -> Result<(), CacheError> {
        self.run(async |s| s.clear().await, async |s| s.clear().await)
            .await
    }
}
