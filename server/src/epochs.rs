//! Session epochs: what a REST kick (`im_open_login_svc/kick`) revokes. Each kick of a user
//! records the second it was committed and bumps the user's generation. A UserSig issued
//! (`TLS.time`) no later than that second no longer logs in: `TLS.time` has a one-second
//! resolution, so a sig minted in the kick's own second cannot be told from one minted just
//! before it and is refused too. File tokens carry the generation they were minted in and
//! work only while it is current, so every token from before a kick stops at once, with no
//! clock involved. The table lives in SQLite (`users.kicked_at`, `users.kick_gen`) and is
//! held here whole (only kicked users have an entry), so login and file access read memory.

use std::collections::HashMap;
use std::sync::RwLock;

/// A user's last kick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Epoch {
    /// Server time of the last kick, seconds (0: never kicked).
    pub kicked_at: u64,
    /// Number of kicks so far: the generation file tokens must carry.
    pub generation: u64,
}

/// Every kicked user's [`Epoch`].
#[derive(Debug, Default)]
pub struct SessionEpochs {
    users: RwLock<HashMap<String, Epoch>>,
}

impl SessionEpochs {
    /// The epochs persisted by earlier runs.
    pub fn new(kicked: impl IntoIterator<Item = (String, Epoch)>) -> SessionEpochs {
        SessionEpochs {
            users: RwLock::new(kicked.into_iter().collect()),
        }
    }

    /// `user`'s epoch (the default when never kicked).
    pub fn get(&self, user: &str) -> Epoch {
        let users = self.users.read().unwrap_or_else(|p| p.into_inner());
        users.get(user).copied().unwrap_or_default()
    }

    /// Records a committed kick; an older one arriving late changes nothing.
    pub fn set(&self, user: &str, epoch: Epoch) {
        let mut users = self.users.write().unwrap_or_else(|p| p.into_inner());
        let e = users.entry(user.to_owned()).or_default();
        if epoch.generation > e.generation {
            *e = epoch;
        }
    }

    /// Whether a UserSig of `user` issued at `issued` (seconds) may log in.
    pub fn admits_sig(&self, user: &str, issued: u64) -> bool {
        issued > self.get(user).kicked_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kick_refuses_sigs_up_to_its_second_and_only_moves_forward() {
        let epochs = SessionEpochs::default();
        assert!(epochs.admits_sig("alice", 1));
        let kick = Epoch {
            kicked_at: 100,
            generation: 2,
        };
        epochs.set("alice", kick);
        assert!(!epochs.admits_sig("alice", 99));
        assert!(!epochs.admits_sig("alice", 100), "same second");
        assert!(epochs.admits_sig("alice", 101));
        assert!(epochs.admits_sig("bob", 1));
        epochs.set(
            "alice",
            Epoch {
                kicked_at: 90,
                generation: 1,
            },
        );
        assert_eq!(epochs.get("alice"), kick, "a stale kick is ignored");
    }
}
