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
