//! A user's own view of conversations (`store/sqlite/settings.rs` and the checks of
//! `ws/cmd/{conv_settings,conv_group}.rs`): marks, customData, remind type, cleared history,
//! and conversation groups.

use tim_protocol::{codes, req, ConvGroup, ConvGroupAction, ConvSettings};

use crate::model::{Key, Target};
use crate::validate::{self, invalid};
use crate::{Fail, FakeServer};

const MAX_CONVERSATIONS: usize = 100;
const REMIND_TYPES: [&str; 3] = ["AcceptAndNotify", "AcceptNotNotify", "Discard"];

impl FakeServer {
    /// `user`'s row of a conversation, created if needed: a C2C conversation may be set up
    /// before its first message; a group needs membership; the system conversation must exist.
    fn settings_row(&mut self, user: &str, target: &Target) -> Result<Key, Fail> {
        let key = match (self.resolve(user, target)?, target) {
            (Some(key), _) => key,
            (None, Target::C2c(_)) => {
                let key = target.key(user);
                self.convs.entry(key.clone()).or_default();
                key
            }
            (None, _) => {
                return Err((codes::CONVERSATION_FORBIDDEN, target.id()));
            }
        };
        self.join(user, &key);
        Ok(key)
    }

    /// Applies a settings change to every conversation (all or nothing); returns those whose
    /// settings changed, after the change.
    pub(crate) fn set_settings(
        &mut self,
        user: &str,
        r: &req::ConvSettings,
    ) -> Result<Vec<(String, ConvSettings)>, Fail> {
        if r.conversation_ids.is_empty() || r.conversation_ids.len() > MAX_CONVERSATIONS {
            return Err(invalid("conversation_ids must list 1 to 100 conversations"));
        }
        if let Some(data) = &r.custom_data {
            validate::conv_custom_data(data)?;
        }
        if r.remind
            .as_deref()
            .is_some_and(|x| !REMIND_TYPES.contains(&x))
        {
            return Err(invalid("unknown messageRemindType"));
        }
        let targets = r
            .conversation_ids
            .iter()
            .map(|c| Target::parse(c))
            .collect::<Result<Vec<_>, _>>()?;
        let before_all = self.clone();
        let mut changed = Vec::new();
        for target in targets {
            let key = match self.settings_row(user, &target) {
                Ok(key) => key,
                Err(e) => {
                    *self = before_all;
                    return Err(e);
                }
            };
            let last_seq = self.last_seq(&key);
            let row = self.row_mut(user, &key);
            let before = row.settings.clone();
            let s = &mut row.settings;
            s.marks = (s.marks | r.mark_set) & !r.mark_clear;
            if let Some(c) = &r.custom_data {
                s.custom_data = c.clone();
            }
            if let Some(x) = &r.remind {
                s.remind = x.clone();
            }
            if r.clear_history {
                s.cleared_seq = s.cleared_seq.max(last_seq);
                // Cleared messages are read.
                row.read_seq = row.read_seq.max(last_seq);
            }
            if row.settings != before {
                changed.push((target.id(), row.settings.clone()));
            }
        }
        Ok(changed)
    }

    /// Applies a conversation-group change; returns every group of the user after it.
    pub(crate) fn conv_group(
        &mut self,
        user: &str,
        w: req::ConvGroup,
    ) -> Result<Vec<ConvGroup>, Fail> {
        validate::conv_group_name(&w.name)?;
        if w.action == ConvGroupAction::Rename {
            validate::conv_group_name(&w.new_name)?;
        }
        let needs_list = matches!(
            w.action,
            ConvGroupAction::Create | ConvGroupAction::Add | ConvGroupAction::Remove
        );
        let count = w.conversation_ids.len();
        if needs_list && (count == 0 || count > MAX_CONVERSATIONS) {
            return Err(invalid(
                "conversationIDList must list 1 to 100 conversations",
            ));
        }
        for c in &w.conversation_ids {
            Target::parse(c)?;
        }
        let groups = &mut self.user(user).conv_groups;
        let at = groups.iter().position(|g| g.name == w.name);
        let exists = || (codes::CONV_GROUP_EXISTS, "group exists".to_owned());
        let add = |g: &mut ConvGroup, ids: Vec<String>| {
            for c in ids {
                if !g.conversation_ids.contains(&c) {
                    g.conversation_ids.push(c);
                }
            }
        };
        match (w.action, at) {
            (ConvGroupAction::Create, Some(_)) => return Err(exists()),
            (ConvGroupAction::Create, None) => {
                if groups.len() >= codes::MAX_CONV_GROUPS {
                    return Err((codes::CONV_GROUP_LIMIT, "too many groups".to_owned()));
                }
                let mut g = ConvGroup {
                    name: w.name,
                    conversation_ids: Vec::new(),
                };
                add(&mut g, w.conversation_ids);
                groups.push(g);
            }
            (_, None) => {
                return Err((codes::CONV_GROUP_NOT_FOUND, "no such group".to_owned()));
            }
            (ConvGroupAction::Delete, Some(i)) => {
                groups.remove(i);
            }
            (ConvGroupAction::Rename, Some(i)) => {
                if w.new_name != w.name {
                    if groups.iter().any(|g| g.name == w.new_name) {
                        return Err(exists());
                    }
                    groups[i].name = w.new_name;
                }
            }
            (ConvGroupAction::Add, Some(i)) => add(&mut groups[i], w.conversation_ids),
            (ConvGroupAction::Remove, Some(i)) => groups[i]
                .conversation_ids
                .retain(|c| !w.conversation_ids.contains(c)),
        }
        Ok(groups.clone())
    }
}
