//! `POST /api/v1/mail/inbound`: raw MIME from an integration (a mail gateway's webhook, a
//! relay), taken in by the same pipeline as the MTA pipe and mailbox polling (CH-1).

use crate::AppState;
use crate::auth::{CurrentStaff, MailIntake};
use crate::body::{Fields, Read, ReadBody, read_limited};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_app::mail::inbox;
use hotro_core::codes::TicketCode;
use hotro_core::contact::Email;
use hotro_store::MailScope;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Mail in, failed mail out, and a ticket's known contacts.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(inbound))
        .routes(routes!(failed))
        .routes(routes!(send_again))
        .routes(routes!(add_contact))
}

/// The largest raw message accepted over HTTP. It is above the 25 MiB parsing limit on purpose:
/// a message between the two is still stored and recorded as refused rather than bounced, so
/// the customer hears about it (issue 4, bad input).
pub const MAX_MAIL_BODY: usize = 30 * 1024 * 1024;

/// An inbound message taken in. It says nothing of the ticket the message went to — whether
/// it opened one, joined one or repeated one — so the answer cannot tell anyone whether an
/// address is some ticket's customer (issue 14).
#[derive(Serialize, ToSchema)]
pub struct AcceptedMail {
    /// Always `accepted`: the raw bytes are stored (CH-7) and the message was taken in.
    pub status: String,
    /// SHA-256 of the raw message as received, lower-case hex: its key in the raw store.
    pub sha256: String,
}

/// Takes in one raw message (`message/rfc822`). Only a mail-intake token may call it
/// (`hotro token create --scope mail-inbound`).
#[utoipa::path(
    post, path = "/api/v1/mail/inbound", tag = "tickets",
    request_body(content = String, content_type = "message/rfc822"),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Stored and taken in", body = AcceptedMail),
        (status = 400, description = "The body could not be read", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "A valid credential that is not a mail-intake token", body = ErrorBody),
        (status = 413, description = "Body over 30 MiB", body = ErrorBody),
    )
)]
pub async fn inbound(
    State(state): State<AppState>,
    _intake: MailIntake,
    body: Body,
) -> ApiResult<(StatusCode, Json<AcceptedMail>)> {
    let raw = read_limited(body, MAX_MAIL_BODY).await?;
    let done = inbox::ingest(&state.app, raw.to_vec()).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(AcceptedMail {
            status: "accepted".into(),
            sha256: done.raw_sha256,
        }),
    ))
}

/// A mail hotro gave up sending (TR-3).
#[derive(Serialize, ToSchema)]
pub struct FailedMailDto {
    pub id: i64,
    /// The ticket it belongs to.
    pub code: Option<String>,
    /// `confirmation`, `reply`, `refused`, `notice.<status>`…
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub attempts: i64,
    pub failed_at: String,
    pub last_error: Option<String>,
}

/// Mail marked failed after a permanent refusal or the retry limit, newest first, of the
/// caller's department (RT-4; every department for admins).
#[utoipa::path(
    get, path = "/api/v1/mail/failed", tag = "tickets",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The failed mail, newest first", body = [FailedMailDto]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn failed(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<Vec<FailedMailDto>>> {
    let mails = state.store.failed_mail(&MailScope::of(&staff)).await?;
    Ok(Json(
        mails
            .into_iter()
            .map(|m| FailedMailDto {
                id: m.id,
                code: m.code,
                kind: m.kind,
                recipient: m.recipient,
                subject: m.subject,
                attempts: m.attempts,
                failed_at: m.failed_at.to_string(),
                last_error: m.last_error,
            })
            .collect(),
    ))
}

/// Sends a failed mail again: it is due at once, with the whole retry allowance. 404 for a
/// mail that did not fail or is of another department.
#[utoipa::path(
    post, path = "/api/v1/mail/failed/{id}/send", tag = "tickets",
    params(("id" = i64, Path, description = "The failed mail's id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 202, description = "Queued again"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such failed mail, or another department's", body = ErrorBody),
    )
)]
pub async fn send_again(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    // Not a number names no mail: 404 as for a mail not theirs.
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    state.send_mail_again(&staff, id).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The ticket's known contacts after the change.
#[derive(Serialize, ToSchema)]
pub struct ContactsDto {
    /// Addresses whose mail joins the ticket besides the customer's, lower case.
    pub contacts: Vec<String>,
}

/// Another address whose mail may join the ticket.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    /// An e-mail address.
    #[schema(value_type = String)]
    pub email: Option<Email>,
}

impl ReadBody for ContactBody {
    fn read(f: &mut Fields) -> Self {
        // One error per field: a mistyped value is `type.string` only, a blank one `required`.
        let email = match f.string("email").filter(|e| !e.trim().is_empty()) {
            Some(raw) => Email::parse("email", &raw)
                .map_err(|e| f.error("email", &e.rule))
                .ok(),
            None => {
                if !f.has_error("email") {
                    f.error("email", "required");
                }
                None
            }
        };
        ContactBody { email }
    }
}

/// Names another address whose mail may join the ticket (a colleague of the customer, their
/// accountant); mail from anyone else still opens a new ticket (issue 4).
#[utoipa::path(
    post, path = "/api/v1/tickets/{code}/contacts", tag = "tickets",
    params(("code" = String, Path)),
    request_body = ContactBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Added; the ticket's contacts", body = ContactsDto),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket, or another department's", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`email` is missing or not an address", body = ErrorBody),
    )
)]
pub async fn add_contact(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(code): Path<String>,
    body: Read<ContactBody>,
) -> ApiResult<(StatusCode, Json<ContactsDto>)> {
    // An unknown code is 404 before the body's fields are judged, as it always was.
    let code = TicketCode::parse(&code).ok_or(ApiError::NotFound)?;
    let email = body
        .valid()?
        .email
        .expect("a body without errors has an address");
    state
        .add_contact(&staff, code.as_str(), email.as_str())
        .await?;
    let contacts = state.store.contacts(code.as_str()).await?;
    Ok((StatusCode::CREATED, Json(ContactsDto { contacts })))
}
