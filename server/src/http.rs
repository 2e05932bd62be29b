//! The HTTP surface: routes, CORS for the cross-origin API calls of browser tests, static
//! files (the demo page at `/`, the built SDK at `/pkg/`), and the body-read timeout of every
//! route (the header-read timeout is the listener's).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http_body_util::BodyExt;
use tower_http::cors::CorsLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::{TimeoutBody, TimeoutError};

use crate::state::AppState;
use crate::{debug, files, rest, ws};

/// All routes of the server.
pub fn router(state: AppState) -> Router {
    let mut api = Router::new().route("/v4/{service}/{command}", post(rest::handle));
    if state.config.debug_endpoints {
        api = api.merge(debug::routes());
    }
    let api = api.layer(CorsLayer::permissive());
    let body_timeout = state.config.body_timeout;
    Router::new()
        .route(tim_protocol::WS_PATH, get(ws::upgrade))
        .merge(api)
        .merge(files::routes())
        .nest_service("/pkg", ServeDir::new(&state.config.pkg_dir))
        .fallback_service(ServeDir::new(&state.config.www_dir))
        .with_state(state)
        .layer(middleware::from_fn_with_state(
            body_timeout,
            limit_body_pauses,
        ))
}

/// Fails a request body that sends nothing for `pause`, and answers such a request 408 and
/// closes its connection, whatever its handler made of the failed read (its buffer is freed
/// when the handler returns).
async fn limit_body_pauses(State(pause): State<Duration>, req: Request, next: Next) -> Response {
    let stalled = Arc::new(AtomicBool::new(false));
    let seen = stalled.clone();
    let req = req.map(|body| {
        Body::new(TimeoutBody::new(pause, body).map_err(move |e| {
            if e.is::<TimeoutError>() {
                seen.store(true, Ordering::Relaxed);
            }
            e
        }))
    });
    let response = next.run(req).await;
    if stalled.load(Ordering::Relaxed) {
        tracing::debug!("request body stalled for {pause:?}");
        return (
            StatusCode::REQUEST_TIMEOUT,
            [(header::CONNECTION, "close")],
            "request body timed out\n",
        )
            .into_response();
    }
    response
}
