//! Staff intake (CH-4): a contact by phone, at the counter or by letter, recorded by staff
//! with the portal's form and every kind's fields.

use super::session::{Session, current, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::form::FormState;
use crate::web::page::{lang_url, locale, message, respond};
use crate::web::portal::{FormPage, new_ticket, topics};
use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::event::Actor;
use hotro_core::intake::Source;
use hotro_core::{Channel, Kind};
use std::collections::HashMap;

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
    let Some(upload) = crate::web::upload::read(multipart, &session.csrf).await else {
        return message(
            &uri,
            t,
            StatusCode::FORBIDDEN,
            "web.csrf.title",
            "web.csrf.refused",
        );
    };
    let form = FormState::new(upload.fields.clone());
    let kind = form.get("kind").unwrap_or_default();
    let mut input = new_ticket(&form, &kind);
    // The evidence a caller or visitor hands over joins the ticket like a customer's own.
    input.attachments = crate::web::upload::records(&upload.files);
    let actor = Actor::Staff {
        id: session.staff.id,
    };
    let received = state
        .receive_with_files(&input, upload.errors, Source::Staff, actor, upload.files)
        .await
        .map_err(|e| crate::error::ApiError::from_app(e, &state.policy));
    match received {
        Ok(r) => {
            // TR-1: the confirmation on the channel used — a visitor at the counter takes the
            // printed slip home, a letter is answered by letter, a caller hears the code and
            // link. Only now is the tracking secret known, so it goes along, once.
            let recorded_by_staff = input
                .channel
                .as_deref()
                .and_then(Channel::parse)
                .is_some_and(Channel::is_staff_recorded);
            let to = if recorded_by_staff {
                format!("/agent/tickets/{}/slip?secret={}", r.created.code, r.secret)
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
