//! Errors of the file endpoints: an HTTP status and `{"code", "message"}` (plus `missing` for
//! an incomplete upload).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use tim_protocol::codes;

use crate::store::StoreError;

/// A refused file request.
#[derive(Debug)]
pub struct FileError {
    status: StatusCode,
    code: u32,
    message: String,
    missing: Option<Vec<u32>>,
}

impl FileError {
    /// A refusal with this status, code and reason.
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> FileError {
        FileError {
            status,
            code,
            message: message.into(),
            missing: None,
        }
    }

    /// 401: no valid file token.
    pub fn unauthorized() -> FileError {
        FileError::new(
            StatusCode::UNAUTHORIZED,
            codes::FILE_TOKEN_INVALID,
            "missing, invalid or expired file token",
        )
    }

    /// 400 `MESSAGE_FILE_UPLOAD_FAIL`.
    pub fn bad(message: impl Into<String>) -> FileError {
        FileError::new(StatusCode::BAD_REQUEST, codes::FILE_UPLOAD_FAIL, message)
    }

    /// 404 for an upload session.
    pub fn no_upload() -> FileError {
        FileError::new(
            StatusCode::NOT_FOUND,
            codes::FILE_UPLOAD_FAIL,
            "no such upload",
        )
    }

    /// 404 for a file: unknown and forbidden look the same.
    pub fn no_file() -> FileError {
        FileError::new(
            StatusCode::NOT_FOUND,
            codes::FILE_FORBIDDEN,
            "file not found",
        )
    }

    /// 503: try again (chunk being written, injected fault).
    pub fn retry(message: impl Into<String>) -> FileError {
        FileError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::FILE_UPLOAD_FAIL,
            message,
        )
    }

    /// 409 with the chunk indices still missing.
    pub fn missing(missing: Vec<u32>) -> FileError {
        FileError {
            missing: Some(missing),
            ..FileError::new(
                StatusCode::CONFLICT,
                codes::FILE_UPLOAD_FAIL,
                "chunks are missing",
            )
        }
    }

    /// 500.
    pub fn internal(message: impl Into<String>) -> FileError {
        FileError::new(StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL, message)
    }
}

impl From<StoreError> for FileError {
    fn from(e: StoreError) -> Self {
        tracing::error!("file store: {e}");
        FileError::internal(e.to_string())
    }
}

impl From<std::io::Error> for FileError {
    fn from(e: std::io::Error) -> Self {
        tracing::error!("file store: {e}");
        FileError::internal("file storage failed")
    }
}

impl IntoResponse for FileError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if let Some(missing) = self.missing {
            body["missing"] = json!(missing);
        }
        (self.status, Json(body)).into_response()
    }
}
