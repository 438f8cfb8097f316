//! "Bàn trưởng phòng" (issue 16, SL-6, RT-4): a lead's (or an administrator's) view of the
//! department — open work by agent, the warnings and breaches newest first with what the lead
//! must do, the open tickets — and reassigning the picked ones with a reason, showing what
//! happened to each. Everyone else gets the workspace's 404 page.

use super::department::department_name;
use super::session::{Session, current, posted, to_login};
use crate::AppState;
use crate::i18n::{Tr, text};
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, local_time, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_app::App;
use hotro_app::desk::ASSIGN_MANY_LIMIT;
use hotro_core::sla::LeadAction;
use hotro_core::{Rejection, Role};
use hotro_store::{QueueQuery, StoreError};
use std::collections::HashMap;

/// One line of the open work by agent.
pub struct WorkLine {
    name: String,
    open: i64,
    oldest_code: String,
    oldest_at: String,
    breached: i64,
}

/// One warning or breach, with the lead's action in words.
pub struct AlertLine {
    code: String,
    subject: String,
    what: String,
    action: String,
    holder: String,
    open: bool,
    breach: bool,
}

/// One open ticket of the department.
pub struct TicketLine {
    code: String,
    subject: String,
    holder: String,
    breached: bool,
}

/// A member of staff the tickets may be handed to.
pub struct Choice {
    id: i64,
    name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_desk.html")]
struct DeskPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    admin: bool,
    desk: bool,
    csrf: String,
    department: String,
    department_label: String,
    /// An administrator's choice of department: (id, name).
    departments: Vec<(String, String)>,
    work: Vec<WorkLine>,
    alerts: Vec<AlertLine>,
    tickets: Vec<TicketLine>,
    agents: Vec<Choice>,
    /// What the last reassignment did, one line per ticket.
    results: Vec<(bool, String)>,
    reason: String,
}

fn failed(e: StoreError) -> Response {
    tracing::error!(error = %e, "the lead's desk could not be read");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// `GET /agent/desk[?department=…]`.
pub async fn page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let asked = query.get("department").map(String::as_str);
    render(&state, &uri, t, &session, asked, Vec::new(), String::new()).await
}

/// `POST /agent/desk/assign`: `code` (repeated), `agent`, `reason`, `department`.
pub async fn assign(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields: HashMap<String, String> = pairs.iter().cloned().collect();
    let (session, t) = match posted(&state, &uri, &headers, &fields).await {
        Ok(signed_in) => signed_in,
        Err(answer) => return answer,
    };
    if !App::has_desk(&session.staff) {
        return not_found_page(&uri, t);
    }
    // A ticket picked in both lists is assigned once.
    let mut codes: Vec<String> = Vec::new();
    for (k, v) in &pairs {
        if k == "code" && !codes.contains(v) {
            codes.push(v.clone());
        }
    }
    let reason = fields.get("reason").cloned().unwrap_or_default();
    let agent = fields
        .get("agent")
        .and_then(|a| a.trim().parse::<i64>().ok());
    let mut results = Vec::new();
    if codes.is_empty() {
        results.push((false, t.get("web.desk.none_picked")));
    } else if codes.len() > ASSIGN_MANY_LIMIT {
        results.push((false, t.get("rule.assign.too_many")));
    } else {
        // No agent chosen reads as nobody: the rule's own `assign.outside_department`.
        let agent = agent.unwrap_or(0);
        let name = match state.store.staff_account_by_id(agent).await {
            Ok(found) => found.map_or_else(|| agent.to_string(), |a| a.member.name),
            Err(e) => return failed(e),
        };
        for (code, result) in state
            .assign_many(&session.staff, &codes, agent, &reason)
            .await
        {
            results.push(match result {
                Ok(_) => {
                    let args = [("code", code.as_str()), ("name", name.as_str())];
                    (true, text(t.0, "web.desk.result_ok", &args))
                }
                Err(e) => {
                    let why = why(t, e);
                    let args = [("code", code.as_str()), ("why", why.as_str())];
                    (false, text(t.0, "web.desk.result_refused", &args))
                }
            });
        }
    }
    let department = fields.get("department").map(String::as_str);
    let kept = if results.iter().all(|(ok, _)| *ok) {
        String::new()
    } else {
        reason
    };
    render(&state, &uri, t, &session, department, results, kept).await
}

/// A refusal in the catalogue's words: the rule's message, each field's message.
fn why(t: Tr, e: StoreError) -> String {
    match e {
        StoreError::NotFound | StoreError::Rejected(Rejection::NotFound) => {
            t.get("error.not_found")
        }
        StoreError::Rejected(Rejection::Conflict { rule }) => t.get(&format!("conflict.{rule}")),
        StoreError::Rejected(Rejection::Invalid(fields)) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, t.get(&format!("rule.{}", f.rule))))
            .collect::<Vec<_>>()
            .join("; "),
        StoreError::Rejected(Rejection::IllegalTransition { .. }) => t.get("error.conflict"),
        other => {
            tracing::error!(error = %other, "a reassignment failed");
            t.get("error.internal")
        }
    }
}

async fn render(
    state: &AppState,
    uri: &Uri,
    t: Tr,
    session: &Session,
    asked: Option<&str>,
    results: Vec<(bool, String)>,
    reason: String,
) -> Response {
    let me = &session.staff;
    let asked = asked.filter(|d| !d.is_empty());
    let (department, lines) = match state.open_work(me, asked).await {
        Ok(Some(found)) => found,
        Ok(None) | Err(StoreError::NotFound) => return not_found_page(uri, t),
        Err(e) => return failed(e),
    };
    let now = state.now();
    let work = lines
        .into_iter()
        .map(|l| WorkLine {
            name: match (l.agent, l.name) {
                (None, _) => t.get("web.desk.unassigned"),
                (Some(id), name) => name.unwrap_or_else(|| id.to_string()),
            },
            open: l.open,
            oldest_at: l
                .oldest
                .as_ref()
                .map(|(_, at)| local_time(&at.to_string()))
                .unwrap_or_default(),
            oldest_code: l.oldest.map(|(c, _)| c).unwrap_or_default(),
            breached: l.breached,
        })
        .collect();
    let alerts = match state.escalations(me).await {
        Ok(list) => list.unwrap_or_default(),
        Err(e) => return failed(e),
    };
    let alerts = alerts
        .into_iter()
        .filter(|e| e.department == department)
        .map(|e| {
            let breach = e.kind == "breach";
            let action = LeadAction::of(breach, e.open, e.assignee.is_some());
            let clock = t.get(&format!("web.sla.{}", e.clock.as_str()));
            let key = if breach {
                "web.attention.breach"
            } else {
                "web.attention.warning"
            };
            AlertLine {
                what: format!(
                    "{} · {}",
                    t.with(key, "clock", &clock),
                    local_time(&e.at.to_string())
                ),
                action: t.get(&format!("escalation.{}", action.as_str())),
                holder: e.assignee_name.unwrap_or_default(),
                open: e.open,
                breach,
                code: e.code,
                subject: e.subject,
            }
        })
        .collect();
    let query = QueueQuery {
        department: Some(department.clone()),
        limit: 200,
        ..QueueQuery::default()
    };
    let tickets = match state.store.queue(me, &query).await {
        Ok(items) => items,
        Err(e) => return failed(e),
    };
    let tickets = tickets
        .into_iter()
        .map(|q| TicketLine {
            breached: [q.due.ack_due_at, q.due.resolve_due_at, q.due.start_by_at]
                .into_iter()
                .flatten()
                .any(|d| d < now),
            holder: q.assignee_name.unwrap_or_default(),
            code: q.code,
            subject: q.subject,
        })
        .collect();
    let accounts = match state.store.staff_accounts().await {
        Ok(a) => a,
        Err(e) => return failed(e),
    };
    let agents = accounts
        .into_iter()
        .filter(|a| a.active && a.member.department == department)
        .map(|a| Choice {
            id: a.member.id,
            name: a.member.name,
        })
        .collect();
    let departments = if me.role == Role::Admin {
        state
            .policy
            .departments
            .iter()
            .map(|d| (d.id.clone(), department_name(state, &d.id, t)))
            .collect()
    } else {
        Vec::new()
    };
    respond(
        uri,
        DeskPage {
            t,
            lang_url: lang_url(uri, t),
            staff_name: me.name.clone(),
            admin: session.is_admin(),
            desk: session.has_desk(),
            csrf: session.csrf.clone(),
            department_label: department_name(state, &department, t),
            department,
            departments,
            work,
            alerts,
            tickets,
            agents,
            results,
            reason,
        },
    )
}
