//! Static assets embedded in the binary: no front-end build step, nothing to install.

use crate::AppState;
use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

fn favicon() -> impl IntoResponse {
    asset("image/svg+xml", include_str!("../../assets/favicon.svg"))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/app.css",
            get(|| async {
                asset(
                    "text/css; charset=utf-8",
                    include_str!("../../assets/app.css"),
                )
            }),
        )
        .route(
            "/assets/htmx.min.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../assets/htmx.min.js"),
                )
            }),
        )
        .route(
            "/assets/chat_console.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../assets/chat_console.js"),
                )
            }),
        )
        .route(
            "/assets/live.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../assets/live.js"),
                )
            }),
        )
        .route(
            "/assets/print.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../assets/print.js"),
                )
            }),
        )
        .route(
            "/assets/copy.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../assets/copy.js"),
                )
            }),
        )
        // The tab's icon; browsers that ignore the page's link ask for /favicon.ico.
        .route("/assets/favicon.svg", get(|| async { favicon() }))
        .route("/favicon.ico", get(|| async { favicon() }))
        .route(
            "/assets/composer.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../assets/composer.js"),
                )
            }),
        )
}
