//! A ticket's timeline as staff read it: every event in words, with its files, and the
//! timeline alone for the live refresh of the ticket page and the chat console.

use super::department::department_name;
use super::session::current;
use super::ticket::ticket_vm;
use crate::AppState;
use crate::i18n::Tr;
use crate::web::page::{local_time, locale};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::codes::TicketCode;
use hotro_core::event::{Actor, Event};

/// One entry of the staff timeline. Its fields are public because the ticket page's
/// template includes the timeline's.
pub struct Line {
    pub at: String,
    pub who: String,
    pub class: &'static str,
    pub title: String,
    pub body: Option<String>,
    pub files: Vec<FileLink>,
}

/// A file on the timeline: pictures are previewed, everything else downloads.
pub struct FileLink {
    pub name: String,
    pub url: String,
    pub image: bool,
}

pub fn line(state: &AppState, t: Tr, code: &str, e: &hotro_store::TimelineEntry) -> Line {
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
        Event::OutcomeRecorded(o) | Event::OutcomeProposed(o) => {
            let mut what = label("outcome", o.kind.as_str());
            if let Some(a) = o.amount {
                what.push_str(&format!(" ({})", crate::i18n::amount_vnd(a)));
            }
            let key = if matches!(e.event, Event::OutcomeProposed(_)) {
                "web.ev.outcome_proposed"
            } else {
                "web.ev.outcome_recorded"
            };
            ("", text(key, &[("outcome", &what)]), o.note.clone())
        }
        // SL-6: the alerts and the hand-over to the lead are part of the ticket's story.
        Event::SlaWarned { clock, .. } | Event::SlaEscalated { clock, .. } => {
            let key = if matches!(e.event, Event::SlaWarned { .. }) {
                "web.ev.sla_warned"
            } else {
                "web.ev.sla_escalated"
            };
            let clock = t.get(&format!("web.sla.{}", clock.as_str()));
            ("", text(key, &[("clock", &clock)]), None)
        }
        Event::EscalatedTo { .. } => ("", t.get("web.ev.escalated_to"), None),
        Event::Assigned { reason, .. } => (
            "",
            text(
                "web.ev.assigned",
                &[
                    ("name", e.assignee_name.as_deref().unwrap_or("")),
                    ("by", e.actor_name.as_deref().unwrap_or("")),
                ],
            ),
            Some(reason.clone()),
        ),
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
        // RT-3: the agent's decision on the rules' reading, what it was and what it became.
        Event::Reclassified(r) => {
            let mut what = vec![label("kind", r.kind.as_str())];
            what.extend(
                r.topic
                    .iter()
                    .map(|x| super::classify::topic_name(&state.policy, x, t)),
            );
            what.extend(
                r.feature_area
                    .iter()
                    .map(|x| super::classify::area_name(&state.policy, x, t)),
            );
            let key = if r.accepted {
                "web.ev.reclassified_accepted"
            } else {
                "web.ev.reclassified"
            };
            (
                "",
                text(
                    key,
                    &[
                        ("from", &label("kind", r.from_kind.as_str())),
                        ("to", &what.join(" · ")),
                    ],
                ),
                r.reason.clone(),
            )
        }
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
