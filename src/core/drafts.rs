//! Messages created but not yet acknowledged, by ID, so that `sendMessage` can complete an
//! object JavaScript passes back incompletely. Bounded: an app that creates messages and never
//! sends them must not grow the SDK forever (older drafts are still sendable when complete).
//! A file or merger message keeps its wire content here too: `sendMessage` sends that, never
//! file URLs read back from the object.

use std::collections::{HashMap, VecDeque};

use tim_protocol::Content;

use super::types::MessageView;

const MAX_DRAFTS: usize = 1000;

#[derive(Default)]
pub(super) struct Drafts {
    map: HashMap<String, (MessageView, Option<Content>)>,
    order: VecDeque<String>,
}

impl Drafts {
    pub(super) fn keep(&mut self, view: MessageView) {
        self.keep_with(view, None);
    }

    /// Keeps a draft with the content `sendMessage` sends.
    pub(super) fn keep_with(&mut self, view: MessageView, content: Option<Content>) {
        let id = view.id.clone();
        if self.map.insert(id.clone(), (view, content)).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > MAX_DRAFTS {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }

    pub(super) fn get(&self, id: &str) -> Option<&MessageView> {
        self.map.get(id).map(|(v, _)| v)
    }

    /// The wire content of a file or merger draft.
    pub(super) fn content(&self, id: &str) -> Option<&Content> {
        self.map.get(id).and_then(|(_, c)| c.as_ref())
    }

    pub(super) fn set_status(&mut self, id: &str, status: &str) {
        if let Some((v, _)) = self.map.get_mut(id) {
            v.status = status.to_owned();
        }
    }

    /// Sent: the store holds it now.
    pub(super) fn remove(&mut self, id: &str) {
        if self.map.remove(id).is_some() {
            self.order.retain(|d| d != id);
        }
    }

    pub(super) fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.map.len()
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
    }
}
