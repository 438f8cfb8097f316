//! Signing in to the workspace with the same sessions as the API (SC-1), and the CSRF
//! token tied to the session. The attempts are throttled like the API's (`App::sign_in`).

use crate::AppState;
use crate::auth::session_cookie;
use crate::i18n::Tr;
use crate::web::csrf::{self, CSRF_COOKIE};
use crate::web::page::{lang_url, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::StaffMember;
use std::collections::HashMap;

/// A signed-in member of staff and their form token.
pub struct Session {
    pub staff: StaffMember,
    pub csrf: String,
    secret: String,
}

/// The signed-in member of staff, if the session cookie is valid.
pub async fn current(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let secret = session_cookie(headers)?;
    let staff = state.staff_by_session(&secret).await.ok()??;
    Some(Session {
        staff,
        csrf: csrf::session_token(&secret),
        secret,
    })
}

impl Session {
    /// Whether a submitted form carries this session's token.
    pub fn accepts(&self, fields: &HashMap<String, String>) -> bool {
        csrf::matches(&self.csrf, fields.get("_csrf").map(String::as_str))
    }

    /// Whether the header offers the administrators' pages (issue 16).
    pub fn is_admin(&self) -> bool {
        self.staff.role == hotro_core::Role::Admin
    }

    /// Whether the header offers the lead's desk: leads and administrators (issue 16).
    pub fn has_desk(&self) -> bool {
        hotro_app::App::has_desk(&self.staff)
    }
}

/// The signed-in member of staff behind a posted workspace form, with the reader's language;
/// otherwise the answer to give instead: the sign-in page, or the refusal of a form without
/// the session's token (a post forged from another site).
pub async fn posted(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<(Session, Tr), Response> {
    let Some(session) = current(state, headers).await else {
        return Err(to_login());
    };
    let t = Tr(locale(uri, headers));
    if !session.accepts(fields) {
        return Err(crate::web::page::message(
            uri,
            t,
            StatusCode::FORBIDDEN,
            "web.csrf.title",
            "web.csrf.refused",
        ));
    }
    Ok((session, t))
}

pub fn to_login() -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, "/agent/login")]).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_login.html")]
struct LoginPage {
    t: Tr,
    lang_url: String,
    csrf: String,
    email: String,
    /// Why the last attempt was refused (empty on the first visit).
    problem: String,
}

pub async fn login_form(uri: Uri, headers: HeaderMap) -> Response {
    let t = Tr(locale(&uri, &headers));
    let (token, set_cookie) = csrf::anonymous_token(&headers);
    let page = LoginPage {
        t,
        lang_url: lang_url(&uri, t),
        csrf: token,
        email: String::new(),
        problem: String::new(),
    };
    let mut response = respond(&uri, page);
    if let Some(c) = set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(SET_COOKIE, c);
    }
    response
}

pub async fn login(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let expected = csrf::cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf::matches(&expected, fields.get("_csrf").map(String::as_str)) {
        return crate::web::page::message(
            &uri,
            t,
            StatusCode::FORBIDDEN,
            "web.csrf.title",
            "web.csrf.refused",
        );
    }
    let email = fields.get("email").cloned().unwrap_or_default();
    let password = fields.get("password").cloned().unwrap_or_default();
    let refused = |status: StatusCode, problem: String| {
        let page = LoginPage {
            t,
            lang_url: lang_url(&uri, t),
            csrf: expected.clone(),
            email: email.clone(),
            problem,
        };
        respond(&uri, (status, page))
    };
    let cookie = match crate::auth::sign_in(&state, &email, password).await {
        Ok((_, cookie)) => cookie,
        // A locked account is answered as a wrong password: the same page, the same words.
        Err(crate::error::ApiError::LoginFailed) => {
            return refused(StatusCode::UNAUTHORIZED, t.get("web.agent.login_failed"));
        }
        Err(crate::error::ApiError::SignInTooSoon(seconds)) => {
            let mut response = refused(
                StatusCode::TOO_MANY_REQUESTS,
                t.with("web.agent.login_too_soon", "seconds", &seconds.to_string()),
            );
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(RETRY_AFTER, v);
            }
            return response;
        }
        Err(other) => return other.into_response(),
    };
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, "/agent")]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    if let Some(session) = current(&state, &headers).await
        && session.accepts(&fields)
    {
        let _ = state.sign_out(&session.secret).await;
    }
    let mut response = to_login();
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_static("hotro_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
}
