//! RP-3: asking another department for input without transferring the ticket, and the
//! consulted department's list of questions and answers.

use super::tickets::run;
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::body::{Fields, ReadBody, Valid};
use crate::dto::CommandResult;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_core::Command;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Asking, answering, and the questions waiting.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(consult))
        .routes(routes!(answer))
        .routes(routes!(waiting))
}

/// A question to another department.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultBody {
    pub department: String,
    pub question: String,
}

impl ReadBody for ConsultBody {
    fn read(f: &mut Fields) -> Self {
        ConsultBody {
            department: f.string("department").unwrap_or_default(),
            question: f.string("question").unwrap_or_default(),
        }
    }
}

/// The consulted department's answer.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    pub answer: String,
}

impl ReadBody for AnswerBody {
    fn read(f: &mut Fields) -> Self {
        AnswerBody {
            answer: f.string("answer").unwrap_or_default(),
        }
    }
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
    responses(
        (status = 201, description = "Asked", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 409, description = "The ticket is closed", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn consult(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<ConsultBody>,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    let command = Command::Consult {
        department: body.department,
        question: body.question,
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
    responses(
        (status = 201, description = "Answered", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket or question, or another department's", body = ErrorBody),
        (status = 409, description = "Already answered", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path((code, number)): Path<(String, String)>,
    Valid(body): Valid<AnswerBody>,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    // Not a question number names no question: 404, as for a question that does not exist
    // (axum's own refusal was a plain-text 400 the document could not describe).
    let number = number.parse::<u32>().map_err(|_| ApiError::NotFound)?;
    let command = Command::AnswerConsultation {
        number,
        answer: body.answer,
    };
    Ok((
        StatusCode::CREATED,
        run(&state, &staff, &code, command).await?,
    ))
}

/// Questions other departments put to the caller's department, still unanswered.
#[utoipa::path(
    get, path = "/api/v1/consultations", tag = "tickets",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The questions, oldest first", body = Vec<ConsultationDto>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
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
