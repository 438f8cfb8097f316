//! Flood protection for the public entry points (SC-4): each client address gets a small
//! budget of submissions and sign-in attempts per minute; past it, 429 with `Retry-After`.
//! Staff calls with a token are not limited here: they are authenticated and accountable.

use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// The per-address limiter, or none when the limit is off.
#[derive(Clone)]
pub struct PublicLimiter(Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>);

impl PublicLimiter {
    pub fn new(per_minute: u32) -> PublicLimiter {
        PublicLimiter(NonZeroU32::new(per_minute).map(|n| {
            // The whole minute's budget may be spent at once (a family filing together),
            // then it refills evenly.
            Arc::new(RateLimiter::keyed(Quota::per_minute(n).allow_burst(n)))
        }))
    }
}

/// The requests that anyone may send: public intake (API and forms) and sign-in.
fn is_public_submission(method: &Method, path: &str) -> bool {
    method == Method::POST
        && (path == "/api/v1/public/tickets"
            || path == "/api/v1/auth/login"
            || path == "/agent/login"
            || path == "/chat/start"
            || path.starts_with("/new/"))
}

pub async fn guard(limiter: PublicLimiter, req: Request, next: Next) -> Response {
    if let Some(limiter) = &limiter.0
        && is_public_submission(req.method(), req.uri().path())
    {
        let addr = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        if let Err(not_until) = limiter.check_key(&addr) {
            let wait = not_until
                .wait_time_from(governor::clock::Clock::now(
                    &governor::clock::DefaultClock::default(),
                ))
                .as_secs()
                .max(1);
            tracing::warn!(%addr, "public submissions rate-limited");
            return ApiError::RateLimited(wait).into_response();
        }
    }
    next.run(req).await
}
