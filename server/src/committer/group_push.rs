//! What an IM-group change tells the sockets: its tips, like group messages, to every member;
//! its notices to their users (not the requesting socket, as for the notices of REST group
//! calls: the requester learns from its answer); each member's new view of the group
//! (`GroupChanged`) and `GroupLeft` to those who are no longer members, on every socket,
//! the requester's included (its answer does not carry other users' views, and one path for
//! list updates is simpler for the SDK than telling a reply from a push).

use tim_protocol::{Change, ServerFrame};

use super::fan_out;
use crate::hub::Hub;
use crate::store::group::GroupOutcome;

pub(super) fn notify(hub: &Hub, outcome: GroupOutcome, except: Option<u64>) {
    for (user, sync_seq, message) in outcome.notices {
        let frame = ServerFrame::Push {
            sync_seq,
            message,
            change: Change::New,
        };
        hub.push(&user, except, &frame);
    }
    for tip in &outcome.tips {
        fan_out(hub, &tip.message, Change::New, &tip.deliveries, None, None);
    }
    for (user, group) in outcome.changed {
        hub.push(&user, None, &ServerFrame::GroupChanged { group });
    }
    for (user, group_id) in outcome.left {
        hub.push(&user, None, &ServerFrame::GroupLeft { group_id });
    }
}
