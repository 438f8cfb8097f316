//! hotro's HTTP edge: the REST API under `/api/v1` with its OpenAPI description, the web
//! pages and the chat. Only this crate knows HTTP: a handler parses the request, calls a use
//! case of `hotro_app`, and renders the answer.

pub mod auth;
mod body;
mod dto;
pub mod error;
pub mod headers;
pub mod i18n;
mod limits;
mod origin;
mod routes;
mod web;

pub use hotro_app::{App, Clock, Settings};
pub use routes::openapi;

use axum::Router;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// Settings of the HTTP door alone.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a sign-in lasts.
    pub session_hours: i64,
    /// Public submissions one client address may make per minute, and separately chats it
    /// may start and lookups by code and contact (TR-2) it may make (SC-4: floods on public
    /// forms); 0 turns the limit off, e.g. for a load test.
    pub public_per_minute: u32,
    /// Sign-in attempts one client address may make per minute, in a budget of their own so
    /// that failed sign-ins never close public intake; 0 turns the limit off. Guessing one
    /// account's password is throttled per account besides (`core::sign_in`).
    pub sign_in_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (the limits above); from any
    /// other peer the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// MiB of public form uploads (portal forms, a customer's message with files) one client
    /// address may send per hour; 0 turns the budget off.
    pub public_upload_mib_per_hour: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            session_hours: 12,
            public_per_minute: 30,
            sign_in_per_minute: 60,
            trusted_proxies: Vec::new(),
            public_upload_mib_per_hour: 200,
        }
    }
}

/// What every handler can reach: the application (through `Deref`: `state.store`,
/// `state.policy`, `state.receive(…)`) and the HTTP settings.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<ServerConfig>,
}

impl AppState {
    pub fn new(app: App, config: ServerConfig) -> AppState {
        AppState {
            app,
            config: Arc::new(config),
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

/// The whole application: every route, with the limit on public submissions, the security
/// headers on every answer (refusals included) and request tracing.
pub fn router(state: AppState) -> Router {
    let limits = limits::Limits::new(&state.config);
    let secure_cookies = origin::origin_of(&state.settings.public_url).starts_with("https://");
    // The API and the pages are separate rooms: the pages use the API's request readers, the
    // API knows nothing of the pages.
    routes::router()
        .merge(web::router())
        .fallback(web::not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(move |req, next| {
            limits::guard(limits.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| {
            headers::apply(secure_cookies, req, next)
        }))
        .layer(TraceLayer::new_for_http())
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("can listen for SIGTERM");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
