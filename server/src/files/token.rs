//! The file token: proves to the HTTP file endpoints which user a request comes from.
//! `<expiry>.<generation>.<base64url(user)>.<base64url(HMAC-SHA256)>`, the MAC keyed with the
//! server's secret key over a domain tag, the expiry, the generation and the user ID. The
//! generation is the user's kick count when it was minted (`crate::epochs`): a kick ends every
//! earlier token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a token minted at login stays valid (a session rarely outlives it; a new login
/// mints a new one).
pub const TOKEN_SECS: u64 = 7 * 86_400;
/// Longest token accepted (a 64-character user ID in UTF-8 encodes well under this).
const MAX_TOKEN_CHARS: usize = 1024;

fn mac(key: &str, expiry: u64, generation: u64, user: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(format!("tim-file-token-2\n{expiry}\n{generation}\n{user}").as_bytes());
    mac
}

/// What a verified token says.
#[derive(Debug, PartialEq, Eq)]
pub struct Claims {
    /// The user it was minted for.
    pub user: String,
    /// The user's kick generation when it was minted.
    pub generation: u64,
}

/// A token for `user` in kick generation `generation`, valid [`TOKEN_SECS`] from `now`.
pub fn mint(key: &str, user: &str, generation: u64, now: u64) -> String {
    let expiry = now + TOKEN_SECS;
    let sig = mac(key, expiry, generation, user).finalize().into_bytes();
    format!(
        "{expiry}.{generation}.{}.{}",
        B64.encode(user),
        B64.encode(sig)
    )
}

/// What a token says, if it verifies with `key` and has not expired at `now` (the caller
/// checks the generation).
pub fn verify(key: &str, token: &str, now: u64) -> Option<Claims> {
    if token.len() > MAX_TOKEN_CHARS {
        return None;
    }
    let mut parts = token.split('.');
    let (expiry, generation, user, sig) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let expiry: u64 = expiry.parse().ok()?;
    let generation: u64 = generation.parse().ok()?;
    let user = String::from_utf8(B64.decode(user).ok()?).ok()?;
    let sig = B64.decode(sig).ok()?;
    mac(key, expiry, generation, &user)
        .verify_slice(&sig)
        .ok()?;
    (expiry > now).then_some(Claims { user, generation })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let t = mint("k", "alice", 3, 1000);
        let claims = verify("k", &t, 1000).expect("valid");
        assert_eq!((claims.user.as_str(), claims.generation), ("alice", 3));
        assert_eq!(verify("other", &t, 1000), None, "another key");
        assert_eq!(verify("k", &t, 1000 + TOKEN_SECS), None, "expired");
        let (exp, rest) = t.split_once('.').unwrap();
        let later = exp.parse::<u64>().unwrap() + 1;
        assert_eq!(
            verify("k", &format!("{later}.{rest}"), 1000),
            None,
            "expiry moved"
        );
        let mac = rest.rsplit_once('.').unwrap().1;
        let forged = format!("{exp}.3.{}.{mac}", B64.encode("bob"));
        assert_eq!(verify("k", &forged, 1000), None, "user swapped");
        let forged = format!("{exp}.4.{}.{mac}", B64.encode("alice"));
        assert_eq!(verify("k", &forged, 1000), None, "generation moved");
        assert_eq!(verify("k", "", 1000), None);
        assert_eq!(verify("k", "1.2.3.4.5", 1000), None);
    }
}
