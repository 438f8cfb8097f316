//! `/agent/admin/tokens`: every API token — owner, label, scope, created, expiry, last use,
//! revoked — a form to create one for an active member of staff (its secret shown once, on
//! the answer), and a button to revoke each.

use super::{Refusal, admin, admin_post, failed, id_of, refusal};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::agent::session::Session;
use crate::web::form::FormState;
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, local_time, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_app::credentials::TokenRequest;
use hotro_core::{FieldError, TokenScope};
use std::collections::HashMap;

/// A token as listed: never its secret.
pub struct Line {
    id: i64,
    owner: String,
    label: String,
    scope: &'static str,
    created: String,
    expires: String,
    last_used: String,
    /// When it was revoked; empty while it is not.
    revoked: String,
}

/// A secret shown once.
pub struct Shown {
    heading: String,
    secret: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_tokens.html")]
struct TokensPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    csrf: String,
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    tokens: Vec<Line>,
    /// Who may be given a token: active staff, `(email, name)`.
    owners: Vec<(String, String)>,
    scopes: Vec<&'static str>,
    form: FormState,
    done: String,
    shown: Option<Shown>,
}

/// What to show beside the list.
struct View {
    status: StatusCode,
    /// The create form: defaults, or what was submitted with its errors.
    form: FormState,
    /// What the last change did (empty: nothing).
    done: String,
    shown: Option<Shown>,
}

impl View {
    fn new(status: StatusCode) -> View {
        View {
            status,
            form: FormState::new(HashMap::from([("scope".to_owned(), "staff".to_owned())])),
            done: String::new(),
            shown: None,
        }
    }
}

async fn render(state: &AppState, uri: &Uri, t: Tr, session: &Session, view: View) -> Response {
    let (tokens, accounts) = match (
        state.tokens(Some(&session.staff), None).await,
        state.staff_list(&session.staff).await,
    ) {
        (Ok(tokens), Ok(accounts)) => (tokens, accounts),
        (Err(e), _) | (_, Err(e)) => return failed(e),
    };
    let when = |at: Option<jiff::Timestamp>, none: &str| {
        at.map_or_else(|| t.get(none), |at| local_time(&at.to_string()))
    };
    let mut tokens: Vec<Line> = tokens
        .into_iter()
        .map(|r| Line {
            id: r.id,
            owner: r.owner,
            label: r.label,
            scope: r.scope.as_str(),
            created: local_time(&r.created_at.to_string()),
            expires: when(r.expires_at, "web.admin.never"),
            last_used: when(r.last_used_at, "web.admin.never"),
            revoked: r
                .revoked_at
                .map(|at| local_time(&at.to_string()))
                .unwrap_or_default(),
        })
        .collect();
    // The newest first: the one just made or revoked is at hand.
    tokens.reverse();
    let page = TokensPage {
        t,
        lang_url: lang_url(uri, t),
        staff_name: session.staff.name.clone(),
        csrf: session.csrf.clone(),
        admin: true,
        desk: session.has_desk(),
        tokens,
        owners: accounts
            .into_iter()
            .filter(|a| a.active)
            .map(|a| (a.member.email, a.member.name))
            .collect(),
        scopes: TokenScope::ALL.iter().map(|s| s.as_str()).collect(),
        form: view.form,
        done: view.done,
        shown: view.shown,
    };
    respond(uri, (view.status, page))
}

/// `GET /agent/admin/tokens` (`?done=revoked` after a revocation).
pub async fn page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let (session, t) = match admin(&state, &uri, &headers).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let mut view = View::new(StatusCode::OK);
    if uri.query().is_some_and(|q| q.contains("done=revoked")) {
        view.done = t.get("web.admin.done.revoked");
    }
    render(&state, &uri, t, &session, view).await
}

/// `POST /agent/admin/tokens`: a token for a person, with a label, a scope and an expiry in
/// days (blank: never). The secret is on the answer, once.
pub async fn create(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match admin_post(&state, &uri, &headers, &fields).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let form = FormState::new(fields.clone());
    let mut errors = Vec::new();
    let scope = TokenScope::parse(form.value("scope").trim());
    if scope.is_none() {
        errors.push(FieldError::new("scope", "token.scope"));
    }
    // Not a whole number is the same mistake as zero days: the use case names it.
    let expires_in_days = form
        .get("expires_in")
        .map(|d| d.trim().parse::<i64>().unwrap_or(0));
    let result = match scope {
        Some(scope) if errors.is_empty() => {
            let request = TokenRequest {
                email: form.value("email").to_owned(),
                label: form.value("label").to_owned(),
                scope,
                expires_in_days,
            };
            state.create_token_as(Some(&session.staff), request).await
        }
        _ => Err(hotro_app::AppError::Invalid(errors)),
    };
    match result {
        Ok(created) => {
            let mut view = View::new(StatusCode::OK);
            view.shown = Some(Shown {
                heading: t.with("web.admin.token.created", "email", &created.owner.email),
                secret: created.secret,
            });
            render(&state, &uri, t, &session, view).await
        }
        Err(e) => match refusal(e, &uri, t) {
            Refusal::Fields(errors) => {
                let mut view = View::new(StatusCode::UNPROCESSABLE_ENTITY);
                view.form = form.with_errors(&errors, t, &[]);
                render(&state, &uri, t, &session, view).await
            }
            Refusal::Page(answer) => answer,
        },
    }
}

/// `POST /agent/admin/tokens/{id}/revoke`: from now on the token answers 401 as a wrong one.
pub async fn revoke(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match admin_post(&state, &uri, &headers, &fields).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let Some(id) = id_of(&id) else {
        return not_found_page(&uri, t);
    };
    match state.revoke_token(Some(&session.staff), id).await {
        Ok(()) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, "/agent/admin/tokens?done=revoked")],
        )
            .into_response(),
        Err(e) => match refusal(e, &uri, t) {
            Refusal::Page(answer) => answer,
            Refusal::Fields(_) => not_found_page(&uri, t),
        },
    }
}
