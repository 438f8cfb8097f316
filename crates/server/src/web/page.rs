//! What every page needs: the reader's language and the link that switches it, times as
//! people in Vietnam read them, and the plain page for "not found" and "refused".

use crate::i18n::Tr;
use askama::Template;
use askama_web::WebTemplate;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::Uri;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use hotro_core::Language;
use hotro_core::intake::vietnam_zone;

pub const LANG_COOKIE: &str = "hotro_lang";

/// The reader's language: `?lang=` if given, else the cookie, else Vietnamese.
pub fn locale(uri: &Uri, headers: &HeaderMap) -> Language {
    let from_query = uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .map(|(_, v)| v.to_owned())
    });
    Language::from_tag(
        from_query
            .or_else(|| super::csrf::cookie(headers, LANG_COOKIE))
            .as_deref(),
    )
}

/// The current address with `lang` switched to the other language, other parameters kept.
pub fn lang_url(uri: &Uri, t: Tr) -> String {
    let other = if t.0 == Language::Vi { "en" } else { "vi" };
    let mut params: Vec<String> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .map(str::to_owned)
        .collect();
    params.push(format!("lang={other}"));
    format!("{}?{}", uri.path(), params.join("&"))
}

/// Remembers an explicit language choice in a cookie.
pub fn remember_lang(uri: &Uri, mut response: Response) -> Response {
    let chosen = uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .map(|(_, v)| Language::from_tag(Some(v)).as_str())
    });
    if let Some(tag) = chosen
        && let Ok(v) =
            format!("{LANG_COOKIE}={tag}; Path=/; SameSite=Lax; Max-Age=31536000").parse()
    {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

/// A page response with the language cookie handled.
pub fn respond(uri: &Uri, page: impl IntoResponse) -> Response {
    remember_lang(uri, page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub t: Tr,
    pub lang_url: String,
    pub heading: String,
    pub text: String,
}

/// A plain page with a heading and a sentence, for "not found" and "refused".
pub fn message(
    uri: &Uri,
    t: Tr,
    status: StatusCode,
    heading_key: &str,
    text_key: &str,
) -> Response {
    let page = MessagePage {
        t,
        lang_url: lang_url(uri, t),
        heading: t.get(heading_key),
        text: t.get(text_key),
    };
    respond(uri, (status, page))
}

/// An instant as people in Vietnam read it: `dd/mm/yyyy HH:MM` in UTC+7.
/// The not-found page: for what does not exist and, alike, for what the reader may not see
/// (RT-4), so that a page never tells which.
pub fn not_found_page(uri: &Uri, t: Tr) -> Response {
    message(
        uri,
        t,
        StatusCode::NOT_FOUND,
        "error.not_found",
        "web.not_found",
    )
}

pub fn local_time(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned(vietnam_zone())
                .strftime("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_owned())
}
