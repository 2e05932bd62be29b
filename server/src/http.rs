//! The HTTP surface: routes, CORS for the cross-origin API calls of browser tests, and static
//! files (the demo page at `/`, the built SDK at `/pkg/`).

use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::CorsLayer;
use tower_http::services::ServeDir;

use crate::state::AppState;
use crate::{debug, files, rest, ws};

/// All routes of the server.
pub fn router(state: AppState) -> Router {
    let mut api = Router::new().route("/v4/{service}/{command}", post(rest::handle));
    if state.config.debug_endpoints {
        api = api.merge(debug::routes());
    }
    let api = api.layer(CorsLayer::permissive());
    Router::new()
        .route(tim_protocol::WS_PATH, get(ws::upgrade))
        .merge(api)
        .merge(files::routes())
        .nest_service("/pkg", ServeDir::new(&state.config.pkg_dir))
        .fallback_service(ServeDir::new(&state.config.www_dir))
        .with_state(state)
}
