//! RP-3: asking another department for input without transferring the ticket, and the
//! consulted department's list of questions and answers.

use super::tickets::{run, shaped};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::body::{Fields, JsonObject};
use crate::dto::CommandResult;
use crate::error::{ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_core::Command;
use serde::Serialize;
use utoipa::ToSchema;

/// A question to another department.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ConsultBody {
    pub department: String,
    pub question: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct AnswerBody {
    pub answer: String,
}

/// A question waiting for the caller's department.
#[derive(Serialize, ToSchema)]
pub struct ConsultationDto {
    pub code: String,
    pub subject: String,
    pub number: u32,
    pub from_department: String,
    pub question: String,
    pub asked_at: String,
}

/// Asks another department; the ticket stays with its department (RP-3).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/consultations", tag = "tickets",
    params(("code" = String, Path)),
    request_body = ConsultBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CommandResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn consult(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    JsonObject(map): JsonObject,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    let mut f = Fields::new(map);
    let department = f.string("department").unwrap_or_default();
    let question = f.string("question").unwrap_or_default();
    shaped(f)?;
    let command = Command::Consult {
        department,
        question,
    };
    Ok((
        StatusCode::CREATED,
        run(&state, &staff, &code, command).await?,
    ))
}

/// The consulted department answers; the answer joins the ticket as internal information.
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/consultations/{number}/answer", tag = "tickets",
    params(("code" = String, Path), ("number" = u32, Path)),
    request_body = AnswerBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CommandResult), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn answer(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path((code, number)): Path<(String, u32)>,
    JsonObject(map): JsonObject,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    let mut f = Fields::new(map);
    let answer = f.string("answer").unwrap_or_default();
    shaped(f)?;
    let command = Command::AnswerConsultation { number, answer };
    Ok((
        StatusCode::CREATED,
        run(&state, &staff, &code, command).await?,
    ))
}

/// Questions other departments put to the caller's department, still unanswered.
#[utoipa::path(
    get, path = "/api/v1/consultations", tag = "tickets",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ConsultationDto>))
)]
pub async fn waiting(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<Vec<ConsultationDto>>> {
    let open = state.store.open_consultations(&staff).await?;
    Ok(Json(
        open.into_iter()
            .map(|c| ConsultationDto {
                code: c.code,
                subject: c.subject,
                number: c.number,
                from_department: c.from_department,
                question: c.question,
                asked_at: c.asked_at.to_string(),
            })
            .collect(),
    ))
}
