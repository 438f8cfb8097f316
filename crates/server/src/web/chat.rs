//! Live chat (CH-3): an embeddable `widget.js` that talks to hotro over a WebSocket. A
//! conversation is a ticket on the `chat` channel from its first message; the visitor keeps
//! its code and secret in the browser and resumes after a reconnect without losing a
//! message (every message is stored before it is acknowledged, and re-sent messages are
//! recognised by the widget's own reference). Outside working hours the widget says when
//! staff will answer, and still takes the message.

use crate::AppState;
use crate::auth::digest;
use crate::error::ApiError;
use crate::i18n::text;
use crate::routes::intake;
use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hotro_core::Language;
use hotro_core::intake::{NewTicket, Source};
use hotro_core::{Actor, Event};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The largest `/chat/start` body: the longest description the intake rules accept, in
/// the widest UTF-8, with room for the other fields.
const START_LIMIT: usize = 128 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/widget.js", get(widget))
        .route("/chat/status", get(status))
        // A first chat message is text: a small limit, not the forms' 26 MiB for files.
        .route(
            "/chat/start",
            post(start).layer(axum::extract::DefaultBodyLimit::max(START_LIMIT)),
        )
        .route("/chat/ws", get(socket))
}

/// Answers other sites' pages, where the widget lives.
fn cross_origin(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(ACCESS_CONTROL_ALLOW_ORIGIN, "*")],
        axum::Json(body),
    )
        .into_response()
}

async fn widget() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
            (ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        include_str!("../../assets/widget.js"),
    )
        .into_response()
}

/// Whether the department is at work now, and if not, when it opens (SL-1 calendars).
async fn status(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let locale = Language::from_tag(q.get("lang").map(String::as_str));
    let department = q
        .get("department")
        .filter(|d| state.policy.department(d).is_some())
        .cloned()
        // As `/chat/start` routes it: an unknown or missing department is triage's.
        .unwrap_or_else(|| state.policy.triage_department().to_owned());
    let calendar = state.policy.calendar(&department);
    let now = state.clock.now();
    let open = calendar.is_working(now);
    let next = (!open).then(|| calendar.next_opening(now)).flatten();
    let when = next.map(|t| crate::web::page::local_time(&t.to_string()));
    let message = match &when {
        None => text(locale, "chat.open", &[]),
        Some(w) => text(locale, "chat.closed", &[("when", w)]),
    };
    cross_origin(
        StatusCode::OK,
        json!({ "open": open, "next_opening": next.map(|t| t.to_string()), "message": message }),
    )
}

/// The first message: records the ticket and gives the widget its code and secret.
/// The body is JSON sent as `text/plain` so that browsers need no preflight.
async fn start(State(state): State<AppState>, body: Bytes) -> Response {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body) else {
        return cross_origin(
            StatusCode::BAD_REQUEST,
            json!({ "error": { "code": "malformed_json" } }),
        );
    };
    let get = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
    let message = get("message").unwrap_or_default();
    let subject: String = message.trim().chars().take(80).collect();
    // CH-3: the widget's `data-department` routes the chat. A name this policy does not have
    // (a stale embed, a typo) must not lose the visitor: the chat goes to the triage
    // department, and the operator learns of the embed from the log — which names the
    // department asked for, never the visitor.
    let department = get("department").filter(|d| !d.trim().is_empty()).map(|d| {
        if state.policy.department(d.trim()).is_some() {
            d.trim().to_owned()
        } else {
            let triage = state.policy.triage_department().to_owned();
            tracing::warn!(
                asked = %d.chars().take(64).collect::<String>(),
                triage = %triage,
                "chat widget names a department the policy does not have; the chat goes to triage"
            );
            triage
        }
    });
    // RT-3: no kind is asked in a chat; the policy's rules read it from the message.
    let input = NewTicket {
        kind: None,
        channel: Some("chat".into()),
        customer_name: get("name"),
        customer_email: get("email"),
        customer_phone: get("phone"),
        subject: Some(subject),
        description: Some(message),
        topic: get("topic").filter(|t| !t.trim().is_empty()),
        department,
        ..NewTicket::default()
    };
    match intake::record(&state, &input, Vec::new(), Source::Public, Actor::Customer).await {
        Ok(r) => cross_origin(
            StatusCode::CREATED,
            // TR-1: the confirmation on the channel used: the widget shows the code and
            // the tracking link, and keeps them with its resume data.
            json!({ "code": r.created.code, "secret": r.secret,
                "tracking_url": intake::tracking_url(&state, &r.created.code, &r.secret) }),
        ),
        Err(ApiError::Invalid { fields, .. }) => {
            let fields: Vec<Value> = fields
                .iter()
                .map(|f| {
                    json!({ "field": f.field, "rule": f.rule,
                    "message": text(Language::Vi, &format!("rule.{}", f.rule), &[]) })
                })
                .collect();
            cross_origin(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": { "code": "invalid", "fields": fields } }),
            )
        }
        Err(other) => other.into_response(),
    }
}

async fn socket(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(64 * 1024)
        .on_upgrade(move |socket| conversation(state, socket))
}

/// The entries a visitor sees in the chat: their messages and the staff's answers.
fn chat_entries(view: &hotro_store::TicketView, after: i64) -> Vec<Value> {
    view.timeline
        .iter()
        .filter(|e| e.seq > after)
        .filter_map(|e| {
            let (from, body, reference) = match &e.event {
                Event::Received(r) => ("you", r.description.clone(), None),
                Event::CustomerWrote {
                    body, reference, ..
                } => ("you", body.clone(), reference.clone()),
                Event::Replied { body, .. } => ("staff", body.clone(), None),
                _ => return None,
            };
            Some(
                json!({ "type": "entry", "seq": e.seq, "from": from, "body": body,
                "ref": reference, "at": e.at.to_string() }),
            )
        })
        .collect()
}

async fn send(socket: &mut WebSocket, value: Value) -> bool {
    socket
        .send(Message::Text(value.to_string().into()))
        .await
        .is_ok()
}

/// One connection: `hello` proves the visitor, then messages flow both ways.
async fn conversation(state: AppState, mut socket: WebSocket) {
    // The first frame must be the visitor's hello with the ticket's code and secret.
    let hello = match socket.recv().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str::<Value>(&t).unwrap_or_default(),
        _ => return,
    };
    let code = hello["code"].as_str().unwrap_or_default().to_owned();
    let secret = hello["secret"].as_str().unwrap_or_default().to_owned();
    let hash = digest(&secret);
    let mut last = hello["since"].as_i64().unwrap_or(0);
    let mut changes = state.store.subscribe();
    let Ok(view) = state.store.tracked_ticket(&code, &hash).await else {
        let _ = send(&mut socket, json!({ "type": "error", "code": "not_found" })).await;
        return;
    };
    for entry in chat_entries(&view, last) {
        last = last.max(entry["seq"].as_i64().unwrap_or(last));
        if !send(&mut socket, entry).await {
            return;
        }
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(Message::Text(t))) = incoming else { return };
                let msg: Value = serde_json::from_str(&t).unwrap_or_default();
                if msg["type"] != "message" { continue; }
                let body = msg["body"].as_str().unwrap_or_default().to_owned();
                let reference = msg["ref"].as_str().map(|r| r.chars().take(64).collect::<String>());
                let reply = receive(&state, &code, &secret, body, reference.clone()).await;
                let ack = match reply {
                    Ok(()) => json!({ "type": "ack", "ref": reference }),
                    Err(rule) => json!({ "type": "error", "ref": reference, "rule": rule }),
                };
                if !send(&mut socket, ack).await { return; }
            }
            change = changes.recv() => {
                match change {
                    Ok(c) if c.code != code => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                    _ => {}
                }
                let Ok(view) = state.store.tracked_ticket(&code, &hash).await else { return };
                for entry in chat_entries(&view, last) {
                    last = last.max(entry["seq"].as_i64().unwrap_or(last));
                    if !send(&mut socket, entry).await { return; }
                }
            }
        }
    }
}

/// Stores a visitor's message (once, however often the widget sends it); an error is the
/// rule the widget shows.
async fn receive(
    state: &AppState,
    code: &str,
    secret: &str,
    body: String,
    reference: Option<String>,
) -> Result<(), String> {
    state
        .chat_message(code, secret, body, reference)
        .await
        .map_err(|e| match e {
            hotro_store::StoreError::Rejected(hotro_core::Rejection::Invalid(f)) => {
                f.first().map(|f| f.rule.clone()).unwrap_or_default()
            }
            hotro_store::StoreError::Rejected(hotro_core::Rejection::Conflict { rule }) => {
                rule.to_owned()
            }
            hotro_store::StoreError::NotFound => "not_found".to_owned(),
            _ => "internal".to_owned(),
        })
}
