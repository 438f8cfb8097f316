//! PL-3: `POST /api/v1/policy/acknowledge` — the signed-in member of staff confirms the
//! policy version in force, without which their answers to customers are refused with rule
//! `policy.unread`; `GET /api/v1/policy/acknowledgements` — administrators see who has.

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(acknowledge))
        .routes(routes!(acknowledgements))
}

/// The caller's confirmation.
#[derive(Serialize, ToSchema)]
pub struct AcknowledgedDto {
    /// The policy version in force.
    pub version: String,
    /// When the caller confirmed it (the first time, if they had before).
    pub acknowledged_at: String,
}

/// One member of staff and the version in force.
#[derive(Serialize, ToSchema)]
pub struct AcknowledgementDto {
    pub staff_id: i64,
    pub name: String,
    pub email: String,
    pub department: String,
    pub version: String,
    pub acknowledged_at: Option<String>,
    /// Whether they must confirm before their next answer to a customer.
    pub required: bool,
}

/// Confirms having read the policy version in force (PL-3).
#[utoipa::path(
    post, path = "/api/v1/policy/acknowledge", tag = "session",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Confirmed", body = AcknowledgedDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn acknowledge(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<AcknowledgedDto>> {
    let (version, at) = state
        .confirm_policy(&staff)
        .await
        .map_err(|e| ApiError::from_store(e, &state.policy))?;
    Ok(Json(AcknowledgedDto {
        version,
        acknowledged_at: at.to_string(),
    }))
}

/// Every active member of staff and whether they have confirmed the version in force.
#[utoipa::path(
    get, path = "/api/v1/policy/acknowledgements", tag = "session",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Staff by name, with their confirmation", body = [AcknowledgementDto]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator (`admin_only`)", body = ErrorBody),
    )
)]
pub async fn acknowledgements(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<Vec<AcknowledgementDto>>> {
    let list = state
        .policy_confirmations(&staff)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    let version = state.policy.version.clone();
    Ok(Json(
        list.into_iter()
            .map(|c| AcknowledgementDto {
                staff_id: c.staff_id,
                name: c.name,
                email: c.email,
                department: c.department,
                version: version.clone(),
                acknowledged_at: c.confirmed_at.map(|t| t.to_string()),
                required: c.required,
            })
            .collect(),
    ))
}
