//! The customer portal (CH-2, CH-6, TR-2): the three forms, the confirmation, the tracking page.

use super::csrf::{self, CSRF_COOKIE};
use super::form::FormState;
use super::page::{lang_url, local_time, locale, message, respond};
use crate::AppState;
use crate::auth::digest;
use crate::dto::{PublicEntryDto, PublicTicketDto};
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::routes::intake;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hotro_core::codes::TicketCode;
use hotro_core::intake::{NewTicket, Source};
use hotro_core::{Actor, Policy};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/new/{kind}", get(new_form).post(submit))
        .route("/track/{code}", get(track))
        .route("/track/{code}/{action}", axum::routing::post(track_action))
        .route("/track/{code}/files/{sha256}", get(customer_file))
}

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
            let name = if t.0 == crate::i18n::Locale::En {
                &topic.name_en
            } else {
                &topic.name
            };
            (topic.id.clone(), name.clone())
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_track.html")]
struct TrackPage {
    t: Tr,
    lang_url: String,
    ticket: PublicTicketDto,
    just_created: bool,
    done: bool,
    tracking_url: String,
    secret: String,
    csrf: String,
    form: FormState,
    banner: Option<String>,
    can: Can,
    rating: Option<u8>,
    scores: [u8; 5],
    /// SL-2: the answer the customer can expect, by when (the resolution clock's due time).
    expected: Option<String>,
}

/// Which of the customer's actions the ticket allows now.
struct Can {
    info: bool,
    accept: bool,
    dispute: bool,
    rate: bool,
    reopen: bool,
}

impl Can {
    fn of(t: &hotro_core::Ticket) -> Can {
        use hotro_core::{Kind, Status};
        let finished = matches!(t.status, Status::Resolved | Status::Closed);
        Can {
            info: t.status.is_open(),
            accept: t.status == Status::Answered,
            dispute: t.status == Status::Answered && t.kind == Kind::Complaint,
            rate: finished && t.rating.is_none(),
            reopen: finished,
        }
    }
}

impl TrackPage {
    fn local_time(&self, rfc3339: &str) -> String {
        local_time(rfc3339)
    }

    /// A rating's score.
    fn score(&self, e: &PublicEntryDto) -> String {
        e.details
            .as_ref()
            .and_then(|d| d.get("score"))
            .and_then(|s| s.as_i64())
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    /// A meeting's time and place, or an outcome with its amount, as one line.
    fn detail(&self, e: &PublicEntryDto) -> String {
        let Some(d) = &e.details else {
            return String::new();
        };
        if let Some(place) = d.get("place").and_then(|p| p.as_str()) {
            let at = d
                .get("at")
                .and_then(|a| a.as_str())
                .map(local_time)
                .unwrap_or_default();
            return format!("{at} — {place}");
        }
        let kind = d.get("kind").and_then(|k| k.as_str()).unwrap_or("other");
        let mut line = self.t.label("outcome", kind);
        if let Some(amount) = d.get("amount").and_then(|a| a.as_i64()) {
            line.push_str(&format!(": {} đ", group_thousands(amount)));
        }
        if let Some(note) = d.get("note").and_then(|n| n.as_str()) {
            line.push_str(&format!(" — {note}"));
        }
        line
    }
}

fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

async fn home(uri: Uri, headers: HeaderMap) -> Response {
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

async fn new_form(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let Some(kind) = kind_of(&kind) else {
        return message(
            &uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.not_found",
        );
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
        attachments: Vec::new(),
    }
}

async fn submit(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let Some(kind) = kind_of(&kind) else {
        return message(
            &uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.not_found",
        );
    };
    let expected = csrf::cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    let Some(upload) = super::upload::read(&state, multipart, &expected).await else {
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
    input.attachments = upload.files;
    match intake::record(
        &state,
        &input,
        upload.errors,
        Source::Public,
        Actor::Customer,
    )
    .await
    {
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

async fn track(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let secret = query.get("secret").cloned().unwrap_or_default();
    let (token, set_cookie) = csrf::anonymous_token(&headers);
    let flags = (query.contains_key("new"), query.contains_key("done"));
    let mut response = render_track(
        &state,
        &uri,
        t,
        &code,
        &secret,
        token,
        FormState::default(),
        None,
        StatusCode::OK,
        flags,
    )
    .await;
    if let Some(c) = set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(SET_COOKIE, c);
    }
    response
}

/// The tracking page, fresh or again after a refused action (TR-2).
#[allow(clippy::too_many_arguments)]
async fn render_track(
    state: &AppState,
    uri: &Uri,
    t: Tr,
    code: &str,
    secret: &str,
    csrf: String,
    form: FormState,
    banner: Option<String>,
    status: StatusCode,
    (just_created, done): (bool, bool),
) -> Response {
    let not_found = || {
        message(
            uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.track.not_found",
        )
    };
    let Some(code) = TicketCode::parse(code) else {
        return not_found();
    };
    let Ok(view) = state
        .store
        .tracked_ticket(code.as_str(), &digest(secret))
        .await
    else {
        return not_found();
    };
    let policy = state.policy.clone();
    let english = t.0 == crate::i18n::Locale::En;
    let ticket = PublicTicketDto::new(&view, |id| {
        policy.department(id).map_or_else(
            || id.to_owned(),
            |d| {
                if english {
                    d.name_en.clone()
                } else {
                    d.name.clone()
                }
            },
        )
    });
    let records = view.records();
    let expected = match state.store.sla_status(&records, state.clock.now()).await {
        Ok(sla) => sla
            .resolve
            .filter(|c| c.met_at.is_none())
            .and_then(|c| c.due_at)
            .map(|at| local_time(&at.to_string())),
        Err(_) => None,
    };
    let page = TrackPage {
        t,
        lang_url: lang_url(uri, t),
        expected,
        tracking_url: intake::tracking_url(state, code.as_str(), secret),
        just_created,
        done,
        secret: secret.to_owned(),
        csrf,
        form,
        banner,
        can: Can::of(&view.ticket),
        rating: view.ticket.rating,
        scores: [1, 2, 3, 4, 5],
        ticket,
    };
    respond(uri, (status, page))
}

/// The customer's actions from the tracking page: add information, accept or dispute
/// an answer, rate, reopen (TR-2, CP-1, CP-4).
async fn track_action(
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
    let Some(upload) = super::upload::read(&state, multipart, &expected).await else {
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
            attachments: upload.files,
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
            return message(
                &uri,
                t,
                StatusCode::NOT_FOUND,
                "error.not_found",
                "web.not_found",
            );
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
        .store
        .execute_as_customer(
            parsed.as_str(),
            &digest(&secret),
            command,
            state.policy.clone(),
            state.clock.now(),
        )
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

/// A file of the ticket for its customer (CH-6 evidence they sent, TR-2).
async fn customer_file(
    State(state): State<AppState>,
    Path((code, sha256)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let secret = query.get("secret").cloned().unwrap_or_default();
    let file = match TicketCode::parse(&code) {
        Some(code) if hotro_core::attachment::is_sha256_hex(&sha256) => state
            .store
            .attachment_for_customer(code.as_str(), &digest(&secret), &sha256)
            .await
            .ok(),
        _ => None,
    };
    match file {
        Some(file) => download(file),
        None => message(
            &uri,
            t,
            StatusCode::NOT_FOUND,
            "error.not_found",
            "web.not_found",
        ),
    }
}

/// Sends a stored file so that no browser runs it: the type judged from its content,
/// `nosniff`, a sandboxing policy, and inline display only for pictures.
pub fn download(file: hotro_store::StoredFile) -> Response {
    use axum::http::header::{
        CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
    };
    let a = &file.attachment;
    let disposition = if hotro_core::attachment::is_image(&a.content_type) {
        "inline"
    } else {
        "attachment"
    };
    let encoded: String = a
        .name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let headers = [
        (CONTENT_TYPE, a.content_type.clone()),
        (
            CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"file\"; filename*=UTF-8''{encoded}"),
        ),
        (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (
            CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'".to_owned(),
        ),
    ];
    (headers, file.content).into_response()
}
