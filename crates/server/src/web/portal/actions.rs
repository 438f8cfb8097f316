//! The customer's actions from the tracking page: add information, accept or dispute an
//! answer, rate, reopen (TR-2, CP-1, CP-4).

use super::track::render_track;
use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::csrf::{self, CSRF_COOKIE};
use crate::web::form::FormState;
use crate::web::page::not_found_page;
use crate::web::page::{locale, message};
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::codes::TicketCode;

/// The customer's actions from the tracking page: add information, accept or dispute
/// an answer, rate, reopen (TR-2, CP-1, CP-4).
pub async fn track_action(
    State(state): State<AppState>,
    Path((code, action)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use hotro_core::ticket::CustomerCommand;
    use hotro_core::{Channel, Rejection};
    use hotro_store::StoreError;
    let t = Tr(locale(&uri, &headers));
    let expected = csrf::cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    let Some(upload) = crate::web::upload::read(multipart, &expected).await else {
        return message(
            &uri,
            t,
            StatusCode::FORBIDDEN,
            "web.csrf.title",
            "web.csrf.refused",
        );
    };
    let form = FormState::new(upload.fields);
    let secret = form.get("secret").unwrap_or_default();
    if !upload.errors.is_empty() {
        // A refused file refuses the whole message: nothing is sent without it.
        let form = form.with_errors(&upload.errors, t, &[]);
        return render_track(
            &state,
            &uri,
            t,
            &code,
            &secret,
            expected,
            form,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            (false, false),
        )
        .await;
    }
    let text = |name: &str| form.get(name).unwrap_or_default();
    let command = match action.as_str() {
        "info" => CustomerCommand::AddInformation {
            channel: Channel::Web,
            body: text("body"),
            attachments: crate::web::upload::records(&upload.files),
            reference: None,
        },
        "accept" => CustomerCommand::Accept,
        "dispute" => CustomerCommand::Dispute {
            channel: Channel::Web,
            reason: text("reason"),
        },
        "rate" => CustomerCommand::Rate {
            score: text("score").trim().parse().unwrap_or(0),
            comment: form.get("comment"),
        },
        "reopen" => CustomerCommand::Reopen {
            channel: Channel::Web,
            reason: text("reopen_reason"),
        },
        _ => {
            return not_found_page(&uri, t);
        }
    };
    let Some(parsed) = TicketCode::parse(&code) else {
        return message(
            &uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.track.not_found",
        );
    };
    let result = state
        .execute_as_customer(parsed.as_str(), &secret, command, upload.files)
        .await;
    let again = |form: FormState, banner: Option<String>, status: StatusCode| {
        let expected = expected.clone();
        let (state, uri, code, secret) = (state.clone(), uri.clone(), code.clone(), secret.clone());
        async move {
            render_track(
                &state,
                &uri,
                t,
                &code,
                &secret,
                expected,
                form,
                banner,
                status,
                (false, false),
            )
            .await
        }
    };
    match result {
        Ok(_) => {
            let to = format!("/track/{}?secret={secret}&done=1", parsed.as_str());
            (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
        }
        Err(StoreError::Rejected(Rejection::Invalid(errors))) => {
            // The reopening's reason has its own field on the page.
            let errors: Vec<hotro_core::FieldError> = errors
                .into_iter()
                .map(|e| match (action.as_str(), e.field.as_str()) {
                    ("reopen", "reason") => hotro_core::FieldError::new("reopen_reason", e.rule),
                    _ => e,
                })
                .collect();
            let form = form.clone().with_errors(&errors, t, &[]);
            again(form, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(StoreError::Rejected(
            r @ (Rejection::IllegalTransition { .. } | Rejection::Conflict { .. }),
        )) => {
            let banner = match r {
                Rejection::Conflict { rule } => {
                    crate::i18n::lookup(t.0, &format!("conflict.{rule}"), &[])
                        .unwrap_or_else(|| t.get("error.internal"))
                }
                Rejection::IllegalTransition { from, to } => crate::i18n::text(
                    t.0,
                    "error.illegal_transition",
                    &[
                        ("from", &t.label("status", from.as_str())),
                        ("to", &t.label("status", to.as_str())),
                    ],
                ),
                _ => t.get("error.internal"),
            };
            again(form, Some(banner), StatusCode::CONFLICT).await
        }
        Err(StoreError::NotFound | StoreError::Rejected(Rejection::NotFound)) => message(
            &uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.track.not_found",
        ),
        Err(other) => ApiError::from_store(other, &state.policy).into_response(),
    }
}
