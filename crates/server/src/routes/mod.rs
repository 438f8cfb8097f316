//! The routes, one module per area, each with its own `router()`, merged here into one
//! router with one OpenAPI description.

mod attention;
mod consultations;
pub(crate) mod customers;
mod desk;
mod health;
pub(crate) mod intake;
mod mail;
mod policy;
mod public;
mod queue;
pub(crate) mod search;
mod session;
mod staff;
mod tickets;
mod tokens;

use crate::AppState;
use crate::error::ErrorBody;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hotro",
        description = "Helpdesk API: intake from every channel, department queues, replies \
                       under the service policy. Staff calls need a bearer token \
                       (`hotro token create`) or a session cookie (`POST /api/v1/auth/login`).",
    ),
    modifiers(&Security),
    components(schemas(ErrorBody)),
    tags(
        (name = "public", description = "Customer-facing: intake and tracking, no sign-in"),
        (name = "tickets", description = "Staff work on tickets"),
        (name = "session", description = "Signing in and out"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// The API routes with their OpenAPI description.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(public::router())
        .merge(tickets::router())
        .merge(queue::router())
        .merge(search::router())
        .merge(customers::router())
        .merge(policy::router())
        .merge(consultations::router())
        .merge(attention::router())
        .merge(desk::router())
        .merge(mail::router())
        .merge(session::router())
        .merge(tokens::router())
        .merge(staff::router())
}

/// The OpenAPI 3.1 description of everything under `/api/v1`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api().into_openapi();
    describe_cookie_rule(&mut doc);
    doc
}

/// Every staff write may be refused 403 when it signs in by the session cookie without
/// JSON from hotro's own origin (`crate::origin`); the rule applies to all of them, so it is
/// described here once rather than on each route.
fn describe_cookie_rule(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let refused = ResponseBuilder::new()
        .description(
            "Signed in by the session cookie, but not `Content-Type: application/json` \
             or not from hotro's own origin; `rule` names which",
        )
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody"))))
                .build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        let writes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in writes.into_iter().flatten() {
            let staff_only = op.security.as_ref().is_some_and(|s| !s.is_empty());
            if staff_only {
                op.responses
                    .responses
                    .entry("403".to_owned())
                    .or_insert_with(|| RefOr::T(refused.clone()));
            }
        }
    }
}

/// The API, its OpenAPI description and the health check, for `crate::router` to join with
/// the pages.
pub fn router() -> Router<AppState> {
    let (api, mut openapi) = api().split_for_parts();
    describe_cookie_rule(&mut openapi);
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(api)
        .route("/healthz", get(health::healthz))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let openapi = openapi.clone();
                async move { Json(openapi.as_ref().clone()) }
            }),
        )
}
