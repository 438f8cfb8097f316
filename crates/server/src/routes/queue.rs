//! `GET /api/v1/queue`: the caller's department queue in queue order (QF-1).

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::dto::{QueueDto, QueueItemDto};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Query, State};
use hotro_core::FieldError;
use hotro_store::QueueQuery;
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The department queue.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue))
}

/// Open tickets by priority, then time received. Admins and general staff may name any
/// `department` (or none, for all); others see their own department only.
#[utoipa::path(
    get, path = "/api/v1/queue", tag = "tickets",
    params(
        ("department" = Option<String>, Query),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("after" = Option<String>, Query, description = "`next` of the previous page"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "One page of the queue", body = QueueDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "A department the caller may not see", body = ErrorBody),
        (status = 422, description = "Parameters unknown or invalid, each named", body = ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<QueueDto>> {
    let mut errors = Vec::new();
    let limit = match params.get("limit").map(|l| l.parse::<i64>()) {
        None => 50,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => {
            errors.push(FieldError::new("limit", "one_of"));
            50
        }
    };
    let after = match params.get("after") {
        None => None,
        Some(cursor) => {
            let parts: Vec<Option<i64>> = cursor.split('.').map(|p| p.parse().ok()).collect();
            match parts.as_slice() {
                [Some(a), Some(b), Some(c)] => Some((*a, *b, *c)),
                _ => {
                    errors.push(FieldError::new("after", "one_of"));
                    None
                }
            }
        }
    };
    for key in params.keys() {
        if !matches!(key.as_str(), "limit" | "after" | "department") {
            errors.push(FieldError::new(key.clone(), "unknown"));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let query = QueueQuery {
        department: params.get("department").cloned(),
        limit,
        after,
        ..QueueQuery::default()
    };
    let items = state.store.queue(&staff, &query).await?;
    let next = (items.len() as i64 == limit)
        .then(|| {
            items
                .last()
                .map(|i| format!("{}.{}.{}", i.position.0, i.position.1, i.position.2))
        })
        .flatten();
    Ok(Json(QueueDto {
        items: items.iter().map(QueueItemDto::from).collect(),
        next,
    }))
}
