//! The administrators' pages of the workspace (issue 16, SC-1): staff (`staff`), API tokens
//! (`tokens`) and the record of changes to both (`audit`). Everything goes through the use
//! cases of `hotro-app`, which check the role again and have the store record each change
//! with its author in the change's own transaction. Anyone but an administrator gets the
//! workspace's "not found" page, as for a ticket of another department: these pages are not
//! theirs to know about.

mod audit;
mod staff;
mod tokens;

use super::session::{Session, current, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::page::not_found_page;
use crate::web::page::{locale, message};
use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hotro_app::AppError;
use hotro_core::{FieldError, Rejection};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agent/admin/staff", get(staff::page).post(staff::add))
        .route("/agent/admin/staff/{id}", post(staff::change))
        .route("/agent/admin/staff/{id}/active", post(staff::set_active))
        .route(
            "/agent/admin/staff/{id}/password",
            post(staff::reset_password),
        )
        .route(
            "/agent/admin/tokens",
            get(tokens::page).post(tokens::create),
        )
        .route("/agent/admin/tokens/{id}/revoke", post(tokens::revoke))
        .route("/agent/admin/audit", get(audit::page))
}

/// An administrator's session and the reader's language, or the answer for anyone else: the
/// sign-in page without a session, "not found" without the role.
async fn admin(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<(Session, Tr), Response> {
    let t = Tr(locale(uri, headers));
    let Some(session) = current(state, headers).await else {
        return Err(to_login());
    };
    if !session.is_admin() {
        return Err(not_found_page(uri, t));
    }
    Ok((session, t))
}

/// Like [`admin`], for a form post: its form token must be the session's too.
async fn admin_post(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<(Session, Tr), Response> {
    let (session, t) = admin(state, uri, headers).await?;
    if !session.accepts(fields) {
        return Err(message(
            uri,
            t,
            StatusCode::FORBIDDEN,
            "web.csrf.title",
            "web.csrf.refused",
        ));
    }
    Ok((session, t))
}

/// What a refused use case means for a form: the fields to mark, or the page to answer.
enum Refusal {
    Fields(Vec<FieldError>),
    Page(Response),
}

fn refusal(e: AppError, uri: &Uri, t: Tr) -> Refusal {
    match e {
        AppError::Invalid(fields) | AppError::Rejected(Rejection::Invalid(fields)) => {
            Refusal::Fields(fields.into_iter().map(named).collect())
        }
        AppError::Rejected(Rejection::NotFound) | AppError::Forbidden => {
            Refusal::Page(not_found_page(uri, t))
        }
        other => Refusal::Page(failed(other)),
    }
}

/// A department or a role not in the list is `one_of` to the API; the page says which list.
fn named(e: FieldError) -> FieldError {
    match (e.field.as_str(), e.rule.as_str()) {
        ("department", "one_of") => FieldError::new("department", "staff.department"),
        ("role", "one_of") => FieldError::new("role", "staff.role"),
        _ => e,
    }
}

/// A failure that is not the client's: logged, answered 500.
fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "an administration page failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// A path's id, if it is a number; anything else names nobody.
fn id_of(text: &str) -> Option<i64> {
    text.parse::<i64>().ok()
}
