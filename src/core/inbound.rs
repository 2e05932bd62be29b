//! Frames from the server: answers routed through the request table, pushes, read state,
//! kicks. Every delivery goes through the cursor and the store, so a message arriving twice
//! (push and sync page, or a resent send) is announced and counted once.

use tim_protocol::{Message, Reply, Request, ServerFrame, SyncItem};

use super::requests::{Answered, Internal, Job, JobKind};
use super::session::{Link, Stage};
use super::store::Inserted;
use super::views::message_view;
use super::*;

fn unexpected() -> SdkError {
    SdkError::new(codes::UNCAUGHT_ERROR, "unexpected answer from the server")
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
            ServerFrame::Push { sync_seq, message } => self.on_push(now, sync_seq, &message),
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
            ServerFrame::Kicked { reason } => self.kicked(reason),
        }
    }

    fn on_internal_reply(&mut self, now: u64, what: Internal, data: Reply) {
        match (what, data) {
            (Internal::Login, Reply::Login { sync_seq, .. }) => self.on_logged_in(now, sync_seq),
            (Internal::Sync, Reply::Sync { items, complete }) => {
                self.on_sync_page(now, &items, complete)
            }
            (Internal::Conversations, Reply::Conversations { conversations, .. }) => {
                self.on_conversations(now, &conversations)
            }
            (Internal::Ping, _) => {}
            (what, _) => self.on_internal_error(now, what, unexpected()),
        }
    }

    fn on_internal_error(&mut self, now: u64, what: Internal, err: SdkError) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        match what {
            Internal::Ping => {}
            Internal::Login => self.on_login_error(now, err),
            _ if !s.ready => self.fail_first_login(err),
            // A failed catch-up while live: the next gap retries it.
            Internal::Sync if s.link == (Link::Up { stage: Stage::Live }) => {
                self.emit(Event::Error(err))
            }
            _ => self.drop_connection(now),
        }
    }

    fn on_job_reply(&mut self, now: u64, job: Job, data: Reply) {
        match (&job.kind, data) {
            (JobKind::Send { .. }, Reply::Sent { message, sync_seq }) => {
                self.on_sent(now, job.op, &message, sync_seq)
            }
            (JobKind::History { conv }, Reply::History { messages, complete }) => {
                self.on_history(job.op, conv, &messages, complete)
            }
            (
                JobKind::Read { conv },
                Reply::Read {
                    conversation_id,
                    read_seq,
                    unread,
                },
            ) if *conv == conversation_id => {
                let before = self.conversation_views();
                if let Some(s) = self.session.as_mut() {
                    s.convs.apply_read(conv, read_seq, unread);
                }
                self.publish(before, false);
                self.complete(job.op, Ok(Response::Empty {}));
            }
            _ => self.fail_job(job, unexpected()),
        }
    }

    pub(super) fn fail_job(&mut self, job: Job, err: SdkError) {
        if let JobKind::Send { message_id } = &job.kind {
            self.drafts.set_status(message_id, "fail");
        }
        self.complete(job.op, Err(err));
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
        (!own).then(|| message_view(m, &s.user_id))
    }

    fn announce(&mut self, views: Vec<MessageView>) {
        if !views.is_empty() {
            self.emit(Event::MessageReceived(views));
        }
    }

    fn on_push(&mut self, now: u64, sync_seq: u64, m: &Message) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if !s.ready {
            // Left for a sync right after SDK_READY: nothing is announced before it.
            s.catch_up = true;
            return;
        }
        let before = self.conversation_views();
        let views: Vec<MessageView> = self.ingest(sync_seq, m).into_iter().collect();
        self.announce(views);
        self.publish(before, false);
        self.maybe_sync(now);
    }

    fn on_sync_page(&mut self, now: u64, items: &[SyncItem], complete: bool) {
        let before = self.conversation_views();
        let views: Vec<MessageView> = items
            .iter()
            .filter_map(|i| self.ingest(i.sync_seq, &i.message))
            .collect();
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
        let stage = match s.link {
            Link::Up { stage } => stage,
            _ => return,
        };
        self.announce(views);
        self.publish(before, false);
        if !done {
            self.transmit_sync(now, since);
        } else if stage == Stage::Sync {
            if let Some(s) = self.session.as_mut() {
                s.link = Link::Up {
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
        if s.link != (Link::Up { stage: Stage::Live })
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
        s.cursor.process(sync_seq);
        s.convs.add_message(m, true);
        s.own_ids.insert(m.id.clone());
        let message = message_view(m, &s.user_id);
        self.drafts.remove(&m.id);
        self.publish(before, false);
        self.complete(op, Ok(Response::Message { message }));
        self.maybe_sync(now);
    }

    fn on_history(&mut self, op: OpId, conv: &str, messages: &[Message], complete: bool) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let mut page: Vec<&Message> = messages
            .iter()
            .filter(|m| m.conversation_id_for(&s.user_id) == conv)
            .collect();
        page.sort_by_key(|m| m.seq);
        page.dedup_by_key(|m| m.seq);
        for m in &page {
            s.convs.add_history(conv, m);
        }
        let message_list: Vec<MessageView> =
            page.iter().map(|m| message_view(m, &s.user_id)).collect();
        let next_req_message_id = message_list
            .first()
            .map(|m| m.id.clone())
            .unwrap_or_default();
        self.publish(before, false);
        self.complete(
            op,
            Ok(Response::MessageList {
                message_list,
                next_req_message_id,
                is_completed: complete,
            }),
        );
    }
}
