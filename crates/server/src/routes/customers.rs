//! `GET /api/v1/customers/{id}`: one person's contact data and tickets across channels, newest
//! first — those the caller may handle, and a count of the others (issue 16, RT-4). A person
//! none of whose tickets the caller may handle is a 404, like an unknown one.

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use hotro_store::{CustomerHistory, CustomerMatch, CustomerTicket};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show_customer))
}

/// A person and their tickets.
#[derive(Serialize, ToSchema)]
pub struct CustomerHistoryDto {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The tickets the caller may handle, newest first, from every channel.
    pub tickets: Vec<CustomerTicketDto>,
    /// How many more the person has in departments the caller does not see.
    pub elsewhere: usize,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerTicketDto {
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub department: String,
    pub status: String,
    pub subject: String,
    pub received_at: String,
}

/// A person a search found by e-mail or phone.
#[derive(Serialize, ToSchema)]
pub struct CustomerMatchDto {
    pub id: i64,
    pub name: String,
    /// How many of their tickets the caller may handle.
    pub tickets: usize,
}

impl From<&CustomerTicket> for CustomerTicketDto {
    fn from(t: &CustomerTicket) -> Self {
        CustomerTicketDto {
            code: t.code.clone(),
            kind: t.kind.clone(),
            channel: t.channel.clone(),
            department: t.department.clone(),
            status: t.status.clone(),
            subject: t.subject.clone(),
            received_at: t.received_at.to_string(),
        }
    }
}

impl From<&CustomerHistory> for CustomerHistoryDto {
    fn from(h: &CustomerHistory) -> Self {
        CustomerHistoryDto {
            id: h.id,
            name: h.name.clone(),
            email: h.email.clone(),
            phone: h.phone.clone(),
            address: h.address.clone(),
            tickets: h.tickets.iter().map(CustomerTicketDto::from).collect(),
            elsewhere: h.elsewhere,
        }
    }
}

impl From<&CustomerMatch> for CustomerMatchDto {
    fn from(m: &CustomerMatch) -> Self {
        CustomerMatchDto {
            id: m.id,
            name: m.name.clone(),
            tickets: m.tickets,
        }
    }
}

/// A customer's history: contact data and every ticket of the person the caller may handle,
/// across channels (one person found again by e-mail in any case and phone in any form).
#[utoipa::path(
    get, path = "/api/v1/customers/{id}", tag = "tickets",
    params(("id" = i64, Path, description = "`customer.id` of a ticket")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The person and their tickets", body = CustomerHistoryDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such person, or none of their tickets in the caller's departments", body = ErrorBody),
    )
)]
pub async fn show_customer(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
) -> ApiResult<Json<CustomerHistoryDto>> {
    // A number that is not one names nobody: the same answer as someone unknown.
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let history = state.store.customer_history(&staff, id).await?;
    Ok(Json(CustomerHistoryDto::from(&history)))
}
