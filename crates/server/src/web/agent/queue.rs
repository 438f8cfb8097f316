//! The department's queue: the tickets open now with their nearest deadline, the filters,
//! the rows the live refresh fetches, and the questions other departments put (RP-3).

use super::department::department_name;
use super::session::{Session, current, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::form::FormState;
use crate::web::page::{lang_url, local_time, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::{Channel, Kind, Priority, Status};
use hotro_store::{QueueFilter, QueueItem, QueueQuery};
use std::collections::HashMap;

/// One line of the queue as shown.
pub struct Row {
    code: String,
    priority: String,
    subject: String,
    customer_name: String,
    kind: String,
    channel: String,
    status: String,
    received: String,
    assignee: String,
    /// The department's name, shown to those who see several.
    department: String,
    /// The nearest deadline: (what, when, state) — state is on_time, warning, breached.
    due: Option<(String, String, &'static str)>,
}

impl Row {
    fn new(q: &QueueItem, t: Tr, now: jiff::Timestamp, department: String) -> Row {
        let d = &q.due;
        let nearest = [
            (d.start_by_at, "web.sla.start"),
            (d.ack_due_at, "web.sla.acknowledge"),
            (d.resolve_due_at, "web.sla.resolve"),
        ]
        .into_iter()
        .filter_map(|(at, key)| at.map(|at| (at, key)))
        .min_by_key(|(at, _)| *at);
        let due = if d.paused {
            Some((t.get("web.sla.paused"), String::new(), "paused"))
        } else {
            nearest.map(|(at, key)| {
                // The same 75 % threshold the warnings use (SL-6), measured from receipt.
                let total = at.duration_since(q.received_at).as_secs().max(1);
                let left = at.duration_since(now).as_secs();
                let state = if left < 0 {
                    "breached"
                } else if left * 4 < total {
                    "warning"
                } else {
                    "on_time"
                };
                (t.get(key), local_time(&at.to_string()), state)
            })
        };
        Row {
            code: q.code.clone(),
            priority: q.priority.clone(),
            subject: q.subject.clone(),
            customer_name: q.customer_name.clone(),
            kind: q.kind.clone(),
            channel: q.channel.clone(),
            status: q.status.clone(),
            received: local_time(&q.received_at.to_string()),
            assignee: q.assignee_name.clone().unwrap_or_default(),
            department,
            due,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_queue.html")]
struct QueuePage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    /// Whether the header links the administrators' pages.
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    csrf: String,
    department: String,
    /// Whether the rows come from several departments: then each names its own.
    many: bool,
    filters: Vec<(&'static str, String, Vec<&'static str>)>,
    form: FormState,
    items: Vec<Row>,
    query: String,
    /// RP-3: questions other departments put to this one.
    consultations: Vec<ConsultLine>,
}

/// A question from another department, with what is needed to answer it.
pub struct ConsultLine {
    code: String,
    subject: String,
    number: u32,
    from: String,
    question: String,
    at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_rows.html")]
struct RowsPartial {
    t: Tr,
    many: bool,
    items: Vec<Row>,
}

/// Administrators see every department, staff on holiday duty those they cover (RT-4).
fn sees_several(session: &Session) -> bool {
    session.staff.role.sees_all_departments() || !session.staff.cover.departments.is_empty()
}

/// Reads the filters from the query; unknown values are ignored rather than refused.
fn queue_query(session: &Session, params: &HashMap<String, String>) -> QueueQuery {
    let pick = |name: &str, valid: fn(&str) -> bool| params.get(name).filter(|v| valid(v)).cloned();
    QueueQuery {
        department: None,
        limit: 200,
        after: None,
        filter: QueueFilter {
            status: pick("status", |v| Status::parse(v).is_some()),
            kind: pick("kind", |v| Kind::parse(v).is_some()),
            priority: pick("priority", |v| Priority::parse(v).is_some()),
            channel: pick("channel", |v| Channel::parse(v).is_some()),
            assignee_id: params
                .get("mine")
                .filter(|v| v.as_str() == "1")
                .map(|_| session.staff.id),
        },
    }
}

async fn rows(
    state: &AppState,
    session: &Session,
    params: &HashMap<String, String>,
    t: Tr,
) -> Vec<Row> {
    let query = queue_query(session, params);
    let now = state.clock.now();
    match state.store.queue(&session.staff, &query).await {
        Ok(items) => items
            .iter()
            .map(|q| Row::new(q, t, now, department_name(state, &q.department, t)))
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "queue could not be read");
            Vec::new()
        }
    }
}

pub async fn queue(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let items = rows(&state, &session, &params, t).await;
    let names = |all: &[&'static str]| all.to_vec();
    let filters = vec![
        (
            "status",
            t.get("web.agent.col.status"),
            Status::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| s.as_str())
                .collect(),
        ),
        (
            "kind",
            t.get("web.agent.col.kind"),
            names(&Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
        ),
        (
            "priority",
            t.get("web.agent.col.priority"),
            Priority::ALL.iter().map(|p| p.as_str()).collect(),
        ),
        (
            "channel",
            t.get("web.agent.col.channel"),
            Channel::ALL.iter().map(|c| c.as_str()).collect(),
        ),
    ];
    let consultations = state
        .store
        .open_consultations(&session.staff)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|c| ConsultLine {
            from: department_name(&state, &c.from_department, t),
            at: local_time(&c.asked_at.to_string()),
            code: c.code,
            subject: c.subject,
            number: c.number,
            question: c.question,
        })
        .collect();
    let page = QueuePage {
        t,
        consultations,
        lang_url: lang_url(&uri, t),
        staff_name: session.staff.name.clone(),
        admin: session.is_admin(),
        desk: session.has_desk(),
        csrf: session.csrf.clone(),
        department: if session.staff.role.sees_all_departments() {
            t.get("web.agent.queue.all_departments")
        } else {
            department_name(&state, &session.staff.department, t)
        },
        many: sees_several(&session),
        filters,
        form: FormState::new(params),
        items,
        query: uri.query().map(|q| format!("?{q}")).unwrap_or_default(),
    };
    respond(&uri, page)
}

pub async fn queue_rows(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let t = Tr(locale(&uri, &headers));
    RowsPartial {
        t,
        many: sees_several(&session),
        items: rows(&state, &session, &params, t).await,
    }
    .into_response()
}
