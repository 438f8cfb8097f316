//! The workspace's pages: queue (with its live rows), ticket, staff intake, reception slip.

use super::session::{Session, current, to_login};
use crate::AppState;
use crate::i18n::{Locale, Tr};
use crate::routes::intake;
use crate::web::form::FormState;
use crate::web::page::{lang_url, local_time, locale, message, respond};
use crate::web::portal::{FormPage, new_ticket, topics};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use hotro_core::codes::TicketCode;
use hotro_core::event::{Actor, Event, OutcomeKind};
use hotro_core::intake::Source;
use hotro_core::ticket::allowed_next;
use hotro_core::{Channel, Kind, Priority, Status};
use hotro_store::{QueueFilter, QueueItem, QueueQuery, TicketView};
use std::collections::HashMap;
use std::convert::Infallible;

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
    /// The nearest deadline: (what, when, state) — state is on_time, warning, breached.
    due: Option<(String, String, &'static str)>,
}

impl Row {
    fn new(q: &QueueItem, t: Tr, now: jiff::Timestamp) -> Row {
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
    csrf: String,
    department: String,
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
    items: Vec<Row>,
}

fn department_name(state: &AppState, id: &str, t: Tr) -> String {
    state.policy.department(id).map_or_else(
        || id.to_owned(),
        |d| {
            if t.0 == Locale::En {
                d.name_en.clone()
            } else {
                d.name.clone()
            }
        },
    )
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
        Ok(items) => items.iter().map(|q| Row::new(q, t, now)).collect(),
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
        csrf: session.csrf.clone(),
        department: department_name(&state, &session.staff.department, t),
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
        items: rows(&state, &session, &params, t).await,
    }
    .into_response()
}

/// Server-Sent Events: `queue` whenever a ticket of the viewer's department changes.
pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // With `code`, only that ticket's changes (the chat console's live transcript).
    let only = params.get("code").cloned();
    let name = if only.is_some() { "ticket" } else { "queue" };
    let department = session.staff.department.clone();
    let everything = session.staff.role.sees_all_departments();
    let changes = state.store.subscribe();
    let events = futures_util::stream::unfold(changes, move |mut changes| {
        let department = department.clone();
        let only = only.clone();
        async move {
            loop {
                match changes.recv().await {
                    Ok(change)
                        if (everything || change.departments.contains(&department))
                            && only.as_ref().is_none_or(|c| *c == change.code) =>
                    {
                        let event = SseEvent::default().event(name).data(change.code);
                        return Some((Ok::<_, Infallible>(event), changes));
                    }
                    Ok(_) => continue,
                    // Fell behind: one refresh covers whatever was missed.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        let event = SseEvent::default().event(name).data("");
                        return Some((Ok(event), changes));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    });
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// A `<select>` option.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One entry of the staff timeline.
pub struct Line {
    at: String,
    who: String,
    class: &'static str,
    title: String,
    body: Option<String>,
    files: Vec<FileLink>,
}

/// A file on the timeline: pictures are previewed, everything else downloads.
pub struct FileLink {
    name: String,
    url: String,
    image: bool,
}

/// The ticket as the page shows it.
pub struct TicketVm {
    code: String,
    subject: String,
    status: &'static str,
    kind: &'static str,
    channel: &'static str,
    priority: &'static str,
    round: u8,
    assignee: String,
    facts: Vec<(String, String)>,
    customer: Vec<(String, String)>,
    timeline: Vec<Line>,
    can_take: bool,
    slip: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_ticket.html")]
struct TicketPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    csrf: String,
    v: TicketVm,
    lines: Vec<Line>,
    form: FormState,
    banner: Option<String>,
    done: bool,
    reply_text: String,
    /// (clock, when, state, note): note says met or paused.
    clocks: Vec<(String, String, &'static str, String)>,
    /// Addresses besides the customer's whose mail joins the ticket (issue 4).
    contacts: Vec<String>,
    channels: Vec<Opt>,
    next: Vec<Opt>,
    outcomes: Vec<Opt>,
    priorities: Vec<Opt>,
    departments: Vec<Opt>,
}

fn line(state: &AppState, t: Tr, code: &str, e: &hotro_store::TimelineEntry) -> Line {
    let label = |vocab: &str, v: &str| t.label(vocab, v);
    let dept = |d: &str| department_name(state, d, t);
    let text = |key: &str, args: &[(&str, &str)]| crate::i18n::text(t.0, key, args);
    let (class, title, body) = match &e.event {
        Event::Received(r) => (
            "inbound",
            text(
                "web.ev.received",
                &[("channel", &label("channel", r.channel.as_str()))],
            ),
            Some(r.description.clone()),
        ),
        Event::Taken { .. } => (
            "",
            text(
                "web.ev.taken",
                &[("name", e.actor_name.as_deref().unwrap_or(""))],
            ),
            None,
        ),
        Event::Replied { channel, body } => (
            "reply",
            text(
                "web.ev.replied",
                &[("channel", &label("channel", channel.as_str()))],
            ),
            Some(body.clone()),
        ),
        Event::NoteAdded { body } => ("note", t.get("web.ev.note_added"), Some(body.clone())),
        // An out-of-office answer is shown for what it is, so nobody takes it for the
        // customer's answer (SL-5).
        Event::CustomerWrote {
            channel,
            body,
            automatic,
            ..
        } => (
            "inbound",
            text(
                if *automatic {
                    "web.ev.customer_wrote_automatic"
                } else {
                    "web.ev.customer_wrote"
                },
                &[("channel", &label("channel", channel.as_str()))],
            ),
            Some(body.clone()),
        ),
        Event::Accepted => ("", t.get("web.ev.accepted"), None),
        Event::ConsultationRequested {
            department,
            question,
            ..
        } => (
            "note",
            text(
                "web.ev.consultation_requested",
                &[("department", &dept(department))],
            ),
            Some(question.clone()),
        ),
        Event::ConsultationAnswered {
            department, answer, ..
        } => (
            "note",
            text(
                "web.ev.consultation_answered",
                &[("department", &dept(department))],
            ),
            Some(answer.clone()),
        ),
        Event::Rated { score, comment } => (
            "",
            text("web.ev.rated", &[("score", &score.to_string())]),
            comment.clone(),
        ),
        Event::StatusChanged { from, to, reason } => (
            "",
            text(
                "web.ev.status_changed",
                &[
                    ("from", &label("status", from.as_str())),
                    ("to", &label("status", to.as_str())),
                ],
            ),
            reason.clone(),
        ),
        Event::RoundStarted { round } => (
            "",
            text("web.ev.round_started", &[("round", &round.to_string())]),
            None,
        ),
        Event::MeetingInvited(m) => (
            "",
            text(
                "web.ev.meeting_invited",
                &[("at", &local_time(&m.at.to_string())), ("place", &m.place)],
            ),
            None,
        ),
        Event::OutcomeRecorded(o) => {
            let mut what = label("outcome", o.kind.as_str());
            if let Some(a) = o.amount {
                what.push_str(&format!(" ({a} đ)"));
            }
            (
                "",
                text("web.ev.outcome_recorded", &[("outcome", &what)]),
                o.note.clone(),
            )
        }
        Event::Transferred { from, to, reason } => (
            "",
            text(
                "web.ev.transferred",
                &[("from", &dept(from)), ("to", &dept(to))],
            ),
            Some(reason.clone()),
        ),
        Event::PriorityChanged { from, to, reason } => (
            "",
            text(
                "web.ev.priority_changed",
                &[
                    ("from", &label("priority", from.as_str())),
                    ("to", &label("priority", to.as_str())),
                ],
            ),
            Some(reason.clone()),
        ),
        other => (
            "",
            text("web.ev.other", &[("type", other.type_name())]),
            None,
        ),
    };
    let who = match e.actor {
        Actor::Staff { .. } => e.actor_name.clone().unwrap_or_default(),
        Actor::Customer => t.get("web.who.customer"),
        Actor::System => t.get("web.who.system"),
    };
    let files = match &e.event {
        Event::Received(r) => r.attachments.as_slice(),
        Event::CustomerWrote { attachments, .. } => attachments.as_slice(),
        _ => &[],
    };
    Line {
        at: local_time(&e.at.to_string()),
        who,
        class,
        title,
        body,
        files: files
            .iter()
            .map(|f| FileLink {
                name: f.name.clone(),
                url: format!("/agent/tickets/{code}/files/{}", f.sha256),
                image: hotro_core::attachment::is_image(&f.content_type),
            })
            .collect(),
    }
}

fn ticket_vm(state: &AppState, t: Tr, view: &TicketView, staff_id: i64) -> TicketVm {
    let k = &view.ticket;
    let mut facts = vec![(
        t.get("web.fact.received"),
        local_time(&k.received_at.to_string()),
    )];
    if let Some(topic) = &k.topic {
        facts.push((t.get("web.fact.topic"), topic.clone()));
    }
    if let Some(c) = &k.complaint {
        facts.push((
            t.get("web.fact.incident_date"),
            c.incident_date.strftime("%d/%m/%Y").to_string(),
        ));
        facts.push((
            t.get("web.fact.category"),
            t.get(&format!("web.form.category.{}", c.category.as_str())),
        ));
        if let Some(r) = &c.requested_resolution {
            facts.push((t.get("web.fact.requested"), r.clone()));
        }
    }
    if let Some(f) = &k.feedback {
        facts.push((t.get("web.fact.current_feature"), f.current_feature.clone()));
        facts.push((t.get("web.fact.proposed"), f.proposed_improvement.clone()));
        facts.push((t.get("web.fact.reason"), f.reason.clone()));
    }
    if let Some(m) = &k.meeting {
        facts.push((
            t.get("web.fact.meeting"),
            format!("{} — {}", local_time(&m.at.to_string()), m.place),
        ));
    }
    if let Some(o) = &k.outcome {
        facts.push((
            t.get("web.fact.outcome"),
            t.label("outcome", o.kind.as_str()),
        ));
    }
    facts.push((t.get("web.fact.policy"), k.policy_version.clone()));
    let mut customer = vec![(t.get("web.form.customer_name"), k.customer.name.clone())];
    for (key, value) in [
        ("web.form.customer_email", &k.customer.email),
        ("web.form.customer_phone", &k.customer.phone),
        ("web.form.customer_address", &k.customer.address),
    ] {
        if let Some(v) = value {
            customer.push((t.get(key), v.clone()));
        }
    }
    TicketVm {
        code: k.code.clone(),
        subject: k.subject.clone(),
        status: k.status.as_str(),
        kind: k.kind.as_str(),
        channel: k.channel.as_str(),
        priority: k.priority.as_str(),
        round: k.round,
        assignee: view
            .assignee_name
            .clone()
            .unwrap_or_else(|| t.get("web.agent.ticket.unassigned")),
        facts,
        customer,
        timeline: view
            .timeline
            .iter()
            .map(|e| line(state, t, &k.code, e))
            .collect(),
        can_take: k.assignee != Some(staff_id) && k.status.is_open(),
        slip: k.channel == Channel::WalkIn,
    }
}

/// Renders the ticket page, fresh or again after a refused action.
#[allow(clippy::too_many_arguments)] // the page's inputs, each used once; a struct would only rename them
pub async fn render_ticket(
    state: &AppState,
    uri: &Uri,
    t: Tr,
    session: &Session,
    code: &str,
    form: FormState,
    banner: Option<String>,
    status: StatusCode,
) -> Response {
    let Some(code) = TicketCode::parse(code) else {
        return message(
            uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.not_found",
        );
    };
    let Ok(view) = state.store.ticket_view(&session.staff, code.as_str()).await else {
        return message(
            uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.not_found",
        );
    };
    let mut vm = ticket_vm(state, t, &view, session.staff.id);
    let lines = std::mem::take(&mut vm.timeline);
    let records = view.records();
    // SL-2, SL-3, SL-5, QF-3: each clock as the rules see it now.
    let clocks = match state.store.sla_status(&records, state.clock.now()).await {
        Ok(status) => status
            .clocks()
            .map(|c| {
                let what = t.get(&format!("web.sla.{}", c.clock.as_str()));
                let when = c
                    .met_at
                    .or(c.due_at)
                    .map(|at| local_time(&at.to_string()))
                    .unwrap_or_default();
                let note = if c.met_at.is_some() {
                    t.get("web.sla.met")
                } else if c.paused {
                    t.get("web.sla.paused")
                } else {
                    String::new()
                };
                (what, when, c.state.as_str(), note)
            })
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "SLA clocks could not be computed");
            Vec::new()
        }
    };
    let contacts = match state.store.contacts(code.as_str()).await {
        Ok(contacts) => contacts,
        Err(e) => {
            tracing::error!(error = %e, "contacts could not be read");
            Vec::new()
        }
    };
    let k = &view.ticket;
    let reply_text = match form.get("body").filter(|_| form.error("body").is_some()) {
        Some(kept) => kept,
        None => {
            let mut s = format!("{},\n\n", state.policy.reply.greeting);
            if k.channel == Channel::Email {
                s.push_str(&format!("\n\n{}.", state.policy.reply.closing));
            }
            s
        }
    };
    let opt = |value: &str, label: String, selected: bool| Opt {
        value: value.to_owned(),
        label,
        selected,
    };
    let page = TicketPage {
        t,
        lang_url: lang_url(uri, t),
        staff_name: session.staff.name.clone(),
        csrf: session.csrf.clone(),
        channels: Channel::ALL
            .iter()
            .map(|c| opt(c.as_str(), t.label("channel", c.as_str()), *c == k.channel))
            .collect(),
        next: allowed_next(k.status, k.kind, k.round)
            .into_iter()
            .map(|s| opt(s.as_str(), t.label("status", s.as_str()), false))
            .collect(),
        outcomes: OutcomeKind::ALL
            .iter()
            .map(|o| opt(o.as_str(), t.label("outcome", o.as_str()), false))
            .collect(),
        priorities: Priority::ALL
            .iter()
            .map(|p| {
                opt(
                    p.as_str(),
                    t.label("priority", p.as_str()),
                    *p == k.priority,
                )
            })
            .collect(),
        departments: state
            .policy
            .departments
            .iter()
            .filter(|d| d.id != k.department)
            // Every department of the policy in force, a company's own included.
            .map(|d| opt(&d.id, department_name(state, &d.id, t), false))
            .collect(),
        done: uri.query().is_some_and(|q| q.contains("done=1")),
        reply_text,
        clocks,
        contacts,
        lines,
        v: vm,
        form,
        banner,
    };
    respond(uri, (status, page))
}

pub async fn ticket(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    render_ticket(
        &state,
        &uri,
        t,
        &session,
        &code,
        FormState::default(),
        None,
        StatusCode::OK,
    )
    .await
}

fn intake_page(state: &AppState, uri: &Uri, t: Tr, session: &Session, form: FormState) -> FormPage {
    FormPage {
        t,
        lang_url: lang_url(uri, t),
        title: t.get("web.agent.intake"),
        action: "/agent/new".into(),
        csrf: session.csrf.clone(),
        staff: true,
        kind: "request",
        kinds: Kind::ALL.iter().map(|k| k.as_str()).collect(),
        channels: Channel::ALL.iter().map(|c| c.as_str()).collect(),
        topics: topics(&state.policy, t),
        form,
    }
}

pub async fn intake_form(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let mut defaults = HashMap::new();
    defaults.insert("channel".to_owned(), "phone".to_owned());
    respond(
        &uri,
        intake_page(&state, &uri, t, &session, FormState::new(defaults)),
    )
}

pub async fn intake(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let Some(upload) = crate::web::upload::read(&state, multipart, &session.csrf).await else {
        return message(
            &uri,
            t,
            StatusCode::FORBIDDEN,
            "web.csrf.title",
            "web.csrf.refused",
        );
    };
    let fields = upload.fields;
    let form = FormState::new(fields);
    let kind = form.get("kind").unwrap_or_default();
    let input = new_ticket(&form, &kind);
    let actor = Actor::Staff {
        id: session.staff.id,
    };
    match intake::record(&state, &input, Vec::new(), Source::Staff, actor).await {
        Ok(r) => {
            // A visitor at the counter takes the printed slip home (CH-4).
            let to = if input.channel.as_deref() == Some("walk_in") {
                format!("/agent/tickets/{}/slip", r.created.code)
            } else if session.staff.may_handle(&r.created.department) {
                format!("/agent/tickets/{}?done=1", r.created.code)
            } else {
                "/agent?done=1".to_owned()
            };
            (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
        }
        Err(crate::error::ApiError::Invalid { fields, .. }) => {
            let form = form.with_errors(&fields, t, &[]);
            respond(
                &uri,
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    intake_page(&state, &uri, t, &session, form),
                ),
            )
        }
        Err(other) => other.into_response(),
    }
}

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

/// A file of a ticket the member of staff may see (RT-4).
pub async fn file(
    State(state): State<AppState>,
    Path((code, sha256)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let file = match TicketCode::parse(&code) {
        Some(code) if hotro_core::attachment::is_sha256_hex(&sha256) => state
            .store
            .attachment_for_staff(&session.staff, code.as_str(), &sha256)
            .await
            .ok(),
        _ => None,
    };
    match file {
        Some(file) => crate::web::portal::download(file),
        None => message(
            &uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.not_found",
        ),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "_timeline.html")]
struct TimelinePartial {
    lines: Vec<Line>,
}

/// A ticket's timeline alone, for the live refresh of the ticket page and chat console.
pub async fn timeline(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let t = Tr(locale(&uri, &headers));
    let view = match TicketCode::parse(&code) {
        Some(code) => state
            .store
            .ticket_view(&session.staff, code.as_str())
            .await
            .ok(),
        None => None,
    };
    let Some(view) = view else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let vm = ticket_vm(&state, t, &view, session.staff.id);
    TimelinePartial { lines: vm.timeline }.into_response()
}
