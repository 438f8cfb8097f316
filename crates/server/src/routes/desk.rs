//! The lead's desk over the API (issue 16): assigning one ticket or many with a reason, and
//! the department's open work by agent. Leads and administrators only (others: 403 with the
//! rule named); a ticket or department outside the caller's is 404 (RT-4).

use super::tickets::run;
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::body::{Fields, ReadBody, Valid};
use crate::dto::CommandResult;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use hotro_app::App;
use hotro_app::desk::ASSIGN_MANY_LIMIT;
use hotro_core::{Command, FieldError, StaffMember};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(assign))
        .routes(routes!(assign_many))
        .routes(routes!(open_work))
}

/// A reassignment of one ticket: to whom, and why.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// The member of staff's id: active, of the ticket's department (or an administrator).
    pub agent: i64,
    pub reason: String,
}

impl ReadBody for AssignBody {
    fn read(f: &mut Fields) -> Self {
        let agent = f.integer("agent");
        if agent.is_none() && !f.has_error("agent") {
            f.error("agent", "required");
        }
        AssignBody {
            agent: agent.unwrap_or_default(),
            reason: f.string("reason").unwrap_or_default(),
        }
    }
}

/// A reassignment of many tickets at once to one member of staff, with one reason.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignManyBody {
    /// 1 to 100 ticket codes.
    #[schema(min_items = 1, max_items = 100)]
    pub codes: Vec<String>,
    pub agent: i64,
    pub reason: String,
}

impl ReadBody for AssignManyBody {
    fn read(f: &mut Fields) -> Self {
        let codes = f.strings("codes");
        match &codes {
            None if !f.has_error("codes") => f.error("codes", "required"),
            Some(c) if c.is_empty() => f.error("codes", "required"),
            Some(c) if c.len() > ASSIGN_MANY_LIMIT => f.error("codes", "assign.too_many"),
            _ => {}
        }
        let one = AssignBody::read(f);
        AssignManyBody {
            codes: codes.unwrap_or_default(),
            agent: one.agent,
            reason: one.reason,
        }
    }
}

/// One code's result in a reassignment of many.
#[derive(Serialize, ToSchema)]
pub struct AssignOutcome {
    pub code: String,
    /// The HTTP status this code alone would have had: 200, 404, 409 or 422.
    pub status: u16,
    /// The holder after it, when assigned.
    pub assignee_id: Option<i64>,
    /// For a refusal by rule (409): the rule, e.g. `ticket.closed`.
    pub rule: Option<String>,
    /// For a refusal of the input (422): each field with its rule, e.g. `agent`
    /// `assign.outside_department`.
    pub fields: Vec<FieldRule>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldRule {
    pub field: String,
    pub rule: String,
}

/// Every code's result, in the order given.
#[derive(Serialize, ToSchema)]
pub struct AssignManyResult {
    pub assigned: usize,
    pub refused: usize,
    pub results: Vec<AssignOutcome>,
}

fn lead_or_admin(staff: &StaffMember, rule: &'static str) -> ApiResult<()> {
    if App::has_desk(staff) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(rule))
    }
}

/// Issue 16: a lead hands a ticket of their department to an active member of it (an
/// administrator: any ticket, to its department's members or an administrator), saying why.
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/assign", tag = "tickets",
    params(("code" = String, Path)),
    request_body = AssignBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Assigned", body = CommandResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a lead or administrator (`assign.lead_only`)", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 409, description = "The ticket is closed (`ticket.closed`)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named: `agent` `assign.outside_department` (not an active member of the ticket's department), `assign.unchanged`, `reason` `required`", body = ErrorBody),
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    Valid(body): Valid<AssignBody>,
) -> ApiResult<Json<CommandResult>> {
    lead_or_admin(&staff, "assign.lead_only")?;
    let command = Command::Assign {
        agent: body.agent,
        reason: body.reason,
    };
    run(&state, &staff, &code, command).await
}

/// Issue 16: many tickets handed to one member of staff with one reason. Each code is
/// assigned on its own: a refusal (another department's ticket, a closed one) is listed
/// with its reason and does not stop the others.
#[utoipa::path(
    post, path = "/api/v1/tickets/assign", tag = "tickets",
    request_body = AssignManyBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Each code's result, in the order given", body = AssignManyResult),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a lead or administrator (`assign.lead_only`)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named: `codes` `required` or `assign.too_many` (over 100), `agent` `required`", body = ErrorBody),
    )
)]
pub async fn assign_many(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Valid(body): Valid<AssignManyBody>,
) -> ApiResult<Json<AssignManyResult>> {
    lead_or_admin(&staff, "assign.lead_only")?;
    let results = state
        .assign_many(&staff, &body.codes, body.agent, &body.reason)
        .await;
    let mut out = Vec::with_capacity(results.len());
    for (code, result) in results {
        out.push(match result {
            Ok(done) => AssignOutcome {
                code,
                status: 200,
                assignee_id: done.ticket.assignee,
                rule: None,
                fields: Vec::new(),
            },
            Err(e) => outcome_of_refusal(code, ApiError::from_store(e, &state.policy))?,
        });
    }
    let assigned = out.iter().filter(|o| o.status == 200).count();
    Ok(Json(AssignManyResult {
        assigned,
        refused: out.len() - assigned,
        results: out,
    }))
}

/// A code's refusal as a line of the list; a failure of the server stays a 500 for the
/// whole call, since the caller cannot tell what was stored.
fn outcome_of_refusal(code: String, e: ApiError) -> ApiResult<AssignOutcome> {
    let (status, rule, fields): (u16, Option<String>, Vec<FieldError>) = match e {
        ApiError::NotFound => (404, None, Vec::new()),
        ApiError::Conflict(rule) => (409, Some(rule.into()), Vec::new()),
        ApiError::IllegalTransition { .. } => (409, None, Vec::new()),
        ApiError::Invalid { fields, .. } => (422, None, fields),
        other => return Err(other),
    };
    Ok(AssignOutcome {
        code,
        status,
        assignee_id: None,
        rule,
        fields: fields
            .into_iter()
            .map(|f| FieldRule {
                field: f.field,
                rule: f.rule,
            })
            .collect(),
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkQuery {
    /// An administrator names the department (default: their own); a lead may name only
    /// their own.
    pub department: Option<String>,
}

/// One person's open work, or the unassigned tickets (`agent` null).
#[derive(Serialize, ToSchema)]
pub struct AgentWorkDto {
    pub agent: Option<i64>,
    pub name: Option<String>,
    pub open: i64,
    pub oldest_code: Option<String>,
    pub oldest_received_at: Option<String>,
    /// Open tickets with a deadline already passed.
    pub breached: i64,
}

/// A department's open work by agent.
#[derive(Serialize, ToSchema)]
pub struct OpenWorkDto {
    pub department: String,
    pub lines: Vec<AgentWorkDto>,
}

/// Issue 16: the department's open work by agent — every active member, anyone else holding
/// its tickets, and the unassigned ones — with each one's oldest ticket and breaches now.
#[utoipa::path(
    get, path = "/api/v1/desk/work", tag = "tickets",
    params(WorkQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The open work by agent", body = OpenWorkDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a lead or administrator (`lead_only`)", body = ErrorBody),
        (status = 404, description = "A department the caller may not see, or none such", body = ErrorBody),
    )
)]
pub async fn open_work(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Query(query): Query<WorkQuery>,
) -> ApiResult<Json<OpenWorkDto>> {
    let (department, lines) = state
        .open_work(&staff, query.department.as_deref())
        .await?
        .ok_or(ApiError::Forbidden("lead_only"))?;
    Ok(Json(OpenWorkDto {
        department,
        lines: lines
            .into_iter()
            .map(|l| AgentWorkDto {
                agent: l.agent,
                name: l.name,
                open: l.open,
                oldest_received_at: l.oldest.as_ref().map(|(_, at)| at.to_string()),
                oldest_code: l.oldest.map(|(code, _)| code),
                breached: l.breached,
            })
            .collect(),
    }))
}
