//! Staff work on tickets: intake on a customer's behalf, the ticket with its timeline, and
//! the commands — take, reply, note, status, transfer, priority. Every call is scoped to the
//! caller's department by the store (RT-4): another department's ticket is 404.

mod body;

use body::{
    ClassificationBody, NoteBody, PriorityBody, ReplyBody, StatusBody, TopicBody, TransferBody,
};

use super::intake::{self, NewTicketBody};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::body::{Read, Valid};
use crate::dto::{CommandResult, CreatedTicket, SlaDto, TicketDto};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_core::codes::TicketCode;
use hotro_core::intake::Source;
use hotro_core::{Actor, Command};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Staff intake, the ticket and its commands.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_ticket))
        .routes(routes!(show_ticket))
        .routes(routes!(take))
        .routes(routes!(reply))
        .routes(routes!(note))
        .routes(routes!(change_status))
        .routes(routes!(transfer))
        .routes(routes!(change_priority))
        .routes(routes!(change_topic))
        .routes(routes!(classify))
}

/// Records a contact taken by phone, at the counter, by post or any channel (CH-4).
#[utoipa::path(
    post, path = "/api/v1/tickets", tag = "tickets",
    request_body = NewTicketBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Received", body = CreatedTicket,
            // The calls on the new ticket, for clients and the contract fuzzer's sequences.
            links(
                ("show_ticket" = (operation_id = "show_ticket", parameters(("code" = "$response.body#/code")))),
                ("take" = (operation_id = "take", parameters(("code" = "$response.body#/code")))),
                ("reply" = (operation_id = "reply", parameters(("code" = "$response.body#/code")))),
                ("note" = (operation_id = "note", parameters(("code" = "$response.body#/code")))),
                ("change_status" = (operation_id = "change_status", parameters(("code" = "$response.body#/code")))),
                ("transfer" = (operation_id = "transfer", parameters(("code" = "$response.body#/code")))),
                ("change_priority" = (operation_id = "change_priority", parameters(("code" = "$response.body#/code")))),
                ("change_topic" = (operation_id = "change_topic", parameters(("code" = "$response.body#/code")))),
                ("classify" = (operation_id = "classify", parameters(("code" = "$response.body#/code")))),
                ("consult" = (operation_id = "consult", parameters(("code" = "$response.body#/code")))),
                ("add_contact" = (operation_id = "add_contact", parameters(("code" = "$response.body#/code"))))
            )
        ),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    body: Read<NewTicketBody>,
) -> ApiResult<(StatusCode, Json<CreatedTicket>)> {
    intake::receive(&state, body, Source::Staff, Actor::Staff { id: staff.id }).await
}

/// The ticket with its timeline.
#[utoipa::path(
    get, path = "/api/v1/tickets/{code}", tag = "tickets",
    params(("code" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The ticket, its clocks and its timeline", body = TicketDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
    )
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
        .execute(staff, code.as_str(), command)
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

/// The caller becomes the responsible agent.
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/take", tag = "tickets",
    params(("code" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Taken", body = CommandResult),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
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
        (status = 201, description = "Sent, and the status moved if asked", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 409, description = "The ticket is closed, the status move is illegal (names both statuses), or `policy.unread`: the caller has a new policy version to confirm first (PL-3, `POST /api/v1/policy/acknowledge`)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named; for example `reply.greeting` or `reply.closing`", body = ErrorBody),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<ReplyBody>,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    let result = run(&state, &staff, &code, body.into()).await?;
    Ok((StatusCode::CREATED, result))
}

/// An internal note, never shown to the customer (RP-3).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/notes", tag = "tickets",
    params(("code" = String, Path)),
    request_body = NoteBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Noted", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn note(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<NoteBody>,
) -> ApiResult<(StatusCode, Json<CommandResult>)> {
    let result = run(&state, &staff, &code, body.into()).await?;
    Ok((StatusCode::CREATED, result))
}

/// Moves the ticket through the status machine, with the complaint steps (CP-1, CP-2).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/status", tag = "tickets",
    params(("code" = String, Path)),
    request_body = StatusBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Moved", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 409, description = "Illegal transition (names both statuses)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn change_status(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<StatusBody>,
) -> ApiResult<Json<CommandResult>> {
    run(&state, &staff, &code, body.into()).await
}

/// Hands the ticket to another department, with the reason (RT-4).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/transfer", tag = "tickets",
    params(("code" = String, Path)),
    request_body = TransferBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Transferred", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 409, description = "The ticket is closed", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn transfer(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<TransferBody>,
) -> ApiResult<Json<CommandResult>> {
    run(&state, &staff, &code, body.into()).await
}

/// Changes the ticket's priority, with the reason: the only way to move it in the queue (QF-1).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/priority", tag = "tickets",
    params(("code" = String, Path)),
    request_body = PriorityBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Priority changed", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn change_priority(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<PriorityBody>,
) -> ApiResult<Json<CommandResult>> {
    run(&state, &staff, &code, body.into()).await
}

/// Corrects the ticket's topic within its department, with the reason; the correction is
/// recorded (RT-3). A topic of another department needs a transfer.
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/topic", tag = "tickets",
    params(("code" = String, Path)),
    request_body = TopicBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Topic corrected", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn change_topic(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<TopicBody>,
) -> ApiResult<Json<CommandResult>> {
    run(&state, &staff, &code, body.into()).await
}

/// Accepts or corrects the ticket's classification — kind, topic, feature area — and records
/// it (RT-3). A topic of another department moves the ticket there by a recorded transfer
/// (RT-4); a ticket that becomes a complaint gets a complaint's clocks (SL-2, SL-3).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/classification", tag = "tickets",
    params(("code" = String, Path)),
    request_body = ClassificationBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Classification recorded", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 409, description = "The ticket is closed", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
    )
)]
pub async fn classify(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<ClassificationBody>,
) -> ApiResult<Json<CommandResult>> {
    run(&state, &staff, &code, body.into()).await
}
