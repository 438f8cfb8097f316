//! PL-3 in the workspace: the ticket page asks a member of staff to read a new policy version
//! and confirm it before their next answer; the confirmation is posted here and they go back
//! to the page they came from.

use super::session::posted;
use crate::AppState;
use axum::extract::{Form, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

/// `POST /agent/policy/confirm`.
pub async fn confirm(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, _) = match posted(&state, &uri, &headers, &fields).await {
        Ok(signed_in) => signed_in,
        Err(answer) => return answer,
    };
    if let Err(e) = state.confirm_policy(&session.staff).await {
        tracing::error!(error = %e, "policy confirmation could not be recorded");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    // Only a path of the workspace: never a redirection elsewhere.
    let back = fields
        .get("back")
        .filter(|b| b.starts_with("/agent/") && !b.starts_with("//") && !b.contains(':'))
        .map_or("/agent", String::as_str);
    (StatusCode::SEE_OTHER, [(LOCATION, back.to_owned())]).into_response()
}
