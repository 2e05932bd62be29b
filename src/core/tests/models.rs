//! Model-based property tests of two parts on their own: the request table (`requests.rs`) and
//! the sync cursor (`cursor.rs`). Random operation sequences are applied both to the real type
//! and to a plain model (a `BTreeMap` of jobs with a wrapping id counter; a `BTreeSet` of
//! processed values), and every answer and every query is compared after each step.
//!
//! The table's properties: ids are consecutive modulo 2^32 (the sequences start just below the
//! wrap), answers are found by id across the wrap and out of order, a job's deadline is clamped
//! to no earlier than any earlier call's (so the first job is the next to expire), timeouts take
//! exactly the jobs and steps due, and every job completes (answered, expired or cleared)
//! exactly once unless its call dropped it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use tim_protocol::req;

use proptest::prelude::*;
use tim_protocol::{ReqId, Request};

use crate::core::cursor::SyncCursor;
use crate::core::requests::{Answered, Internal, Job, JobKind, Requests};
use crate::core::OpId;

const INTERNALS: [Internal; 4] = [
    Internal::Login,
    Internal::Sync,
    Internal::Conversations,
    Internal::Ping,
];
/// Calls share these op ids, so a call may own several jobs.
const OPS: u64 = 4;

#[derive(Clone, Debug)]
enum ReqOp {
    /// A connection step, with or without a deadline.
    Internal(usize, Option<u64>),
    /// An API call's job: 0 a send, 1 a modify (both acked with a sync_seq), 2 a read.
    Add {
        op: OpId,
        kind: u8,
        deadline: u64,
    },
    Transmit,
    /// An answer to an id handed out earlier (the index picks one; it may be stale).
    Answer(usize),
    /// An answer to an id never handed out (ahead of the counter).
    AnswerUnknown(u32),
    Lost,
    Expire(u64),
    RemoveOp(OpId),
    Clear,
    Fresh,
}

fn req_op() -> impl Strategy<Value = ReqOp> {
    prop_oneof![
        2 => (0..INTERNALS.len(), prop::option::of(0u64..1_000)).prop_map(|(w, d)| ReqOp::Internal(w, d)),
        6 => (0..OPS, 0u8..3, 0u64..1_000).prop_map(|(op, kind, deadline)| ReqOp::Add { op, kind, deadline }),
        3 => Just(ReqOp::Transmit),
        5 => any::<usize>().prop_map(ReqOp::Answer),
        1 => (1u32..5).prop_map(ReqOp::AnswerUnknown),
        1 => Just(ReqOp::Lost),
        2 => (0u64..1_100).prop_map(ReqOp::Expire),
        1 => (0..OPS).prop_map(ReqOp::RemoveOp),
        1 => Just(ReqOp::Clear),
        1 => Just(ReqOp::Fresh),
    ]
}

/// Where the id counter starts: just below the wrap, at zero, or anywhere.
fn first_id() -> impl Strategy<Value = ReqId> {
    prop_oneof![
        3 => (0u32..40).prop_map(|d| ReqId::MAX - d),
        1 => Just(0),
        1 => any::<ReqId>(),
    ]
}

#[derive(Clone, Debug)]
struct ModelJob {
    op: OpId,
    /// Unique per job: carried in its kind and in its request.
    tag: u64,
    kind: u8,
    deadline: u64,
    wire: Option<ReqId>,
}

impl ModelJob {
    fn acked_with_sync_seq(&self) -> bool {
        self.kind < 2
    }
}

#[derive(Default)]
struct TableModel {
    next_id: ReqId,
    internals: Vec<(ReqId, Internal, Option<u64>)>,
    /// By key, which is call order.
    jobs: BTreeMap<u64, ModelJob>,
    next_key: u64,
    /// The latest deadline any call asked for (clamped), kept across clears.
    last_deadline: u64,
    /// Every id handed out, for answers (stale ones included).
    issued: Vec<ReqId>,
    /// Tags of the jobs completed (answered, expired, cleared) and dropped by their call.
    completed: HashSet<u64>,
    dropped: HashSet<u64>,
    added: u64,
}

impl TableModel {
    fn alloc(&mut self) -> ReqId {
        self.next_id = self.next_id.wrapping_add(1);
        self.issued.push(self.next_id);
        self.next_id
    }

    fn key_of_wire(&self, id: ReqId) -> Option<u64> {
        self.jobs
            .iter()
            .find(|(_, j)| j.wire == Some(id))
            .map(|(k, _)| *k)
    }

    fn next_deadline(&self) -> Option<u64> {
        let internal = self.internals.iter().filter_map(|(_, _, d)| *d);
        internal.chain(self.jobs.values().map(|j| j.deadline)).min()
    }

    /// A job the real table gave back: it must be the model's job `key`, completing once.
    fn complete(&mut self, key: u64, job: &Job) {
        let want = self.jobs.remove(&key).expect("the model has that job");
        assert_eq!(tag_of(job), want.tag, "the job given back");
        assert_eq!(job.op, want.op);
        assert_eq!(job.deadline, want.deadline, "the clamped deadline");
        assert!(
            !self.dropped.contains(&want.tag),
            "job {} completes after its call dropped it",
            want.tag
        );
        assert!(
            self.completed.insert(want.tag),
            "job {} completes twice",
            want.tag
        );
    }
}

fn kind_for(kind: u8, tag: u64) -> JobKind {
    match kind {
        0 => JobKind::Send {
            message_id: format!("m{tag}"),
        },
        1 => JobKind::Modify {
            message_id: format!("x{tag}"),
        },
        _ => JobKind::Read {
            conv: format!("C2C{tag}"),
        },
    }
}

fn request_for(tag: u64) -> Request {
    Request::Read(req::Read {
        conversation_id: "C2Cpeer".into(),
        seq: tag,
    })
}

fn tag_of_request(req: &Request) -> u64 {
    match req {
        Request::Read(req::Read { seq, .. }) => *seq,
        other => panic!("not a model request: {other:?}"),
    }
}

/// The tag a job carries, checked to be the same in its kind and its request.
fn tag_of(job: &Job) -> u64 {
    let from_kind = match &job.kind {
        JobKind::Send { message_id } | JobKind::Modify { message_id } => message_id[1..].parse(),
        JobKind::Read { conv } => conv[3..].parse(),
        other => panic!("not a model job: {other:?}"),
    };
    let tag = from_kind.expect("a numeric tag");
    assert_eq!(tag, tag_of_request(&job.req), "kind and request agree");
    tag
}

fn internal_index(what: Internal) -> usize {
    INTERNALS
        .iter()
        .position(|w| *w == what)
        .expect("a known step")
}

fn check_queries(real: &Requests, model: &TableModel) {
    assert_eq!(real.next_deadline(), model.next_deadline(), "next deadline");
    let on_wire = model
        .jobs
        .values()
        .filter(|j| j.acked_with_sync_seq() && j.wire.is_some())
        .count() as u64;
    assert_eq!(real.sends_in_flight(), on_wire, "sends in flight");
    for op in 0..OPS {
        let want = model.jobs.values().any(|j| j.op == op);
        assert_eq!(real.has_op(op), want, "has_op({op})");
    }
    for what in INTERNALS {
        let want = model.internals.iter().any(|(_, w, _)| *w == what);
        assert_eq!(
            real.internal_pending(what),
            want,
            "internal_pending({what:?})"
        );
    }
    for tag in 0..model.added {
        let want = model.jobs.values().any(|j| j.tag == tag && j.kind == 0);
        assert_eq!(real.has_send(&format!("m{tag}")), want, "has_send(m{tag})");
    }
}

fn step(real: &mut Requests, model: &mut TableModel, op: &ReqOp) {
    match *op {
        ReqOp::Internal(w, deadline) => {
            let what = INTERNALS[w];
            let id = real.internal(what, deadline);
            assert_eq!(id, model.alloc(), "internal step id");
            model.internals.push((id, what, deadline));
        }
        ReqOp::Add { op, kind, deadline } => {
            let tag = model.added;
            model.added += 1;
            real.add_job(op, kind_for(kind, tag), request_for(tag), deadline);
            // The clamp: never before an earlier call's deadline, even one since completed.
            let deadline = deadline.max(model.last_deadline);
            model.last_deadline = deadline;
            model.next_key += 1;
            let job = ModelJob {
                op,
                tag,
                kind,
                deadline,
                wire: None,
            };
            model.jobs.insert(model.next_key, job);
        }
        ReqOp::Transmit => {
            let sent: Vec<(ReqId, u64)> = real
                .transmit_queued()
                .iter()
                .map(|(id, req)| (*id, tag_of_request(req)))
                .collect();
            let queued: Vec<u64> = model
                .jobs
                .iter()
                .filter(|(_, j)| j.wire.is_none())
                .map(|(k, _)| *k)
                .collect();
            let mut want = Vec::new();
            for key in queued {
                let id = model.alloc();
                let job = model.jobs.get_mut(&key).expect("queued job");
                job.wire = Some(id);
                want.push((id, job.tag));
            }
            assert_eq!(sent, want, "transmitted in call order with consecutive ids");
        }
        ReqOp::Answer(pick) => {
            if model.issued.is_empty() {
                return;
            }
            let id = model.issued[pick % model.issued.len()];
            answer(real, model, id);
        }
        ReqOp::AnswerUnknown(ahead) => {
            let id = model.next_id.wrapping_add(ahead);
            assert!(real.answer(id).is_none(), "id {id} was never handed out");
        }
        ReqOp::Lost => {
            real.connection_lost();
            model.internals.clear();
            for job in model.jobs.values_mut() {
                job.wire = None;
            }
        }
        ReqOp::Expire(now) => {
            let (internals, jobs) = real.expire(now);
            let mut got: Vec<usize> = internals.into_iter().map(internal_index).collect();
            got.sort_unstable();
            let mut want: Vec<usize> = model
                .internals
                .iter()
                .filter(|(_, _, d)| d.is_some_and(|d| d <= now))
                .map(|(_, w, _)| internal_index(*w))
                .collect();
            want.sort_unstable();
            assert_eq!(got, want, "steps timed out at {now}");
            model
                .internals
                .retain(|(_, _, d)| !d.is_some_and(|d| d <= now));
            let due: Vec<u64> = model
                .jobs
                .iter()
                .filter(|(_, j)| j.deadline <= now)
                .map(|(k, _)| *k)
                .collect();
            assert_eq!(
                jobs.iter().map(tag_of).collect::<Vec<_>>(),
                due.iter().map(|k| model.jobs[k].tag).collect::<Vec<_>>(),
                "jobs timed out at {now}, in call order"
            );
            for (key, job) in due.into_iter().zip(&jobs) {
                model.complete(key, job);
            }
        }
        ReqOp::RemoveOp(op) => {
            real.remove_op(op);
            let keys: Vec<u64> = model
                .jobs
                .iter()
                .filter(|(_, j)| j.op == op)
                .map(|(k, _)| *k)
                .collect();
            for key in keys {
                let job = model.jobs.remove(&key).expect("listed");
                model.dropped.insert(job.tag);
            }
        }
        ReqOp::Clear => {
            let jobs = real.clear();
            let keys: Vec<u64> = model.jobs.keys().copied().collect();
            assert_eq!(
                jobs.iter().map(tag_of).collect::<Vec<_>>(),
                keys.iter().map(|k| model.jobs[k].tag).collect::<Vec<_>>(),
                "clear gives back every job in call order"
            );
            for (key, job) in keys.into_iter().zip(&jobs) {
                model.complete(key, job);
            }
            model.internals.clear();
        }
        ReqOp::Fresh => {
            let id = real.fresh_id();
            assert_eq!(id, model.alloc(), "fresh id");
        }
    }
}

fn answer(real: &mut Requests, model: &mut TableModel, id: ReqId) {
    let got = real.answer(id);
    if let Some(i) = model.internals.iter().position(|(r, _, _)| *r == id) {
        let (_, what, _) = model.internals.remove(i);
        assert!(
            matches!(got, Some(Answered::Internal(w)) if w == what),
            "id {id}: the step {what:?}, got {got:?}"
        );
    } else if let Some(key) = model.key_of_wire(id) {
        match got {
            Some(Answered::Job(job)) => model.complete(key, &job),
            other => panic!("id {id}: job {key}, got {other:?}"),
        }
    } else {
        assert!(got.is_none(), "id {id} is answered or stale: got {got:?}");
    }
}

#[derive(Clone, Debug)]
enum CursorOp {
    Reset(u64),
    Process(u64),
    CoveredThrough(u64),
    Complete,
}

/// Values are `origin + small`, so that sequences near `u64::MAX` are exercised too.
fn cursor_op() -> impl Strategy<Value = CursorOp> {
    prop_oneof![
        1 => (0u64..8).prop_map(CursorOp::Reset),
        8 => (0u64..48).prop_map(CursorOp::Process),
        2 => (0u64..48).prop_map(CursorOp::CoveredThrough),
        1 => Just(CursorOp::Complete),
    ]
}

fn origin() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0), Just(u64::MAX - 47), 0u64..1_000_000]
}

/// Everything at or below `floor` is processed, and so is every value in `set`.
#[derive(Default)]
struct CursorModel {
    floor: u64,
    set: BTreeSet<u64>,
}

impl CursorModel {
    fn processed(&self, v: u64) -> bool {
        v <= self.floor || self.set.contains(&v)
    }

    /// The highest `b` with everything up to it processed.
    fn base(&self) -> u64 {
        let mut b = self.floor;
        while b < u64::MAX && self.set.contains(&(b + 1)) {
            b += 1;
        }
        b
    }

    fn missing(&self) -> u64 {
        let base = self.base();
        match self.set.iter().next_back() {
            Some(&max) if max > base => {
                (base + 1..=max).filter(|v| !self.processed(*v)).count() as u64
            }
            _ => 0,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn request_table_matches_its_model(
        start in first_id(),
        ops in prop::collection::vec(req_op(), 1..120),
    ) {
        let mut real = Requests::starting_after(start);
        let mut model = TableModel { next_id: start, ..TableModel::default() };
        for op in &ops {
            step(&mut real, &mut model, op);
            check_queries(&real, &model);
        }
        // Whatever is left completes once at the end: every job completed exactly once or
        // was dropped by its call, never both.
        step(&mut real, &mut model, &ReqOp::Clear);
        check_queries(&real, &model);
        prop_assert!(model.jobs.is_empty());
        prop_assert!(model.completed.is_disjoint(&model.dropped));
        prop_assert_eq!((model.completed.len() + model.dropped.len()) as u64, model.added);
        // Ids go on from where they were: a fresh one follows the last handed out.
        prop_assert_eq!(real.fresh_id(), model.alloc());
    }

    #[test]
    fn sync_cursor_matches_its_model(
        origin in origin(),
        ops in prop::collection::vec(cursor_op(), 1..80),
    ) {
        let mut real = SyncCursor::default();
        real.reset(origin);
        let mut model = CursorModel { floor: origin, ..CursorModel::default() };
        for op in &ops {
            match *op {
                CursorOp::Reset(d) => {
                    real.reset(origin + d);
                    model = CursorModel { floor: origin + d, ..CursorModel::default() };
                }
                CursorOp::Process(d) => {
                    let v = origin + d;
                    let fresh = !model.processed(v);
                    prop_assert_eq!(real.process(v), fresh, "process({}) is new", v);
                    model.set.insert(v);
                }
                CursorOp::CoveredThrough(d) => {
                    real.covered_through(origin + d);
                    model.floor = model.floor.max(origin + d);
                }
                CursorOp::Complete => {
                    real.complete();
                    if let Some(&max) = model.set.iter().next_back() {
                        model.floor = model.floor.max(max);
                    }
                }
            }
            prop_assert_eq!(real.base(), model.base(), "base after {:?}", op);
            prop_assert_eq!(real.missing(), model.missing(), "missing after {:?}", op);
            // Processing is idempotent: whatever was processed is a duplicate now.
            for v in [model.base(), origin] {
                let mut probe = real.clone();
                prop_assert!(!probe.process(v), "{} processed", v);
            }
        }
    }
}
