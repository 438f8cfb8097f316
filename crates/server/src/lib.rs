//! hotro's HTTP edge: the REST API under `/api/v1` with its OpenAPI description, and
//! authentication. Only this crate knows HTTP; rules live in `core`, SQL in `store`.

pub mod auth;
mod body;
mod dto;
pub mod error;
pub mod i18n;
pub mod inbox;
mod limits;
pub mod mail_out;
pub mod mail_poll;
mod routes;
mod web;

pub use routes::openapi;

use axum::Router;
use hotro_core::Policy;
use hotro_store::Store;
use jiff::Timestamp;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// Settings of the HTTP server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The address customers reach hotro at, for links such as the tracking link.
    pub public_url: String,
    /// How long a sign-in lasts.
    pub session_hours: i64,
    /// Public submissions and sign-in attempts one client address may make per minute
    /// (SC-4: floods on public forms); 0 turns the limit off, e.g. for a load test.
    pub public_per_minute: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            public_url: "http://127.0.0.1:8080".into(),
            session_hours: 12,
            public_per_minute: 30,
        }
    }
}

/// Where "now" comes from: the system clock in production, a chosen one in tests, so
/// that rules stay functions of their inputs.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    /// The system clock, to the millisecond: instants are stored in milliseconds, so
    /// what an answer shows is exactly what a later read returns.
    pub fn system() -> Clock {
        Clock(Arc::new(|| {
            Timestamp::from_millisecond(Timestamp::now().as_millisecond())
                .expect("the system clock is within jiff's range")
        }))
    }

    pub fn from_fn(f: impl Fn() -> Timestamp + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    pub fn now(&self) -> Timestamp {
        (self.0)()
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub policy: Arc<Policy>,
    pub config: Arc<ServerConfig>,
    pub clock: Clock,
}

/// The whole application: every route, with request tracing.
pub fn router(state: AppState) -> Router {
    let limiter = limits::PublicLimiter::new(state.config.public_per_minute);
    routes::router(state)
        .layer(axum::middleware::from_fn(move |req, next| {
            limits::guard(limiter.clone(), req, next)
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
