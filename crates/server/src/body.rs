//! Reading JSON bodies so that every mistake is reported precisely: the size limit (413),
//! syntax with line and column (400), and then each field with its rule (422) — all of them
//! at once, unknown fields included, which serde's derive cannot do.
//!
//! Each request body is one type implementing [`ReadBody`]: its fields are what the OpenAPI
//! document shows (`ToSchema`), and its `read` is how the handler takes them, so the
//! description and the reading live side by side and cannot drift apart.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use hotro_core::FieldError;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The largest JSON body accepted (CONTRACT: bodies over 1 MiB get 413).
pub const MAX_BODY: usize = 1024 * 1024;

/// A request body that is a JSON object.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let bytes = read_limited(req.into_body(), MAX_BODY).await?;
        // serde_json's message already names the line and column of the mistake.
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::Malformed(e.to_string()))?;
        match value {
            Value::Object(map) => Ok(JsonObject(map)),
            _ => Err(ApiError::Malformed(
                "the body must be a JSON object ({...})".into(),
            )),
        }
    }
}

/// A JSON request body, described for OpenAPI by its `ToSchema` and read by [`ReadBody::read`].
///
/// Each such type (and each object nested in it) carries `#[serde(deny_unknown_fields)]`:
/// nothing deserializes it through serde, but `ToSchema` reads the attribute and writes
/// `additionalProperties: false`, which is what [`Fields::finish`] enforces (`unknown`).
pub trait ReadBody: ToSchema + Sized {
    /// Takes the body's fields out of `fields`, recording every shape error there (a field in
    /// error reads as absent); the fields left over are reported `unknown` afterwards.
    fn read(fields: &mut Fields) -> Self;

    /// Checks that come after the `unknown` fields in the error list; none by default.
    fn after(&self, _errors: &mut Vec<FieldError>) {}

    /// Reads a body from its JSON object: the value and its shape errors, in report order.
    fn from_object(map: Map<String, Value>) -> (Self, Vec<FieldError>) {
        let mut fields = Fields::new(map);
        let body = Self::read(&mut fields);
        let mut errors = fields.finish();
        body.after(&mut errors);
        (body, errors)
    }
}

/// A body read with its shape errors kept, for a handler that reports them together with
/// later errors (intake merges them with the rules' errors) or after an earlier check.
pub struct Read<T>(pub T, pub Vec<FieldError>);

impl<S: Send + Sync, T: ReadBody> FromRequest<S> for Read<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let JsonObject(map) = JsonObject::from_request(req, state).await?;
        let (body, errors) = T::from_object(map);
        Ok(Read(body, errors))
    }
}

impl<T> Read<T> {
    /// The body, or 422 listing every shape error.
    pub fn valid(self) -> Result<T, ApiError> {
        let Read(body, errors) = self;
        if errors.is_empty() {
            Ok(body)
        } else {
            Err(ApiError::invalid(errors))
        }
    }
}

/// A body without shape errors: any is answered 422 before the handler runs.
pub struct Valid<T>(pub T);

impl<S: Send + Sync, T: ReadBody> FromRequest<S> for Valid<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Read::<T>::from_request(req, state)
            .await?
            .valid()
            .map(Valid)
    }
}

/// Reads a body, refusing it with 413 once it passes `limit` bytes.
pub async fn read_limited(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // to_bytes fails either on the limit or on a broken connection; only the first
        // is the client's doing, and either way nothing was stored.
        if std::error::Error::source(&e).is_some_and(|s| s.to_string().contains("length limit"))
            || e.to_string().contains("length limit")
        {
            ApiError::TooLarge(limit)
        } else {
            ApiError::Malformed(format!("the body could not be read: {e}"))
        }
    })
}

/// Takes typed fields out of a JSON object, collecting every error.
pub struct Fields {
    map: Map<String, Value>,
    prefix: String,
    errors: Vec<FieldError>,
}

impl Fields {
    pub fn new(map: Map<String, Value>) -> Fields {
        Fields {
            map,
            prefix: String::new(),
            errors: Vec::new(),
        }
    }

    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A string field; `null` and absence are `None`, anything else is a `type.string` error.
    pub fn string(&mut self, name: &str) -> Option<String> {
        match self.map.remove(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.errors
                    .push(FieldError::new(self.path(name), "type.string"));
                None
            }
        }
    }

    /// An integer field.
    pub fn integer(&mut self, name: &str) -> Option<i64> {
        match self.map.remove(name) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
            Some(_) => {
                self.errors
                    .push(FieldError::new(self.path(name), "type.integer"));
                None
            }
        }
    }

    /// A list of strings (issue 16's ticket codes): not a list is `type.array`, an item that
    /// is not a string `type.string` under `name[i]`.
    pub fn strings(&mut self, name: &str) -> Option<Vec<String>> {
        match self.map.remove(name) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s),
                        _ => self.errors.push(FieldError::new(
                            self.path(&format!("{name}[{i}]")),
                            "type.string",
                        )),
                    }
                }
                Some(out)
            }
            Some(_) => {
                self.errors
                    .push(FieldError::new(self.path(name), "type.array"));
                None
            }
        }
    }

    /// A boolean field.
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        match self.map.remove(name) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(_) => {
                self.errors
                    .push(FieldError::new(self.path(name), "type.boolean"));
                None
            }
        }
    }

    /// A value of a vocabulary (a status, a channel…): unknown text is a `one_of` error.
    pub fn vocabulary<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let raw = self.string(name)?;
        let parsed = parse(raw.trim());
        if parsed.is_none() {
            self.error(name, "one_of");
        }
        parsed
    }

    /// Like [`Fields::vocabulary`], and `required` when absent.
    pub fn required_vocabulary<T>(
        &mut self,
        name: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let value = self.vocabulary(name, parse);
        if value.is_none() && !self.has_error(name) {
            self.error(name, "required");
        }
        value
    }

    /// A nested object, read with the same rules; its errors are named `name.field`.
    pub fn object(&mut self, name: &str) -> Option<Fields> {
        match self.map.remove(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => Some(Fields {
                map,
                prefix: format!("{}.", self.path(name)),
                errors: Vec::new(),
            }),
            Some(_) => {
                self.errors
                    .push(FieldError::new(self.path(name), "type.object"));
                None
            }
        }
    }

    /// Records an error found while interpreting a field's value.
    pub fn error(&mut self, name: &str, rule: &str) {
        self.errors.push(FieldError::new(self.path(name), rule));
    }

    /// Whether an error was already recorded for `name`.
    pub fn has_error(&self, name: &str) -> bool {
        let path = self.path(name);
        self.errors.iter().any(|e| e.field == path)
    }

    /// Takes a nested object's errors into this one.
    pub fn absorb(&mut self, nested: Fields) {
        self.errors.extend(nested.finish());
    }

    /// The errors found, plus one `unknown` for each field nobody asked for.
    pub fn finish(mut self) -> Vec<FieldError> {
        let mut unknown: Vec<String> = self.map.keys().map(|k| self.path(k)).collect();
        unknown.sort();
        self.errors
            .extend(unknown.into_iter().map(|f| FieldError::new(f, "unknown")));
        self.errors
    }
}
