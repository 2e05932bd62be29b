//! Login: accepted sigs, each rejection code, and what a session may do before and after.

mod common;

use common::*;
use tim_protocol::{codes, req, usersig, Reply, Request};

async fn login_code(server: &TestServer, user: &str, user_sig: String) -> u32 {
    let mut c = server.client().await;
    c.err_code(Request::Login(req::Login {
        user_id: user.into(),
        user_sig,
    }))
    .await
}

#[tokio::test]
async fn login_ok_reports_cursor_and_time() {
    let server = TestServer::start().await;
    let mut c = server.client().await;
    let reply = c
        .ok(Request::Login(req::Login {
            user_id: "alice".into(),
            user_sig: sig("alice"),
        }))
        .await;
    match reply {
        Reply::Login {
            user_id,
            server_time,
            sync_seq,
            ..
        } => {
            assert_eq!(user_id, "alice");
            assert_eq!(sync_seq, 0);
            assert!(server_time.abs_diff(now()) < 5);
        }
        other => panic!("{other:?}"),
    }
    // Logging in again as the same user is harmless; as another is refused.
    c.login("alice").await;
    assert_eq!(
        c.err_code(Request::Login(req::Login {
            user_id: "bob".into(),
            user_sig: sig("bob")
        }))
        .await,
        codes::ALREADY_LOGGED_IN
    );
}

#[tokio::test]
async fn login_rejections_have_distinct_codes() {
    let server = TestServer::start().await;
    let expired = usersig::generate(APP, KEY, "alice", 10, now() - 1000);
    assert_eq!(
        login_code(&server, "alice", expired).await,
        codes::USERSIG_EXPIRED
    );
    let wrong_key = usersig::generate(APP, "another-key", "alice", 3600, now());
    assert_eq!(
        login_code(&server, "alice", wrong_key).await,
        codes::USERSIG_VERIFY_FAILED
    );
    let wrong_app = usersig::generate(APP + 1, KEY, "alice", 3600, now());
    assert_eq!(
        login_code(&server, "alice", wrong_app).await,
        codes::USERSIG_SDKAPPID_MISMATCH
    );
    assert_eq!(
        login_code(&server, "alice", sig("bob")).await,
        codes::USERSIG_IDENTIFIER_MISMATCH
    );
    assert_eq!(
        login_code(&server, "alice", "garbage!".into()).await,
        codes::USERSIG_MALFORMED
    );
    // Genuine, but valid forever: a credential that could never be retired.
    let forever = usersig::generate(APP, KEY, "alice", u64::MAX - now(), now());
    assert_eq!(
        login_code(&server, "alice", forever).await,
        codes::USERSIG_MALFORMED
    );
    assert_eq!(
        login_code(&server, "", sig("")).await,
        codes::INVALID_REQUEST
    );
}

#[tokio::test]
async fn requests_need_login_and_logout_ends_it() {
    let server = TestServer::start().await;
    let mut c = server.client().await;
    // Ping works before login; everything else is refused.
    assert!(matches!(c.ok(Request::Ping).await, Reply::Pong { .. }));
    assert_eq!(
        c.err_code(Request::Conversations).await,
        codes::NOT_LOGGED_IN
    );
    assert_eq!(
        c.err_code(Request::Send(req::Send {
            message: text("bob", "m1", "hi")
        }))
        .await,
        codes::NOT_LOGGED_IN
    );
    assert_eq!(
        c.err_code(Request::Sync(req::Sync {
            since: 0,
            limit: 10
        }))
        .await,
        codes::NOT_LOGGED_IN
    );
    // A failed login leaves the session logged out.
    let bad = usersig::generate(APP, "nope", "alice", 3600, now());
    c.err_code(Request::Login(req::Login {
        user_id: "alice".into(),
        user_sig: bad,
    }))
    .await;
    assert_eq!(
        c.err_code(Request::Conversations).await,
        codes::NOT_LOGGED_IN
    );

    c.login("alice").await;
    assert!(matches!(
        c.ok(Request::Conversations).await,
        Reply::Conversations { .. }
    ));
    assert!(matches!(c.ok(Request::Logout).await, Reply::Done));
    assert_eq!(
        c.err_code(Request::Conversations).await,
        codes::NOT_LOGGED_IN
    );
    // After logout the socket gets no pushes for the old user.
    let mut bob = server.login("bob").await;
    bob.send(text("alice", "b1", "hello?")).await;
    c.expect_quiet().await;
    // And may log in as someone else.
    c.login("carol").await;
}
