//! The ticket page: the facts, the customer, the SLA clocks, the timeline and a form for
//! every action the ticket allows now.

use super::department::department_name;
use super::session::{Session, current, to_login};
use super::timeline::{Line, line};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::form::FormState;
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, local_time, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use hotro_core::codes::TicketCode;
use hotro_core::event::OutcomeKind;
use hotro_core::ticket::allowed_next;
use hotro_core::{Channel, Priority};
use hotro_store::TicketView;

/// A `<select>` option.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
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
    /// The customer's page: every ticket of the person (issue 16).
    customer_id: i64,
    pub timeline: Vec<Line>,
    can_take: bool,
    slip: bool,
    /// TR-1: the link to the confirmation of a contact staff recorded: a walk-in's slip, a
    /// letter's reply, the words for a caller.
    slip_key: &'static str,
    /// CH-3: a chat ticket has the inline console.
    chat: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_ticket.html")]
struct TicketPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    /// Whether the header links the administrators' pages.
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    csrf: String,
    v: TicketVm,
    lines: Vec<Line>,
    form: FormState,
    banner: Option<String>,
    done: bool,
    reply_text: String,
    /// The policy's template the composer starts from; the composer warns while the text is
    /// still only this (RP-4).
    reply_template: String,
    /// PL-3: the version in force, while the reader has yet to confirm it.
    policy_unread: Option<String>,
    /// (clock, when, state, note): note says met or paused.
    clocks: Vec<(String, String, &'static str, String)>,
    /// Addresses besides the customer's whose mail joins the ticket (issue 4).
    contacts: Vec<String>,
    channels: Vec<Opt>,
    next: Vec<Opt>,
    outcomes: Vec<Opt>,
    priorities: Vec<Opt>,
    departments: Vec<Opt>,
    /// RT-3: the rules' reading, why, and the forms to accept or correct it.
    classify: super::classify::ClassifyVm,
    /// CH-3: the chat console's conversation, its box's first text and its hint (RP-2: the
    /// first staff line greets, later ones need not).
    chat: Vec<super::chat_console::ChatLine>,
    chat_text: String,
    chat_hint: String,
}

pub fn ticket_vm(state: &AppState, t: Tr, view: &TicketView, staff_id: i64) -> TicketVm {
    let k = &view.ticket;
    let mut facts = vec![(
        t.get("web.fact.received"),
        local_time(&k.received_at.to_string()),
    )];
    if let Some(topic) = &k.topic {
        facts.push((
            t.get("web.fact.topic"),
            super::classify::topic_name(&state.policy, topic, t),
        ));
    }
    if let Some(area) = &k.feature_area {
        facts.push((
            t.get("web.fact.feature_area"),
            super::classify::area_name(&state.policy, area, t),
        ));
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
        customer_id: view.customer_id,
        timeline: view
            .timeline
            .iter()
            .map(|e| line(state, t, &k.code, e))
            .collect(),
        can_take: k.assignee != Some(staff_id) && k.status.is_open(),
        slip: k.channel.is_staff_recorded(),
        slip_key: match k.channel {
            Channel::Post => "web.agent.ticket.slip.post",
            Channel::Phone => "web.agent.ticket.slip.phone",
            _ => "web.agent.ticket.slip.walk_in",
        },
        chat: k.channel == Channel::Chat,
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
        return not_found_page(uri, t);
    };
    let Ok(view) = state.store.ticket_view(&session.staff, code.as_str()).await else {
        return not_found_page(uri, t);
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
    let reply_template = {
        let mut s = format!("{},\n\n", state.policy.reply.greeting);
        if k.channel == Channel::Email {
            s.push_str(&format!("\n\n{}.", state.policy.reply.closing));
        }
        s
    };
    // After a refused reply (a rule on its text, or a conflict such as PL-3's) the agent's
    // own words come back, never the bare template; only the reply form sends a channel.
    let reply_text = form
        .get("body")
        .filter(|_| form.get("channel").is_some())
        .unwrap_or_else(|| reply_template.clone());
    // PL-3: a new policy version to read and confirm before the next answer.
    let policy_unread = match state.must_confirm_policy(&session.staff).await {
        Ok(unread) => unread.then(|| state.policy.version.clone()),
        Err(e) => {
            tracing::error!(error = %e, "policy confirmation could not be read");
            None
        }
    };
    let (chat, chat_text, chat_hint) = if k.channel == Channel::Chat {
        let greeting = &state.policy.reply.greeting;
        if k.chat_greeted {
            (
                super::chat_console::chat_lines(t, &view),
                String::new(),
                t.get("web.chat.hint.later"),
            )
        } else {
            (
                super::chat_console::chat_lines(t, &view),
                format!("{greeting}, "),
                t.with("web.chat.hint.first", "greeting", greeting),
            )
        }
    } else {
        (Vec::new(), String::new(), String::new())
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
        admin: session.is_admin(),
        desk: session.has_desk(),
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
        classify: super::classify::classify_vm(state, t, &view),
        done: uri.query().is_some_and(|q| q.contains("done=1")),
        reply_text,
        reply_template,
        policy_unread,
        chat,
        chat_text,
        chat_hint,
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
