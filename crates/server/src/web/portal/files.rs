//! File downloads: a ticket's files for its customer, and the one safe way every stored
//! file is sent, to customers and staff alike.

use crate::AppState;
use crate::auth::digest;
use crate::i18n::Tr;
use crate::web::page::locale;
use crate::web::page::not_found_page;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use hotro_core::codes::TicketCode;
use std::collections::HashMap;

/// A file of the ticket for its customer (CH-6 evidence they sent, TR-2).
pub async fn customer_file(
    State(state): State<AppState>,
    Path((code, sha256)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let t = Tr(locale(&uri, &headers));
    let secret = query.get("secret").cloned().unwrap_or_default();
    let file = match TicketCode::parse(&code) {
        Some(code) if hotro_core::attachment::is_sha256_hex(&sha256) => state
            .store
            .attachment_for_customer(code.as_str(), &digest(&secret), &sha256)
            .await
            .ok(),
        _ => None,
    };
    match file {
        Some(file) => download(file),
        None => not_found_page(&uri, t),
    }
}

/// Sends a stored file so that no browser runs it: the type judged from its content,
/// `nosniff`, a sandboxing policy, and inline display only for pictures.
pub fn download(file: hotro_store::StoredFile) -> Response {
    use axum::http::header::{
        CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
    };
    let a = &file.attachment;
    let disposition = if hotro_core::attachment::is_image(&a.content_type) {
        "inline"
    } else {
        "attachment"
    };
    let encoded: String = a
        .name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let headers = [
        (CONTENT_TYPE, a.content_type.clone()),
        (
            CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"file\"; filename*=UTF-8''{encoded}"),
        ),
        (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (
            CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'".to_owned(),
        ),
    ];
    (headers, file.content).into_response()
}
