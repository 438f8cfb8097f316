//! The portal's forms (CH-2, CH-6): the home page offering them, the request, complaint
//! and feedback forms, and their submission with evidence files.

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::web::csrf::{self, CSRF_COOKIE};
use crate::web::form::FormState;
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, locale, message, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::intake::{NewTicket, Source};
use hotro_core::{Actor, Policy};

#[derive(Template, WebTemplate)]
#[template(path = "portal_home.html")]
struct HomePage {
    t: Tr,
    lang_url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_form.html")]
pub struct FormPage {
    pub t: Tr,
    pub lang_url: String,
    pub title: String,
    pub action: String,
    pub csrf: String,
    /// Staff intake shows the channel and kind choices and every kind's fields.
    pub staff: bool,
    pub kind: &'static str,
    pub kinds: Vec<&'static str>,
    pub channels: Vec<&'static str>,
    pub topics: Vec<(String, String)>,
    pub form: FormState,
}

/// The topics of the policy, named in the reader's language.
pub fn topics(policy: &Policy, t: Tr) -> Vec<(String, String)> {
    policy
        .departments
        .iter()
        .flat_map(|d| d.topics.iter())
        .map(|topic| {
            let name = if t.0 == hotro_core::Language::En {
                &topic.name_en
            } else {
                &topic.name
            };
            (topic.id.clone(), name.clone())
        })
        .collect()
}

pub async fn home(uri: Uri, headers: HeaderMap) -> Response {
    let t = Tr(locale(&uri, &headers));
    respond(
        &uri,
        HomePage {
            t,
            lang_url: lang_url(&uri, t),
        },
    )
}

fn kind_of(path: &str) -> Option<&'static str> {
    ["request", "complaint", "feedback"]
        .into_iter()
        .find(|k| *k == path)
}

fn form_page(
    state: &AppState,
    uri: &Uri,
    t: Tr,
    kind: &'static str,
    csrf: String,
    form: FormState,
) -> FormPage {
    FormPage {
        t,
        lang_url: lang_url(uri, t),
        title: t.get(&format!("web.form.title.{kind}")),
        action: format!("/new/{kind}"),
        csrf,
        staff: false,
        kind,
        kinds: Vec::new(),
        channels: Vec::new(),
        topics: topics(&state.policy, t),
        form,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let Some(kind) = kind_of(&kind) else {
        return not_found_page(&uri, t);
    };
    let (token, set_cookie) = csrf::anonymous_token(&headers);
    let page = form_page(&state, &uri, t, kind, token, FormState::default());
    let mut response = respond(&uri, page);
    if let Some(c) = set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(SET_COOKIE, c);
    }
    response
}

/// The submitted fields as core takes them.
pub fn new_ticket(form: &FormState, kind: &str) -> NewTicket {
    NewTicket {
        kind: Some(kind.to_owned()),
        channel: form.get("channel"),
        customer_name: form.get("customer_name"),
        customer_email: form.get("customer_email"),
        customer_phone: form.get("customer_phone"),
        customer_address: form.get("customer_address"),
        subject: form.get("subject"),
        description: form.get("description"),
        topic: form.get("topic"),
        incident_date: form.get("incident_date"),
        complaint_category: form.get("complaint_category"),
        requested_resolution: form.get("requested_resolution"),
        current_feature: form.get("current_feature"),
        proposed_improvement: form.get("proposed_improvement"),
        reason: form.get("reason"),
        // The portal and staff forms belong to no department's door.
        department: None,
        attachments: Vec::new(),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let Some(kind) = kind_of(&kind) else {
        return not_found_page(&uri, t);
    };
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
    let mut input = new_ticket(&form, kind);
    input.attachments = crate::web::upload::records(&upload.files);
    let received = state
        .receive_with_files(
            &input,
            upload.errors,
            Source::Public,
            Actor::Customer,
            upload.files,
        )
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy));
    match received {
        Ok(r) => {
            let to = format!("/track/{}?secret={}&new=1", r.created.code, r.secret);
            (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
        }
        Err(ApiError::Invalid { fields, .. }) => {
            let args = [
                ("greeting", state.policy.reply.greeting.as_str()),
                ("closing", state.policy.reply.closing.as_str()),
            ];
            let form = form.with_errors(&fields, t, &args);
            let page = form_page(&state, &uri, t, kind, expected, form);
            respond(&uri, (StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(other) => other.into_response(),
    }
}
