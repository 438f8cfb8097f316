//! Staff work on tickets: intake on a customer's behalf, the ticket with its timeline, and
//! the commands — take, reply, note, status, transfer, priority. Every call is scoped to the
//! caller's department by the store (RT-4): another department's ticket is 404.

use super::{intake, parse};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::body::{Fields, JsonObject};
use crate::dto::{
    CommandResult, CreatedTicket, NewTicketBody, NoteBody, PriorityBody, ReplyBody, SlaDto,
    StatusBody, TicketDto, TransferBody,
};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_core::codes::TicketCode;
use hotro_core::intake::Source;
use hotro_core::{Actor, Command};

/// Records a contact taken by phone, at the counter, by post or any channel (CH-4).
#[utoipa::path(
    post, path = "/api/v1/tickets", tag = "tickets",
    request_body = NewTicketBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = CreatedTicket),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    body: JsonObject,
) -> ApiResult<(StatusCode, Json<CreatedTicket>)> {
    intake::receive(&state, body, Source::Staff, Actor::Staff { id: staff.id }).await
}

/// The ticket with its timeline.
#[utoipa::path(
    get, path = "/api/v1/tickets/{code}", tag = "tickets",
    params(("code" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = TicketDto), (status = 404, body = ErrorBody))
)]
pub async fn show_ticket(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
) -> ApiResult<Json<TicketDto>> {
    let code = TicketCode::parse(&code).ok_or(ApiError::NotFound)?;
    let view = state.store.ticket_view(&staff, code.as_str()).await?;
    // The clocks are computed for this moment under the ticket's own policy version (PL-2).
    let records = view.records();
    let sla = state.store.sla_status(&records, state.clock.now()).await?;
    let mut dto = TicketDto::from(&view);
    dto.sla = Some(SlaDto::from(&sla));
    Ok(Json(dto))
}

/// Runs a command and reports what it did.
pub(super) async fn run(
    state: &AppState,
    staff: &hotro_core::StaffMember,
    code: &str,
    command: Command,
) -> ApiResult<Json<CommandResult>> {
    let code = TicketCode::parse(code).ok_or(ApiError::NotFound)?;
    let done = state
        .store
        .execute(
            staff,
            code.as_str(),
            command,
            state.policy.clone(),
            state.clock.now(),
        )
        .await
        .map_err(|e| ApiError::from_store(e, &state.policy))?;
    let t = &done.ticket;
    Ok(Json(CommandResult {
        code: t.code.clone(),
        status: t.status.as_str().into(),
        department: t.department.clone(),
        priority: t.priority.as_str().into(),
        assignee_id: t.assignee,
        complaint_round: t.round,
        events: done.events.iter().map(|e| e.type_name().into()).collect(),
    }))
}

/// Fails with 422 when the body had shape errors.
pub(super) fn shaped(fields: Fields) -> ApiResult<()> {
    let errors = fields.finish();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(errors))
    }
}

/// The caller becomes the responsible agent.
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/take", tag = "tickets",
    params(("code" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = CommandResult),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Taken by a colleague, or closed", body = ErrorBody),
    )
)]
pub async fn take(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
) -> ApiResult<Json<CommandResult>> {
    run(&state, &staff, &code, Command::Take).await
}

/// A written answer to the customer (RP-1, RP-2).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/replies", tag = "tickets",
    params(("code" = String, Path)),
    request_body = ReplyBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = CommandResult),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, description = "For example `reply.greeting` or `reply.closing`", body = ErrorBody),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    JsonObject(map): JsonObject,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    let mut f = Fields::new(map);
    let body = f.string("body").unwrap_or_default();
    let channel = parse::channel(&mut f, "channel");
    let then = parse::status_change(&mut f);
    shaped(f)?;
    let command = Command::Reply {
        body,
        channel,
        then,
    };
    let result = run(&state, &staff, &code, command).await?;
    Ok((StatusCode::CREATED, result))
}

/// An internal note, never shown to the customer (RP-3).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/notes", tag = "tickets",
    params(("code" = String, Path)),
    request_body = NoteBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CommandResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn note(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    JsonObject(map): JsonObject,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    let mut f = Fields::new(map);
    let body = f.string("body").unwrap_or_default();
    shaped(f)?;
    let result = run(&state, &staff, &code, Command::Note { body }).await?;
    Ok((StatusCode::CREATED, result))
}

/// Moves the ticket through the status machine, with the complaint steps (CP-1, CP-2).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/status", tag = "tickets",
    params(("code" = String, Path)),
    request_body = StatusBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = CommandResult),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Illegal transition: names both statuses", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub async fn change_status(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    JsonObject(map): JsonObject,
) -> ApiResult<Json<CommandResult>> {
    let mut f = Fields::new(map);
    let change = parse::status_change(&mut f);
    if change.is_none() && !f.has_error("status") {
        f.error("status", "required");
    }
    shaped(f)?;
    let change = change.expect("checked above");
    run(&state, &staff, &code, Command::ChangeStatus(change)).await
}

/// Hands the ticket to another department, with the reason (RT-4).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/transfer", tag = "tickets",
    params(("code" = String, Path)),
    request_body = TransferBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CommandResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn transfer(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    JsonObject(map): JsonObject,
) -> ApiResult<Json<CommandResult>> {
    let mut f = Fields::new(map);
    let department = f.string("department").unwrap_or_default();
    let reason = f.string("reason").unwrap_or_default();
    shaped(f)?;
    run(
        &state,
        &staff,
        &code,
        Command::Transfer { department, reason },
    )
    .await
}

/// Changes the ticket's priority, with the reason: the only way to move it in the queue (QF-1).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/priority", tag = "tickets",
    params(("code" = String, Path)),
    request_body = PriorityBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CommandResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn change_priority(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    JsonObject(map): JsonObject,
) -> ApiResult<Json<CommandResult>> {
    let mut f = Fields::new(map);
    let priority = parse::priority(&mut f, "priority");
    if priority.is_none() && !f.has_error("priority") {
        f.error("priority", "required");
    }
    let reason = f.string("reason").unwrap_or_default();
    shaped(f)?;
    let priority = priority.expect("checked above");
    run(
        &state,
        &staff,
        &code,
        Command::ChangePriority { priority, reason },
    )
    .await
}

/// RT-3: what a topic correction carries.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct TopicBody {
    /// A topic id of the policy, of the ticket's own department.
    pub topic: String,
    pub reason: String,
}

/// Corrects the ticket's topic within its department, with the reason; the correction is
/// recorded (RT-3). A topic of another department needs a transfer.
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/topic", tag = "tickets",
    params(("code" = String, Path)),
    request_body = TopicBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CommandResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn change_topic(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    JsonObject(map): JsonObject,
) -> ApiResult<Json<CommandResult>> {
    let mut f = Fields::new(map);
    let topic = f.string("topic").unwrap_or_default();
    let reason = f.string("reason").unwrap_or_default();
    shaped(f)?;
    run(
        &state,
        &staff,
        &code,
        Command::ChangeTopic { topic, reason },
    )
    .await
}
