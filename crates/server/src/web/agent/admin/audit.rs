//! `/agent/admin/audit`: the record of changes to staff and tokens, newest first — when, who
//! (an administrator, or the operator at the command line), what, to whom.

use super::{admin, failed};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::page::{lang_url, local_time, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;

/// One recorded change as listed.
pub struct Line {
    at: String,
    actor: String,
    action: &'static str,
    action_label: String,
    target: String,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    csrf: String,
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    lines: Vec<Line>,
}

/// `GET /agent/admin/audit`.
pub async fn page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let (session, t) = match admin(&state, &uri, &headers).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let entries = match state.staff_audit(&session.staff).await {
        Ok(entries) => entries,
        Err(e) => return failed(e),
    };
    let lines = entries
        .into_iter()
        .map(|e| Line {
            at: local_time(&e.at.to_string()),
            actor: e.actor.map_or_else(
                || t.get("web.admin.audit.operator"),
                |a| format!("{} ({})", a.name, a.email),
            ),
            action: e.action.as_str(),
            action_label: t.get(&format!("web.admin.action.{}", e.action.as_str())),
            target: format!("{} ({})", e.target.name, e.target.email),
            detail: match e.token_id {
                Some(id) => format!("#{id} {}", e.detail),
                None => e.detail,
            },
        })
        .collect();
    respond(
        &uri,
        AuditPage {
            t,
            lang_url: lang_url(&uri, t),
            staff_name: session.staff.name.clone(),
            csrf: session.csrf.clone(),
            admin: true,
            desk: session.has_desk(),
            lines,
        },
    )
}
