//! This user's own view of conversations: settings (markConversation,
//! setConversationCustomData, setMessageRemindType, clearHistoryMessage) and conversation
//! groups. The server keeps both and syncs them to the user's other instances; the settings
//! push reaches this instance too and is authoritative (e.g. the cleared sequence), the groups
//! answer carries every group.

use tim_protocol::{req, ConvGroup, ConvGroupAction, ConvSettings, Request};

use super::commands::{bad_conversation_id, listed_conversation};
use super::limits;
use super::requests::JobKind;
use super::*;

/// Splits the requested IDs into those to send (deduplicated) and the refused ones.
fn screen(
    core: &Core,
    ids: Vec<String>,
    listed_only: bool,
) -> (Vec<String>, Vec<ConversationFailure>) {
    let (mut ok, mut failure) = (Vec::<String>::new(), Vec::new());
    for id in ids {
        let check = if listed_only {
            listed_conversation(core, &id)
        } else if limits::conversation_id_ok(&id) {
            Ok(())
        } else {
            Err(bad_conversation_id())
        };
        match check {
            Ok(()) if !ok.contains(&id) => ok.push(id),
            Ok(()) => {}
            Err(e) => failure.push(ConversationFailure {
                conversation_id: id,
                code: e.code,
                message: e.message,
            }),
        }
    }
    (ok, failure)
}

/// The most conversations one batch deleteConversation takes; tim-js-sdk drops the rest.
pub(super) const MAX_DELETE_BATCH: usize = 100;

/// The rule of the batch deleteConversation, as tim-js-sdk 2.27.6 runs it: a non-empty list of
/// well-formed IDs (all checked, then cut to the first 100) and `clearHistoryMessage` a boolean
/// if present (default true). Returns the listed ones among them, each once, and whether to
/// clear their history; none listed is `CONVERSATION_NOT_FOUND`.
fn delete_batch(
    core: &Core,
    mut ids: Vec<String>,
    clear: Option<Option<bool>>,
) -> Result<(Vec<String>, bool), SdkError> {
    let invalid = |m: &str| SdkError::new(codes::INVALID_OPERATION, m);
    if ids.is_empty() {
        return Err(invalid("conversationIDList is empty"));
    }
    if ids.iter().any(|id| !limits::conversation_id_ok(id)) {
        return Err(bad_conversation_id());
    }
    let clear = clear
        .unwrap_or(Some(true))
        .ok_or_else(|| invalid("clearHistoryMessage must be a boolean"))?;
    ids.truncate(MAX_DELETE_BATCH);
    let (listed, _) = screen(core, ids, true);
    if listed.is_empty() {
        return Err(SdkError::new(
            codes::CONVERSATION_NOT_FOUND,
            "none of these conversations is listed",
        ));
    }
    Ok((listed, clear))
}

/// The wire request of a settings change.
fn settings_request(change: &SettingsChange) -> Request {
    Request::ConvSettings(req::ConvSettings {
        conversation_ids: change.conversation_ids.clone(),
        mark_set: change.mark_set,
        mark_clear: change.mark_clear,
        custom_data: change.custom_data.clone(),
        remind: change.remind.clone(),
        clear_history: change.clear_history,
    })
}

fn results(success: Vec<String>, failure: Vec<ConversationFailure>) -> Response {
    Response::ConversationResults { success, failure }
}

impl Core {
    pub(super) fn cmd_settings(&mut self, now: u64, op: OpId, change: SettingsChange) {
        if let Some(Err(e)) = change.custom_data.as_deref().map(limits::custom_data) {
            return self.complete(op, Err(e));
        }
        let ids = change.conversation_ids.clone();
        let (ok, failure) = screen(self, ids, change.per_conversation);
        if ok.is_empty() {
            let result = match failure.into_iter().next() {
                None => Err(SdkError::new(
                    codes::INVALID_CONVERSATION_ID,
                    "conversationIDList is empty",
                )),
                Some(f) if !change.per_conversation => Err(SdkError::new(f.code, f.message)),
                Some(f) => Ok(results(Vec::new(), vec![f])),
            };
            return self.complete(op, result);
        }
        let change = SettingsChange {
            conversation_ids: ok,
            ..change
        };
        let req = settings_request(&change);
        self.add_call(now, op, JobKind::Settings { change, failure }, req);
    }

    /// Our settings call is committed: apply it now (the server's push follows and corrects
    /// what only the server knows, such as the cleared sequence).
    pub(super) fn on_settings_done(
        &mut self,
        op: OpId,
        change: SettingsChange,
        failure: Vec<ConversationFailure>,
    ) {
        self.apply_settings(&change);
        let result = if change.per_conversation {
            results(change.conversation_ids, failure)
        } else {
            Response::Empty {}
        };
        self.complete(op, Ok(result));
    }

    /// A committed settings change of ours, applied to this instance's conversations.
    fn apply_settings(&mut self, change: &SettingsChange) {
        let before = self.conversation_views();
        if let Some(s) = self.session.as_mut() {
            for id in &change.conversation_ids {
                let mut next = s.convs.settings(id).unwrap_or_default();
                next.marks = (next.marks | change.mark_set) & !change.mark_clear;
                if let Some(c) = &change.custom_data {
                    next.custom_data = c.clone();
                }
                if let Some(r) = &change.remind {
                    next.remind = r.clone();
                }
                if change.clear_history {
                    next.cleared_seq = next.cleared_seq.max(s.convs.newest_seq(id));
                }
                s.convs.set_settings(id, next);
            }
        }
        self.publish(before, false);
    }

    /// tim-js-sdk 2.27's batch deleteConversation. Unlike the single form, it clears the
    /// history unless `clearHistoryMessage: false`. One hide per conversation (the server has
    /// no batch hide) and one clear for all: the call settles with the last answer, and one
    /// refusal rejects it, as setAllMessageRead does.
    pub(super) fn cmd_delete_conversations(
        &mut self,
        now: u64,
        op: OpId,
        ids: Vec<String>,
        clear: Option<Option<bool>>,
    ) {
        let (ids, clear) = match delete_batch(self, ids, clear) {
            Ok(checked) => checked,
            Err(e) => return self.complete(op, Err(e)),
        };
        let mut cleared = Vec::new();
        for id in &ids {
            // Each job carries the whole list, as any of them may be the last to answer.
            let kind = JobKind::DeleteConversations { ids: ids.clone() };
            let req = Request::DeleteConversation(req::DeleteConversation {
                conversation_id: id.clone(),
            });
            self.add_call(now, op, kind, req);
            if !self.requests.has_op(op) {
                return; // refused at once: the call failed
            }
            // The group-system conversation has no per-user row on the server (it would refuse
            // the whole clear); tim-js-sdk does not clear it either.
            if clear && id != tim_protocol::SYSTEM_CONVERSATION_ID {
                cleared.push(id.clone());
            }
        }
        if !cleared.is_empty() {
            let req = settings_request(&SettingsChange {
                conversation_ids: cleared,
                clear_history: true,
                ..SettingsChange::default()
            });
            self.add_call(now, op, JobKind::DeleteConversations { ids }, req);
        }
    }

    /// One request of a batch deleteConversation is committed: applied here at once (the
    /// other instances hear it from the server); the last one resolves the call.
    pub(super) fn on_batch_deleted(&mut self, op: OpId, req: Request, ids: Vec<String>) {
        match req {
            Request::ConvSettings(req::ConvSettings {
                conversation_ids, ..
            }) => self.apply_settings(&SettingsChange {
                conversation_ids,
                clear_history: true,
                ..SettingsChange::default()
            }),
            Request::DeleteConversation(req::DeleteConversation { conversation_id }) => {
                return self.on_conversation_state(op, conversation_id, Some(true), None, ids)
            }
            _ => {}
        }
        self.settle_batch(op, ids);
    }

    /// `ConversationSettings` from the server.
    pub(super) fn on_settings_push(&mut self, conv: &str, settings: ConvSettings) {
        let before = self.conversation_views();
        if let Some(s) = self.session.as_mut() {
            s.convs.set_settings(conv, settings);
        }
        self.publish(before, false);
    }

    pub(super) fn cmd_group(
        &mut self,
        now: u64,
        op: OpId,
        action: ConvGroupAction,
        names: (String, String),
        ids: Vec<String>,
    ) {
        let (name, new_name) = names;
        let renames = action == ConvGroupAction::Rename;
        let named = limits::group_name(&name).and_then(|()| match renames {
            true => limits::group_name(&new_name),
            false => Ok(()),
        });
        if let Err(e) = named {
            return self.complete(op, Err(e));
        }
        let adds = matches!(action, ConvGroupAction::Create | ConvGroupAction::Add);
        let (ok, failure) = match action {
            ConvGroupAction::Delete | ConvGroupAction::Rename => (Vec::new(), Vec::new()),
            _ => screen(self, ids, adds),
        };
        let lists = !matches!(action, ConvGroupAction::Delete | ConvGroupAction::Rename);
        if lists && ok.is_empty() {
            let result = match failure.is_empty() {
                true => Err(SdkError::new(
                    codes::INVALID_OPERATION,
                    "conversationIDList is empty",
                )),
                false => Ok(results(Vec::new(), failure)),
            };
            return self.complete(op, result);
        }
        let req = Request::ConvGroup(req::ConvGroup {
            action,
            name,
            new_name,
            conversation_ids: ok.clone(),
        });
        let kind = JobKind::Group {
            results: lists.then_some((ok, failure)),
        };
        self.add_call(now, op, kind, req);
    }

    /// The groups after our change: applied, then the call settles.
    pub(super) fn on_group_done(
        &mut self,
        op: OpId,
        results: Option<(Vec<String>, Vec<ConversationFailure>)>,
        groups: Vec<ConvGroup>,
    ) {
        self.apply_groups(groups);
        let response = match results {
            Some((success, failure)) => Response::ConversationResults { success, failure },
            None => Response::Empty {},
        };
        self.complete(op, Ok(response));
    }

    /// Replaces the groups; once ready, announces what changed: the group names
    /// (CONVERSATION_GROUP_LIST_UPDATED), the members of groups that kept their name
    /// (CONVERSATION_IN_GROUP_UPDATED) and the list, whose `conversationGroupList` follows.
    pub(super) fn apply_groups(&mut self, groups: Vec<ConvGroup>) {
        let before = self.conversation_views();
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let old = std::mem::replace(&mut s.convs.groups, groups);
        if !s.ready {
            return;
        }
        let names = |g: &[ConvGroup]| g.iter().map(|g| g.name.clone()).collect::<Vec<_>>();
        let new_names = names(&s.convs.groups);
        let moved: Vec<InGroupView> = s
            .convs
            .groups
            .iter()
            .filter(|g| {
                old.iter()
                    .any(|o| o.name == g.name && o.conversation_ids != g.conversation_ids)
            })
            .map(|g| InGroupView {
                group_name: g.name.clone(),
                conversation_list: s.convs.views_of(&g.conversation_ids),
            })
            .collect();
        if names(&old) != new_names {
            self.emit(Event::ConversationGroupListUpdated(new_names));
        }
        for view in moved {
            self.emit(Event::ConversationInGroupUpdated(view));
        }
        self.publish(before, false);
    }

    pub(super) fn group_names(&self) -> Vec<String> {
        self.session
            .as_ref()
            .map(|s| s.convs.groups.iter().map(|g| g.name.clone()).collect())
            .unwrap_or_default()
    }
}
