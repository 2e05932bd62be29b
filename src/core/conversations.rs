//! Conversations and their unread counts. The server's counts are authoritative up to the
//! point they describe (`base_seq`); above it the count is derived from the stored messages, so a
//! message delivered twice or by both a push and a sync page can never be counted twice.

use std::collections::HashMap;

use tim_protocol::{
    parse_conversation_id, ConvGroup, ConvSettings, ConvType, ConversationInfo, Message,
    REMIND_DISCARD,
};

use super::files::FileUrls;
use super::groups::{group_fields, Groups};
use super::sort::sorted_order;
use super::store::{Inserted, MessageStore};
use super::types::{ConversationView, Fields, LastMessageView, MessageView, UserProfileView, Val};
use super::views::{content_to_payload, message_for_show, message_view};

/// Counted unread: from someone else, and not a group tip (tips are never unread).
fn counts(m: &Message, me: &str) -> bool {
    m.from != me && !matches!(m.content, tim_protocol::Content::GroupTip { .. })
}

pub(super) struct Conv {
    id: String,
    conv_type: ConvType,
    peer: String,
    group_name: String,
    read_seq: u64,
    /// The server counted `base_unread` unread messages with `seq <= base_seq`.
    base_seq: u64,
    base_unread: u32,
    /// Stored messages from others above `max(base_seq, read_seq)`, kept incrementally.
    local: u32,
    unread: u32,
    last: Option<Message>,
    /// C2C: the peer has read up to here (`isPeerRead`).
    peer_read_seq: u64,
    pinned: bool,
    /// Deleted from the list (`deleteConversation`) until its next new message.
    hidden: bool,
    /// Scratch of [`Conversations::hide_unlisted`].
    unlisted: bool,
    /// Marks, customData, remind type, cleared history.
    settings: ConvSettings,
    /// `setConversationDraft` (3.x): this instance only, in memory, as 3.x keeps it.
    draft: String,
}

impl Conv {
    fn new(id: &str, conv_type: ConvType, peer: &str) -> Conv {
        Conv {
            id: id.to_owned(),
            conv_type,
            peer: peer.to_owned(),
            group_name: String::new(),
            read_seq: 0,
            base_seq: 0,
            base_unread: 0,
            local: 0,
            unread: 0,
            last: None,
            peer_read_seq: 0,
            pinned: false,
            hidden: false,
            unlisted: false,
            settings: ConvSettings::default(),
            draft: String::new(),
        }
    }

    /// `MSG_REMIND_ACPT_AND_NOTE` (the default): counted in the total unread.
    fn notifies(&self) -> bool {
        matches!(self.settings.remind.as_str(), "" | "AcceptAndNotify")
    }

    fn offer_last(&mut self, m: &Message) {
        if self.last.as_ref().is_none_or(|l| m.seq > l.seq) {
            self.last = Some(m.clone());
        }
    }

    fn base_part(&self) -> u32 {
        if self.read_seq >= self.base_seq {
            0
        } else {
            self.base_unread
        }
    }

    fn recount(&mut self) {
        // Discarded conversations count nothing (their messages are not delivered).
        self.unread = if self.settings.remind == REMIND_DISCARD {
            0
        } else {
            self.base_part().saturating_add(self.local)
        };
    }

    fn sort_key(&self) -> (u64, u64) {
        self.last.as_ref().map_or((0, 0), |l| (l.time, l.seq))
    }

    fn view(&self, cv: &Conversations) -> ConversationView {
        let (groups, files) = (&cv.groups, &cv.files);
        let last_message = self.last.as_ref().map(|m| {
            let (msg_type, payload) = content_to_payload(&m.content, files);
            LastMessageView {
                last_time: m.time,
                last_sequence: m.seq,
                from_account: m.from.clone(),
                msg_type: msg_type.to_owned(),
                payload: Some(payload),
                message_for_show: message_for_show(&m.content),
                is_revoked: m.revoked,
                cloud_custom_data: m.cloud_custom_data.clone(),
                nick: m.nick.clone(),
                version: m.version,
                is_peer_read: self.conv_type == ConvType::C2c
                    && m.from != self.peer
                    && m.seq > 0
                    && self.peer_read_seq >= m.seq,
                ..LastMessageView::default()
            }
        });
        let from_peer = self.last.as_ref().filter(|m| m.from == self.peer);
        ConversationView {
            conversation_id: self.id.clone(),
            conv_type: self.conv_type.as_str().to_owned(),
            unread_count: self.unread,
            last_message,
            group_profile: (self.conv_type == ConvType::Group).then(|| {
                cv.im.get(&self.peer).map_or_else(
                    || {
                        Fields(vec![
                            ("groupID", Val::Str(self.peer.clone())),
                            ("name", Val::Str(self.group_name.clone())),
                        ])
                    },
                    |g| group_fields(g, &self.settings.remind, self.last.as_ref()),
                )
            }),
            user_profile: (self.conv_type == ConvType::C2c).then(|| UserProfileView {
                user_id: self.peer.clone(),
                nick: from_peer.map(|m| m.nick.clone()).unwrap_or_default(),
                avatar: from_peer.map(|m| m.avatar.clone()).unwrap_or_default(),
            }),
            message_remind_type: match self.settings.remind.as_str() {
                "" => "AcceptAndNotify".to_owned(),
                r => r.to_owned(),
            },
            is_pinned: self.pinned,
            mark_list: (0..32)
                .map(|bit| 1u32 << bit)
                .filter(|m| self.settings.marks & m != 0)
                .collect(),
            custom_data: self.settings.custom_data.clone(),
            conversation_group_list: groups
                .iter()
                .filter(|g| g.conversation_ids.contains(&self.id))
                .map(|g| g.name.clone())
                .collect(),
            draft_text: self.draft.clone(),
            ..ConversationView::default()
        }
    }
}

/// The user's conversations and the messages stored for them.
pub(super) struct Conversations {
    me: String,
    /// How file URLs are shown to this user.
    pub(super) files: FileUrls,
    map: HashMap<String, Conv>,
    pub(super) store: MessageStore,
    /// This user's conversation groups, in creation order.
    pub(super) groups: Vec<ConvGroup>,
    /// This user's IM groups (see `groups`).
    pub(super) im: Groups,
}

impl Conversations {
    pub(super) fn new(me: &str) -> Conversations {
        Conversations {
            me: me.to_owned(),
            files: FileUrls::default(),
            map: HashMap::new(),
            store: MessageStore::default(),
            groups: Vec::new(),
            im: Groups::default(),
        }
    }

    /// A Group as this user sees it, with its conversation's remind type and last message.
    pub(super) fn group_view(&self, g: &tim_protocol::GroupInfo) -> Fields {
        let conv = self.map.get(&["GROUP", &g.group_id].concat());
        let remind = conv.map_or("", |c| c.settings.remind.as_str());
        group_fields(g, remind, conv.and_then(|c| c.last.as_ref()))
    }

    /// Every group of this user, as GROUP_LIST_UPDATED and getGroupList give them.
    pub(super) fn group_views(&self) -> Vec<Fields> {
        self.im.all().iter().map(|g| self.group_view(g)).collect()
    }

    /// Stores a committed message, creating its conversation if new; `announce` = delivered.
    pub(super) fn add_message(&mut self, m: &Message, announce: bool) -> Inserted {
        let id = m.conversation_id_for(&self.me);
        if !self.map.contains_key(&id) {
            let Some((t, peer)) = parse_conversation_id(&id) else {
                return self.store.insert(&id, m, announce);
            };
            let mut conv = Conv::new(&id, t, peer);
            // History fetched before the conversation was listed has unknown read state: it
            // is not counted; only what is delivered from now on is.
            conv.base_seq = self
                .store
                .after(&id, 0)
                .map(|s| s.seq)
                .filter(|s| *s < m.seq)
                .max()
                .unwrap_or(0);
            self.map.insert(id.clone(), conv);
        }
        let inserted = self.store.insert(&id, m, announce);
        if inserted != Inserted::Announced {
            if let Some(c) = self.map.get_mut(&id) {
                c.hidden = false; // a new message brings a deleted conversation back
            }
        }
        self.count(&id, m, &inserted);
        inserted
    }

    /// Stores history without creating conversations (the list only holds real ones).
    pub(super) fn add_history(&mut self, conv: &str, m: &Message) {
        let inserted = self.store.insert(conv, m, false);
        self.count(conv, m, &inserted);
    }

    /// Accounts for one stored message without recounting the conversation.
    fn count(&mut self, conv: &str, m: &Message, inserted: &Inserted) {
        let Some(c) = self.map.get_mut(conv) else {
            return;
        };
        c.offer_last(m);
        if *inserted == Inserted::New && counts(m, &self.me) && m.seq > c.base_seq.max(c.read_seq) {
            c.local = c.local.saturating_add(1);
            c.recount();
        }
    }

    /// Replaces read state and counts with the server's list.
    pub(super) fn apply_snapshot(&mut self, infos: &[ConversationInfo]) {
        for info in infos {
            let c = self
                .map
                .entry(info.conversation_id.clone())
                .or_insert_with(|| Conv::new(&info.conversation_id, info.conv_type, &info.peer));
            c.group_name = info.group_name.clone();
            c.pinned = info.pinned;
            c.settings = info.settings.clone();
            c.hidden = false;
            c.read_seq = info.read_seq;
            c.base_seq = info.last_message.as_ref().map_or(0, |m| m.seq);
            c.base_unread = info.unread;
            if let Some(m) = &info.last_message {
                c.offer_last(m);
            }
            let id = c.id.clone();
            self.drop_cleared(&id);
            self.refresh(&id);
        }
    }

    /// After a warm start, the server's whole list: a conversation the cache listed that the
    /// server no longer has (another instance deleted it meanwhile) is hidden, as a deletion.
    pub(super) fn hide_unlisted(&mut self, infos: &[ConversationInfo]) {
        // Marked through the map itself: a set type of its own would cost the wasm a hash table.
        for c in self.map.values_mut() {
            c.unlisted = true;
        }
        for info in infos {
            if let Some(c) = self.map.get_mut(&info.conversation_id) {
                c.unlisted = false;
            }
        }
        for c in self.map.values_mut() {
            c.hidden |= std::mem::take(&mut c.unlisted);
        }
    }

    /// Settings of `conv` from this user's other instance (or our own call's answer). A
    /// cleared history drops the stored messages up to it and reads them.
    pub(super) fn set_settings(&mut self, conv: &str, settings: ConvSettings) {
        if !self.map.contains_key(conv) {
            // Set before the first message (setMessageRemindType): kept unlisted until then.
            let Some((t, peer)) = parse_conversation_id(conv) else {
                return;
            };
            let mut c = Conv::new(conv, t, peer);
            c.hidden = true;
            self.map.insert(conv.to_owned(), c);
        }
        let Some(c) = self.map.get_mut(conv) else {
            return;
        };
        c.settings = settings;
        let cleared = c.settings.cleared_seq;
        self.drop_cleared(conv);
        self.apply_read(conv, cleared, 0);
        self.refresh(conv);
    }

    /// The settings of `conv`, if known.
    pub(super) fn settings(&self, conv: &str) -> Option<ConvSettings> {
        self.map.get(conv).map(|c| c.settings.clone())
    }

    /// The newest sequence known in `conv` (0 if none).
    pub(super) fn newest_seq(&self, conv: &str) -> u64 {
        let last = self
            .map
            .get(conv)
            .and_then(|c| c.last.as_ref())
            .map_or(0, |m| m.seq);
        last.max(self.store.newest(conv).map_or(0, |m| m.seq))
    }

    /// Forgets the stored messages of `conv` that `clearHistoryMessage` cleared.
    fn drop_cleared(&mut self, conv: &str) {
        let Some(c) = self.map.get_mut(conv) else {
            return;
        };
        let cleared = c.settings.cleared_seq;
        if c.last.as_ref().is_some_and(|l| l.seq <= cleared) {
            c.last = None;
        }
        let gone: Vec<u64> = self
            .store
            .between(conv, 0, cleared)
            .map(|m| m.seq)
            .collect();
        // Through `delete`, the one caller of the store's removal (wasm size).
        self.delete(conv, &gone, &[]);
    }

    /// The listed conversations' IDs.
    pub(super) fn ids(&self) -> Vec<String> {
        self.map
            .values()
            .filter(|c| !c.hidden)
            .map(|c| c.id.clone())
            .collect()
    }

    /// The seq of the listed last message of `conv` (0 when none).
    pub(super) fn last_seq(&self, conv: &str) -> u64 {
        self.map
            .get(conv)
            .and_then(|c| c.last.as_ref())
            .map_or(0, |m| m.seq)
    }

    /// A listed conversation in the wire shape, as the cache keeps it.
    pub(super) fn info(&self, conv: &str) -> Option<ConversationInfo> {
        let c = self.map.get(conv).filter(|c| !c.hidden)?;
        Some(ConversationInfo {
            conversation_id: c.id.clone(),
            conv_type: c.conv_type,
            peer: c.peer.clone(),
            read_seq: c.read_seq,
            unread: c.unread,
            last_message: c.last.clone(),
            group_name: c.group_name.clone(),
            peer_read_seq: c.peer_read_seq,
            pinned: c.pinned,
            settings: c.settings.clone(),
        })
    }

    /// The listed conversations, as views, in the list order, whose IDs are in `ids`.
    pub(super) fn views_of(&self, ids: &[String]) -> Vec<ConversationView> {
        self.views()
            .into_iter()
            .filter(|v| ids.contains(&v.conversation_id))
            .collect()
    }

    /// The peer read states of a server list: every conversation's newly peer-read messages.
    pub(super) fn apply_peer_reads(&mut self, infos: &[ConversationInfo]) -> Vec<Message> {
        let mut read = Vec::new();
        for info in infos {
            read.extend(self.peer_read(&info.conversation_id, info.peer_read_seq));
        }
        read
    }

    /// The server's (or another instance's) read state of one conversation.
    pub(super) fn apply_read(&mut self, conv: &str, read_seq: u64, unread: u32) {
        let Some(c) = self.map.get(conv) else { return };
        if read_seq <= c.read_seq {
            return; // stale or repeated: read state only moves forward
        }
        let local_above = self.local_unread(conv, c.base_seq);
        let Some(c) = self.map.get_mut(conv) else {
            return;
        };
        c.read_seq = read_seq;
        if c.read_seq >= c.base_seq {
            c.base_seq = c.read_seq;
            c.base_unread = 0;
        } else {
            c.base_unread = unread.saturating_sub(local_above);
        }
        self.refresh(conv);
    }

    /// Marks everything known read; returns the seq to report, or `None` if unknown.
    pub(super) fn mark_read(&mut self, conv: &str) -> Option<u64> {
        let c = self.map.get(conv)?;
        let newest = c
            .last
            .as_ref()
            .map_or(0, |m| m.seq)
            .max(self.store.newest(conv).map_or(0, |m| m.seq));
        self.apply_read(conv, newest, 0);
        Some(newest)
    }

    /// Unread over the listed conversations.
    pub(super) fn total(&self) -> u32 {
        self.map
            .values()
            .filter(|c| !c.hidden && c.notifies())
            .fold(0u32, |t, c| t.saturating_add(c.unread))
    }

    /// The list: pinned first, then most recent first. Deleted conversations are not listed.
    pub(super) fn views(&self) -> Vec<ConversationView> {
        let convs: Vec<&Conv> = self.map.values().filter(|c| !c.hidden).collect();
        let order = sorted_order(convs.len(), &|a, b| {
            let (a, b) = (convs[a], convs[b]);
            b.pinned
                .cmp(&a.pinned)
                .then_with(|| b.sort_key().cmp(&a.sort_key()))
                .then_with(|| a.id.cmp(&b.id))
        });
        order.into_iter().map(|i| convs[i].view(self)).collect()
    }

    /// One listed conversation.
    pub(super) fn profile(&self, conv: &str) -> Option<ConversationView> {
        self.map
            .get(conv)
            .filter(|c| !c.hidden)
            .map(|c| c.view(self))
    }

    /// `getConversationProfile`: the conversation as known, else (no message yet, or a group
    /// not in the list) a fresh one, as tim-js-sdk gives; `None` for a malformed ID.
    pub(super) fn profile_or_fresh(&self, conv: &str) -> Option<ConversationView> {
        if let Some(c) = self.map.get(conv) {
            return Some(c.view(self));
        }
        let (t, peer) = parse_conversation_id(conv)?;
        Some(Conv::new(conv, t, peer).view(self))
    }

    /// `setConversationDraft`: false when `conv` is not listed.
    pub(super) fn set_draft(&mut self, conv: &str, text: String) -> bool {
        match self.map.get_mut(conv).filter(|c| !c.hidden) {
            Some(c) => {
                c.draft = text;
                true
            }
            None => false,
        }
    }

    /// Whether `conv` is listed.
    pub(super) fn listed(&self, conv: &str) -> bool {
        self.map.get(conv).is_some_and(|c| !c.hidden)
    }

    /// Listed conversations with unread messages.
    pub(super) fn with_unread(&self) -> Vec<String> {
        self.map
            .values()
            .filter(|c| !c.hidden && c.unread > 0)
            .map(|c| c.id.clone())
            .collect()
    }

    /// A stored message as this user sees it, with `isPeerRead` from its conversation.
    pub(super) fn message_view(&self, m: &Message) -> MessageView {
        let mut view = message_view(m, &self.me, &self.files);
        if m.from == self.me {
            let conv = self.map.get(&view.conversation_id);
            view.is_peer_read = conv.is_some_and(|c| {
                c.conv_type == ConvType::C2c && c.peer_read_seq >= m.seq && m.seq > 0
            });
        }
        view
    }

    /// The C2C peer read `conv` up to `seq`: returns this user's stored messages that just
    /// became peer-read (empty when nothing moved).
    pub(super) fn peer_read(&mut self, conv: &str, seq: u64) -> Vec<Message> {
        let Some(c) = self.map.get_mut(conv) else {
            return Vec::new();
        };
        if c.conv_type != ConvType::C2c || seq <= c.peer_read_seq {
            return Vec::new();
        }
        let old = std::mem::replace(&mut c.peer_read_seq, seq);
        let me = &self.me;
        self.store
            .between(conv, old, seq)
            .filter(|m| &m.from == me)
            .cloned()
            .collect()
    }

    /// A message changed (revoked, modified): stores its new state; returns the state it
    /// replaced, if stored. The conversation's last message follows.
    pub(super) fn change(&mut self, m: &Message) -> Option<Message> {
        let conv = m.conversation_id_for(&self.me);
        if let Some(c) = self.map.get_mut(&conv) {
            if c.last.as_ref().is_some_and(|l| l.id == m.id) {
                c.last = Some(m.clone());
            }
        }
        self.store.replace(m)
    }

    /// This user deleted messages of `conv`: they leave the store; the last message and the
    /// unread count follow.
    pub(super) fn delete(&mut self, conv: &str, seqs: &[u64], ids: &[String]) {
        for seq in seqs {
            self.store.remove(conv, *seq);
        }
        for id in ids {
            self.store.forget(id);
        }
        let newest = self.store.newest(conv).cloned();
        let Some(c) = self.map.get_mut(conv) else {
            return;
        };
        if c.last
            .as_ref()
            .is_some_and(|l| seqs.contains(&l.seq) || ids.contains(&l.id))
        {
            c.last = newest;
        }
        self.refresh(conv);
    }

    /// Hidden and pinned state from this user's other instance (or our own call's answer).
    pub(super) fn set_state(&mut self, conv: &str, hidden: Option<bool>, pinned: Option<bool>) {
        if let Some(c) = self.map.get_mut(conv) {
            if let Some(h) = hidden {
                c.hidden = h;
            }
            if let Some(p) = pinned {
                c.pinned = p;
            }
        }
    }

    fn local_unread(&self, conv: &str, after: u64) -> u32 {
        let n = self
            .store
            .after(conv, after)
            .filter(|m| counts(m, &self.me))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Recounts a conversation after its read state or server counts changed.
    fn refresh(&mut self, conv: &str) {
        let Some(c) = self.map.get(conv) else { return };
        let local = self.local_unread(conv, c.base_seq.max(c.read_seq));
        if let Some(c) = self.map.get_mut(conv) {
            c.local = local;
            c.recount();
        }
    }
}
