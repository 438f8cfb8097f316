//! The live feed (Server-Sent Events) that refreshes the queue, the ticket page and the
//! chat console when a ticket changes, so nobody works from a stale screen.

use super::session::current;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::convert::Infallible;

/// Server-Sent Events: `queue` whenever a ticket of the viewer's department changes, and
/// `attention` when a change brought the viewer a notification (SL-6).
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
    let me = session.staff.id;
    let changes = state.store.subscribe();
    // SL-6: `attention` when a change brought the viewer a notification (the header's count),
    // besides the view's own event; a second event of one change waits in `pending`.
    let events = futures_util::stream::unfold(
        (changes, None::<SseEvent>),
        move |(mut changes, pending)| {
            let department = department.clone();
            let only = only.clone();
            async move {
                if let Some(event) = pending {
                    return Some((Ok::<_, Infallible>(event), (changes, None)));
                }
                loop {
                    match changes.recv().await {
                        Ok(change) => {
                            let attention = change
                                .notified
                                .contains(&me)
                                .then(|| SseEvent::default().event("attention").data(&change.code));
                            let view = ((everything || change.departments.contains(&department))
                                && only.as_ref().is_none_or(|c| *c == change.code))
                            .then(|| SseEvent::default().event(name).data(&change.code));
                            match (attention, view) {
                                (Some(a), v) => return Some((Ok(a), (changes, v))),
                                (None, Some(v)) => return Some((Ok(v), (changes, None))),
                                (None, None) => continue,
                            }
                        }
                        // Fell behind: one refresh covers whatever was missed.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                            let event = SseEvent::default().event(name).data("");
                            let count = SseEvent::default().event("attention").data("");
                            return Some((Ok(event), (changes, Some(count))));
                        }
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                    }
                }
            }
        },
    );
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}
