//! The routes, one module per area, each with its own `router()`, merged here into one
//! router with one OpenAPI description.

mod consultations;
mod health;
pub(crate) mod intake;
mod mail;
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
        .merge(consultations::router())
        .merge(mail::router())
        .merge(session::router())
        .merge(tokens::router())
        .merge(staff::router())
}

/// The OpenAPI 3.1 description of everything under `/api/v1`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

pub fn router(state: AppState) -> Router {
    let (api, openapi) = api().split_for_parts();
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(api)
        .merge(crate::web::router())
        .route("/healthz", get(health::healthz))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let openapi = openapi.clone();
                async move { Json(openapi.as_ref().clone()) }
            }),
        )
        .fallback(|| async { crate::error::ApiError::NotFound })
        .with_state(state)
}
