//! Warm start and write-through with the persistent cache (issue 4). The adapter opens the
//! cache right after `login`, before connecting, and hands the core a snapshot
//! ([`Core::load_cache`]): the cached conversations and the newest page of the most recent
//! ones. Until SDK_READY, `getConversationList` and the newest page of `getMessageList` are
//! served from it and `CONVERSATION_LIST_UPDATED` fires with it; the server's list then
//! replaces it as usual (a second `CONVERSATION_LIST_UPDATED`). After every step the adapter
//! takes what the core learned ([`Core::take_cache_writes`]) and writes it in one batch: the
//! rule of what becomes known in the cache is decided here, once, for every store.

use tim_protocol::{ConversationInfo, Message, MAX_HISTORY_PAGE};

use super::cache::{Changes, Snapshot};
use super::store::Writes;
use super::*;

/// The persistent cache's side of a session.
#[derive(Default)]
pub(super) struct CacheState {
    /// Served from the persistent cache until SDK_READY.
    pub(super) warm: bool,
    /// The list changed: the cache rewrites every listed conversation.
    pub(super) list_dirty: bool,
    /// A persistent cache is attached: pages missing here are looked for there first.
    pub(super) on: bool,
    /// The sync cursor the cache stored (0: none): login catches up from it.
    pub(super) stored_cursor: u64,
    /// The cursor last handed to the cache.
    pub(super) cursor_written: u64,
    /// The login reply's file token is not in the cache yet.
    pub(super) token_unwritten: bool,
    /// [`Output::OpenCache`] is not answered yet: the connection waits.
    pub(super) opening: bool,
}

impl Core {
    /// The answer to [`Output::OpenCache`]: what `user_id`'s cache holds (`None`: it cannot be
    /// opened, the SDK runs from memory). Loaded, then the connection opens. Ignored when that
    /// user is no longer logging in.
    pub fn handle_cache_opened(&mut self, now_ms: u64, user_id: &str, held: Option<Snapshot>) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if s.user_id != user_id || !std::mem::take(&mut s.cache.opening) {
            return;
        }
        if let Some(held) = held {
            self.load_cache(
                &held.conversations,
                &held.pages,
                held.cursor,
                held.file_token,
            );
            self.load_outbox(now_ms, held.outbox);
        }
        if let Some(s) = self.session.as_mut() {
            if matches!(s.conn.link, super::session::Link::Connecting { .. }) {
                s.conn.link = super::session::Link::Connecting { since: now_ms };
                self.out.push_back(Output::Connect);
            }
        }
    }

    /// The cached state of the user logging in (its sync cursor: login catches up from it;
    /// its file token, valid for days: cached file URLs work before the login reply);
    /// ignored once SDK_READY has fired (the server's is newer) or when the cache holds
    /// nothing. From now on pages missing in memory are looked for in the cache.
    pub(super) fn load_cache(
        &mut self,
        conversations: &[ConversationInfo],
        pages: &[(String, Vec<Message>)],
        cursor: u64,
        file_token: String,
    ) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        s.cache.on = true;
        if s.ready || conversations.is_empty() {
            return;
        }
        s.cache.stored_cursor = cursor;
        s.convs.files.token = file_token;
        let mark = s.convs.store.log_mark();
        s.convs.apply_snapshot(conversations);
        for (conv, page) in pages {
            for m in page {
                s.convs.add_history(conv, m);
            }
        }
        // Read from the cache: nothing to write back.
        s.convs.store.unlog_since(mark);
        s.cache.warm = true;
        let list = s.convs.views();
        self.emit(Event::ConversationListUpdated(list));
        if let Some(s) = self.session.as_mut() {
            s.cache.list_dirty = false;
        }
    }

    /// What to write to the cache since the last call: stored, changed and deleted messages
    /// (each of their seqs known, as the cache holds them now), the ranges learnt from the
    /// server, then the conversations they touched (the whole list when it changed).
    pub fn take_cache_writes(&mut self) -> Changes {
        let mut c = Changes::default();
        let Some(s) = self.session.as_mut() else {
            return c;
        };
        (c.outbox_put, c.outbox_remove) = s.outbox.take_writes();
        let Writes {
            written,
            gone,
            learnt,
            unheld,
        } = s.convs.store.take_writes();
        c.messages = unheld;
        c.known = learnt;
        // Only once the session stands on the server's state (the batch holds what it covers).
        let cursor = s.cursor.base();
        if cursor != s.cache.cursor_written
            && matches!(s.conn.link, super::session::Link::Up { .. })
        {
            s.cache.cursor_written = cursor;
            c.cursor = Some(cursor);
        }
        if std::mem::take(&mut s.cache.token_unwritten) {
            c.file_token = Some(s.convs.files.token.clone());
        }
        let store = &s.convs.store;
        let mut convs: Vec<&str> = Vec::new();
        for id in &written {
            if let (Some((conv, _)), Some(m)) = (store.locate(id), store.get(id)) {
                if m.seq > 0 {
                    c.messages.push((conv.to_owned(), m.clone()));
                    if !convs.contains(&conv) {
                        convs.push(conv);
                    }
                }
            }
        }
        for (conv, m) in &c.messages {
            c.known.push((conv.clone(), m.seq, m.seq));
        }
        for (conv, seq) in gone {
            c.known.push((conv.clone(), seq, seq));
            c.deleted.push((conv, seq));
        }
        c.replace_conversations = std::mem::take(&mut s.cache.list_dirty);
        let ids = if c.replace_conversations {
            s.convs.ids()
        } else {
            convs.into_iter().map(str::to_owned).collect()
        };
        c.conversations = ids.iter().filter_map(|id| s.convs.info(id)).collect();
        c
    }

    /// Drops what [`Self::take_cache_writes`] would hand over (no cache to write to).
    pub fn forget_cache_writes(&mut self) {
        if let Some(s) = self.session.as_mut() {
            s.convs.store.take_writes();
            s.outbox.take_writes();
            s.cache.list_dirty = false;
        }
    }

    /// Before SDK_READY with a warm cache: the lists are served from it.
    pub(super) fn warm_serves_now(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.cache.warm && !s.ready)
    }

    /// Whether `command` may run before SDK_READY: reading the cached list or newest page.
    pub(super) fn warm_serves(&self, command: &Command) -> bool {
        self.warm_serves_now()
            && match command {
                // A send waits in the outbox until the session is live.
                Command::GetConversationList
                | Command::GetConversationPage { .. }
                | Command::SendMessage(_)
                | Command::SendMessageWith(..) => true,
                Command::GetMessageList {
                    next_req_message_id,
                    ..
                } => next_req_message_id.as_deref().unwrap_or("").is_empty(),
                _ => false,
            }
    }

    /// The newest cached page of `conv`.
    pub(super) fn warm_history(&mut self, op: OpId, conv: &str, count: Option<u32>) {
        let count = count.unwrap_or(MAX_HISTORY_PAGE).clamp(1, MAX_HISTORY_PAGE) as usize;
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let all: Vec<&Message> = s.convs.store.after(conv, 0).collect();
        let page = &all[all.len().saturating_sub(count)..];
        let mut message_list: Vec<MessageView> =
            page.iter().map(|m| s.convs.message_view(m)).collect();
        let next_req_message_id = page.first().map(|m| m.id.clone()).unwrap_or_default();
        message_list.extend(self.unsent_views(conv));
        let page = Response::MessageList {
            next_req_message_id,
            is_completed: page.first().is_none_or(|m| m.seq <= 1),
            message_list,
        };
        self.complete(op, Ok(page));
    }
}
