//! The web pages: the customer portal and the agent workspace, rendered on the server with
//! compile-time-checked templates (askama), htmx for partial updates, Server-Sent Events
//! for the live queue. Every word comes from the catalogues (`locales/web.*.txt`).

mod agent;
mod assets;
mod chat;
mod csrf;
mod form;
mod page;
mod policy;
mod portal;
pub(crate) mod upload;

use crate::AppState;
use axum::Router;

/// Routes of the portal, the workspace and the embedded assets.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(portal::router())
        .merge(agent::router())
        .merge(policy::router())
        .merge(chat::router())
        // Forms may carry evidence files; the API keeps its own 1 MiB limit.
        .layer(axum::extract::DefaultBodyLimit::max(upload::MAX_FORM_BYTES))
}

/// What answers a path nothing else serves: the API's JSON error under `/api/`, for a
/// program; a page for a person anywhere else.
pub async fn not_found(
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return crate::error::ApiError::NotFound.into_response();
    }
    let t = crate::i18n::Tr(page::locale(&uri, &headers));
    page::message(
        &uri,
        t,
        axum::http::StatusCode::NOT_FOUND,
        "web.not_found",
        "web.not_found.text",
    )
}
