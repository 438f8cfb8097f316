//! "Cần chú ý" (SL-6): the signed-in person's notifications — tickets they answer for or
//! lead that are nearly due or overdue — newest first, each linked to its ticket and marked
//! read here; and the unread count the header shows and the live feed refreshes.

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
use hotro_store::StoreError;
use std::collections::HashMap;

/// One notification as listed.
pub struct Line {
    id: i64,
    code: String,
    subject: String,
    what: String,
    due: String,
    at: String,
    unread: bool,
    breach: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_attention.html")]
struct AttentionPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    /// Whether the header shows the administrators' link.
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    csrf: String,
    items: Vec<Line>,
}

/// `GET /agent/attention`.
pub async fn page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let (list, _) = match state.my_notifications(&session.staff).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "notifications could not be listed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let items = list
        .into_iter()
        .map(|n| {
            let clock = t.get(&format!("web.sla.{}", n.clock.as_str()));
            let key = if n.kind == "breach" {
                "web.attention.breach"
            } else {
                "web.attention.warning"
            };
            Line {
                id: n.id,
                what: t.with(key, "clock", &clock),
                due: t.with(
                    "web.attention.due",
                    "due",
                    &local_time(&n.due_at.to_string()),
                ),
                at: local_time(&n.created_at.to_string()),
                unread: n.read_at.is_none(),
                breach: n.kind == "breach",
                code: n.code,
                subject: n.subject,
            }
        })
        .collect();
    respond(
        &uri,
        AttentionPage {
            t,
            lang_url: lang_url(&uri, t),
            staff_name: session.staff.name.clone(),
            admin: session.is_admin(),
            desk: session.has_desk(),
            csrf: session.csrf.clone(),
            items,
        },
    )
}

/// `GET /agent/attention/count`: the header's badge, empty when nothing is unread.
pub async fn count(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let t = Tr(locale(&uri, &headers));
    match state.store.unread_notifications(session.staff.id).await {
        Ok(0) => String::new().into_response(),
        // Text only: htmx puts it into the badge, escaped by the browser as text.
        Ok(n) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            t.with("web.attention.count", "n", &n.to_string()),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "unread notifications could not be counted");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /agent/attention/{id}/read`.
pub async fn read(
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
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    match state.read_notification(&session.staff, id).await {
        Ok(()) => (StatusCode::SEE_OTHER, [(LOCATION, "/agent/attention")]).into_response(),
        Err(StoreError::NotFound) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "notification could not be marked read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
