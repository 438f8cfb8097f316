//! The workspace's search page (SE-1): one box in every page's header, results with the
//! words found highlighted, narrowed by status, kind and dates; what an agent may not see
//! is never listed (RT-4). An e-mail address or a phone number finds the person too.

use super::session::{current, to_login};
use crate::AppState;
use crate::i18n::Tr;
use crate::routes::search::read_request;
use crate::web::form::FormState;
use crate::web::page::{lang_url, local_time, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use hotro_core::contact::ContactKey;
use hotro_core::search::{SnippetPart, snippet};
use hotro_core::{FieldError, Kind, Status};
use hotro_store::StoreError;
use std::collections::HashMap;

/// One ticket found, as listed.
pub struct Hit {
    code: String,
    /// The subject with the words asked for marked.
    subject: Vec<SnippetPart>,
    customer_name: String,
    status: String,
    kind: String,
    department: String,
    received_at: String,
    snippet: Vec<SnippetPart>,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_search.html")]
struct SearchPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    /// Whether the header links the administrators' pages.
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    csrf: String,
    form: FormState,
    filters: Vec<(&'static str, String, Vec<&'static str>)>,
    /// `None` before anything was asked.
    hits: Option<Vec<Hit>>,
    /// The query string of the next page, when there is one.
    next: Option<String>,
    /// The person with the e-mail or phone asked for (issue 16).
    customers: Vec<hotro_store::CustomerMatch>,
}

/// `GET /agent/search?q=...`.
pub async fn search(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Query(mut params): Query<HashMap<String, String>>,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    // The page's own parameters and the form's empty selects are not search input.
    params.retain(|k, v| k != "lang" && !v.is_empty());
    let mut form = FormState::new(params.clone());
    let mut hits = None;
    let mut next = None;
    let mut customers = Vec::new();
    if let Some(key) = params.get("q").and_then(|q| ContactKey::read(q)) {
        match state.store.customers_by_contact(&session.staff, &key).await {
            Ok(found) => customers = found,
            Err(e) => tracing::error!(error = %e, "customers could not be looked up"),
        }
    }
    if params.contains_key("q") {
        match read_request(&params) {
            Err(errors) => form = form.with_errors(&errors, t, &[]),
            Ok(request) => match state.store.search(&session.staff, &request).await {
                Ok(page) => {
                    if page.more {
                        let mut following = params.clone();
                        following.insert(
                            "offset".into(),
                            (request.offset + request.limit).to_string(),
                        );
                        next = Some(query_string(&following));
                    }
                    hits = Some(
                        page.hits
                            .into_iter()
                            .map(|h| Hit {
                                code: h.code,
                                subject: snippet(&h.subject, &request.query, 64),
                                customer_name: h.customer_name,
                                status: h.status,
                                kind: h.kind,
                                department: h.department,
                                received_at: local_time(&h.received_at.to_string()),
                                snippet: h.snippet,
                            })
                            .collect(),
                    );
                }
                // Another department named by someone who sees only their own.
                Err(StoreError::NotFound) => {
                    form = form.with_errors(&[FieldError::new("department", "one_of")], t, &[]);
                }
                Err(StoreError::TooSlow) => {
                    form = form.with_errors(&[FieldError::new("q", "search.too_slow")], t, &[]);
                }
                Err(e) => {
                    tracing::error!(error = %e, "search failed");
                    form = form.with_errors(&[FieldError::new("q", "search.failed")], t, &[]);
                }
            },
        }
    }
    let filters = vec![
        (
            "status",
            t.get("web.agent.col.status"),
            Status::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        (
            "kind",
            t.get("web.agent.col.kind"),
            Kind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
    ];
    respond(
        &uri,
        SearchPage {
            t,
            lang_url: lang_url(&uri, t),
            staff_name: session.staff.name.clone(),
            admin: session.is_admin(),
            desk: session.has_desk(),
            csrf: session.csrf.clone(),
            form,
            filters,
            hits,
            next,
            customers,
        },
    )
}

/// `?k=v&…`, sorted, form-encoded.
fn query_string(params: &HashMap<String, String>) -> String {
    let mut pairs: Vec<(&String, &String)> = params.iter().collect();
    pairs.sort();
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("?{encoded}")
}
