//! The inline chat console on a chat ticket's page (CH-3): the conversation as the visitor
//! sees it, and a message box that answers without reloading the page. New visitor lines
//! arrive through the ticket's live feed (`/agent/stream?code=`), which reloads the
//! transcript; a sent line comes back as the new transcript.

use super::session::current;
use crate::AppState;
use crate::error::ApiError;
use crate::i18n::{Tr, text};
use crate::web::page::{local_time, locale};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use hotro_core::codes::TicketCode;
use hotro_core::event::Event;
use hotro_core::{Channel, Command, Rejection};
use hotro_store::{StoreError, TicketView};
use std::collections::HashMap;

/// One line of the conversation.
pub struct ChatLine {
    pub visitor: bool,
    pub who: String,
    pub at: String,
    pub body: String,
}

/// The lines the visitor's widget shows too: their messages and the staff's answers.
pub fn chat_lines(t: Tr, view: &TicketView) -> Vec<ChatLine> {
    view.timeline
        .iter()
        .filter_map(|e| {
            let (visitor, body) = match &e.event {
                Event::Received(r) => (true, r.description.clone()),
                Event::CustomerWrote { body, .. } => (true, body.clone()),
                Event::Replied { body, .. } => (false, body.clone()),
                _ => return None,
            };
            let who = if visitor {
                view.ticket.customer.name.clone()
            } else {
                e.actor_name
                    .clone()
                    .unwrap_or_else(|| t.get("web.who.system"))
            };
            Some(ChatLine {
                visitor,
                who,
                at: local_time(&e.at.to_string()),
                body,
            })
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "_chat_lines.html")]
struct ChatLines {
    chat: Vec<ChatLine>,
}

/// A chat ticket the viewer may see: 404 for another department's (RT-4) and for any other
/// channel's ticket, which has no console.
async fn view_of(
    state: &AppState,
    headers: &HeaderMap,
    code: &str,
) -> Result<TicketView, Response> {
    let Some(session) = current(state, headers).await else {
        return Err(StatusCode::UNAUTHORIZED.into_response());
    };
    let Some(code) = TicketCode::parse(code) else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    match state.store.ticket_view(&session.staff, code.as_str()).await {
        Ok(view) if view.ticket.channel == Channel::Chat => Ok(view),
        _ => Err(StatusCode::NOT_FOUND.into_response()),
    }
}

/// The transcript alone, for the live refresh.
pub async fn transcript(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    match view_of(&state, &headers, &code).await {
        Ok(view) => {
            let t = Tr(locale(&uri, &headers));
            ChatLines {
                chat: chat_lines(t, &view),
            }
            .into_response()
        }
        Err(r) => r,
    }
}

/// A staff line in the conversation: the reply rules decide (RP-2: the first one greets),
/// the answer is the new transcript, or the refusal in words for the box's error line.
/// Without the console's script (no `HX-Request`), a sent line goes back to the page.
pub async fn send(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let t = Tr(locale(&uri, &headers));
    let refuse = |status: StatusCode, words: String| {
        (
            status,
            Html(format!(
                "<p class=\"error\" role=\"alert\">{}</p>",
                escape(&words)
            )),
        )
            .into_response()
    };
    if !session.accepts(&fields) {
        return refuse(StatusCode::FORBIDDEN, t.get("web.csrf.refused"));
    }
    let Some(code) = TicketCode::parse(&code) else {
        return refuse(StatusCode::NOT_FOUND, t.get("web.not_found"));
    };
    // Only a chat has a console; anything else is answered from the reply form.
    if view_of(&state, &headers, code.as_str()).await.is_err() {
        return refuse(StatusCode::NOT_FOUND, t.get("web.not_found"));
    }
    let command = Command::Reply {
        body: fields.get("body").cloned().unwrap_or_default(),
        channel: Some(Channel::Chat),
        then: None,
        // A chat line proposes nothing; a complaint's outcome goes with the written answer.
        outcome: None,
    };
    let args = [
        ("greeting", state.policy.reply.greeting.as_str()),
        ("closing", state.policy.reply.closing.as_str()),
    ];
    match state.execute(&session.staff, code.as_str(), command).await {
        Ok(_) if headers.contains_key("hx-request") => {
            match state.store.ticket_view(&session.staff, code.as_str()).await {
                Ok(view) => ChatLines {
                    chat: chat_lines(t, &view),
                }
                .into_response(),
                Err(e) => ApiError::from_store(e, &state.policy).into_response(),
            }
        }
        Ok(_) => {
            let to = format!("/agent/tickets/{}?done=1", code.as_str());
            (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
        }
        Err(StoreError::Rejected(Rejection::Invalid(errors))) => {
            let words: Vec<String> = errors
                .iter()
                .map(|e| text(t.0, &format!("rule.{}", e.rule), &args))
                .collect();
            refuse(StatusCode::UNPROCESSABLE_ENTITY, words.join(" "))
        }
        Err(StoreError::Rejected(Rejection::Conflict { rule })) => refuse(
            StatusCode::CONFLICT,
            crate::i18n::lookup(t.0, &format!("conflict.{rule}"), &[])
                .unwrap_or_else(|| text(t.0, "error.conflict", &[("rule", rule)])),
        ),
        Err(StoreError::NotFound | StoreError::Rejected(Rejection::NotFound)) => {
            refuse(StatusCode::NOT_FOUND, t.get("web.not_found"))
        }
        Err(other) => ApiError::from_store(other, &state.policy).into_response(),
    }
}

/// The refusal is our own words, but a rule's words may quote the policy's strings.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
