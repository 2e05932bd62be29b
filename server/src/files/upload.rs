//! The upload endpoints: create a session, report it, store a chunk, complete.
//!
//! A chunk is read into memory (at most one chunk: longer bodies are cut off while streaming),
//! checked against its expected length and `x-chunk-sha256`, and only then written at its
//! offset into the session's temp file and recorded with its hash. Chunks are not synced one
//! by one: completion re-hashes every chunk (a chunk lost in a crash is reported missing) and
//! the whole file, syncs it once and moves it into the blob store.

use std::io::Read as _;
use std::os::unix::fs::FileExt as _;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tim_protocol::{codes, FILE_URL_PREFIX};

use super::{hex, random_id, FileError, Files, CHUNK_HASH_HEADER, CHUNK_SIZE, TOKEN_HEADER};
use crate::state::AppState;
use crate::store::sqlite::files::{self as sql, FileRow, Upload};
use crate::time::now_secs;

/// Longest stored file name, in characters.
const MAX_NAME_CHARS: usize = 255;

type Answer = Result<Json<Value>, FileError>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewUpload {
    size: u64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    mime: String,
}

fn token(headers: &HeaderMap) -> Option<&str> {
    headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok())
}

/// A MIME type safe to send back as `Content-Type`, else `application/octet-stream`.
fn clean_mime(mime: &str) -> String {
    let ok = mime.len() <= 127
        && mime.contains('/')
        && mime.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    match ok {
        true => mime.to_ascii_lowercase(),
        false => "application/octet-stream".into(),
    }
}

fn clean_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect()
}

/// `POST /files/uploads`.
pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let files = &state.files;
    let user = files.user(token(&headers))?;
    let req: NewUpload = serde_json::from_slice(&body)
        .map_err(|e| FileError::bad(format!("bad upload request: {e}")))?;
    if req.size == 0 {
        return Err(FileError::new(
            StatusCode::BAD_REQUEST,
            codes::FILE_IS_EMPTY,
            "the file is empty",
        ));
    }
    if req.size > files.max_size {
        return Err(FileError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::FILE_SIZE_LIMIT,
            format!("files are limited to {} bytes", files.max_size),
        ));
    }
    let upload = Upload {
        id: random_id()?,
        user,
        size: req.size,
        chunk_size: CHUNK_SIZE,
        name: clean_name(&req.name),
        mime: clean_mime(&req.mime),
        created: now_secs(),
        file_id: None,
    };
    let temp = files.temp_path(&upload.id);
    let size = upload.size;
    tokio::task::spawn_blocking(move || std::fs::File::create(&temp)?.set_len(size))
        .await
        .map_err(|e| FileError::internal(e.to_string()))??;
    let limits = state.quotas.limits();
    let (max_count, max_bytes) = (u64::from(limits.max_open_uploads), limits.max_upload_bytes);
    let since = now_secs().saturating_sub(files.ttl);
    let row = upload.clone();
    // Counted and inserted under the file db's one connection, so concurrent creates cannot
    // both take the last place.
    let created = files
        .db
        .call(move |c| {
            let (count, bytes) = sql::open_uploads_of(c, &row.user, since)?;
            if count >= max_count || bytes.saturating_add(row.size) > max_bytes {
                return Ok(false);
            }
            sql::create_upload(c, &row).map(|()| true)
        })
        .await;
    if !matches!(created, Ok(true)) {
        let _ = tokio::fs::remove_file(files.temp_path(&upload.id)).await;
        return Err(match created {
            Err(e) => e.into(),
            _ => FileError::new(
                StatusCode::TOO_MANY_REQUESTS,
                codes::UPLOAD_QUOTA,
                format!(
                    "at most {max_count} incomplete uploads of {max_bytes} bytes in all per user"
                ),
            ),
        });
    }
    Ok(Json(
        json!({"uploadID": upload.id, "chunkSize": upload.chunk_size, "received": []}),
    ))
}

/// `GET /files/uploads/{id}`.
pub async fn status(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer {
    let files = &state.files;
    let user = files.user(token(&headers))?;
    let Ok(Path(id)) = id else {
        return Err(FileError::no_upload());
    };
    let u = files.session(&id, &user).await?;
    let received = match u.file_id {
        Some(_) => (0..u.chunks()).collect(),
        None => files.db.call(move |c| sql::received(c, &id)).await?,
    };
    let mut answer = json!({
        "uploadID": u.id, "chunkSize": u.chunk_size, "size": u.size, "received": received,
    });
    if let Some(file_id) = u.file_id {
        answer["fileID"] = json!(file_id);
    }
    Ok(Json(answer))
}

/// Reads at most `limit` bytes of `body`; `None` if it is longer (reading stops there).
async fn read_bounded(body: Body, limit: u64) -> Result<Option<Vec<u8>>, FileError> {
    let mut stream = body.into_data_stream();
    let mut buf = Vec::with_capacity(usize::try_from(limit).unwrap_or(0));
    while let Some(frame) = stream.next().await {
        let frame = frame.map_err(|e| FileError::bad(format!("upload interrupted: {e}")))?;
        if (buf.len() + frame.len()) as u64 > limit {
            return Ok(None);
        }
        buf.extend_from_slice(&frame);
    }
    Ok(Some(buf))
}

/// `PUT /files/uploads/{id}/{index}`.
pub async fn put_chunk(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Answer {
    let files = &state.files;
    let user = files.user(token(&headers))?;
    let Ok(Path((id, index))) = path else {
        return Err(FileError::no_upload());
    };
    // Held until the chunk is stored: a chunk in progress holds up to 4 MiB of memory.
    let Some(_put) = state.quotas.start_chunk_put(&user) else {
        return Err(FileError::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::OVER_FREQUENCY_LIMIT,
            "too many chunk uploads in progress for this user",
        ));
    };
    let u = files.session(&id, &user).await?;
    let idx: u32 = index
        .parse()
        .ok()
        .filter(|i| *i < u.chunks())
        .ok_or_else(|| FileError::bad("no such chunk index"))?;
    let expected = u.chunk_len(idx);
    let want = headers
        .get(CHUNK_HASH_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.len() == 64)
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| FileError::bad("x-chunk-sha256 must be a hex SHA-256"))?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n != expected) {
        return Err(FileError::bad(format!(
            "chunk {idx} must be {expected} bytes"
        )));
    }
    if files.stats.fault_now() {
        let _ = read_bounded(body, expected).await;
        return Err(FileError::retry("injected fault"));
    }
    if u.file_id.is_some() {
        return Ok(Json(json!({"received": u.chunks()})));
    }
    let (id2, already) = (id.clone(), idx);
    if files
        .db
        .call(move |c| sql::has_chunk(c, &id2, already))
        .await?
    {
        // Idempotent: read and drop the body, keep the stored chunk.
        let _ = read_bounded(body, expected).await;
        return Ok(Json(json!({"received": received_count(files, &id).await?})));
    }
    let Some(data) = read_bounded(body, expected).await? else {
        return Err(FileError::bad(format!(
            "chunk {idx} is longer than {expected} bytes"
        )));
    };
    if data.len() as u64 != expected {
        return Err(FileError::bad(format!(
            "chunk {idx} must be {expected} bytes"
        )));
    }
    if hex(&Sha256::digest(&data)) != want {
        return Err(FileError::bad(format!(
            "chunk {idx} does not match its SHA-256"
        )));
    }
    let Some(_busy) = files.claim(&id, idx) else {
        return Err(FileError::retry("this chunk is being written"));
    };
    let count = write_chunk(files, &u, idx, data, want).await?;
    Ok(Json(json!({"received": count})))
}

async fn received_count(files: &Files, id: &str) -> Result<u32, FileError> {
    let id = id.to_owned();
    Ok(files.db.call(move |c| sql::received(c, &id)).await?.len() as u32)
}

/// Writes a verified chunk at its offset, syncs it, then records it (unless a concurrent PUT
/// of the same chunk got there first).
async fn write_chunk(
    files: &Arc<Files>,
    u: &Upload,
    idx: u32,
    data: Vec<u8>,
    sha256: String,
) -> Result<u32, FileError> {
    let (id, len) = (u.id.clone(), data.len() as u64);
    if files.db.call(move |c| sql::has_chunk(c, &id, idx)).await? {
        return received_count(files, &u.id).await;
    }
    let temp = files.temp_path(&u.id);
    let offset = u64::from(idx) * u.chunk_size;
    tokio::task::spawn_blocking(move || {
        let f = std::fs::OpenOptions::new().write(true).open(temp)?;
        f.write_all_at(&data, offset)
    })
    .await
    .map_err(|e| FileError::internal(e.to_string()))??;
    let id = u.id.clone();
    let count = files
        .db
        .call(move |c| sql::add_chunk(c, &id, idx, &sha256))
        .await?;
    files.stats.chunk_written(&u.id, idx, u.chunks(), len);
    Ok(count)
}

/// `POST /files/uploads/{id}/complete`.
pub async fn complete(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer {
    let files = &state.files;
    let user = files.user(token(&headers))?;
    let Ok(Path(id)) = id else {
        return Err(FileError::no_upload());
    };
    let u = files.session(&id, &user).await?;
    if let Some(file_id) = &u.file_id {
        return Ok(done(file_id, u.size));
    }
    let Some(_busy) = files.claim(&id, u32::MAX) else {
        return Err(FileError::retry("this upload is being completed"));
    };
    let id2 = id.clone();
    let recorded = files.db.call(move |c| sql::chunk_hashes(c, &id2)).await?;
    let missing: Vec<u32> = (0..u.chunks())
        .filter(|i| recorded.binary_search_by_key(i, |(idx, _)| *idx).is_err())
        .collect();
    if !missing.is_empty() {
        return Err(FileError::missing(missing));
    }
    let temp = files.temp_path(&id);
    let (chunk_size, size) = (u.chunk_size, u.size);
    let (sha256, hashes) = tokio::task::spawn_blocking(move || hash_file(&temp, size, chunk_size))
        .await
        .map_err(|e| FileError::internal(e.to_string()))??;
    let lost: Vec<u32> = recorded
        .iter()
        .filter(|(idx, sha)| hashes.get(*idx as usize) != Some(sha))
        .map(|(idx, _)| *idx)
        .collect();
    if !lost.is_empty() {
        tracing::warn!(upload = %id, ?lost, "chunks lost since they were stored");
        let (id2, lost2) = (id.clone(), lost.clone());
        files
            .db
            .call(move |c| sql::drop_chunks(c, &id2, &lost2))
            .await?;
        return Err(FileError::missing(lost));
    }
    let temp = files.temp_path(&id);
    let (blobs, key) = (files.blobs.clone(), sha256.clone());
    tokio::task::spawn_blocking(move || blobs.put(&temp, &key))
        .await
        .map_err(|e| FileError::internal(e.to_string()))??;
    let file = FileRow {
        id: random_id()?,
        sha256,
        size: u.size,
        mime: u.mime.clone(),
        name: u.name.clone(),
        uploader: u.user.clone(),
        created: now_secs(),
    };
    let row = file.clone();
    files.db.call(move |c| sql::complete(c, &id, &row)).await?;
    Ok(done(&file.id, file.size))
}

fn done(file_id: &str, size: u64) -> Json<Value> {
    Json(json!({"fileID": file_id, "url": format!("{FILE_URL_PREFIX}{file_id}"), "size": size}))
}

/// Syncs the file at `path` (which must hold exactly `size` bytes) and hashes it: the whole
/// file's SHA-256 and each `chunk_size` chunk's, in one pass.
fn hash_file(
    path: &std::path::Path,
    size: u64,
    chunk_size: u64,
) -> std::io::Result<(String, Vec<String>)> {
    let mut f = std::fs::File::open(path)?;
    if f.metadata()?.len() != size {
        return Err(std::io::Error::other("upload temp file has the wrong size"));
    }
    f.sync_all()?;
    let (mut whole, mut chunks) = (Sha256::new(), Vec::new());
    let mut buf = vec![0u8; usize::try_from(chunk_size).unwrap_or(1 << 20)];
    loop {
        let mut n = 0;
        while n < buf.len() {
            match f.read(&mut buf[n..])? {
                0 => break,
                k => n += k,
            }
        }
        if n == 0 {
            break;
        }
        whole.update(&buf[..n]);
        chunks.push(hex(&Sha256::digest(&buf[..n])));
    }
    Ok((hex(&whole.finalize()), chunks))
}
