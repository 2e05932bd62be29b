//! Frames from the server: answers routed through the request table, pushes, read state,
//! kicks. Every delivery goes through the cursor and the store, so a message arriving twice
//! (push and sync page, or a resent send) is announced and counted once.

use tim_protocol::{codes as server_codes, Change, Message, Reply, Request, ServerFrame, SyncItem};

use super::requests::{Answered, Internal, Job, JobKind};
use super::session::{Link, Stage};
use super::store::Inserted;
use super::*;

fn unexpected() -> SdkError {
    SdkError::new(codes::UNCAUGHT_ERROR, "unexpected answer from the server")
}

/// A server refusal as the call's tim-js-sdk code: revoke → `MESSAGE_REVOKE_FAIL`, delete →
/// `MESSAGE_DELETE_FAIL`, modify conflict → `MESSAGE_MODIFY_CONFLICT`, setAllMessageRead →
/// `MESSAGE_UNREAD_ALL_FAIL`, each with the server's reason; anything else keeps the server's
/// code.
fn refusal(kind: &JobKind, err: SdkError) -> SdkError {
    let code = match kind {
        JobKind::Revoke => codes::MESSAGE_REVOKE_FAIL,
        JobKind::Delete { .. } => codes::MESSAGE_DELETE_FAIL,
        JobKind::ReadAll { .. } => codes::MESSAGE_UNREAD_ALL_FAIL,
        JobKind::Modify { .. } if err.code == server_codes::MODIFY_CONFLICT => {
            codes::MESSAGE_MODIFY_CONFLICT
        }
        _ => err.code,
    };
    SdkError { code, ..err }
}

impl Core {
    pub(super) fn on_frame(&mut self, now: u64, frame: ServerFrame) {
        match frame {
            ServerFrame::Ok { id, data } => match self.requests.answer(id) {
                Some(Answered::Internal(what)) => self.on_internal_reply(now, what, data),
                Some(Answered::Job(job)) => self.on_job_reply(now, *job, data),
                None => {} // late answer to something given up on
            },
            ServerFrame::Error {
                id: Some(id),
                code,
                message,
            } => {
                let err = SdkError::new(code, message);
                match self.requests.answer(id) {
                    Some(Answered::Internal(what)) => self.on_internal_error(now, what, err),
                    Some(Answered::Job(job)) => {
                        let err = refusal(&job.kind, err);
                        self.fail_job(*job, err);
                        self.maybe_sync(now);
                    }
                    None => {}
                }
            }
            ServerFrame::Error {
                id: None,
                code,
                message,
            } => self.emit(Event::Error(SdkError::new(code, message))),
            ServerFrame::Push {
                sync_seq,
                message,
                change,
            } => self.on_push(now, sync_seq, &message, change),
            ServerFrame::PeerRead {
                conversation_id,
                read_seq,
            } => {
                let Some(s) = self.session.as_mut() else {
                    return;
                };
                let read = s.convs.peer_read(&conversation_id, read_seq);
                let views: Vec<MessageView> =
                    read.iter().map(|m| s.convs.message_view(m)).collect();
                if !views.is_empty() && s.ready {
                    self.emit(Event::MessageReadByPeer(views));
                }
            }
            ServerFrame::ConversationState {
                conversation_id,
                hidden,
                pinned,
            } => {
                let before = self.conversation_views();
                if let Some(s) = self.session.as_mut() {
                    s.convs
                        .set_state(&conversation_id, Some(hidden), Some(pinned));
                }
                self.publish(before, false);
            }
            ServerFrame::ConversationSettings {
                conversation_id,
                settings,
            } => self.on_settings_push(&conversation_id, settings),
            ServerFrame::ConvGroups { groups } => self.apply_groups(groups),
            ServerFrame::ReadState {
                conversation_id,
                read_seq,
                unread,
            } => {
                let before = self.conversation_views();
                if let Some(s) = self.session.as_mut() {
                    s.convs.apply_read(&conversation_id, read_seq, unread);
                }
                self.publish(before, false);
            }
            ServerFrame::Receipts {
                conversation_id,
                receipts,
            } => self.on_receipts_push(&conversation_id, &receipts),
            ServerFrame::Kicked { reason } => self.kicked(reason),
            ServerFrame::GroupChanged { group } => {
                self.change_groups(false, super::groups::Change::Put(group))
            }
            ServerFrame::GroupLeft { group_id } => {
                self.change_groups(false, super::groups::Change::Remove(group_id))
            }
        }
    }

    fn on_internal_reply(&mut self, now: u64, what: Internal, data: Reply) {
        match (what, data) {
            (
                Internal::Login,
                Reply::Login {
                    sync_seq,
                    file_token,
                    server_time,
                    ..
                },
            ) => {
                self.learn_clock(now, server_time);
                if let Some(s) = self.session.as_mut() {
                    s.convs.files.token = file_token;
                    s.cache.token_unwritten = true;
                }
                self.on_logged_in(now, sync_seq)
            }
            (Internal::Sync, Reply::Sync { items, complete }) => {
                self.on_sync_page(now, &items, complete)
            }
            (
                Internal::Conversations,
                Reply::Conversations {
                    conversations,
                    groups,
                    ..
                },
            ) => {
                self.apply_groups(groups);
                self.on_conversations(now, &conversations)
            }
            (Internal::GroupList, Reply::Groups { groups }) => self.on_group_list(groups),
            (Internal::Ping, Reply::Pong { server_time }) => self.learn_clock(now, server_time),
            (Internal::Ping, _) => {}
            (what, _) => self.on_internal_error(now, what, unexpected()),
        }
    }

    fn on_internal_error(&mut self, now: u64, what: Internal, err: SdkError) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        match what {
            // A server without groups: the list stays as it is.
            Internal::Ping | Internal::GroupList => {}
            Internal::Login => self.on_login_error(now, err),
            _ if !s.ready => self.fail_first_login(err),
            // A failed catch-up while live: the next gap retries it.
            Internal::Sync if s.conn.link == (Link::Up { stage: Stage::Live }) => {
                self.emit(Event::Error(err))
            }
            _ => self.drop_connection(now),
        }
    }

    fn on_job_reply(&mut self, now: u64, job: Job, data: Reply) {
        let op = job.op;
        match (job.kind, data) {
            (JobKind::Send { message_id }, Reply::Sent { message, sync_seq }) => {
                let op = self.send_done(&message_id, op);
                self.on_sent(now, op, &message, sync_seq)
            }
            (JobKind::Fill(ask), Reply::History { messages, complete }) => {
                self.on_fill(now, ask, &messages, complete)
            }
            (JobKind::History { conv, before }, Reply::History { messages, complete }) => {
                self.on_history(op, &conv, before, &messages, complete)
            }
            (
                JobKind::Read { conv },
                Reply::Read {
                    conversation_id,
                    read_seq,
                    unread,
                },
            ) if conv == conversation_id => {
                self.on_read(&conv, read_seq, unread);
                self.complete(op, Ok(Response::Empty {}));
            }
            (
                JobKind::ReadAll { conv },
                Reply::Read {
                    conversation_id,
                    read_seq,
                    unread,
                },
            ) if conv == conversation_id => {
                self.on_read(&conv, read_seq, unread);
                if !self.requests.has_op(op) {
                    self.complete(op, Ok(Response::Empty {}));
                }
            }
            (JobKind::Revoke | JobKind::Modify { .. }, Reply::Updated { message, sync_seq }) => {
                self.on_updated(now, op, &message, sync_seq)
            }
            (JobKind::Delete { conv, seqs, ids }, Reply::Done) => {
                self.on_deleted(op, &conv, &seqs, &ids);
                self.maybe_sync(now);
            }
            (JobKind::DeleteConversation { conv }, Reply::Done) => {
                self.on_conversation_state(op, conv, Some(true), None, Vec::new())
            }
            (JobKind::DeleteConversations { ids }, Reply::Done) => {
                self.on_batch_deleted(op, job.req, ids)
            }
            (JobKind::Pin { conv, pinned }, Reply::Done) => {
                self.on_conversation_state(op, conv, None, Some(pinned), Vec::new())
            }
            (JobKind::Import, Reply::Imported { messages }) => self.on_imported(op, &messages),
            (JobKind::ReadReceipt, Reply::Receipts { .. }) => {
                self.complete(op, Ok(Response::Empty {}))
            }
            (JobKind::ReceiptList { conv }, Reply::Receipts { receipts }) => {
                let receipts = super::receipts::receipt_views(&conv, &receipts);
                self.complete(op, Ok(Response::ReadReceipts { receipts }))
            }
            (
                JobKind::ReceiptMembers { message_id, read },
                Reply::Members {
                    users,
                    cursor,
                    complete,
                },
            ) => {
                let (read_list, unread_list) = if read {
                    (Some(users), None)
                } else {
                    (None, Some(users))
                };
                self.complete(
                    op,
                    Ok(Response::ReadMembers {
                        is_completed: complete,
                        cursor,
                        message_id,
                        read_user_id_list: read_list,
                        unread_user_id_list: unread_list,
                    }),
                )
            }
            (JobKind::Settings { change, failure }, Reply::Done) => {
                self.on_settings_done(op, change, failure)
            }
            (
                JobKind::Locate {
                    conv,
                    locators,
                    found,
                },
                Reply::History { messages, .. },
            ) => self.on_located(op, &conv, &locators, found, &messages),
            (
                JobKind::Grp {
                    method,
                    group_id,
                    offset,
                },
                data,
            ) => self.on_group_reply(op, method, group_id, offset, data),
            (JobKind::Group { results }, Reply::ConvGroups { groups }) => {
                self.on_group_done(op, results, groups)
            }
            (kind, _) => {
                let job = Job::answered(op, kind);
                self.fail_job(job, unexpected())
            }
        }
    }

    fn on_read(&mut self, conv: &str, read_seq: u64, unread: u32) {
        let before = self.conversation_views();
        if let Some(s) = self.session.as_mut() {
            s.convs.apply_read(conv, read_seq, unread);
        }
        self.publish(before, false);
    }

    /// A hide or pin of ours is committed. `batch`: the conversations of a batch
    /// deleteConversation, resolved by its last job (empty for a single call).
    pub(super) fn on_conversation_state(
        &mut self,
        op: OpId,
        conv: String,
        hidden: Option<bool>,
        pinned: Option<bool>,
        batch: Vec<String>,
    ) {
        let before = self.conversation_views();
        if let Some(s) = self.session.as_mut() {
            s.convs.set_state(&conv, hidden, pinned);
        }
        self.publish(before, false);
        self.settle_batch(op, batch);
    }

    /// Resolves a call once its last job is answered: with `batch` if any, else `{}`.
    pub(super) fn settle_batch(&mut self, op: OpId, batch: Vec<String>) {
        if self.requests.has_op(op) {
            return;
        }
        let response = if batch.is_empty() {
            Response::Empty {}
        } else {
            Response::Names(batch)
        };
        self.complete(op, Ok(response));
    }

    /// Our revoke or modify is committed: the stored message takes its new state.
    fn on_updated(&mut self, now: u64, op: OpId, m: &Message, sync_seq: u64) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        s.cursor.process(sync_seq);
        s.convs.change(m);
        let message = s.convs.message_view(m);
        self.publish(before, false);
        self.complete(op, Ok(Response::Message { message }));
        self.maybe_sync(now);
    }

    pub(super) fn fail_job(&mut self, job: Job, err: SdkError) {
        let mut op = job.op;
        match &job.kind {
            JobKind::Send { message_id } => {
                self.drafts.set_status(message_id, MessageStatus::Fail);
                op = self.send_done(message_id, op);
                return self.fail_showing(op, err, super::commands::FAILED);
            }
            // The current version, when this instance knows it.
            JobKind::Modify { message_id } if err.code == codes::MESSAGE_MODIFY_CONFLICT => {
                let current = self.find_message(message_id).map(Box::new);
                return self.fail_showing(op, err, current.map_or(Shown::Object, Shown::Message));
            }
            // One failed job fails setAllMessageRead or a batch deleteConversation; the
            // others' answers are ignored.
            JobKind::ReadAll { .. } | JobKind::DeleteConversations { .. } => {
                self.requests.remove_op(job.op)
            }
            _ => {}
        }
        self.complete(op, Err(err));
    }

    /// Stores one delivery; returns the view to announce, if it is news to the application.
    fn ingest(&mut self, sync_seq: u64, m: &Message) -> Option<MessageView> {
        let s = self.session.as_mut()?;
        if !s.cursor.process(sync_seq) {
            return None;
        }
        if s.convs.add_message(m, true) == Inserted::Announced {
            return None;
        }
        let own =
            m.from == s.user_id && (s.own_ids.contains(&m.id) || self.requests.has_send(&m.id));
        (!own).then(|| s.convs.message_view(m))
    }

    /// Applies one delivery of a change (revoke, modify, delete); returns the view to
    /// announce when it is news here (not a replay, not this instance's own change).
    fn ingest_change(&mut self, sync_seq: u64, m: &Message, change: Change) -> Option<MessageView> {
        let s = self.session.as_mut()?;
        if !s.cursor.process(sync_seq) {
            return None;
        }
        match change {
            Change::New => None,
            Change::Revoked => {
                let prev = s.convs.change(m);
                s.convs.store.unheld_change(m, prev.is_none(), &s.user_id);
                prev.is_none_or(|p| !p.revoked)
                    .then(|| s.convs.message_view(m))
            }
            Change::Modified => {
                let prev = s.convs.change(m);
                s.convs.store.unheld_change(m, prev.is_none(), &s.user_id);
                prev.is_none_or(|p| p.version < m.version)
                    .then(|| s.convs.message_view(m))
            }
            Change::Deleted => {
                let conv = m.conversation_id_for(&s.user_id);
                s.convs.delete(&conv, &[m.seq], std::slice::from_ref(&m.id));
                None
            }
        }
    }

    /// Announces one batch of deliveries, in the order new, revoked, modified.
    fn announce_changes(&mut self, revoked: Vec<MessageView>, modified: Vec<MessageView>) {
        if !revoked.is_empty() {
            self.emit(Event::MessageRevoked(revoked));
        }
        if !modified.is_empty() {
            self.emit(Event::MessageModified(modified));
        }
    }

    /// MESSAGE_RECEIVED, then GROUP_SYSTEM_NOTICE_RECEIVED for each group system notice.
    fn announce(&mut self, views: Vec<MessageView>) {
        if views.is_empty() {
            return;
        }
        let notices: Vec<MessageView> = views
            .iter()
            .filter(|v| v.conversation_id == tim_protocol::SYSTEM_CONVERSATION_ID)
            .cloned()
            .collect();
        self.emit(Event::MessageReceived(views));
        for notice in notices {
            self.emit(Event::GroupSystemNoticeReceived(notice));
        }
    }

    fn on_push(&mut self, now: u64, sync_seq: u64, m: &Message, change: Change) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if !s.ready {
            // Left for a sync right after SDK_READY: nothing is announced before it.
            s.catch_up = true;
            return;
        }
        if sync_seq == 0 && change == Change::New {
            // onlineUserOnly: announced, never stored or counted (there is nothing to sync).
            if m.from != s.user_id || !s.own_ids.contains(&m.id) {
                let view = s.convs.message_view(m);
                self.emit(Event::MessageReceived(vec![view]));
            }
            return;
        }
        let before = self.conversation_views();
        match change {
            Change::New => {
                let views: Vec<MessageView> = self.ingest(sync_seq, m).into_iter().collect();
                self.announce(views);
            }
            Change::Revoked => {
                let views = self
                    .ingest_change(sync_seq, m, change)
                    .into_iter()
                    .collect();
                self.announce_changes(views, Vec::new());
            }
            _ => {
                let views = self
                    .ingest_change(sync_seq, m, change)
                    .into_iter()
                    .collect();
                self.announce_changes(Vec::new(), views);
            }
        }
        self.publish(before, false);
        self.maybe_sync(now);
    }

    fn on_sync_page(&mut self, now: u64, items: &[SyncItem], complete: bool) {
        let before = self.conversation_views();
        let (mut views, mut revoked, mut modified) = (Vec::new(), Vec::new(), Vec::new());
        for i in items {
            let (list, view) = match i.change {
                Change::New => (&mut views, self.ingest(i.sync_seq, &i.message)),
                Change::Revoked => (
                    &mut revoked,
                    self.ingest_change(i.sync_seq, &i.message, i.change),
                ),
                _ => (
                    &mut modified,
                    self.ingest_change(i.sync_seq, &i.message, i.change),
                ),
            };
            list.extend(view);
        }
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if let Some(last) = items.last() {
            s.cursor.covered_through(last.sync_seq);
        }
        let done = complete || items.is_empty();
        if items.is_empty() {
            // The server has nothing after our cursor: holes we see cannot be filled.
            s.cursor.complete();
        }
        let since = s.cursor.base();
        let (stage, ready) = match s.conn.link {
            Link::Up { stage } => (stage, s.ready),
            _ => return,
        };
        // A warm start's catch-up before SDK_READY is history, as on a first login.
        if ready {
            self.announce(views);
            self.announce_changes(revoked, modified);
        }
        self.publish(before, false);
        if !done {
            self.transmit_sync(now, since);
        } else if stage == Stage::Sync {
            if let Some(s) = self.session.as_mut() {
                s.conn.link = Link::Up {
                    stage: Stage::Conversations,
                };
            }
            self.transmit_internal(now, Internal::Conversations, Request::Conversations);
        } else {
            self.maybe_sync(now);
        }
    }

    /// Asks for missed deliveries when the cursor has a hole that in-flight sends (whose acks
    /// carry their own sync_seq) cannot explain.
    pub(super) fn maybe_sync(&mut self, now: u64) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        if s.conn.link != (Link::Up { stage: Stage::Live })
            || self.requests.internal_pending(Internal::Sync)
        {
            return;
        }
        if s.cursor.missing() > self.requests.sends_in_flight() {
            let since = s.cursor.base();
            self.transmit_sync(now, since);
        }
    }

    fn on_sent(&mut self, now: u64, op: OpId, m: &Message, sync_seq: u64) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if m.seq == 0 {
            // onlineUserOnly: delivered, not stored anywhere, so not kept here either.
            let message = s.convs.message_view(m);
            self.drafts.remove(&m.id);
            return self.complete(op, Ok(Response::Message { message }));
        }
        s.cursor.process(sync_seq);
        s.convs.add_message(m, true);
        s.own_ids.insert(m.id.clone());
        let message = s.convs.message_view(m);
        self.drafts.remove(&m.id);
        self.publish(before, false);
        self.complete(op, Ok(Response::Message { message }));
        self.maybe_sync(now);
    }

    fn on_history(
        &mut self,
        op: OpId,
        conv: &str,
        before_seq: Option<u64>,
        messages: &[Message],
        complete: bool,
    ) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let page = super::gapless::absorb(s, conv, messages);
        let mut page = super::gapless::page_response(s, conv, &page, complete, before_seq);
        if before_seq.is_none() {
            self.add_unsent(&mut page, conv);
        }
        self.publish(before, false);
        self.complete(op, Ok(page));
    }
}
