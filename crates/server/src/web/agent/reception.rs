//! The reception slip ("Phiếu tiếp nhận") a visitor at the counter takes home (CH-4).

use super::session::{current, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::page::{lang_url, local_time, locale, message, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use hotro_core::codes::TicketCode;

#[derive(Template, WebTemplate)]
#[template(path = "agent_slip.html")]
struct SlipPage {
    t: Tr,
    lang_url: String,
    company: String,
    code: String,
    date: String,
    customer: String,
    content: String,
    requests: String,
    staff: String,
}

/// The reception slip ("Phiếu tiếp nhận") of a contact, printable on one page (CH-4).
pub async fn slip(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let view = match TicketCode::parse(&code) {
        Some(code) => state
            .store
            .reception_view(&session.staff, code.as_str())
            .await
            .ok(),
        None => None,
    };
    let Some(view) = view else {
        return message(
            &uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.not_found",
        );
    };
    let k = &view.ticket;
    let contact: Vec<&str> = [&k.customer.phone, &k.customer.email, &k.customer.address]
        .into_iter()
        .filter_map(|v| v.as_deref())
        .collect();
    let requests = k
        .complaint
        .as_ref()
        .and_then(|c| c.requested_resolution.clone())
        .unwrap_or_else(|| k.subject.clone());
    let page = SlipPage {
        t,
        lang_url: lang_url(&uri, t),
        company: state.policy.name.clone(),
        code: k.code.clone(),
        date: local_time(&k.received_at.to_string()),
        customer: format!("{} — {}", k.customer.name, contact.join(", ")),
        content: k.description.clone(),
        requests,
        staff: view
            .timeline
            .first()
            .and_then(|e| e.actor_name.clone())
            .unwrap_or_default(),
    };
    respond(&uri, page)
}
