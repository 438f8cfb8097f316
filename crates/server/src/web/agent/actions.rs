//! The workspace's actions: each form posts here, the core rules decide, and the page
//! comes back either moved on (303) or with the refusal beside the field it concerns.

use super::session::posted;
use super::ticket::render_ticket;
use crate::AppState;
use crate::error::ApiError;
use crate::i18n::text;
use crate::web::form::FormState;
use crate::web::page::not_found_page;
use axum::extract::{Form, Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::codes::TicketCode;
use hotro_core::contact::Email;
use hotro_core::event::{Meeting, Outcome, OutcomeKind};
use hotro_core::intake::vietnam_zone;
use hotro_core::ticket::StatusChange;
use hotro_core::{Channel, Command, FieldError, Kind, Priority, Rejection, Status};
use hotro_store::StoreError;
use std::collections::HashMap;

/// The outcome a form names in `{prefix}_kind`, `{prefix}_amount` and `{prefix}_note`, if any.
fn outcome_of(form: &FormState, prefix: &str, errors: &mut Vec<FieldError>) -> Option<Outcome> {
    let kind = form
        .get(&format!("{prefix}_kind"))
        .and_then(|k| OutcomeKind::parse(&k))?;
    let amount_field = format!("{prefix}_amount");
    let amount = form
        .get(&amount_field)
        .filter(|a| !a.trim().is_empty())
        .and_then(|a| match a.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new(&amount_field, "type.integer"));
                None
            }
        });
    Some(Outcome {
        kind,
        amount,
        note: form
            .get(&format!("{prefix}_note"))
            .filter(|n| !n.trim().is_empty()),
    })
}

/// Builds the command a form asks for, or the form's own errors.
fn command(action: &str, form: &FormState) -> Result<Command, Vec<FieldError>> {
    let text = |name: &str| form.get(name).unwrap_or_default();
    let mut errors = Vec::new();
    let command = match action {
        "take" => Command::Take,
        "note" => Command::Note { body: text("body") },
        "reply" => {
            // CP-2: a complaint's answer proposes its outcome; one that settles records it.
            let outcome = outcome_of(form, "proposed", &mut errors);
            let to = form.get("status").and_then(|s| Status::parse(&s));
            let settles = matches!(to, Some(Status::Resolved | Status::Closed));
            let (recorded, proposed) = if settles {
                (outcome, None)
            } else {
                (None, outcome)
            };
            Command::Reply {
                body: text("body"),
                channel: form.get("channel").and_then(|c| Channel::parse(&c)),
                then: to.map(|to| StatusChange {
                    outcome: recorded,
                    ..StatusChange::to(to)
                }),
                outcome: proposed.map(Box::new),
            }
        }
        "status" => {
            let Some(to) = form.get("status").and_then(|s| Status::parse(&s)) else {
                return Err(vec![FieldError::new("status", "required")]);
            };
            let outcome = outcome_of(form, "outcome", &mut errors);
            let meeting = form.get("meeting_at").and_then(|at| {
                match at
                    .trim()
                    .parse::<jiff::civil::DateTime>()
                    .ok()
                    .and_then(|dt| dt.to_zoned(vietnam_zone()).ok())
                {
                    Some(z) => Some(Meeting {
                        at: z.timestamp(),
                        place: text("meeting_place"),
                    }),
                    None => {
                        errors.push(FieldError::new("meeting_at", "datetime"));
                        None
                    }
                }
            });
            Command::ChangeStatus(StatusChange {
                to,
                reason: form.get("reason"),
                outcome,
                meeting,
            })
        }
        "priority" => match form.get("priority").and_then(|p| Priority::parse(&p)) {
            Some(priority) => Command::ChangePriority {
                priority,
                reason: text("reason"),
            },
            None => return Err(vec![FieldError::new("priority", "required")]),
        },
        "consult" => Command::Consult {
            department: text("consult_department"),
            question: text("question"),
        },
        "answer" => match form.get("number").and_then(|n| n.trim().parse().ok()) {
            Some(number) => Command::AnswerConsultation {
                number,
                answer: text("answer"),
            },
            None => return Err(vec![FieldError::new("number", "required")]),
        },
        "transfer" => Command::Transfer {
            department: text("department"),
            reason: text("reason"),
        },
        // RT-3: the one-click acceptance posts the rules' suggestion with `accepted`.
        "classify" => match form.get("kind").and_then(|k| Kind::parse(&k)) {
            Some(kind) => Command::Reclassify {
                kind,
                topic: form.get("topic").filter(|x| !x.trim().is_empty()),
                feature_area: form.get("feature_area").filter(|x| !x.trim().is_empty()),
                accepted: form.get("accepted").is_some(),
                reason: form.get("reason").filter(|x| !x.trim().is_empty()),
            },
            None => return Err(vec![FieldError::new("kind", "required")]),
        },
        _ => return Err(vec![FieldError::new("action", "unknown")]),
    };
    if errors.is_empty() {
        Ok(command)
    } else {
        Err(errors)
    }
}

/// Form field names for the rule errors of each action (the note's body is `note`).
fn form_field(action: &str, field: &str) -> String {
    match (action, field) {
        ("note", "body") => "note".into(),
        // The classification form's fields share names with others on the page.
        ("classify", f) => format!("classify_{}", f.replace('.', "_")),
        (_, f) => f.replace('.', "_"),
    }
}

pub async fn act(
    State(state): State<AppState>,
    Path((code, action)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match posted(&state, &uri, &headers, &fields).await {
        Ok(signed_in) => signed_in,
        Err(answer) => return answer,
    };
    let Some(code) = TicketCode::parse(&code) else {
        return not_found_page(&uri, t);
    };
    let form = FormState::new(fields);
    let args = [
        ("greeting", state.policy.reply.greeting.as_str()),
        ("closing", state.policy.reply.closing.as_str()),
    ];
    let refused = |errors: Vec<FieldError>| {
        let errors: Vec<FieldError> = errors
            .into_iter()
            .map(|e| FieldError::new(form_field(&action, &e.field), e.rule))
            .collect();
        form.clone().with_errors(&errors, t, &args)
    };
    // Issue 4: naming another address whose mail may join the ticket is no command of the
    // ticket's rules; the store records it for the agent's department only (RT-4).
    if action == "contact" {
        let raw = form.get("contact_email").unwrap_or_default();
        let email = match Email::parse("contact_email", &raw) {
            Ok(email) if !raw.trim().is_empty() => email,
            result => {
                let rule = if raw.trim().is_empty() {
                    "required".to_owned()
                } else {
                    result.err().map(|e| e.rule).unwrap_or_default()
                };
                let form =
                    form.clone()
                        .with_errors(&[FieldError::new("contact_email", rule)], t, &args);
                return render_ticket(
                    &state,
                    &uri,
                    t,
                    &session,
                    code.as_str(),
                    form,
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        };
        return match state
            .add_contact(&session.staff, code.as_str(), email.as_str())
            .await
        {
            Ok(_) => {
                let to = format!("/agent/tickets/{}?done=1", code.as_str());
                (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
            }
            Err(StoreError::NotFound) => not_found_page(&uri, t),
            Err(other) => ApiError::from_store(other, &state.policy).into_response(),
        };
    }
    let command = match command(&action, &form) {
        Ok(c) => c,
        Err(errors) => {
            let form = refused(errors);
            return render_ticket(
                &state,
                &uri,
                t,
                &session,
                code.as_str(),
                form,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let result = state.execute(&session.staff, code.as_str(), command).await;
    match result {
        Ok(done) => {
            let to = if session.staff.may_handle(&done.ticket.department) {
                format!("/agent/tickets/{}?done=1", code.as_str())
            } else {
                // Transferred out of the department: back to the queue.
                "/agent?done=1".to_owned()
            };
            (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
        }
        Err(StoreError::Rejected(Rejection::Invalid(errors))) => {
            let form = refused(errors);
            render_ticket(
                &state,
                &uri,
                t,
                &session,
                code.as_str(),
                form,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::Rejected(
            r @ (Rejection::IllegalTransition { .. } | Rejection::Conflict { .. }),
        )) => {
            let banner = match ApiError::from_rejection(r, &state.policy) {
                ApiError::IllegalTransition { from, to } => text(
                    t.0,
                    "error.illegal_transition",
                    &[
                        ("from", &t.label("status", from.as_str())),
                        ("to", &t.label("status", to.as_str())),
                    ],
                ),
                ApiError::Conflict(rule) => {
                    crate::i18n::lookup(t.0, &format!("conflict.{rule}"), &[])
                        .unwrap_or_else(|| text(t.0, "error.conflict", &[("rule", rule)]))
                }
                _ => text(t.0, "error.internal", &[]),
            };
            render_ticket(
                &state,
                &uri,
                t,
                &session,
                code.as_str(),
                form,
                Some(banner),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(StoreError::NotFound | StoreError::Rejected(Rejection::NotFound)) => {
            not_found_page(&uri, t)
        }
        Err(other) => ApiError::from_store(other, &state.policy).into_response(),
    }
}
