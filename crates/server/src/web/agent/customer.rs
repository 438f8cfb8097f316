//! The customer's page (issue 16): the person's contact data and every ticket of theirs the
//! member of staff may handle, from every channel, newest first, with a count of those in
//! other departments. Reached from each ticket's customer card and from a search by e-mail or
//! phone; a person none of whose tickets the reader may handle is the not-found page (RT-4).

use super::department::department_name;
use super::session::{current, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, local_time, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_store::StoreError;

/// One ticket of the person's, as listed.
pub struct Line {
    code: String,
    subject: String,
    kind: String,
    channel: String,
    department: String,
    status: String,
    received: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_customer.html")]
struct CustomerPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    /// Whether the header shows the administrators' link.
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    csrf: String,
    name: String,
    contact: Vec<(String, String)>,
    tickets: Vec<Line>,
    elsewhere: usize,
}

/// `GET /agent/customers/{id}`.
pub async fn customer(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let not_found = || not_found_page(&uri, t);
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let history = match state.store.customer_history(&session.staff, id).await {
        Ok(h) => h,
        Err(StoreError::NotFound) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "customer history could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut contact = Vec::new();
    for (key, value) in [
        ("web.form.customer_email", &history.email),
        ("web.form.customer_phone", &history.phone),
        ("web.form.customer_address", &history.address),
    ] {
        if let Some(v) = value {
            contact.push((t.get(key), v.clone()));
        }
    }
    let tickets = history
        .tickets
        .iter()
        .map(|k| Line {
            code: k.code.clone(),
            subject: k.subject.clone(),
            kind: k.kind.clone(),
            channel: k.channel.clone(),
            department: department_name(&state, &k.department, t),
            status: k.status.clone(),
            received: local_time(&k.received_at.to_string()),
        })
        .collect();
    respond(
        &uri,
        CustomerPage {
            t,
            lang_url: lang_url(&uri, t),
            staff_name: session.staff.name.clone(),
            admin: session.is_admin(),
            desk: session.has_desk(),
            csrf: session.csrf.clone(),
            name: history.name,
            contact,
            tickets,
            elsewhere: history.elsewhere,
        },
    )
}
