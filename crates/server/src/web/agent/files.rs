//! A ticket's files for staff: only for tickets the member of staff may see (RT-4), sent
//! the portal's safe way.

use super::session::{current, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::page::locale;
use crate::web::page::not_found_page;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use hotro_core::codes::TicketCode;

/// A file of a ticket the member of staff may see (RT-4).
pub async fn file(
    State(state): State<AppState>,
    Path((code, sha256)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let file = match TicketCode::parse(&code) {
        Some(code) if hotro_core::attachment::is_sha256_hex(&sha256) => state
            .store
            .attachment_for_staff(&session.staff, code.as_str(), &sha256)
            .await
            .ok(),
        _ => None,
    };
    match file {
        Some(file) => crate::web::portal::download(file),
        None => not_found_page(&uri, t),
    }
}
