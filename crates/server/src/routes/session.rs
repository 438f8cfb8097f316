//! Signing in and out with e-mail and password (SC-1); the session lives in a cookie that
//! scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict).

use crate::AppState;
use crate::auth::{
    CurrentStaff, SESSION_COOKIE, digest, random_hex, session_cookie, verify_password,
};
use crate::body::{Fields, JsonObject};
use crate::dto::{LoginBody, StaffDto};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hotro_core::FieldError;

#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "session",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = StaffDto),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    let mut f = Fields::new(map);
    let email = f.string("email").unwrap_or_default();
    let password = f.string("password").unwrap_or_default();
    let mut errors = f.finish();
    for (field, value) in [("email", &email), ("password", &password)] {
        if value.is_empty() && !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(field, "required"));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let found = state.store.staff_for_login(email.trim()).await?;
    let (staff, hash) = match found {
        Some((staff, hash)) => (Some(staff), Some(hash)),
        None => (None, None),
    };
    // argon2 is deliberately slow: keep it off the async workers. An unknown e-mail is
    // checked against a dummy hash so it costs as long as a wrong password.
    let ok = tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| crate::auth::dummy_hash().to_owned());
        verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false);
    let staff = staff.filter(|_| ok).ok_or(ApiError::LoginFailed)?;
    let session = random_hex(32);
    let now = state.clock.now();
    let hours = state.config.session_hours;
    let expires = now + jiff::SignedDuration::from_hours(hours);
    state
        .store
        .add_session(digest(&session), staff.id, now, expires)
        .await?;
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        hours * 3600
    );
    let mut response = Json(StaffDto::from(&staff)).into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("cookie is ASCII"),
    );
    Ok(response)
}

#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "session",
    responses((status = 204, description = "Signed out; the cookie is cleared"))
)]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(session) = session_cookie(&headers) {
        state.store.end_session(digest(&session)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_static("hotro_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(response)
}

/// The signed-in member of staff.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "session",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = StaffDto), (status = 401, body = ErrorBody))
)]
pub async fn me(CurrentStaff(staff): CurrentStaff) -> Json<StaffDto> {
    Json(StaffDto::from(&staff))
}
