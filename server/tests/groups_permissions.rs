//! The permission matrix of the group operations (step 1's and step 2's roles, mutes, sends
//! and the online count): every operation × the actor's role
//! (owner, admin, member, outsider) × group type, each case on a fresh group, against a
//! table written here from the reference's rules (not from the server's own rules module).

mod common;

use common::*;
use tim_protocol::{codes, req, ConvType, GroupRole, GroupType, NewMember, Request, ServerFrame};

const OK: u32 = 0;
const NO: u32 = codes::NOT_GROUP_MEMBER;
const NOT_OWNER: u32 = codes::GROUP_NOT_OWNER;
const BAD: u32 = codes::GROUP_INVALID_PARAMETER;

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
    /// dan (member) made an admin.
    SetAdmin,
    /// bob (admin) made a member.
    RevokeAdmin,
    /// dan (member) muted.
    MuteMember,
    /// bob (admin) muted.
    MuteAdmin,
    /// A text message to the group.
    Send,
    /// getGroupOnlineMemberCount.
    Online,
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
        // Roles: no admins in Work groups; only the owner sets them; not one's own.
        (Op::SetAdmin | Op::RevokeAdmin, Work) => {
            let w = codes::GROUP_CANNOT_SET_ROLE_HERE;
            let own = if matches!(op, Op::RevokeAdmin) {
                codes::GROUP_CANNOT_SET_SELF_ROLE
            } else {
                w
            };
            [w, own, w, NO]
        }
        (Op::SetAdmin, _) => [OK, NOT_OWNER, NOT_OWNER, NO],
        (Op::RevokeAdmin, _) => [OK, codes::GROUP_CANNOT_SET_SELF_ROLE, NOT_OWNER, NO],
        // Mutes: none in Work groups; the owner and admins on those they outrank; not oneself.
        (Op::MuteMember, Work) => [BAD, BAD, BAD, NO],
        (Op::MuteAdmin, Work) => [BAD, codes::GROUP_CANNOT_MUTE_SELF, BAD, NO],
        (Op::MuteMember, _) => [OK, OK, NO, NO],
        (Op::MuteAdmin, _) => [OK, codes::GROUP_CANNOT_MUTE_SELF, NO, NO],
        (Op::Send | Op::Online, _) => [OK, OK, OK, NO],
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
        Op::SetAdmin | Op::RevokeAdmin => Request::GroupRole(req::GroupSetRole {
            group_id: group.into(),
            user_id: if matches!(op, Op::SetAdmin) {
                "dan"
            } else {
                "bob"
            }
            .into(),
            role: if matches!(op, Op::SetAdmin) {
                GroupRole::Admin
            } else {
                GroupRole::Member
            },
        }),
        Op::MuteMember | Op::MuteAdmin => Request::GroupMute(req::GroupMute {
            group_id: group.into(),
            user_id: if matches!(op, Op::MuteMember) {
                "dan"
            } else {
                "bob"
            }
            .into(),
            mute_time: 60,
        }),
        Op::Send => Request::Send(req::Send {
            message: message(ConvType::Group, group, &format!("m-{group}"), "hi"),
        }),
        Op::Online => Request::GroupOnline(gref),
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
        Op::SetAdmin,
        Op::RevokeAdmin,
        Op::MuteMember,
        Op::MuteAdmin,
        Op::Send,
        Op::Online,
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
