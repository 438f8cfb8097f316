//! Flood protection for the entry points anyone may use (SC-4): each client address gets a
//! budget per minute for each door on its own — public intake, chat, sign-in, tracking by
//! code and contact — so that using
//! up one (failed sign-ins, say) does not close the others; past it, 429 with `Retry-After`.
//! Staff calls with a token are not limited here: they are authenticated and accountable.
//! Guessing one account's password from many addresses is `core::sign_in`'s to stop.
//!
//! The client address is the connection's, unless the connection comes from a reverse proxy
//! named in the settings: then it is the right-most address of `X-Forwarded-For` that is not
//! one of those proxies. A header from anyone else is ignored, since anyone can write one.

use crate::ServerConfig;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// One door's per-address budget, or none when its limit is off.
#[derive(Clone)]
struct Bucket(Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>);

impl Bucket {
    fn new(per_minute: u32) -> Bucket {
        Bucket(NonZeroU32::new(per_minute).map(|n| {
            // The whole minute's budget may be spent at once (a family filing together, an
            // office signing in at eight), then it refills evenly.
            Arc::new(RateLimiter::keyed(Quota::per_minute(n).allow_burst(n)))
        }))
    }
}

/// The doors' budgets and the proxies whose `X-Forwarded-For` is believed.
#[derive(Clone)]
pub struct Limits {
    intake: Bucket,
    chat: Bucket,
    sign_in: Bucket,
    /// Tracking by code and contact (TR-2): its own budget, so guessing contacts cannot be
    /// paid for with the intake budget nor close intake to a customer who has to search.
    track: Bucket,
    /// Public uploads, counted in KiB per hour: a form refused by the rules stores nothing,
    /// but accepted forms full of files could still fill the disk from one address.
    uploads: Bucket,
    trusted: Arc<[IpAddr]>,
}

impl Limits {
    pub fn new(config: &ServerConfig) -> Limits {
        Limits {
            intake: Bucket::new(config.public_per_minute),
            chat: Bucket::new(config.public_per_minute),
            sign_in: Bucket::new(config.sign_in_per_minute),
            track: Bucket::new(config.public_per_minute),
            uploads: Bucket(
                NonZeroU32::new(config.public_upload_mib_per_hour.saturating_mul(1024))
                    .map(|kib| Arc::new(RateLimiter::keyed(Quota::per_hour(kib).allow_burst(kib)))),
            ),
            trusted: config
                .trusted_proxies
                .iter()
                .map(|a| a.to_canonical())
                .collect(),
        }
    }

    /// The bucket of a request anyone may send, if it is one.
    fn bucket(&self, method: &Method, path: &str) -> Option<&Bucket> {
        if method != Method::POST {
            return None;
        }
        match path {
            "/api/v1/auth/login" | "/agent/login" => Some(&self.sign_in),
            "/chat/start" => Some(&self.chat),
            "/api/v1/public/tickets" => Some(&self.intake),
            "/api/v1/public/track" | "/track" => Some(&self.track),
            _ if path.starts_with("/new/") => Some(&self.intake),
            _ => None,
        }
    }
}

/// The client's address: the peer's, or — when the peer is a trusted proxy — the right-most
/// `X-Forwarded-For` entry that is not a trusted proxy. Each proxy appends the address it got
/// the request from, so the entries left of that one are the client's own words.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(&peer) {
        return peer;
    }
    // Several headers are one list, in order.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A hop a trusted proxy wrote is an address, perhaps with a port; anything else means
        // the chain cannot be followed further, and the last trusted hop is all we know.
        let Some(addr) = parse_hop(hop) else {
            break;
        };
        client = addr;
        if !trusted.contains(&addr) {
            break;
        }
    }
    client
}

fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|a| a.to_canonical())
}

/// Whether the request is a public form that may carry files: a portal form, or a customer's
/// action on the tracking page.
fn public_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && (path.starts_with("/new/") || path.starts_with("/track/"))
}

/// A public upload's cost in KiB: its declared length, or the largest form when it declares
/// none (a chunked body is read up to that limit).
fn upload_kib(headers: &HeaderMap) -> u32 {
    let bytes = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(crate::web::upload::MAX_FORM_BYTES as u64);
    u32::try_from(bytes.div_ceil(1024))
        .unwrap_or(u32::MAX)
        .max(1)
}

pub async fn guard(limits: Limits, req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    if let Bucket(Some(limiter)) = &limits.uploads
        && public_upload(req.method(), req.uri().path())
    {
        let addr = client_address(peer, req.headers(), &limits.trusted);
        let kib = NonZeroU32::new(upload_kib(req.headers())).unwrap_or(NonZeroU32::MIN);
        match limiter.check_key_n(&addr, kib) {
            Ok(Ok(())) => {}
            Ok(Err(not_until)) => {
                let wait = not_until
                    .wait_time_from(governor::clock::Clock::now(
                        &governor::clock::DefaultClock::default(),
                    ))
                    .as_secs()
                    .max(1);
                tracing::warn!(%addr, path = req.uri().path(), "upload budget spent");
                return ApiError::RateLimited(wait).into_response();
            }
            // More than a whole hour's budget in one request: no wait would let it through.
            Err(_) => {
                return ApiError::TooLarge(crate::web::upload::MAX_FORM_BYTES).into_response();
            }
        }
    }
    if let Some(Bucket(Some(limiter))) = limits.bucket(req.method(), req.uri().path()) {
        let addr = client_address(peer, req.headers(), &limits.trusted);
        if let Err(not_until) = limiter.check_key(&addr) {
            let wait = not_until
                .wait_time_from(governor::clock::Clock::now(
                    &governor::clock::DefaultClock::default(),
                ))
                .as_secs()
                .max(1);
            tracing::warn!(%addr, path = req.uri().path(), "rate-limited");
            return ApiError::RateLimited(wait).into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn sc4_the_client_is_the_right_most_untrusted_hop_behind_a_trusted_proxy() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        let proxy = ip("10.0.0.1");
        // The client's own claim (left) is not believed; the proxy's entry (right) is.
        let h = headers(&["1.1.1.1, 203.0.113.7"]);
        assert_eq!(client_address(proxy, &h, &trusted), ip("203.0.113.7"));
        // Two trusted proxies in a row; two headers read as one list.
        let h = headers(&["1.1.1.1", "203.0.113.7, 10.0.0.2"]);
        assert_eq!(client_address(proxy, &h, &trusted), ip("203.0.113.7"));
        // With a port, and IPv6.
        let h = headers(&["[2001:db8::5]:4711"]);
        assert_eq!(client_address(proxy, &h, &trusted), ip("2001:db8::5"));
        // No header, or nonsense: the proxy itself is all that is known.
        assert_eq!(client_address(proxy, &HeaderMap::new(), &trusted), proxy);
        let h = headers(&["203.0.113.7, not-an-address"]);
        assert_eq!(client_address(proxy, &h, &trusted), proxy);
        // An untrusted peer's header is ignored.
        let h = headers(&["203.0.113.7"]);
        assert_eq!(
            client_address(ip("198.51.100.9"), &h, &trusted),
            ip("198.51.100.9")
        );
        // An IPv4 peer seen through an IPv6 socket is the same address.
        let h = headers(&["203.0.113.7"]);
        assert_eq!(
            client_address(ip("::ffff:10.0.0.1"), &h, &trusted),
            ip("203.0.113.7")
        );
    }
}
