//! Messages created but not yet acknowledged, by ID, so that `sendMessage` can complete an
//! object JavaScript passes back incompletely. Bounded: an app that creates messages and never
//! sends them must not grow the SDK forever (older drafts are still sendable when complete).

use std::collections::{HashMap, VecDeque};

use super::types::MessageView;

const MAX_DRAFTS: usize = 1000;

#[derive(Default)]
pub(super) struct Drafts {
    map: HashMap<String, MessageView>,
    order: VecDeque<String>,
}

impl Drafts {
    pub(super) fn keep(&mut self, view: MessageView) {
        if self.map.insert(view.id.clone(), view.clone()).is_none() {
            self.order.push_back(view.id);
        }
        while self.order.len() > MAX_DRAFTS {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }

    pub(super) fn get(&self, id: &str) -> Option<&MessageView> {
        self.map.get(id)
    }

    pub(super) fn set_status(&mut self, id: &str, status: &str) {
        if let Some(v) = self.map.get_mut(id) {
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
