//! The permission matrix of the step-1 group operations: every operation × the actor's role
//! (owner, admin, member, outsider) × group type, each case on a fresh group, against a
//! table written here from the reference's rules (not from the server's own rules module).

mod common;

use common::*;
use tim_protocol::{codes, req, GroupRole, GroupType, NewMember, Request, ServerFrame};

const OK: u32 = 0;
const NO: u32 = codes::NOT_GROUP_MEMBER;

#[derive(Clone, Copy, Debug)]
enum Op {
    Rename,
    AddUser,
    KickMember,
    Dismiss,
    Join,
    Quit,
    NameCardOfMember,
    GiveOwnership,
}

/// Who acts: alice owns every group, bob is its admin, carol a member, erin an outsider.
const ACTORS: [&str; 4] = ["alice", "bob", "carol", "erin"];

/// Expected code per actor (owner, admin, member, outsider).
fn expected(t: GroupType, op: Op) -> [u32; 4] {
    use GroupType::*;
    match (op, t) {
        // Work: every member edits the profile and adds anyone.
        (Op::Rename | Op::AddUser, Work) => [OK, OK, OK, NO],
        (Op::Rename, _) => [OK, OK, NO, NO],
        // Meeting: only the app admin adds; elsewhere the owner and admins.
        (Op::AddUser, Meeting) => [NO, NO, NO, NO],
        (Op::AddUser, _) => [OK, OK, NO, NO],
        (Op::KickMember | Op::NameCardOfMember, _) => [OK, OK, NO, NO],
        (Op::Dismiss, Work) => {
            let w = codes::GROUP_CANNOT_DISMISS_WORK;
            [w, w, w, NO]
        }
        (Op::Dismiss, _) => [OK, NO, NO, NO],
        // A member "joins" as AlreadyInGroup; an outsider may not join a Work group; Public
        // answers WaitAdminApproval (its default join option needs approval).
        (Op::Join, Work) => [OK, OK, OK, NO],
        (Op::Join, _) => [OK, OK, OK, OK],
        (Op::Quit, Work) => [OK, OK, OK, NO],
        (Op::Quit, _) => [codes::GROUP_OWNER_CANNOT_QUIT, OK, OK, NO],
        (Op::GiveOwnership, _) => [OK, NO, NO, NO],
    }
}

fn request(op: Op, group: &str) -> Request {
    let gref = req::GroupRef {
        group_id: group.into(),
    };
    let users = |u: &str| req::GroupUsers {
        group_id: group.into(),
        user_ids: vec![u.into()],
        reason: String::new(),
    };
    match op {
        Op::Rename => Request::GroupUpdate(req::GroupUpdate {
            group_id: group.into(),
            name: Some("New".into()),
            ..Default::default()
        }),
        Op::AddUser => Request::GroupAdd(users("fred")),
        Op::KickMember => Request::GroupKick(users("dan")),
        Op::Dismiss => Request::GroupDismiss(gref),
        Op::Join => Request::GroupJoin(req::GroupJoin {
            group_id: group.into(),
            apply_message: String::new(),
        }),
        Op::Quit => Request::GroupQuit(gref),
        Op::NameCardOfMember => Request::GroupMemberSet(req::GroupMemberSet {
            group_id: group.into(),
            user_id: "dan".into(),
            name_card: Some("D".into()),
            custom: None,
        }),
        Op::GiveOwnership => Request::GroupOwner(req::GroupOwner {
            group_id: group.into(),
            new_owner_id: "dan".into(),
        }),
    }
}

/// Reads everything queued on `c` up to a ping's answer.
async fn drain(c: &mut Client) {
    let id = c.send_req(Request::Ping).await;
    loop {
        if matches!(c.next_push().await, ServerFrame::Ok { id: got, .. } if got == id) {
            return;
        }
    }
}

#[tokio::test]
async fn every_operation_by_every_role_in_every_type() {
    let server = TestServer::start().await;
    let mut clients = Vec::new();
    for user in ACTORS {
        clients.push(server.login(user).await);
    }
    server.login("fred").await; // known to the server, so addable
    let types = [
        GroupType::Work,
        GroupType::Public,
        GroupType::Meeting,
        GroupType::Community,
    ];
    let ops = [
        Op::Rename,
        Op::AddUser,
        Op::KickMember,
        Op::Dismiss,
        Op::Join,
        Op::Quit,
        Op::NameCardOfMember,
        Op::GiveOwnership,
    ];
    let mut n = 0;
    let mut wrong = Vec::new();
    for t in types {
        for op in ops {
            for (actor, want) in expected(t, op).into_iter().enumerate() {
                n += 1;
                let group = format!("g{n}");
                let member = |id: &str, role| NewMember {
                    user_id: id.into(),
                    role,
                    custom: vec![],
                };
                clients[0]
                    .ok(Request::GroupCreate(req::GroupCreate {
                        group_id: group.clone(),
                        group_type: t,
                        name: "G".into(),
                        members: vec![
                            member("bob", GroupRole::Admin),
                            member("carol", GroupRole::Member),
                            member("dan", GroupRole::Member),
                        ],
                        ..Default::default()
                    }))
                    .await;
                let got = match clients[actor].request(request(op, &group)).await {
                    Ok(_) => OK,
                    Err((code, _)) => code,
                };
                if got != want {
                    wrong.push(format!(
                        "{t:?} {op:?} by {}: {got}, want {want}",
                        ACTORS[actor]
                    ));
                }
                for c in &mut clients {
                    drain(c).await;
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
