//! Signing in and out with e-mail and password (SC-1); the session lives in a cookie that
//! scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict).

use crate::AppState;
use crate::auth::{CurrentStaff, session_cookie};
use crate::body::{Fields, ReadBody, Valid};
use crate::dto::StaffDto;
use crate::error::{ApiResult, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hotro_core::FieldError;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Signing in and out, and who is signed in.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

/// A member of staff's sign-in.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

impl ReadBody for LoginBody {
    fn read(f: &mut Fields) -> Self {
        LoginBody {
            email: f.string("email").unwrap_or_default(),
            password: f.string("password").unwrap_or_default(),
        }
    }

    /// An empty field is `required`, listed after the unknown ones.
    fn after(&self, errors: &mut Vec<FieldError>) {
        for (field, value) in [("email", &self.email), ("password", &self.password)] {
            if value.is_empty() && !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError::new(field, "required"));
            }
        }
    }
}

/// Signs a member of staff in with e-mail and password; the session is a cookie.
///
/// Failed attempts for one e-mail are throttled: after 3, each next attempt must wait longer
/// (1, 2, 4 … 32 seconds; 429 with `Retry-After`, the password unchecked), and the 10th
/// failure within 15 minutes locks the account for 30 minutes (an administrator can lift it
/// with `hotro user unlock`) and tells its owner by e-mail. A locked account answers 401 with
/// the same body as a wrong password, whatever the password.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "session",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = StaffDto),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Wrong e-mail or password, or the account is locked: one answer", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named", body = ErrorBody),
        (status = 429, description = "Too many attempts from this address, or too soon after failed attempts for this e-mail; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    Valid(body): Valid<LoginBody>,
) -> ApiResult<Response> {
    let (staff, cookie) = crate::auth::sign_in(&state, &body.email, body.password).await?;
    let mut response = Json(StaffDto::from(&staff)).into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("cookie is ASCII"),
    );
    Ok(response)
}

/// Signs out: the session ends and its cookie is cleared.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "session",
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 403, description = "Sent with the session cookie, but not `Content-Type: application/json` or not from hotro's own origin; `rule` names which", body = ErrorBody),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    method: axum::http::Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(session) = session_cookie(&headers) {
        // Ending a session by its cookie is a cookie-authenticated write like any other.
        crate::origin::check_cookie_call(&method, &headers, &state.settings.public_url)?;
        state.sign_out(&session).await?;
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
    responses(
        (status = 200, description = "The caller", body = StaffDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn me(CurrentStaff(staff): CurrentStaff) -> Json<StaffDto> {
    Json(StaffDto::from(&staff))
}
