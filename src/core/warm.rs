//! Warm start and write-through with the persistent cache (issue 4). The adapter opens the
//! cache right after `login`, before connecting, and hands the core a snapshot
//! ([`Core::load_cache`]): the cached conversations and the newest page of the most recent
//! ones. Until SDK_READY, `getConversationList` and the newest page of `getMessageList` are
//! served from it and `CONVERSATION_LIST_UPDATED` fires with it; the server's list then
//! replaces it as usual (a second `CONVERSATION_LIST_UPDATED`). After every step the adapter
//! takes what the core learned ([`Core::take_cache_writes`]) and writes it in one batch.

use tim_protocol::{ConversationInfo, Message, MAX_HISTORY_PAGE};

use super::*;

/// Receives what the cache must write (see [`Core::take_cache_writes`]).
pub trait CacheSink {
    /// A message stored or changed (never an online-only one: seq 0).
    fn message(&mut self, conv: &str, message: &Message);
    /// A message deleted for good.
    fn deleted(&mut self, conv: &str, seq: u64);
    /// The conversations that follow are the whole list: the cache drops the others.
    fn replace_list(&mut self);
    /// A conversation to store or replace.
    fn conversation(&mut self, info: &ConversationInfo);
    /// Seqs `lo..=hi` of `conv` are known contiguous (with the messages of this batch).
    fn known(&mut self, conv: &str, lo: u64, hi: u64);
    /// The sync cursor reached (with the messages of this batch).
    fn cursor(&mut self, cursor: u64);
    /// The file download token of the login reply.
    fn file_token(&mut self, token: &str);
    /// Sends entering the outbox, and `pos` of those that left it (see `outbox.rs`).
    fn outbox(&mut self, put: Vec<super::cache::OutboxEntry>, removed: Vec<u64>);
}

impl Core {
    /// The cached state of the user logging in (its sync cursor: login catches up from it;
    /// its file token, valid for days: cached file URLs work before the login reply);
    /// ignored once SDK_READY has fired (the server's is newer) or when the cache holds
    /// nothing. From now on pages missing in memory are looked for in the cache.
    pub fn load_cache(
        &mut self,
        conversations: &[ConversationInfo],
        pages: &[(String, Vec<Message>)],
        cursor: u64,
        file_token: String,
    ) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        s.cache_on = true;
        if s.ready || conversations.is_empty() {
            return;
        }
        s.stored_cursor = cursor;
        s.convs.files.token = file_token;
        let before = s.convs.store.written.len();
        s.convs.apply_snapshot(conversations);
        for (conv, page) in pages {
            for m in page {
                s.convs.add_history(conv, m);
            }
        }
        // Read from the cache: nothing to write back.
        s.convs.store.written.truncate(before);
        s.warm = true;
        let list = s.convs.views();
        self.emit(Event::ConversationListUpdated(list));
        if let Some(s) = self.session.as_mut() {
            s.list_dirty = false;
        }
    }

    /// Hands `sink` what to write to the cache since the last call: stored, changed and
    /// deleted messages, then the conversations they touched (the whole list when it changed).
    pub fn take_cache_writes(&mut self, sink: &mut impl CacheSink) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let put = std::mem::take(&mut s.outbox.put);
        let removed = std::mem::take(&mut s.outbox.removed);
        if !put.is_empty() || !removed.is_empty() {
            sink.outbox(put, removed);
        }
        let written = std::mem::take(&mut s.convs.store.written);
        let gone = std::mem::take(&mut s.convs.store.gone);
        for (conv, m) in std::mem::take(&mut s.convs.store.unheld) {
            sink.message(&conv, &m);
        }
        for (conv, lo, hi) in std::mem::take(&mut s.convs.store.learnt) {
            sink.known(&conv, lo, hi);
        }
        // Only once the session stands on the server's state (the batch holds what it covers).
        let cursor = s.cursor.base();
        if cursor != s.cursor_written && matches!(s.link, super::session::Link::Up { .. }) {
            s.cursor_written = cursor;
            sink.cursor(cursor);
        }
        if std::mem::take(&mut s.token_unwritten) {
            sink.file_token(&s.convs.files.token);
        }
        let all = std::mem::take(&mut s.list_dirty);
        let store = &s.convs.store;
        let mut convs: Vec<&str> = Vec::new();
        for id in &written {
            if let (Some((conv, _)), Some(m)) = (store.locate(id), store.get(id)) {
                if m.seq > 0 {
                    sink.message(conv, m);
                    if !convs.contains(&conv) {
                        convs.push(conv);
                    }
                }
            }
        }
        for (conv, seq) in gone {
            sink.deleted(&conv, seq);
        }
        let ids = if all {
            sink.replace_list();
            s.convs.ids()
        } else {
            convs.into_iter().map(str::to_owned).collect()
        };
        for id in ids {
            if let Some(info) = s.convs.info(&id) {
                sink.conversation(&info);
            }
        }
    }

    /// Drops what [`Self::take_cache_writes`] would hand over (no cache to write to).
    pub fn forget_cache_writes(&mut self) {
        if let Some(s) = self.session.as_mut() {
            s.convs.store.written.clear();
            s.convs.store.gone.clear();
            s.convs.store.learnt.clear();
            s.convs.store.unheld.clear();
            s.outbox.put.clear();
            s.outbox.removed.clear();
            s.list_dirty = false;
        }
    }

    /// Before SDK_READY with a warm cache: the lists are served from it.
    pub(super) fn warm_serves_now(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.warm && !s.ready)
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
