//! `GET /api/v1/search?q=...`: tickets the caller may see whose subject or messages hold every
//! word asked for, diacritics and case aside (SE-1, RT-4).

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::routes::customers::CustomerMatchDto;
use axum::Json;
use axum::extract::{Query, State};
use hotro_core::contact::ContactKey;
use hotro_core::search::{SearchQuery, SnippetPart};
use hotro_core::{FieldError, Kind, Rejection, Status};
use hotro_store::{SearchFilter, SearchHit, SearchRequest};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Full-text search.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// The parameters this route reads; anything else is refused by name.
const PARAMS: &[&str] = &[
    "q",
    "status",
    "kind",
    "department",
    "from",
    "until",
    "limit",
    "offset",
];
/// How far one can page: the search ranks at most this many tickets.
const MAX_OFFSET: usize = 500;

/// One page of tickets found, best first.
#[derive(Serialize, ToSchema)]
pub struct SearchDto {
    pub items: Vec<SearchHitDto>,
    /// When `q` is an e-mail address or a phone number: the person with it (any case, any
    /// Vietnamese phone format), if the caller may handle one of their tickets.
    pub customers: Vec<CustomerMatchDto>,
    /// `offset` of the next page, when more tickets matched.
    pub next_offset: Option<usize>,
}

/// A ticket found, with the best-matching text around the words asked for.
#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
    pub code: String,
    pub kind: String,
    pub status: String,
    pub department: String,
    pub subject: String,
    pub customer_name: String,
    pub received_at: String,
    pub score: f64,
    /// The snippet in pieces; `hit` marks a word that was asked for (show it highlighted).
    pub snippet: Vec<SnippetPartDto>,
}

#[derive(Serialize, ToSchema)]
pub struct SnippetPartDto {
    pub text: String,
    pub hit: bool,
}

impl From<&SnippetPart> for SnippetPartDto {
    fn from(p: &SnippetPart) -> Self {
        SnippetPartDto {
            text: p.text.clone(),
            hit: p.hit,
        }
    }
}

impl From<&SearchHit> for SearchHitDto {
    fn from(h: &SearchHit) -> Self {
        SearchHitDto {
            code: h.code.clone(),
            kind: h.kind.clone(),
            status: h.status.clone(),
            department: h.department.clone(),
            subject: h.subject.clone(),
            customer_name: h.customer_name.clone(),
            received_at: h.received_at.to_string(),
            score: h.score,
            snippet: h.snippet.iter().map(SnippetPartDto::from).collect(),
        }
    }
}

/// Full-text search: every word of `q` must occur; "khieu nai" finds "khiếu nại", "da nang"
/// finds "Đà Nẵng". Agents search their own department; admins and general staff every one,
/// or the `department` named.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "tickets",
    params(
        ("q" = String, Query, description = "the words to find, 1 to 8 words, at most 256 characters"),
        ("status" = Option<String>, Query),
        ("kind" = Option<String>, Query),
        ("department" = Option<String>, Query),
        ("from" = Option<String>, Query, description = "received on or after: YYYY-MM-DD (Vietnam) or RFC 3339"),
        ("until" = Option<String>, Query, description = "received before: YYYY-MM-DD (Vietnam) or RFC 3339"),
        ("limit" = Option<usize>, Query, description = "1 to 100, default 20"),
        ("offset" = Option<usize>, Query, description = "0 to 500, `next_offset` of the previous page"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "One page of tickets found, best first", body = SearchDto),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "A department the caller may not see", body = ErrorBody),
        (status = 422, description = "Parameters unknown or invalid, each named", body = ErrorBody),
        (status = 503, description = "Past its time bound (`too_slow`): narrow the words or filters, or retry", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<SearchDto>> {
    let request = read_request(&params).map_err(ApiError::invalid)?;
    let page = state.store.search(&staff, &request).await?;
    let customers = match params.get("q").and_then(|q| ContactKey::read(q)) {
        Some(key) => state.store.customers_by_contact(&staff, &key).await?,
        None => Vec::new(),
    };
    Ok(Json(SearchDto {
        items: page.hits.iter().map(SearchHitDto::from).collect(),
        customers: customers.iter().map(CustomerMatchDto::from).collect(),
        next_offset: page.more.then_some(request.offset + request.limit),
    }))
}

/// The request from the query string, or every broken field at once.
pub(crate) fn read_request(
    params: &HashMap<String, String>,
) -> Result<SearchRequest, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let query = match SearchQuery::parse("q", params.get("q").map_or("", String::as_str)) {
        Ok(q) => Some(q),
        Err(Rejection::Invalid(fields)) => {
            errors.extend(fields);
            None
        }
        Err(_) => None,
    };
    let mut vocabulary = |name: &str, known: fn(&str) -> bool| {
        let value = params.get(name).filter(|v| !v.is_empty())?;
        if known(value) {
            Some(value.clone())
        } else {
            errors.push(FieldError::new(name, "one_of"));
            None
        }
    };
    let status = vocabulary("status", |v| Status::parse(v).is_some());
    let kind = vocabulary("kind", |v| Kind::parse(v).is_some());
    let department = params.get("department").filter(|v| !v.is_empty()).cloned();
    let mut number =
        |name: &str, default: usize, range: std::ops::RangeInclusive<usize>| match params
            .get(name)
            .map(|v| v.parse::<usize>())
        {
            None => default,
            Some(Ok(n)) if range.contains(&n) => n,
            Some(_) => {
                errors.push(FieldError::new(name, "range"));
                default
            }
        };
    let limit = number("limit", 20, 1..=100);
    let offset = number("offset", 0, 0..=MAX_OFFSET);
    let mut instant = |name: &str| {
        let value = params.get(name).filter(|v| !v.is_empty())?;
        match parse_instant(value) {
            Some(t) => Some(t),
            None => {
                errors.push(FieldError::new(name, "date"));
                None
            }
        }
    };
    let from = instant("from");
    let until = instant("until");
    for key in params.keys() {
        if !PARAMS.contains(&key.as_str()) {
            errors.push(FieldError::new(key.clone(), "unknown"));
        }
    }
    match query {
        Some(query) if errors.is_empty() => Ok(SearchRequest {
            query,
            filter: SearchFilter {
                status,
                kind,
                department,
                from,
                until,
            },
            limit,
            offset,
        }),
        _ => Err(errors),
    }
}

/// A day in Vietnam (its first instant) or an RFC 3339 instant.
fn parse_instant(text: &str) -> Option<Timestamp> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    date.to_zoned(hotro_core::intake::vietnam_zone())
        .ok()
        .map(|z| z.timestamp())
}
