//! `GET /files/{fileID}?tk=`: the file, if the token's user may read it, streamed from the
//! blob store with its type and length; a single `Range: bytes=` gives 206.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use super::{valid_id, FileError};
use crate::state::AppState;
use crate::store::sqlite::files as sql;

/// Bytes read from disk per body frame.
const READ_CHUNK: usize = 256 * 1024;

/// What a `Range` header asks of a `size`-byte file.
#[derive(Debug, PartialEq, Eq)]
enum Want {
    /// The whole file (no header, or one we ignore as RFC 9110 allows: several ranges or
    /// another unit or a malformed one).
    All,
    /// Bytes `start..start + len`.
    Part { start: u64, len: u64 },
    /// Not satisfiable: 416.
    Unsatisfiable,
}

fn want(range: Option<&HeaderValue>, size: u64) -> Want {
    let Some(spec) = range
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().strip_prefix("bytes="))
    else {
        return Want::All;
    };
    if spec.contains(',') {
        return Want::All;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Want::All;
    };
    let (a, b) = (a.trim(), b.trim());
    let num = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (a.is_empty(), num(a), num(b)) {
        // `bytes=-n`: the last n bytes.
        (true, _, Some(n)) if n > 0 && size > 0 => {
            let len = n.min(size);
            Want::Part {
                start: size - len,
                len,
            }
        }
        (true, _, Some(_)) => Want::Unsatisfiable,
        (false, Some(start), end) if b.is_empty() || end.is_some() => {
            if start >= size {
                return Want::Unsatisfiable;
            }
            let last = end.unwrap_or(u64::MAX).min(size - 1);
            if last < start {
                return Want::All; // `a-b` with b < a is invalid: ignored
            }
            Want::Part {
                start,
                len: last - start + 1,
            }
        }
        _ => Want::All,
    }
}

/// `GET /files/{id}`.
pub async fn get(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, FileError> {
    let files = &state.files;
    let user = files.user(q.get("tk").map(String::as_str))?;
    let id = match id {
        Ok(Path(id)) if valid_id(&id) => id,
        _ => return Err(FileError::no_file()),
    };
    let file = files
        .db
        .call(move |c| sql::readable(c, &user, &id))
        .await?
        .ok_or_else(FileError::no_file)?;
    let size = file.size;
    let (status, start, len) = match want(headers.get(header::RANGE), size) {
        Want::All => (StatusCode::OK, 0, size),
        Want::Part { start, len } => (StatusCode::PARTIAL_CONTENT, start, len),
        Want::Unsatisfiable => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response())
        }
    };
    let blobs = files.blobs.clone();
    let key = file.sha256.clone();
    let reader = tokio::task::spawn_blocking(move || blobs.open(&key, start, len))
        .await
        .map_err(|e| FileError::internal(e.to_string()))?
        .map_err(|e| {
            tracing::error!(file = %file.id, "blob unreadable: {e}");
            FileError::no_file()
        })?;
    let mut res = Response::new(Body::from_stream(ReaderStream::with_capacity(
        reader, READ_CHUNK,
    )));
    *res.status_mut() = status;
    let h = res.headers_mut();
    let mime = HeaderValue::from_str(&file.mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, mime);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    // Uploaded content is not trusted: no sniffing, and never active on our origin.
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    if status == StatusCode::PARTIAL_CONTENT {
        let range = format!("bytes {start}-{}/{size}", start + len - 1);
        if let Ok(v) = HeaderValue::from_str(&range) {
            h.insert(header::CONTENT_RANGE, v);
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str, size: u64) -> Want {
        want(Some(&HeaderValue::from_str(s).unwrap()), size)
    }

    #[test]
    fn ranges() {
        assert_eq!(want(None, 10), Want::All);
        assert_eq!(w("bytes=0-3", 10), Want::Part { start: 0, len: 4 });
        assert_eq!(w("bytes=5-", 10), Want::Part { start: 5, len: 5 });
        assert_eq!(w("bytes=8-100", 10), Want::Part { start: 8, len: 2 });
        assert_eq!(w("bytes=-3", 10), Want::Part { start: 7, len: 3 });
        assert_eq!(w("bytes=-30", 10), Want::Part { start: 0, len: 10 });
        assert_eq!(w("bytes=10-", 10), Want::Unsatisfiable);
        assert_eq!(w("bytes=-0", 10), Want::Unsatisfiable);
        assert_eq!(w("bytes=5-2", 10), Want::All);
        assert_eq!(w("bytes=0-1,4-5", 10), Want::All);
        assert_eq!(w("items=0-1", 10), Want::All);
        assert_eq!(w("bytes=x-1", 10), Want::All);
        assert_eq!(w("bytes=+1-2", 10), Want::All);
    }
}
