//! `batchSendMessage` (seed 002 `TIMMsgBatchSend`): one ordinary send per user, each a copy of
//! the message with its own ID, tallied here into `{successUserIDList, failureUserIDList}`.
//! A copy is an ordinary send, so it is idempotent by its ID and stored here on success;
//! calling again with the same message delivers nothing twice.

use super::*;

/// Most users one batch may name (Tencent's limit).
pub(super) const MAX_BATCH: usize = 500;

/// Calls of the copies: above every call ID the API hands out, below the outbox's own.
const FIRST_COPY_OP: OpId = 1 << 62;

/// One batch being sent.
struct Tally {
    op: OpId,
    left: usize,
    success: Vec<String>,
    failure: Vec<UserFailure>,
}

/// The batches being sent: which copy belongs to which batch, and each batch's tally.
#[derive(Default)]
pub(super) struct Batches {
    /// `(copy's call, batch's call, user)`.
    copies: Vec<(OpId, OpId, String)>,
    tallies: Vec<Tally>,
    next_copy: OpId,
}

impl Batches {
    /// Whether `op` is the call of a copy (its result goes to [`Self::report`]).
    pub(super) fn owns(op: OpId) -> bool {
        (FIRST_COPY_OP..OpId::MAX).contains(&op)
    }

    /// Counts a copy's result; when it was the batch's last, that batch's call and result.
    pub(super) fn report(
        &mut self,
        copy: OpId,
        result: &Result<Response, SdkError>,
    ) -> Option<(OpId, Response)> {
        let at = self.copies.iter().position(|c| c.0 == copy)?;
        let (_, op, user) = self.copies.swap_remove(at);
        let t = self.tallies.iter().position(|t| t.op == op)?;
        let tally = &mut self.tallies[t];
        match result {
            Ok(_) => tally.success.push(user),
            Err(e) => tally.failure.push(UserFailure {
                user_id: user,
                code: e.code,
                message: e.message.clone(),
            }),
        }
        tally.left -= 1;
        if tally.left > 0 {
            return None;
        }
        let tally = self.tallies.swap_remove(t);
        let done = Response::BatchSent {
            success: tally.success,
            failure: tally.failure,
        };
        Some((tally.op, done))
    }
}

/// The users of a batch, each once, in order; `None` unless 1 to [`MAX_BATCH`] non-empty IDs.
pub(super) fn batch_users(user_ids: Vec<String>) -> Option<Vec<String>> {
    let mut users: Vec<String> = Vec::with_capacity(user_ids.len());
    for u in user_ids {
        if u.is_empty() {
            return None;
        }
        if !users.contains(&u) {
            users.push(u);
        }
    }
    (!users.is_empty() && users.len() <= MAX_BATCH).then_some(users)
}

/// A copy's ID for `user`: stable, and short enough for the server's 128-byte limit.
pub(super) fn copy_id(message_id: &str, user: &str) -> String {
    // FNV-1a: deterministic, no table.
    let hash = user.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{message_id}-{hash:016x}")
}

impl Core {
    /// `batchSendMessage(message, userIDList)`.
    pub(super) fn cmd_batch_send(
        &mut self,
        now: u64,
        op: OpId,
        message: MessageView,
        user_ids: Vec<String>,
    ) {
        let Some(users) = batch_users(user_ids) else {
            let e = SdkError::new(
                codes::INVALID_OPERATION,
                "userIDList must be a non-empty array of userIDs",
            );
            return self.complete(op, Err(e));
        };
        self.batches.tallies.push(Tally {
            op,
            left: users.len(),
            success: Vec::new(),
            failure: Vec::new(),
        });
        for user in users {
            let copy = MessageView {
                id: copy_id(&message.id, &user),
                to: user.clone(),
                conversation_type: "C2C".to_owned(),
                conversation_id: String::new(),
                ..message.clone()
            };
            let copy_op = FIRST_COPY_OP + self.batches.next_copy;
            self.batches.next_copy += 1;
            self.batches.copies.push((copy_op, op, user));
            self.cmd_send(now, copy_op, copy, SendOptions::default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_deduplicated_and_bounded() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(batch_users(ids(&["b", "a", "b"])), Some(ids(&["b", "a"])));
        assert_eq!(batch_users(vec![]), None);
        assert_eq!(batch_users(ids(&["a", ""])), None);
        let many: Vec<String> = (0..=MAX_BATCH).map(|i| i.to_string()).collect();
        assert_eq!(
            batch_users(many[..MAX_BATCH].to_vec()).map(|u| u.len()),
            Some(MAX_BATCH)
        );
        assert_eq!(batch_users(many), None);
    }

    #[test]
    fn copy_ids_are_stable_and_distinct_per_user() {
        assert_eq!(copy_id("m", "alice"), copy_id("m", "alice"));
        assert_ne!(copy_id("m", "alice"), copy_id("m", "bob"));
        assert!(copy_id("m", "alice").starts_with("m-"));
        assert_eq!(copy_id("m", "alice").len(), 2 + 16);
    }

    #[test]
    fn the_batch_settles_at_its_last_copy() {
        let mut b = Batches::default();
        b.tallies.push(Tally {
            op: 7,
            left: 2,
            success: vec![],
            failure: vec![],
        });
        b.copies.push((FIRST_COPY_OP, 7, "a".into()));
        b.copies.push((FIRST_COPY_OP + 1, 7, "b".into()));
        assert!(Batches::owns(FIRST_COPY_OP) && !Batches::owns(7) && !Batches::owns(OpId::MAX));
        let fail = Err(SdkError::new(20003, "no such user"));
        assert_eq!(b.report(FIRST_COPY_OP + 1, &fail), None);
        assert_eq!(b.report(FIRST_COPY_OP + 1, &fail), None, "counted once");
        let done = b.report(FIRST_COPY_OP, &Ok(Response::Empty {}));
        let failure = vec![UserFailure {
            user_id: "b".into(),
            code: 20003,
            message: "no such user".into(),
        }];
        let success = vec!["a".to_string()];
        assert_eq!(done, Some((7, Response::BatchSent { success, failure })));
        assert!(b.tallies.is_empty() && b.copies.is_empty());
    }
}
