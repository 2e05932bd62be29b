//! Messages created but not yet acknowledged, by ID, so that `sendMessage` can complete an
//! object JavaScript passes back incompletely. Bounded: an app that creates messages and never
//! sends them must not grow the SDK forever (older drafts are still sendable when complete).
//! A file or merger message keeps its wire content here too: `sendMessage` sends that, never
//! file URLs read back from the object.

use std::collections::VecDeque;

use tim_protocol::Content;

use super::types::{MessageStatus, MessageView};

const MAX_DRAFTS: usize = 1000;

/// Oldest first, searched linearly from the newest end (where the message being sent almost
/// always is): a map by ID would add a hash map type to the wasm for at most 1000 entries.
#[derive(Default)]
pub(super) struct Drafts(VecDeque<(MessageView, Option<Content>)>);

impl Drafts {
    pub(super) fn keep(&mut self, view: MessageView) {
        self.keep_with(view, None);
    }

    /// Keeps a draft with the content `sendMessage` sends.
    pub(super) fn keep_with(&mut self, view: MessageView, content: Option<Content>) {
        match self.find(&view.id) {
            Some(i) => self.0[i] = (view, content),
            None => self.0.push_back((view, content)),
        }
        while self.0.len() > MAX_DRAFTS {
            self.0.pop_front();
        }
    }

    fn find(&self, id: &str) -> Option<usize> {
        self.0.iter().rposition(|(v, _)| v.id == id)
    }

    fn entry(&self, id: &str) -> Option<&(MessageView, Option<Content>)> {
        self.find(id).map(|i| &self.0[i])
    }

    pub(super) fn get(&self, id: &str) -> Option<&MessageView> {
        self.entry(id).map(|(v, _)| v)
    }

    /// The wire content of a file or merger draft.
    pub(super) fn content(&self, id: &str) -> Option<&Content> {
        self.entry(id).and_then(|(_, c)| c.as_ref())
    }

    pub(super) fn set_status(&mut self, id: &str, status: MessageStatus) {
        if let Some(i) = self.find(id) {
            self.0[i].0.status = status;
        }
    }

    /// Sent: the store holds it now.
    pub(super) fn remove(&mut self, id: &str) {
        if let Some(i) = self.find(id) {
            self.0.remove(i);
        }
    }

    pub(super) fn clear(&mut self) {
        self.0.clear();
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded() {
        let mut d = Drafts::default();
        for i in 0..(MAX_DRAFTS + 5) {
            d.keep(MessageView {
                id: i.to_string(),
                ..Default::default()
            });
        }
        assert_eq!(d.len(), MAX_DRAFTS);
        assert!(d.get("0").is_none());
        assert!(d.get(&(MAX_DRAFTS + 4).to_string()).is_some());
        d.remove("999");
        assert!(d.get("999").is_none());
        let again = MessageView {
            id: "500".into(),
            status: MessageStatus::Fail,
            ..Default::default()
        };
        d.keep(again);
        assert_eq!(d.len(), MAX_DRAFTS - 1, "kept again: replaced, not added");
        assert_eq!(d.get("500").map(|v| v.status.as_str()), Some("fail"));
        d.set_status("500", MessageStatus::UnSend);
        assert_eq!(d.get("500").map(|v| v.status.as_str()), Some("unSend"));
    }
}
