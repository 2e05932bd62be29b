//! Connections over a [`FakeServer`] (the server's `hub.rs` and session login state): which
//! connection is logged in as whom, and which connections receive each answer and push, in the
//! order the real server queues them on each socket.

use tim_protocol::{codes, ClientFrame, Reply, Request, ServerFrame};

use crate::{Answer, FakeServer, Push};

/// A connection of a [`FakeHub`].
pub type ConnId = usize;

#[derive(Debug, Default)]
struct Conn {
    open: bool,
    user: Option<String>,
    inbox: Vec<ServerFrame>,
}

/// A [`FakeServer`] with connections: [`FakeHub::request`] answers on the requesting
/// connection and queues the pushes on the others; [`FakeHub::take`] drains a connection.
#[derive(Debug, Default)]
pub struct FakeHub {
    /// The server state.
    pub server: FakeServer,
    conns: Vec<Conn>,
}

fn error(id: u32, code: u32, message: &str) -> ServerFrame {
    ServerFrame::Error {
        id: Some(id),
        code,
        message: message.to_owned(),
    }
}

impl FakeHub {
    pub fn new(server: FakeServer) -> FakeHub {
        FakeHub {
            server,
            conns: Vec::new(),
        }
    }

    /// A new open connection, not logged in.
    pub fn connect(&mut self) -> ConnId {
        self.conns.push(Conn {
            open: true,
            ..Conn::default()
        });
        self.conns.len() - 1
    }

    /// The connection closes: it gets nothing more.
    pub fn close(&mut self, conn: ConnId) {
        self.conns[conn] = Conn::default();
    }

    /// The user `conn` is logged in as.
    pub fn user(&self, conn: ConnId) -> Option<&str> {
        self.conns[conn].user.as_deref()
    }

    /// Everything `conn` received since the last take, in order.
    pub fn take(&mut self, conn: ConnId) -> Vec<ServerFrame> {
        std::mem::take(&mut self.conns[conn].inbox)
    }

    /// One request on `conn`: its pushes wherever they go, then its answer there.
    pub fn request(&mut self, conn: ConnId, frame: ClientFrame) {
        let ClientFrame { id, req } = frame;
        let user = self.conns[conn].user.clone();
        let answer = match (&req, user) {
            (Request::Login(r), Some(u)) if u != r.user_id => Answer {
                frame: error(id, codes::ALREADY_LOGGED_IN, "logged in as another user"),
                pushes: Vec::new(),
            },
            (Request::Login(r), _) => {
                let user = r.user_id.clone();
                let answer = self.server.answer(&user, id, req);
                if let ServerFrame::Ok {
                    data: Reply::Login { .. },
                    ..
                } = answer.frame
                {
                    self.conns[conn].user = Some(user);
                }
                answer
            }
            (Request::Ping, _) => self.server.answer("", id, req),
            (_, None) => Answer {
                frame: error(id, codes::NOT_LOGGED_IN, "log in first"),
                pushes: Vec::new(),
            },
            (Request::Logout, Some(u)) => {
                self.conns[conn].user = None;
                self.server.answer(&u, id, req)
            }
            (_, Some(u)) => self.server.answer(&u, id, req),
        };
        // As the server's committer: a write's pushes are queued before its answer.
        self.route(Some(conn), answer.pushes);
        self.conns[conn].inbox.push(answer.frame);
    }

    /// Queues `pushes` on the connections they go to; `requester` gets only those meant for it.
    pub fn route(&mut self, requester: Option<ConnId>, pushes: Vec<Push>) {
        for push in pushes {
            for (i, c) in self.conns.iter_mut().enumerate() {
                let to_user = c.open && c.user.as_deref() == Some(push.to.as_str());
                if to_user && (push.to_requester || Some(i) != requester) {
                    c.inbox.push(push.frame.clone());
                }
            }
        }
    }

    /// The REST `create_group`, its notices pushed to the members' connections.
    pub fn create_group(
        &mut self,
        group_id: &str,
        name: &str,
        owner: Option<&str>,
        members: &[&str],
    ) -> Result<(), crate::Fail> {
        let pushes = self.server.create_group(group_id, name, owner, members)?;
        self.route(None, pushes);
        Ok(())
    }

    /// The REST `add_group_member`: each user and whether it was added.
    pub fn add_members(
        &mut self,
        group_id: &str,
        members: &[&str],
    ) -> Result<crate::Added, crate::Fail> {
        let (added, pushes) = self.server.add_members(group_id, members)?;
        self.route(None, pushes);
        Ok(added)
    }
}
