//! The state machine: owns every piece of state and dispatches inputs to the files that handle
//! them (`session` login/ready/teardown, `link` connection and timers, `commands` API calls,
//! `inbound` frames from the server).

use std::collections::VecDeque;

use tim_protocol::{req, ReqId, Request, ServerFrame};

use super::bulk::Batches;
use super::commands::FAILED;
use super::drafts::Drafts;
use super::requests::Requests;
use super::rng::Rng;
use super::session::{Link, Session, Stage};
use super::*;

/// One SDK instance's state. See the module docs for the driving loop.
pub struct Core {
    pub(super) config: Config,
    pub(super) rng: Rng,
    pub(super) out: VecDeque<Output>,
    pub(super) requests: Requests,
    pub(super) drafts: Drafts,
    /// batchSendMessage calls waiting for their copies (see `bulk.rs`).
    pub(super) batches: Batches,
    /// Makes created message IDs unique even within one millisecond.
    pub(super) msg_counter: u64,
    /// `None` when logged out.
    pub(super) session: Option<Session>,
    /// The server's clock minus ours, from its last login or pong reply (see `engine.rs`);
    /// kept across logins, as the clocks do not change with the user.
    pub(super) clock_offset_ms: i64,
}

impl Core {
    /// A logged-out instance.
    pub fn new(config: Config) -> Core {
        Core {
            rng: Rng::new(config.seed),
            config,
            out: VecDeque::new(),
            requests: Requests::default(),
            drafts: Drafts::default(),
            batches: Batches::default(),
            msg_counter: 0,
            session: None,
            clock_offset_ms: 0,
        }
    }

    /// `createTextMessage` & co.: validates options and returns a Message with status `unSend`.
    /// Synchronous: needs no network. `now_ms` is wall-clock milliseconds since the Unix epoch.
    pub fn create_message(
        &mut self,
        kind: MessageKind,
        options: CreateMessageOptions,
        now_ms: u64,
    ) -> Result<MessageView, SdkError> {
        let (from, random, id) = self.stamp(now_ms);
        let view = super::create::build_message(kind, options, &from, now_ms, random, id)?;
        self.drafts.keep(view.clone());
        Ok(view)
    }

    /// An API call; its result comes out later as [`Output::Complete`] with the same `op`.
    pub fn handle_command(&mut self, now_ms: u64, op: OpId, command: Command) {
        match command {
            Command::Login { user_id, user_sig } => self.cmd_login(now_ms, op, user_id, user_sig),
            Command::Logout => self.cmd_logout(op),
            _ if !self.session.as_ref().is_some_and(|s| s.ready) && !self.warm_serves(&command) => {
                let err = SdkError::new(codes::SDK_IS_NOT_READY, "SDK is not ready: login first");
                // A send refused here marks only the caller's object failed (see `cmd_resend`).
                let shown = match &command {
                    Command::SendMessage(_)
                    | Command::SendMessageWith(..)
                    | Command::ResendMessage(_) => FAILED,
                    _ => Shown::Object,
                };
                self.fail_showing(op, err, shown);
            }
            Command::SendMessage(message) => {
                self.cmd_send(now_ms, op, message, SendOptions::default())
            }
            Command::SendMessageWith(message, options) => {
                self.cmd_send(now_ms, op, message, options)
            }
            Command::GetMessageList {
                conversation_id,
                count,
                ..
            } if self.warm_serves_now() => self.warm_history(op, &conversation_id, count),
            Command::GetMessageList {
                conversation_id,
                next_req_message_id,
                count,
            } => self.cmd_history(
                now_ms,
                op,
                &conversation_id,
                next_req_message_id.as_deref(),
                count,
            ),
            Command::GetConversationList => self.cmd_conversation_page(op, 0, CONVERSATION_PAGE),
            Command::GetConversationPage { next_seq, count } => {
                self.cmd_conversation_page(op, next_seq, count)
            }
            Command::SetMessageRead { conversation_id } => {
                self.cmd_read(now_ms, op, &conversation_id)
            }
            Command::RevokeMessage(message) => self.cmd_revoke(now_ms, op, &message),
            Command::ResendMessage(message) => self.cmd_resend(now_ms, op, message),
            Command::DeleteMessage(messages) => self.cmd_delete(now_ms, op, messages),
            Command::ModifyMessage(message) => self.cmd_modify(now_ms, op, &message),
            Command::GetConversationProfile { conversation_id } => {
                self.cmd_conversation_profile(op, &conversation_id)
            }
            Command::SetConversationDraft {
                conversation_id,
                draft_text,
            } => self.cmd_draft(op, &conversation_id, draft_text),
            Command::GetMyProfile => self.cmd_my_profile(op),
            Command::DeleteConversation { conversation_id } => {
                self.cmd_delete_conversation(now_ms, op, conversation_id)
            }
            Command::DeleteConversations {
                conversation_ids,
                clear_history,
            } => self.cmd_delete_conversations(now_ms, op, conversation_ids, clear_history),
            Command::PinConversation {
                conversation_id,
                pinned,
            } => self.cmd_pin(now_ms, op, conversation_id, pinned),
            Command::SetAllMessageRead => self.cmd_read_all(now_ms, op),
            Command::SaveLocalMessage { message, sender } => {
                self.cmd_save_local(now_ms, op, message, sender)
            }
            Command::DeleteLocalMessage {
                message_id,
                conversation_id,
            } => self.cmd_delete_local(op, message_id, conversation_id),
            Command::ImportMessageList {
                conversation_id,
                messages,
            } => self.cmd_import(now_ms, op, &conversation_id, &messages),
            Command::BatchSendMessage { message, user_ids } => {
                self.cmd_batch_send(now_ms, op, message, user_ids)
            }
            Command::SendMessageReadReceipt(list) => self.cmd_read_receipt(now_ms, op, &list),
            Command::GetMessageReadReceiptList(list) => self.cmd_receipt_list(now_ms, op, &list),
            Command::GetGroupMessageReadMemberList {
                message,
                read,
                cursor,
                count,
            } => self.cmd_receipt_members(now_ms, op, &message, read, cursor, count),
            Command::SetConversationSettings(change) => self.cmd_settings(now_ms, op, change),
            Command::ConversationGroup {
                action,
                name,
                new_name,
                conversation_ids,
            } => self.cmd_group(now_ms, op, action, (name, new_name), conversation_ids),
            Command::GetMessageListHopping {
                conversation_id,
                sequence,
                time,
                count,
                newer,
            } => self.cmd_hop(now_ms, op, conversation_id, (sequence, time), count, newer),
            Command::FindMessageByLocators {
                conversation_id,
                locators,
            } => self.cmd_locate(now_ms, op, conversation_id, locators),
            Command::Group {
                method,
                request,
                offset,
            } => self.cmd_im_group(now_ms, op, method, request, offset),
            Command::GetConversationGroupList => {
                let names = self.group_names();
                self.complete(op, Ok(Response::Names(names)));
            }
        }
    }

    /// `findMessage(ID)`: a message this instance knows (stored, or created and not yet
    /// sent), as JavaScript sees it. Synchronous.
    pub fn find_message(&self, id: &str) -> Option<MessageView> {
        let stored = self.session.as_ref().and_then(|s| {
            let m = s.convs.store.get(id).or_else(|| s.local.get(id))?;
            Some(s.convs.message_view(m))
        });
        stored.or_else(|| self.drafts.get(id).cloned())
    }

    /// `getTotalUnreadMessageCount()`: synchronous.
    pub fn total_unread(&self) -> u32 {
        self.session.as_ref().map_or(0, |s| s.convs.total())
    }

    /// A frame decoded from the socket.
    pub fn handle_frame(&mut self, now_ms: u64, frame: ServerFrame) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if !matches!(s.conn.link, Link::Up { .. }) {
            return; // a late frame from a socket already given up
        }
        s.conn.last_rx = now_ms;
        self.on_frame(now_ms, frame);
    }

    /// The socket asked for by [`Output::Connect`] is open.
    pub fn handle_connected(&mut self, now_ms: u64) {
        self.on_connected(now_ms);
    }

    /// The socket failed to open or closed without being asked to.
    pub fn handle_disconnected(&mut self, now_ms: u64) {
        self.on_disconnected(now_ms);
    }

    /// The timer armed for [`Core::poll_timeout`] fired.
    pub fn handle_timeout(&mut self, now_ms: u64) {
        self.on_timeout(now_ms);
    }

    /// The next thing to do, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When `handle_timeout` must be called next (same clock as `now_ms`), if ever.
    pub fn poll_timeout(&self) -> Option<u64> {
        let s = self.session.as_ref()?;
        let link = self.link_deadline(s);
        [link, self.requests.next_deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// The logged-in (or logging-in) user.
    pub fn user_id(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.user_id.as_str())
    }

    // ---- helpers shared by the other files ----

    pub(super) fn emit(&mut self, event: Event) {
        if let (Event::ConversationListUpdated(_), Some(s)) = (&event, self.session.as_mut()) {
            s.cache.list_dirty = true;
        }
        self.out.push_back(Output::Event(event));
    }

    pub(super) fn complete(&mut self, op: OpId, result: Result<Response, SdkError>) {
        if Batches::owns(op) {
            if let Some((op, done)) = self.batches.report(op, &result) {
                self.out.push_back(Output::Complete {
                    shown: Shown::Object,
                    op,
                    result: Ok(done),
                });
            }
            return;
        }
        self.out.push_back(Output::Complete {
            op,
            result,
            shown: Shown::Object,
        });
    }

    /// Fails call `op` with `err`, showing `shown` as the rejection's `data.message`.
    pub(super) fn fail_showing(&mut self, op: OpId, err: SdkError, shown: Shown) {
        if Batches::owns(op) {
            return self.complete(op, Err(err));
        }
        self.out.push_back(Output::Complete {
            op,
            result: Err(err),
            shown,
        });
    }

    pub(super) fn transmit(&mut self, now: u64, id: ReqId, req: Request) {
        if let Some(s) = self.session.as_mut() {
            s.conn.last_tx = now;
        }
        self.out
            .push_back(Output::Transmit(tim_protocol::ClientFrame { id, req }));
    }

    /// Sends one step of the connection's own work, with the request deadline.
    pub(super) fn transmit_internal(
        &mut self,
        now: u64,
        what: super::requests::Internal,
        req: Request,
    ) {
        let deadline = match what {
            super::requests::Internal::Ping => None, // the heartbeat timeout covers pings
            _ => Some(now.saturating_add(self.config.request_timeout_ms)),
        };
        let id = self.requests.internal(what, deadline);
        self.transmit(now, id, req);
    }

    /// Asks for one page of the deliveries that follow `since`.
    pub(super) fn transmit_sync(&mut self, now: u64, since: u64) {
        let req = Request::Sync(req::Sync {
            since,
            limit: tim_protocol::MAX_SYNC_PAGE,
        });
        self.transmit_internal(now, super::requests::Internal::Sync, req);
    }

    /// Puts queued API calls on the wire once the session is live.
    pub(super) fn flush_jobs(&mut self, now: u64) {
        let live = self
            .session
            .as_ref()
            .is_some_and(|s| matches!(s.conn.link, Link::Up { stage: Stage::Live }));
        if live {
            self.unpark_sends(now);
            for (id, req) in self.requests.transmit_queued() {
                self.transmit(now, id, req);
            }
        }
    }

    /// One page of the list, from position `start`.
    fn cmd_conversation_page(&mut self, op: OpId, start: u64, count: u32) {
        let all = self.conversation_views();
        let count = count.clamp(1, CONVERSATION_PAGE) as usize;
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(all.len());
        let end = start.saturating_add(count).min(all.len());
        let is_finished = end == all.len();
        let conversation_list = all.into_iter().skip(start).take(end - start).collect();
        let page = Response::ConversationList {
            conversation_list,
            is_sync_completed: !self.warm_serves_now(),
            next_seq: end as u64,
            is_finished,
        };
        self.complete(op, Ok(page));
    }

    pub(super) fn conversation_views(&self) -> Vec<ConversationView> {
        self.session
            .as_ref()
            .map(|s| s.convs.views())
            .unwrap_or_default()
    }

    /// Emits the list if it differs from `before` (or `force`), and the total if it changed.
    /// Nothing before SDK_READY: the first list goes out with it.
    pub(super) fn publish(&mut self, before: Vec<ConversationView>, force: bool) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if !s.ready {
            return;
        }
        let after = s.convs.views();
        let total = s.convs.total();
        let total_changed = s.total_emitted != Some(total);
        s.total_emitted = Some(total);
        if force || after != before {
            self.emit(Event::ConversationListUpdated(after));
        }
        if total_changed {
            self.emit(Event::TotalUnreadMessageCountUpdated(total));
        }
    }
}
