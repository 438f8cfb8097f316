//! Signing in and out with e-mail and password (SC-1); the session lives in a cookie that
//! scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict).

use crate::AppState;
use crate::auth::{CurrentStaff, digest, session_cookie};
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
    let (staff, cookie) = crate::auth::sign_in(&state, &email, password).await?;
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
