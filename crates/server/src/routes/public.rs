//! What customers reach without signing in: the intake form's endpoint and tracking (TR-2).

use super::intake::{self, NewTicketBody};
use crate::AppState;
use crate::auth::digest;
use crate::body::{Fields, Read, ReadBody, Valid};
use crate::dto::{CreatedTicket, PublicTicketDto};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use hotro_core::codes::TicketCode;
use hotro_core::intake::Source;
use hotro_core::text::limits;
use hotro_core::{Actor, FieldError};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Intake and tracking for customers.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_ticket))
        .routes(routes!(track_ticket))
        .routes(routes!(track_by_contact))
}

/// A customer's lookup of their ticket without the tracking link: the code and the e-mail or
/// phone they gave at intake.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackBody {
    /// Ticket code, e.g. HT-2026-000123.
    #[schema(max_length = 32)]
    pub code: String,
    /// The e-mail (any case) or phone (any spacing) given at intake.
    #[schema(max_length = 254)]
    pub contact: String,
}

impl ReadBody for TrackBody {
    fn read(f: &mut Fields) -> Self {
        TrackBody {
            code: f.string("code").unwrap_or_default(),
            contact: f.string("contact").unwrap_or_default(),
        }
    }

    /// An empty field is `required`, an over-long one `max_length`, after the unknown ones.
    fn after(&self, errors: &mut Vec<FieldError>) {
        for (field, value, max) in [
            ("code", &self.code, 32),
            ("contact", &self.contact, limits::EMAIL),
        ] {
            if errors.iter().any(|e| e.field == field) {
                continue;
            }
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "required"));
            } else if value.chars().count() > max {
                errors.push(FieldError::new(field, "max_length"));
            }
        }
    }
}

/// The customer's view of their ticket, by code and the e-mail or phone given at intake, for
/// a customer who lost the tracking link. An e-mail is compared in any case, a phone by its
/// digits; an unknown code and a wrong contact are answered with the same 404.
#[utoipa::path(
    post, path = "/api/v1/public/track", tag = "public",
    request_body = TrackBody,
    responses(
        (status = 200, description = "What the customer may see of the ticket", body = PublicTicketDto),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 404, description = "No such ticket, or the contact is not its customer's", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
        (status = 429, description = "Too many lookups from this address; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn track_by_contact(
    State(state): State<AppState>,
    Valid(body): Valid<TrackBody>,
) -> ApiResult<Json<PublicTicketDto>> {
    let view = state
        .track_by_contact(&body.code, &body.contact)
        .await
        .map_err(|e| ApiError::from_store(e, &state.policy))?;
    Ok(Json(public_view(&state, &view)))
}

/// Files a request, complaint or feedback from the public form or an integration.
#[utoipa::path(
    post, path = "/api/v1/public/tickets", tag = "public",
    // Staff intake's handler has the same name; an operation id must be unique.
    operation_id = "create_public_ticket",
    request_body = NewTicketBody,
    responses(
        (status = 201, description = "Received", body = CreatedTicket,
            // The tracking link's call, for clients and the contract fuzzer's sequences.
            links(("track_ticket" = (operation_id = "track_ticket", parameters(
                ("code" = "$response.body#/code"),
                ("secret" = "$response.body#/tracking_secret"),
            ))))
        ),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
        (status = 429, description = "Too many submissions from this address; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    body: Read<NewTicketBody>,
) -> ApiResult<(StatusCode, Json<CreatedTicket>)> {
    intake::receive(&state, body, Source::Public, Actor::Customer).await
}

/// The customer's view of their ticket, by code and the secret from the tracking link.
/// A wrong or missing secret is answered exactly like an unknown code.
#[utoipa::path(
    get, path = "/api/v1/public/tickets/{code}", tag = "public",
    params(
        ("code" = String, Path, description = "Ticket code, e.g. HT-2026-000123"),
        ("secret" = String, Query, description = "The secret of the tracking link"),
    ),
    responses(
        (status = 200, description = "What the customer may see of the ticket", body = PublicTicketDto),
        (status = 404, description = "No such ticket, or the secret does not match", body = ErrorBody),
    )
)]
pub async fn track_ticket(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<PublicTicketDto>> {
    let code = TicketCode::parse(&code).ok_or(ApiError::NotFound)?;
    let secret = query.get("secret").ok_or(ApiError::NotFound)?;
    let view = state
        .store
        .tracked_ticket(code.as_str(), &digest(secret))
        .await
        .map_err(|e| ApiError::from_store(e, &state.policy))?;
    Ok(Json(public_view(&state, &view)))
}

/// What the customer may see of `view`, departments named as the policy names them: one shape
/// for the secret link and the lookup by contact alike.
fn public_view(state: &AppState, view: &hotro_store::TicketView) -> PublicTicketDto {
    PublicTicketDto::new(view, |id| {
        state
            .policy
            .department(id)
            .map_or_else(|| id.to_owned(), |d| d.name.clone())
    })
}
