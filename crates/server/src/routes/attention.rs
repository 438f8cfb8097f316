//! SL-6 over the API: the caller's own notifications (warnings and breaches that named them),
//! marking one read, and the escalation list a lead must act on.

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::i18n::text;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_core::Language;
use hotro_core::sla::LeadAction;
use hotro_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notifications))
        .routes(routes!(read))
        .routes(routes!(escalations))
}

/// One notification: a deadline of a ticket the caller answers for is near or past.
#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: i64,
    /// `warning` (the deadline is near) or `breach` (it passed).
    pub kind: String,
    /// `acknowledge`, `resolve`, `start` or `first_answer`.
    pub clock: String,
    pub due_at: String,
    pub code: String,
    pub subject: String,
    pub created_at: String,
    pub read: bool,
}

/// The caller's notifications, newest first.
#[derive(Serialize, ToSchema)]
pub struct NotificationsDto {
    pub unread: i64,
    pub items: Vec<NotificationDto>,
}

/// One warning or breach on a lead's list, with its ticket as it is now.
#[derive(Serialize, ToSchema)]
pub struct EscalationDto {
    /// `warning` or `breach`.
    pub kind: String,
    pub clock: String,
    pub due_at: String,
    /// When the alert fired.
    pub at: String,
    pub code: String,
    pub subject: String,
    /// The ticket's department now (its id in the policy).
    pub department: String,
    pub status: String,
    pub assignee: Option<i64>,
    pub assignee_name: Option<String>,
    /// What the lead must do: `act_now`, `assign`, `follow_up` or `nothing`.
    pub action: String,
    /// The same in words, Vietnamese and English.
    pub action_text: String,
    pub action_text_en: String,
}

/// The caller's own notifications (SL-6), newest first, with the unread count.
#[utoipa::path(
    get, path = "/api/v1/notifications", tag = "tickets",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The caller's notifications, newest first", body = NotificationsDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn notifications(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<NotificationsDto>> {
    let (list, unread) = state.my_notifications(&staff).await?;
    Ok(Json(NotificationsDto {
        unread,
        items: list
            .into_iter()
            .map(|n| NotificationDto {
                id: n.id,
                kind: n.kind,
                clock: n.clock.as_str().into(),
                due_at: n.due_at.to_string(),
                code: n.code,
                subject: n.subject,
                created_at: n.created_at.to_string(),
                read: n.read_at.is_some(),
            })
            .collect(),
    }))
}

/// Marks one of the caller's notifications read; another person's is not found.
#[utoipa::path(
    post, path = "/api/v1/notifications/{id}/read", tag = "tickets",
    params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 204, description = "Read"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such notification of the caller's", body = ErrorBody),
    )
)]
pub async fn read(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    // Not a number names no notification: the same 404 as someone else's.
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    match state.read_notification(&staff, id).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StoreError::NotFound) => Err(ApiError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// SL-6: warnings and breaches of the lead's department (an administrator's: all), newest
/// first, each with what the lead must do. Agents have no such list.
#[utoipa::path(
    get, path = "/api/v1/escalations", tag = "tickets",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The alerts, newest first", body = Vec<EscalationDto>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a lead or administrator (`lead_only`)", body = ErrorBody),
    )
)]
pub async fn escalations(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<Vec<EscalationDto>>> {
    let list = state
        .escalations(&staff)
        .await?
        .ok_or(ApiError::Forbidden("lead_only"))?;
    Ok(Json(
        list.into_iter()
            .map(|e| {
                let breach = e.kind == "breach";
                let action = LeadAction::of(breach, e.open, e.assignee.is_some());
                let key = format!("escalation.{}", action.as_str());
                EscalationDto {
                    action_text: text(Language::Vi, &key, &[]),
                    action_text_en: text(Language::En, &key, &[]),
                    action: action.as_str().into(),
                    kind: e.kind,
                    clock: e.clock.as_str().into(),
                    due_at: e.due_at.to_string(),
                    at: e.at.to_string(),
                    department: e.department,
                    code: e.code,
                    subject: e.subject,
                    status: e.status,
                    assignee: e.assignee,
                    assignee_name: e.assignee_name,
                }
            })
            .collect(),
    ))
}
