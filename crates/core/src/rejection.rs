//! Why a command was refused: the only way a rule in `core` can fail.
//!
//! Each rejection carries a stable machine `rule` (for example `reply.greeting`) that the
//! HTTP edge turns into a status code and a message from the catalogue.

use crate::kinds::Status;

/// One broken rule on one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the client sent it (`incident_date`, `customer.email`).
    pub field: String,
    /// The stable rule name (`required`, `max_length`, `reply.greeting`).
    pub rule: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            rule: rule.into(),
        }
    }
}

/// A refused command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// Input breaks one or more rules; every broken field is listed.
    #[error("invalid input: {}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// The ticket cannot move from `from` to `to`.
    #[error("status {from} cannot change to {to}")]
    IllegalTransition { from: Status, to: Status },
    /// The command conflicts with the ticket's state (`rule` says how).
    #[error("conflict: {rule}")]
    Conflict { rule: &'static str },
    /// The actor may not see this ticket; answered as "not found" so its existence stays hidden.
    #[error("not found")]
    NotFound,
}

impl Rejection {
    /// A rejection for a single field.
    pub fn field(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Rejection::Invalid(vec![FieldError::new(field, rule)])
    }
}

fn describe(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{} ({})", f.field, f.rule))
        .collect::<Vec<_>>()
        .join(", ")
}
