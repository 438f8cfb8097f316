//! `GET /api/v1/tokens` and `DELETE /api/v1/tokens/{id}`: API tokens listed and revoked over
//! the API (issue 14). A member of staff sees and revokes their own; an administrator anyone's.
//! A secret is never shown again after `hotro token create`.

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_store::TokenRow;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Listing and revoking API tokens.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens))
        .routes(routes!(revoke_token))
}

/// An API token, without its secret.
#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: i64,
    /// The owner's e-mail.
    pub owner: String,
    /// What the token is for.
    pub label: String,
    /// `staff` (acts as its owner) or `mail-inbound` (may only post inbound mail).
    pub scope: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// When it was last used (recorded at most about once a minute); absent if never.
    pub last_used_at: Option<String>,
    /// When it stops working; absent if never.
    pub expires_at: Option<String>,
    /// When it was revoked; absent if it was not.
    pub revoked_at: Option<String>,
}

impl From<TokenRow> for TokenDto {
    fn from(t: TokenRow) -> Self {
        TokenDto {
            id: t.id,
            owner: t.owner,
            label: t.label,
            scope: t.scope.as_str().into(),
            created_at: t.created_at.to_string(),
            last_used_at: t.last_used_at.map(|at| at.to_string()),
            expires_at: t.expires_at.map(|at| at.to_string()),
            revoked_at: t.revoked_at.map(|at| at.to_string()),
        }
    }
}

/// The caller's API tokens, oldest first; every token for an administrator.
#[utoipa::path(
    get, path = "/api/v1/tokens", tag = "session",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The tokens, oldest first", body = [TokenDto]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list_tokens(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<Vec<TokenDto>>> {
    let tokens = state
        .tokens(Some(&staff), None)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    Ok(Json(tokens.into_iter().map(TokenDto::from).collect()))
}

/// Revokes a token: from now on it answers 401 as a wrong one. 404 for a token that does not
/// exist or, for anyone but an administrator, is not the caller's.
#[utoipa::path(
    delete, path = "/api/v1/tokens/{id}", tag = "session",
    params(("id" = i64, Path, description = "The token's id (`GET /api/v1/tokens`)")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 204, description = "Revoked (or already revoked)"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such token, or another person's", body = ErrorBody),
    )
)]
pub async fn revoke_token(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    // Not a number names no token: 404 as for a token not theirs.
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    state
        .revoke_token(Some(&staff), id)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    Ok(StatusCode::NO_CONTENT)
}
