//! `POST /api/v1/mail/inbound`: raw MIME from an integration (a mail gateway's webhook, a
//! relay), taken in by the same pipeline as the MTA pipe and mailbox polling (CH-1).

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::body::read_limited;
use crate::error::{ApiResult, ErrorBody};
use crate::inbox;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// The largest raw message accepted over HTTP. It is above the 25 MiB parsing limit on purpose:
/// a message between the two is still stored and recorded as refused rather than bounced, so
/// the customer hears about it (issue 4, bad input).
pub const MAX_MAIL_BODY: usize = 30 * 1024 * 1024;

/// Where an inbound message was stored.
#[derive(Serialize, ToSchema)]
pub struct IngestedMail {
    /// The ticket the message is on.
    pub code: String,
    /// `new`, `threaded`, `duplicate` or `refused` (over the size limit, stored raw).
    pub outcome: String,
}

/// Takes in one raw message (`message/rfc822`).
#[utoipa::path(
    post, path = "/api/v1/mail/inbound", tag = "tickets",
    request_body(content = String, content_type = "message/rfc822"),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = IngestedMail),
        (status = 401, body = ErrorBody),
        (status = 413, body = ErrorBody),
    )
)]
pub async fn inbound(
    State(state): State<AppState>,
    CurrentStaff(_staff): CurrentStaff,
    body: Body,
) -> ApiResult<(StatusCode, Json<IngestedMail>)> {
    let raw = read_limited(body, MAX_MAIL_BODY).await?;
    let done = inbox::ingest(&state, raw.to_vec()).await?;
    Ok((
        StatusCode::CREATED,
        Json(IngestedMail {
            code: done.code,
            outcome: done.outcome.as_str().into(),
        }),
    ))
}
