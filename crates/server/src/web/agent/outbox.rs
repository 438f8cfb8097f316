//! The workspace's outbox page (TR-3): mail still waiting to go (with its last temporary
//! error and next attempt) and mail hotro gave up sending — notices and answers marked failed
//! after a permanent refusal or the retry limit, each with a "send again" button — of the
//! agent's own department only (RT-4).

use super::session::{current, posted, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, local_time, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_store::{MailScope, StoreError};
use std::collections::HashMap;

/// One failed mail as listed.
pub struct Line {
    id: i64,
    code: String,
    kind: String,
    recipient: String,
    subject: String,
    attempts: i64,
    failed_at: String,
    error: String,
}

/// One mail still waiting, as listed.
pub struct Waiting {
    code: String,
    kind: String,
    recipient: String,
    subject: String,
    queued_at: String,
    attempts: i64,
    next_attempt: String,
    error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_outbox.html")]
struct OutboxPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    /// Whether the header links the administrators' pages.
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    csrf: String,
    items: Vec<Line>,
    waiting: Vec<Waiting>,
    /// Set after "send again": the mail is queued once more.
    queued: bool,
}

/// `GET /agent/mail/failed`.
pub async fn failed(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let mails = match state
        .store
        .failed_mail(&MailScope::of(&session.staff))
        .await
    {
        Ok(mails) => mails,
        Err(e) => {
            tracing::error!(error = %e, "failed mail could not be listed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let items = mails
        .into_iter()
        .map(|m| Line {
            id: m.id,
            code: m.code.unwrap_or_default(),
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            failed_at: local_time(&m.failed_at.to_string()),
            error: m.last_error.unwrap_or_default(),
        })
        .collect();
    let waiting = match state
        .store
        .waiting_mail(&MailScope::of(&session.staff))
        .await
    {
        Ok(mails) => mails,
        Err(e) => {
            tracing::error!(error = %e, "waiting mail could not be listed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let waiting = waiting
        .into_iter()
        .map(|m| Waiting {
            code: m.code.unwrap_or_default(),
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            queued_at: local_time(&m.queued_at.to_string()),
            attempts: m.attempts,
            next_attempt: local_time(&m.next_attempt_at.to_string()),
            error: m.last_error.unwrap_or_default(),
        })
        .collect();
    let queued = uri.query().is_some_and(|q| q.contains("queued=1"));
    respond(
        &uri,
        OutboxPage {
            t,
            lang_url: lang_url(&uri, t),
            staff_name: session.staff.name.clone(),
            admin: session.is_admin(),
            desk: session.has_desk(),
            csrf: session.csrf.clone(),
            items,
            waiting,
            queued,
        },
    )
}

/// `POST /agent/mail/failed/{id}/send`: the mail is due again at once.
pub async fn send_again(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match posted(&state, &uri, &headers, &fields).await {
        Ok(signed_in) => signed_in,
        Err(answer) => return answer,
    };
    let not_found = || not_found_page(&uri, t);
    // A number that is not one names no mail: the same answer as a mail not theirs.
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    match state.send_mail_again(&session.staff, id).await {
        Ok(()) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, "/agent/mail/failed?queued=1")],
        )
            .into_response(),
        Err(StoreError::NotFound) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "failed mail could not be queued again");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
