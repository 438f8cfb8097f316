//! The JSON shapes the API answers with, documented for OpenAPI. The request bodies live
//! beside their routes (`routes::*`), each one type that is read and documented at once.

mod public;
mod queue;
mod ticket;

pub use public::{PublicEntryDto, PublicTicketDto};
pub use queue::{QueueDto, QueueItemDto};
pub use ticket::{SlaDto, TicketDto, TimeBarDto};

use hotro_core::StaffMember;
use serde::Serialize;
use utoipa::ToSchema;

/// A ticket just received.
#[derive(Serialize, ToSchema)]
pub struct CreatedTicket {
    pub code: String,
    /// The customer's secret link to follow the ticket (TR-2).
    pub tracking_url: String,
    /// The secret in that link, for integrations that build their own.
    pub tracking_secret: String,
    pub kind: String,
    pub status: String,
    pub department: String,
    pub received_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct StaffDto {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: String,
}

impl From<&StaffMember> for StaffDto {
    fn from(s: &StaffMember) -> Self {
        StaffDto {
            id: s.id,
            email: s.email.clone(),
            name: s.name.clone(),
            department: s.department.clone(),
            role: s.role.as_str().into(),
        }
    }
}

/// What a command did, and where the ticket stands after it.
#[derive(Serialize, ToSchema)]
pub struct CommandResult {
    pub code: String,
    pub status: String,
    pub department: String,
    pub priority: String,
    pub assignee_id: Option<i64>,
    pub complaint_round: u8,
    /// The types of the events recorded, in order.
    pub events: Vec<String>,
}
