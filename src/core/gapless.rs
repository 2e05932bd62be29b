//! Gapless getMessageList (issue 4). A page is served from the seqs known contiguous — in
//! this memory first, then in the persistent cache — and only the seqs below the known span
//! that the page still lacks are fetched from the server; what the server returns becomes
//! known, here and in the cache. Seqs are per conversation, so messages delivered while
//! offline and the cached history below them leave a gap that is named and filled, never
//! skipped; a seq is stored once, so nothing is duplicated.

use tim_protocol::{req, Message, Request};

use super::cache::SeqRanges;
use super::requests::JobKind;
use super::session::Session;
use super::sort::sorted_order;
use super::*;

/// Stores a history page of `conv` (deduplicated, in seq order); a change missed meanwhile
/// catches up, since the page is the server's current state.
pub(super) fn absorb<'a>(s: &mut Session, conv: &str, messages: &'a [Message]) -> Vec<&'a Message> {
    // A page read before a clearHistoryMessage committed may answer after its push: what it
    // cleared must not come back (nor into the cache).
    let cleared = s.convs.settings(conv).map_or(0, |c| c.cleared_seq);
    let page: Vec<&Message> = messages
        .iter()
        .filter(|m| m.seq > cleared && m.conversation_id_for(&s.user_id) == conv)
        .filter(|m| !s.convs.store.is_deleted(&m.id))
        .collect();
    let order = sorted_order(page.len(), &|a, b| page[a].seq.cmp(&page[b].seq));
    let mut page: Vec<&Message> = order.into_iter().map(|i| page[i]).collect();
    page.dedup_by_key(|m| m.seq);
    for m in &page {
        s.convs.add_history(conv, m);
        let stale = s
            .convs
            .store
            .get(&m.id)
            .is_some_and(|old| old.version < m.version || (m.revoked && !old.revoked));
        if stale {
            s.convs.change(m);
        }
    }
    page
}

/// The getMessageList answer for `page` (ascending) of `conv` below `before` (`None`: the
/// newest page), with the local messages anchored in it. One builder for the pages served
/// from what is known and those the server sent.
pub(super) fn page_response(
    s: &Session,
    conv: &str,
    page: &[&Message],
    is_completed: bool,
    before: Option<u64>,
) -> Response {
    let views: Vec<MessageView> = page.iter().map(|m| s.convs.message_view(m)).collect();
    let next_req_message_id = views.first().map(|m| m.id.clone()).unwrap_or_default();
    // Local messages anchored before the oldest server message belong to older pages.
    let from = match page.first() {
        _ if is_completed => 0,
        Some(m) => m.seq,
        None => u64::MAX,
    };
    Response::MessageList {
        message_list: super::local::interleave(s, conv, views, from, before),
        next_req_message_id,
        is_completed,
    }
}

impl Core {
    /// getMessageList below `top` (`None`: the newest page); false when nothing of `conv` is
    /// known, so the caller asks the server as before.
    pub(super) fn page_from_known(
        &mut self,
        now: u64,
        op: OpId,
        conv: &str,
        top: Option<u64>,
        count: u32,
    ) -> bool {
        let Some(s) = self.session.as_ref() else {
            return false;
        };
        let newest = top.is_none();
        let Some(top) = top.or_else(|| {
            let seq = s
                .convs
                .last_seq(conv)
                .max(s.convs.store.newest(conv).map_or(0, |m| m.seq));
            (seq > 0).then_some(seq + 1)
        }) else {
            return false;
        };
        let ask = PageAsk {
            op,
            conv: conv.to_owned(),
            top,
            count,
            newest,
            below: 0,
            cached: false,
            fetched: false,
        };
        self.serve_page(now, ask);
        true
    }

    /// Serves `ask` from memory when its known span fills it (or reaches seq 1), else reads
    /// the cache, else fetches from the server exactly what lies below the span.
    fn serve_page(&mut self, now: u64, mut ask: PageAsk) {
        let Some(s) = self.session.as_ref() else {
            return self.complete(
                ask.op,
                Err(SdkError::new(codes::SDK_IS_NOT_READY, "logged out")),
            );
        };
        let count = ask.count as usize;
        let (page, lo, more) = s.convs.store.known_page(&ask.conv, ask.top, count);
        if page.len() < count && lo > 1 && !ask.fetched {
            let limit = (count - page.len()) as u32;
            ask.below = lo;
            if s.cache.on && !ask.cached {
                self.out.push_back(Output::ReadCache {
                    ask,
                    before: lo,
                    limit,
                });
                return;
            }
            let req = Request::History(req::History {
                conversation_id: ask.conv.clone(),
                before_seq: Some(lo),
                count: limit,
            });
            return self.add_call(now, ask.op, JobKind::Fill(ask), req);
        }
        let before = (!ask.newest).then_some(ask.top);
        let mut page = page_response(s, &ask.conv, &page, lo <= 1 && !more, before);
        if ask.newest {
            self.add_unsent(&mut page, &ask.conv);
        }
        self.complete(ask.op, Ok(page));
    }

    /// The answer to [`Output::ReadCache`]: the cached known ranges of the conversation and
    /// its newest `limit` messages below `before`, ascending (both empty without a cache).
    pub fn handle_cache_page(
        &mut self,
        now_ms: u64,
        mut ask: PageAsk,
        before: u64,
        limit: u32,
        ranges: &[(u64, u64)],
        messages: &[Message],
    ) {
        ask.cached = true;
        let span = SeqRanges::from_pairs(ranges.iter().copied()).span_of(before.saturating_sub(1));
        if let (Some(s), Some((lo, _))) = (self.session.as_mut(), span) {
            let mine: Vec<&Message> = messages
                .iter()
                .filter(|m| m.seq >= lo && m.seq < before)
                .collect();
            let mark = s.convs.store.log_mark();
            for m in &mine {
                s.convs.add_history(&ask.conv, m);
            }
            // Read from the cache: nothing to write back.
            s.convs.store.unlog_since(mark);
            // The cache hands the newest `limit` of the span: all of it when fewer.
            let from = match mine.first() {
                Some(m) if mine.len() >= limit as usize => m.seq,
                _ => lo,
            };
            s.convs.store.learn(&ask.conv, from, before - 1, false);
        }
        self.serve_page(now_ms, ask);
    }

    /// The server's page below `ask.below`: stored, known from its oldest seq (from 1 when
    /// complete) up, then the page is served.
    pub(super) fn on_fill(
        &mut self,
        now: u64,
        mut ask: PageAsk,
        messages: &[Message],
        complete: bool,
    ) {
        let before = self.conversation_views();
        let below = ask.below;
        if let Some(s) = self.session.as_mut() {
            let oldest = messages
                .iter()
                .map(|m| m.seq)
                .filter(|&q| q > 0 && q < below)
                .min();
            absorb(s, &ask.conv, messages);
            if let Some(lo) = if complete { Some(1) } else { oldest } {
                s.convs.store.learn(&ask.conv, lo, below - 1, true);
            }
        }
        self.publish(before, false);
        ask.fetched = true;
        self.serve_page(now, ask);
    }
}
