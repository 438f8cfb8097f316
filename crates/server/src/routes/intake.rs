//! Intake shared by the public form and staff on a customer's behalf (CH-2, CH-4, CH-6).

use crate::AppState;
use crate::body::{Fields, Read, ReadBody};
use crate::dto::CreatedTicket;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::http::StatusCode;
use hotro_core::intake::{NewTicket, Source};
use hotro_core::{Actor, FieldError};
use utoipa::ToSchema;

/// A new ticket. Complaints also need `incident_date` and `complaint_category`; feedback
/// needs `current_feature`, `proposed_improvement` and `reason` (CH-6).
///
/// The fields are read as text and checked by the intake rules (`core::intake::validate`),
/// which list every broken one at once; what this type checks is only the JSON shape.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicketBody {
    /// `request` | `complaint` | `feedback`
    #[schema(value_type = String, pattern = "^(request|complaint|feedback)$")]
    pub kind: Option<String>,
    /// `email` | `web` | `chat` | `phone` | `walk_in` | `post` | `social` | `app` | `api`;
    /// public intake defaults to `web` and refuses `phone`, `walk_in` and `post`.
    #[schema(pattern = "^(email|web|chat|phone|walk_in|post|social|app|api)$")]
    pub channel: Option<String>,
    #[schema(value_type = CustomerBody)]
    pub customer: Option<CustomerBody>,
    /// At most 300 characters.
    #[schema(value_type = String, min_length = 1, max_length = 300)]
    pub subject: Option<String>,
    /// At most 20,000 characters.
    #[schema(value_type = String, min_length = 1, max_length = 20000)]
    pub description: Option<String>,
    /// A topic id of the policy; it decides the department (RT-2).
    #[schema(max_length = 64)]
    pub topic: Option<String>,
    /// Complaint: `YYYY-MM-DD`, not in the future.
    #[schema(format = Date)]
    pub incident_date: Option<String>,
    /// Complaint: `service_quality` | `business`.
    #[schema(pattern = "^(service_quality|business)$")]
    pub complaint_category: Option<String>,
    #[schema(max_length = 2000)]
    pub requested_resolution: Option<String>,
    #[schema(max_length = 2000)]
    pub current_feature: Option<String>,
    #[schema(max_length = 2000)]
    pub proposed_improvement: Option<String>,
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// The customer; online submissions need an e-mail or a phone number.
#[derive(Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerBody {
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// Digits with an optional leading `+`; spaces, dots, dashes and brackets are dropped.
    #[schema(pattern = "^\\+?[0-9 .()-]{8,32}$")]
    pub phone: Option<String>,
    #[schema(max_length = 500)]
    pub address: Option<String>,
}

impl ReadBody for NewTicketBody {
    fn read(f: &mut Fields) -> Self {
        NewTicketBody {
            kind: f.string("kind"),
            channel: f.string("channel"),
            subject: f.string("subject"),
            description: f.string("description"),
            topic: f.string("topic"),
            incident_date: f.string("incident_date"),
            complaint_category: f.string("complaint_category"),
            requested_resolution: f.string("requested_resolution"),
            current_feature: f.string("current_feature"),
            proposed_improvement: f.string("proposed_improvement"),
            reason: f.string("reason"),
            // Read last, as it always was: its errors follow the flat fields' in the list.
            customer: f.object("customer").map(|mut c| {
                let customer = CustomerBody {
                    name: c.string("name"),
                    email: c.string("email"),
                    phone: c.string("phone"),
                    address: c.string("address"),
                };
                f.absorb(c);
                customer
            }),
        }
    }
}

impl From<NewTicketBody> for NewTicket {
    /// The fields, flat, as the core intake rules take them.
    fn from(b: NewTicketBody) -> NewTicket {
        let customer = b.customer.unwrap_or_default();
        NewTicket {
            kind: b.kind,
            channel: b.channel,
            subject: b.subject,
            description: b.description,
            topic: b.topic,
            incident_date: b.incident_date,
            complaint_category: b.complaint_category,
            requested_resolution: b.requested_resolution,
            current_feature: b.current_feature,
            proposed_improvement: b.proposed_improvement,
            reason: b.reason,
            customer_name: customer.name,
            customer_email: customer.email,
            customer_phone: customer.phone,
            customer_address: customer.address,
            ..NewTicket::default()
        }
    }
}

pub use hotro_app::intake::Recorded;

/// Checks a submission (with any shape errors already found) and records the ticket, through
/// the intake use case every door shares.
pub async fn record(
    state: &AppState,
    input: &NewTicket,
    shape: Vec<FieldError>,
    source: Source,
    actor: Actor,
) -> ApiResult<Recorded> {
    state
        .receive(input, shape, source, actor)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))
}

/// The customer's tracking page for a ticket.
pub fn tracking_url(state: &AppState, code: &str, secret: &str) -> String {
    state.app.tracking_url(code, secret)
}

/// Checks the submission, records the ticket and answers with its code and tracking link.
pub async fn receive(
    state: &AppState,
    Read(body, shape): Read<NewTicketBody>,
    source: Source,
    actor: Actor,
) -> ApiResult<(StatusCode, Json<CreatedTicket>)> {
    let input = NewTicket::from(body);
    let r = record(state, &input, shape, source, actor).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedTicket {
            tracking_url: tracking_url(state, &r.created.code, &r.secret),
            code: r.created.code,
            tracking_secret: r.secret,
            kind: r.kind.as_str().into(),
            status: "new".into(),
            department: r.created.department,
            received_at: r.received_at.to_string(),
        }),
    ))
}
