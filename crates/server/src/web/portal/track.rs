//! The tracking page (TR-2): the confirmation right after a form is sent, then the
//! ticket's progress, the expected answer time and the forms of the customer's actions; and
//! the lookup by code and contact for a customer who lost the tracking link.

use crate::AppState;
use crate::auth::digest;
use crate::dto::{PublicEntryDto, PublicTicketDto};
use crate::i18n::Tr;
use crate::routes::intake;
use crate::web::csrf;
use crate::web::form::FormState;
use crate::web::page::{lang_url, local_time, locale, message, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use hotro_core::codes::TicketCode;
use std::collections::HashMap;

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
    /// Found by code and contact, without the secret: the page is shown, but the actions and
    /// files, which the secret guards, are not (the link in the confirmation mail has them).
    read_only: bool,
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
            // CP-2: a complaint is accepted with the outcome its answer proposed.
            accept: t.may_accept(),
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
            line.push_str(&format!(": {}", crate::i18n::amount_vnd(amount)));
        }
        if let Some(note) = d.get("note").and_then(|n| n.as_str()) {
            line.push_str(&format!(" — {note}"));
        }
        line
    }
}

pub async fn track(
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
pub async fn render_track(
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
    render_view(
        state,
        uri,
        t,
        view,
        Some(secret),
        csrf,
        form,
        banner,
        status,
        (just_created, done),
    )
    .await
}

/// The tracking page of a ticket whose access is proven: by the secret (`Some`), with the
/// customer's actions, or by code and contact (`None`), without them.
#[allow(clippy::too_many_arguments)]
async fn render_view(
    state: &AppState,
    uri: &Uri,
    t: Tr,
    view: hotro_store::TicketView,
    secret: Option<&str>,
    csrf: String,
    form: FormState,
    banner: Option<String>,
    status: StatusCode,
    (just_created, done): (bool, bool),
) -> Response {
    let code = view.ticket.code.clone();
    let policy = state.policy.clone();
    let english = t.0 == hotro_core::Language::En;
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
    // SL-4: a time-barred complaint was answered in its intake; no resolution is promised.
    let expected = if ticket.time_barred.is_some() {
        None
    } else {
        match state.store.sla_status(&records, state.clock.now()).await {
            Ok(sla) => sla
                .resolve
                .filter(|c| c.met_at.is_none())
                .and_then(|c| c.due_at)
                .map(|at| local_time(&at.to_string())),
            Err(_) => None,
        }
    };
    let page = TrackPage {
        t,
        lang_url: lang_url(uri, t),
        expected,
        tracking_url: secret
            .map(|s| intake::tracking_url(state, code.as_str(), s))
            .unwrap_or_default(),
        just_created,
        done,
        secret: secret.unwrap_or_default().to_owned(),
        read_only: secret.is_none(),
        csrf,
        form,
        banner,
        can: match secret {
            Some(_) => Can::of(&view.ticket),
            None => Can {
                info: false,
                accept: false,
                dispute: false,
                rate: false,
                reopen: false,
            },
        },
        rating: view.ticket.rating,
        scores: [1, 2, 3, 4, 5],
        ticket,
    };
    respond(uri, (status, page))
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_lookup.html")]
struct LookupPage {
    t: Tr,
    lang_url: String,
    csrf: String,
    code: String,
    contact: String,
    not_found: bool,
}

fn lookup_page(
    uri: &Uri,
    t: Tr,
    csrf: String,
    (code, contact): (String, String),
    not_found: bool,
) -> Response {
    let page = LookupPage {
        t,
        lang_url: lang_url(uri, t),
        csrf,
        code,
        contact,
        not_found,
    };
    let status = if not_found {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    respond(uri, (status, page))
}

/// "Tra cứu phiếu": the form of code and contact, with this browser's CSRF cookie.
pub async fn lookup_form(uri: Uri, headers: HeaderMap) -> Response {
    let t = Tr(locale(&uri, &headers));
    let (token, set_cookie) = csrf::anonymous_token(&headers);
    let mut response = lookup_page(&uri, t, token, (String::new(), String::new()), false);
    if let Some(c) = set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(SET_COOKIE, c);
    }
    response
}

/// The lookup posted: the tracking page (read-only) on a match, else the form again with one
/// "not found" whatever did not match, so the page tells nobody whether a code exists.
pub async fn lookup(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    // Double submit: the form must repeat this browser's cookie. No cookie, no match, even
    // for an empty token.
    let expected = csrf::cookie(&headers, csrf::CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf::matches(&expected, fields.get("_csrf").map(String::as_str)) {
        return message(
            &uri,
            t,
            StatusCode::FORBIDDEN,
            "web.csrf.title",
            "web.csrf.refused",
        );
    }
    let code = fields.get("code").cloned().unwrap_or_default();
    let contact = fields.get("contact").cloned().unwrap_or_default();
    match state.track_by_contact(&code, &contact).await {
        Ok(view) => {
            render_view(
                &state,
                &uri,
                t,
                view,
                None,
                expected,
                FormState::default(),
                None,
                StatusCode::OK,
                (false, false),
            )
            .await
        }
        Err(_) => lookup_page(&uri, t, expected, (code, contact), true),
    }
}
