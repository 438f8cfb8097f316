//! The one error type of the HTTP edge: each failure becomes its status code and a JSON body
//! `{"error": {"code", "message", "message_en", "fields": [{"field", "rule", "message"}]}}`.
//!
//! Messages come from the catalogues, Vietnamese in `message` and English in `message_en`.
//! Internal errors are logged with their cause and answered with a generic body: SQL text
//! never reaches a client.

use crate::i18n::text;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotro_core::Language;
use hotro_core::{FieldError, Policy, Rejection, Status};
use hotro_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub enum ApiError {
    /// 400: the body is not JSON (the detail names line and column).
    Malformed(String),
    /// 401: no valid session or token.
    Unauthorized,
    /// 401: a sign-in with the wrong e-mail or password.
    LoginFailed,
    /// 403: a valid credential that may not make this call, the rule named: a
    /// cookie-authenticated API write that is not JSON from hotro's own origin (`origin`), a
    /// staff token posting inbound mail, which only a mail-intake token may.
    Forbidden(&'static str),
    /// 404: absent, or another department's (its existence is not disclosed).
    NotFound,
    /// 409: the status machine forbids this move.
    IllegalTransition { from: Status, to: Status },
    /// 409: the command conflicts with the ticket's state.
    Conflict(&'static str),
    /// 413: the body is over the limit.
    TooLarge(usize),
    /// 422: rules broken, every field listed; `args` fill the policy words into messages.
    Invalid {
        fields: Vec<FieldError>,
        args: Vec<(&'static str, String)>,
    },
    /// 429: too many submissions from one address; retry after the given seconds.
    RateLimited(u64),
    /// 429: too soon after failed sign-ins for this e-mail (`core::sign_in`); retry after the
    /// given seconds. The password was not checked.
    SignInTooSoon(u64),
    /// 503: a search went past its time bound; narrower words or filters, or a retry, may
    /// answer.
    TooSlow,
    /// 500: logged, answered generically.
    Internal(String),
}

impl ApiError {
    pub fn invalid(fields: Vec<FieldError>) -> ApiError {
        ApiError::Invalid {
            fields,
            args: Vec::new(),
        }
    }

    /// A store failure, with the policy's words for rule messages that quote them.
    pub fn from_store(e: StoreError, policy: &Policy) -> ApiError {
        match e {
            StoreError::Rejected(r) => ApiError::from_rejection(r, policy),
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Duplicate(what) => ApiError::Conflict(what),
            StoreError::TooSlow => ApiError::TooSlow,
            other => ApiError::Internal(other.to_string()),
        }
    }

    /// A use case's failure, with the policy's words for rule messages that quote them.
    pub fn from_app(e: hotro_app::AppError, policy: &Policy) -> ApiError {
        match e {
            hotro_app::AppError::Invalid(fields) => {
                ApiError::from_rejection(Rejection::Invalid(fields), policy)
            }
            hotro_app::AppError::Rejected(r) => ApiError::from_rejection(r, policy),
            hotro_app::AppError::Forbidden => ApiError::Forbidden("admin_only"),
            hotro_app::AppError::Store(e) => ApiError::from_store(e, policy),
        }
    }

    pub fn from_rejection(r: Rejection, policy: &Policy) -> ApiError {
        match r {
            Rejection::Invalid(fields) => ApiError::Invalid {
                fields,
                args: vec![
                    ("greeting", policy.reply.greeting.clone()),
                    ("closing", policy.reply.closing.clone()),
                ],
            },
            Rejection::IllegalTransition { from, to } => ApiError::IllegalTransition { from, to },
            Rejection::Conflict { rule } => ApiError::Conflict(rule),
            Rejection::NotFound => ApiError::NotFound,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::from_store(e, &Policy::builtin())
    }
}

/// The error body, as documented in the OpenAPI description.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code: `malformed_json`, `unauthorized`, `forbidden`, `not_found`,
    /// `illegal_transition`, `conflict`, `too_large`, `invalid`, `rate_limited`, `too_slow`,
    /// `internal`.
    pub code: &'static str,
    /// Vietnamese message.
    pub message: String,
    /// English message.
    pub message_en: String,
    /// For `conflict` and `forbidden`: the rule (for example `ticket.taken_by_other`,
    /// `cookie_write.origin`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// For `illegal_transition`: the current status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'static str>,
    /// For `illegal_transition`: the requested status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldDetail {
    pub field: String,
    pub rule: String,
    pub message: String,
    pub message_en: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let both = |key: &str, args: &[(&str, &str)]| {
            (text(Language::Vi, key, args), text(Language::En, key, args))
        };
        let mut detail = ErrorDetail {
            code: "",
            message: String::new(),
            message_en: String::new(),
            rule: None,
            from: None,
            to: None,
            fields: Vec::new(),
        };
        let status = match &self {
            ApiError::Malformed(d) => {
                detail.code = "malformed_json";
                (detail.message, detail.message_en) =
                    both("error.malformed_json", &[("detail", d)]);
                StatusCode::BAD_REQUEST
            }
            ApiError::Unauthorized | ApiError::LoginFailed => {
                detail.code = "unauthorized";
                let key = if matches!(self, ApiError::LoginFailed) {
                    "error.login_failed"
                } else {
                    "error.unauthorized"
                };
                (detail.message, detail.message_en) = both(key, &[]);
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden(rule) => {
                detail.code = "forbidden";
                detail.rule = Some(rule);
                (detail.message, detail.message_en) = both(&format!("forbidden.{rule}"), &[]);
                StatusCode::FORBIDDEN
            }
            ApiError::NotFound => {
                detail.code = "not_found";
                (detail.message, detail.message_en) = both("error.not_found", &[]);
                StatusCode::NOT_FOUND
            }
            ApiError::IllegalTransition { from, to } => {
                detail.code = "illegal_transition";
                detail.from = Some(from.as_str());
                detail.to = Some(to.as_str());
                (detail.message, detail.message_en) = both(
                    "error.illegal_transition",
                    &[("from", from.as_str()), ("to", to.as_str())],
                );
                StatusCode::CONFLICT
            }
            ApiError::Conflict(rule) => {
                detail.code = "conflict";
                detail.rule = Some(rule);
                let key = format!("conflict.{rule}");
                (detail.message, detail.message_en) =
                    match crate::i18n::lookup(Language::Vi, &key, &[]) {
                        Some(vi) => (vi, text(Language::En, &key, &[])),
                        None => both("error.conflict", &[("rule", rule)]),
                    };
                StatusCode::CONFLICT
            }
            ApiError::TooLarge(limit) => {
                detail.code = "too_large";
                (detail.message, detail.message_en) =
                    both("error.too_large", &[("limit", &limit.to_string())]);
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::Invalid { fields, args } => {
                detail.code = "invalid";
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                (detail.message, detail.message_en) =
                    both("error.invalid", &[("fields", &names.join(", "))]);
                detail.fields = fields
                    .iter()
                    .map(|f| {
                        let (message, message_en) = both(&format!("rule.{}", f.rule), &args);
                        FieldDetail {
                            field: f.field.clone(),
                            rule: f.rule.clone(),
                            message,
                            message_en,
                        }
                    })
                    .collect();
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::RateLimited(_) => {
                detail.code = "rate_limited";
                (detail.message, detail.message_en) = both("error.rate_limited", &[]);
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::SignInTooSoon(seconds) => {
                // The same machine code as the address's limit: a client waits either way.
                detail.code = "rate_limited";
                (detail.message, detail.message_en) = both(
                    "error.sign_in_too_soon",
                    &[("seconds", &seconds.to_string())],
                );
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::TooSlow => {
                detail.code = "too_slow";
                (detail.message, detail.message_en) = both("error.too_slow", &[]);
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                detail.code = "internal";
                (detail.message, detail.message_en) = both("error.internal", &[]);
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (status, axum::Json(ErrorBody { error: detail })).into_response();
        if let ApiError::RateLimited(seconds) | ApiError::SignInTooSoon(seconds) = self
            && let Ok(v) = seconds.to_string().parse()
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
