//! UserSig minting and verification in Tencent's TLS-Sig-API v2 format, so that signatures made
//! by Tencent's official generator libraries for the same SDKAppID and key are accepted.
//!
//! A UserSig is a JSON document (`TLS.ver`, `TLS.identifier`, `TLS.sdkappid`, `TLS.expire`,
//! `TLS.time`, `TLS.sig`, optional `TLS.userbuf`), zlib-compressed (with header), base64-encoded
//! with `+`→`*`, `/`→`-`, `=`→`_`. `TLS.sig` is base64(HMAC-SHA256(key as UTF-8 bytes, lines
//! `TLS.identifier:…\nTLS.sdkappid:…\nTLS.time:…\nTLS.expire:…\n` [+ `TLS.userbuf:…\n`])).
//! The official libraries write the numeric fields as JSON numbers; older ones wrote strings,
//! so both are accepted. Pure Rust so it also builds for wasm32 (browser tests mint sigs).

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::codes;

type HmacSha256 = Hmac<Sha256>;

/// Standard alphabet; padding optional on decode because some generators drop it.
const B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A real UserSig is a few hundred bytes; anything far larger is rejected before decoding.
const MAX_SIG_CHARS: usize = 8 * 1024;
/// Latest end of validity accepted (2100-01-01T00:00:00Z). No issuer means a later one: a
/// UserSig valid until then or forever (`TLS.expire` near 2^64) is a credential that could
/// never be retired, so it is refused as malformed.
pub const LATEST_EXPIRY: u64 = 4_102_444_800;

/// Bound on the inflated document, so a crafted zlib stream cannot balloon in memory.
const MAX_DOC_BYTES: usize = 16 * 1024;

/// Why a UserSig was refused. Each maps to a distinct code in [`crate::codes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserSigError {
    /// `TLS.time + TLS.expire` is in the past.
    Expired,
    /// Not decodable: base64, zlib, JSON, a missing field or an unknown version.
    Malformed,
    /// The HMAC does not verify with this key.
    VerifyFailed,
    /// Issued for another user ID.
    IdentifierMismatch,
    /// Issued for another SDKAppID.
    SdkAppIdMismatch,
}

impl UserSigError {
    /// The error code sent to clients.
    pub fn code(&self) -> u32 {
        match self {
            UserSigError::Expired => codes::USERSIG_EXPIRED,
            UserSigError::Malformed => codes::USERSIG_MALFORMED,
            UserSigError::VerifyFailed => codes::USERSIG_VERIFY_FAILED,
            UserSigError::IdentifierMismatch => codes::USERSIG_IDENTIFIER_MISMATCH,
            UserSigError::SdkAppIdMismatch => codes::USERSIG_SDKAPPID_MISMATCH,
        }
    }
}

impl core::fmt::Display for UserSigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            UserSigError::Expired => "UserSig expired",
            UserSigError::Malformed => "UserSig malformed",
            UserSigError::VerifyFailed => "UserSig verification failed",
            UserSigError::IdentifierMismatch => "UserSig was issued for another user",
            UserSigError::SdkAppIdMismatch => "UserSig was issued for another SDKAppID",
        })
    }
}

impl std::error::Error for UserSigError {}

/// The exact text the HMAC covers, in the official libraries' field order.
fn content_to_sign(
    id: &str,
    sdk_app_id: u64,
    time: u64,
    expire: u64,
    userbuf: Option<&str>,
) -> String {
    let mut s = format!(
        "TLS.identifier:{id}\nTLS.sdkappid:{sdk_app_id}\nTLS.time:{time}\nTLS.expire:{expire}\n"
    );
    if let Some(buf) = userbuf {
        s.push_str("TLS.userbuf:");
        s.push_str(buf);
        s.push('\n');
    }
    s
}

fn mac(key: &str, content: &str) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = match HmacSha256::new_from_slice(key.as_bytes()) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(content.as_bytes());
    mac
}

/// Mints a UserSig valid from `now_secs` for `expire_secs`.
pub fn generate(
    sdk_app_id: u64,
    key: &str,
    user_id: &str,
    expire_secs: u64,
    now_secs: u64,
) -> String {
    let content = content_to_sign(user_id, sdk_app_id, now_secs, expire_secs, None);
    let sig = B64.encode(mac(key, &content).finalize().into_bytes());
    let doc = serde_json::json!({
        "TLS.ver": "2.0",
        "TLS.identifier": user_id,
        "TLS.sdkappid": sdk_app_id,
        "TLS.expire": expire_secs,
        "TLS.time": now_secs,
        "TLS.sig": sig,
    });
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(doc.to_string().as_bytes(), 6);
    B64.encode(compressed)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

/// A decoded, not yet verified document.
struct Doc {
    identifier: String,
    sdk_app_id: u64,
    time: u64,
    expire: u64,
    sig: Vec<u8>,
    userbuf: Option<String>,
}

/// Numbers as the official libraries write them, or numeric strings as older ones did.
fn as_u64(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn decode(sig: &str) -> Option<Doc> {
    if sig.is_empty() || sig.len() > MAX_SIG_CHARS {
        return None;
    }
    let b64: String = sig
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect();
    let compressed = B64.decode(b64).ok()?;
    let raw =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_DOC_BYTES).ok()?;
    let doc: Value = serde_json::from_slice(&raw).ok()?;
    let obj = doc.as_object()?;
    if obj.get("TLS.ver")?.as_str()? != "2.0" {
        return None;
    }
    let userbuf = match obj.get("TLS.userbuf") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_str()?.to_owned()),
    };
    Some(Doc {
        identifier: obj.get("TLS.identifier")?.as_str()?.to_owned(),
        sdk_app_id: as_u64(obj.get("TLS.sdkappid"))?,
        time: as_u64(obj.get("TLS.time"))?,
        expire: as_u64(obj.get("TLS.expire"))?,
        sig: B64.decode(obj.get("TLS.sig")?.as_str()?).ok()?,
        userbuf,
    })
}

/// Verifies that `sig` was minted with `key` for `user_id` on `sdk_app_id` and is still valid
/// at `now_secs`. The HMAC is checked before expiry so "expired" is only said of genuine sigs.
pub fn verify(
    sig: &str,
    sdk_app_id: u64,
    key: &str,
    user_id: &str,
    now_secs: u64,
) -> Result<(), UserSigError> {
    verify_issued(sig, sdk_app_id, key, user_id, now_secs).map(|_| ())
}

/// [`verify`], returning the sig's issue time (`TLS.time`, seconds), which a server compares
/// with the user's last revocation.
pub fn verify_issued(
    sig: &str,
    sdk_app_id: u64,
    key: &str,
    user_id: &str,
    now_secs: u64,
) -> Result<u64, UserSigError> {
    let doc = decode(sig).ok_or(UserSigError::Malformed)?;
    if doc.identifier != user_id {
        return Err(UserSigError::IdentifierMismatch);
    }
    if doc.sdk_app_id != sdk_app_id {
        return Err(UserSigError::SdkAppIdMismatch);
    }
    let content = content_to_sign(
        &doc.identifier,
        doc.sdk_app_id,
        doc.time,
        doc.expire,
        doc.userbuf.as_deref(),
    );
    // `verify_slice` compares in constant time.
    mac(key, &content)
        .verify_slice(&doc.sig)
        .map_err(|_| UserSigError::VerifyFailed)?;
    let end = doc.time.checked_add(doc.expire);
    if end.is_none_or(|end| end > LATEST_EXPIRY) {
        return Err(UserSigError::Malformed);
    }
    if end.is_some_and(|end| now_secs > end) {
        return Err(UserSigError::Expired);
    }
    Ok(doc.time)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: u64 = 1_400_000_000;
    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    // Produced once by an independent Python script that follows tencentyun/tls-sig-api-v2-python
    // line by line (hmac/hashlib/zlib/base64/json from the standard library, `json.dumps` of the
    // dict with numeric sdkappid/expire/time) with the clock fixed at TIME. The script is not kept.
    const PY_ID: &str = "xiaojun";
    const PY_TIME: u64 = 1_700_000_000;
    const PY_EXPIRE: u64 = 86_400 * 180;
    const PY_SIG: &str = "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgG3zKHM1T9D3LzdODi-OKs8vCqpxcAvydnV2SSv2cy03cPcpDnA2SMgu0nUxslWoBHdYzUg__";
    // Same script, with `TLS.userbuf` = base64("room-10000") as genPrivateMapKey would add.
    const PY_SIG_USERBUF: &str = "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgGwr8gjP9fRMzgwoN3Q1SPCrdg92cfbVd-Su9-d2CzIOK070zSiyz3ZMdjcptYc4oLU4tSipNA2lPzrUsSwo2qPB1cSz3dbS1VaoFAMi8Pag_";

    #[test]
    fn round_trip() {
        let sig = generate(APP, KEY, "alice", 3600, 1000);
        assert_eq!(verify(&sig, APP, KEY, "alice", 1000), Ok(()));
        assert_eq!(verify(&sig, APP, KEY, "alice", 4600), Ok(()));
        assert!(sig
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "*-_".contains(c)));
    }

    #[test]
    fn each_rejection_is_distinct() {
        let sig = generate(APP, KEY, "alice", 3600, 1000);
        let cases = [
            (verify(&sig, APP, KEY, "alice", 4601), UserSigError::Expired),
            (
                verify("not a sig!", APP, KEY, "alice", 1000),
                UserSigError::Malformed,
            ),
            (
                verify(&sig, APP, "other-key", "alice", 1000),
                UserSigError::VerifyFailed,
            ),
            (
                verify(&sig, APP, KEY, "bob", 1000),
                UserSigError::IdentifierMismatch,
            ),
            (
                verify(&sig, APP + 1, KEY, "alice", 1000),
                UserSigError::SdkAppIdMismatch,
            ),
        ];
        let mut codes = Vec::new();
        for (got, want) in cases {
            assert_eq!(got, Err(want));
            codes.push(want.code());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes, [70001, 70003, 70009, 70013, 70014]);
    }

    #[test]
    fn accepts_official_algorithm_output() {
        assert_eq!(verify(PY_SIG, APP, KEY, PY_ID, PY_TIME + 10), Ok(()));
        assert_eq!(
            verify(PY_SIG_USERBUF, APP, KEY, PY_ID, PY_TIME + 10),
            Ok(())
        );
        let mut flipped = KEY.to_owned();
        flipped.replace_range(0..1, "6");
        assert_eq!(
            verify(PY_SIG, APP, &flipped, PY_ID, PY_TIME + 10),
            Err(UserSigError::VerifyFailed)
        );
        assert_eq!(
            verify(PY_SIG, APP, KEY, PY_ID, PY_TIME + PY_EXPIRE + 1),
            Err(UserSigError::Expired)
        );
    }

    #[test]
    fn genuine_sigs_valid_past_2100_or_forever_are_refused() {
        let now = 1_700_000_000;
        let ok = generate(APP, KEY, "alice", LATEST_EXPIRY - now, now);
        assert_eq!(verify(&ok, APP, KEY, "alice", now), Ok(()));
        for expire in [LATEST_EXPIRY - now + 1, u64::MAX - now, u64::MAX] {
            let sig = generate(APP, KEY, "alice", expire, now);
            assert_eq!(
                verify(&sig, APP, KEY, "alice", now),
                Err(UserSigError::Malformed),
                "expire {expire}"
            );
        }
    }

    #[test]
    fn tampered_document_fails() {
        // Re-encode the Python document with a longer expiry but the original HMAC.
        let raw = decode_raw(PY_SIG).replace("15552000", "99552000");
        let forged = encode_raw(&raw);
        assert_eq!(
            verify(&forged, APP, KEY, PY_ID, PY_TIME),
            Err(UserSigError::VerifyFailed)
        );
    }

    #[test]
    fn string_numbers_are_accepted() {
        let content = content_to_sign("bob", APP, 50, 100, None);
        let sig = B64.encode(mac(KEY, &content).finalize().into_bytes());
        let raw = format!(
            r#"{{"TLS.ver":"2.0","TLS.identifier":"bob","TLS.sdkappid":"{APP}","TLS.expire":"100","TLS.time":"50","TLS.sig":"{sig}"}}"#
        );
        assert_eq!(verify(&encode_raw(&raw), APP, KEY, "bob", 60), Ok(()));
    }

    #[test]
    fn garbage_never_panics() {
        let samples = [
            "",
            "_",
            "***",
            "eJw_",
            "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIk",
            "\u{0}\u{ffff}",
            "eJwDAAAAAAE_",
        ];
        for s in samples {
            assert!(verify(s, APP, KEY, "a", 0).is_err());
        }
        for raw in [
            "[]",
            "{}",
            r#"{"TLS.ver":"1.0"}"#,
            r#"{"TLS.ver":"2.0","TLS.identifier":"a","TLS.sdkappid":-1}"#,
        ] {
            assert_eq!(
                verify(&encode_raw(raw), APP, KEY, "a", 0),
                Err(UserSigError::Malformed)
            );
        }
        let long = "A".repeat(MAX_SIG_CHARS + 1);
        assert_eq!(
            verify(&long, APP, KEY, "a", 0),
            Err(UserSigError::Malformed)
        );
    }

    fn encode_raw(raw: &str) -> String {
        let c = miniz_oxide::deflate::compress_to_vec_zlib(raw.as_bytes(), 6);
        B64.encode(c)
            .replace('+', "*")
            .replace('/', "-")
            .replace('=', "_")
    }

    fn decode_raw(sig: &str) -> String {
        let b = B64
            .decode(sig.replace('*', "+").replace('-', "/").replace('_', "="))
            .unwrap();
        String::from_utf8(miniz_oxide::inflate::decompress_to_vec_zlib(&b).unwrap()).unwrap()
    }
}
