//! Intake shared by the public form and staff on a customer's behalf (CH-2, CH-4, CH-6).

use super::parse;
use crate::AppState;
use crate::body::{Fields, JsonObject};
use crate::dto::CreatedTicket;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::http::StatusCode;
use hotro_core::intake::{NewTicket, Source};
use hotro_core::{Actor, FieldError};

pub use hotro_app::intake::Recorded;

/// Checks a submission (with any shape errors already found) and records the ticket, through
/// the intake use case every door shares.
pub async fn record(
    state: &AppState,
    input: &NewTicket,
    shape: Vec<FieldError>,
    source: Source,
    actor: Actor,
) -> ApiResult<Recorded> {
    state
        .receive(input, shape, source, actor)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))
}

/// The customer's tracking page for a ticket.
pub fn tracking_url(state: &AppState, code: &str, secret: &str) -> String {
    state.app.tracking_url(code, secret)
}

/// Checks the submission, records the ticket and answers with its code and tracking link.
pub async fn receive(
    state: &AppState,
    JsonObject(map): JsonObject,
    source: Source,
    actor: Actor,
) -> ApiResult<(StatusCode, Json<CreatedTicket>)> {
    let mut fields = Fields::new(map);
    let input = parse::new_ticket(&mut fields);
    let shape = fields.finish();
    let r = record(state, &input, shape, source, actor).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedTicket {
            tracking_url: tracking_url(state, &r.created.code, &r.secret),
            code: r.created.code,
            tracking_secret: r.secret,
            kind: r.kind.as_str().into(),
            status: "new".into(),
            department: r.created.department,
            received_at: r.received_at.to_string(),
        }),
    ))
}
