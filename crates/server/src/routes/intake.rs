//! Intake shared by the public form and staff on a customer's behalf (CH-2, CH-4, CH-6).

use super::parse;
use crate::AppState;
use crate::auth::{digest, random_hex};
use crate::body::{Fields, JsonObject, merge};
use crate::dto::CreatedTicket;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::http::StatusCode;
use hotro_core::Actor;
use hotro_core::Rejection;
use hotro_core::intake::{self, Source};

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
    let now = state.clock.now();
    let intake = match intake::validate(&input, source, &state.policy, now) {
        Ok(intake) if shape.is_empty() => intake,
        Ok(_) => return Err(ApiError::invalid(shape)),
        Err(Rejection::Invalid(rules)) => return Err(ApiError::invalid(merge(shape, rules))),
        Err(other) => return Err(ApiError::from_rejection(other, &state.policy)),
    };
    let kind = intake.kind();
    let secret = random_hex(24);
    let created = state
        .store
        .receive(
            intake,
            actor,
            state.policy.ticket_code_prefix.clone(),
            digest(&secret),
            now,
        )
        .await
        .map_err(|e| ApiError::from_store(e, &state.policy))?;
    let tracking_url = format!(
        "{}/api/v1/public/tickets/{}?secret={secret}",
        state.config.public_url.trim_end_matches('/'),
        created.code
    );
    Ok((
        StatusCode::CREATED,
        Json(CreatedTicket {
            code: created.code,
            tracking_url,
            tracking_secret: secret,
            kind: kind.as_str().into(),
            status: "new".into(),
            department: created.department,
            received_at: now.to_string(),
        }),
    ))
}
