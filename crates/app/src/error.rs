//! Why a use case did not happen: the input broke rules (every field listed), a rule refused
//! the command, or the store failed. The doors turn these into their own answers (an HTTP
//! status, a form's messages, an exit code).

use hotro_core::{FieldError, Rejection};
use hotro_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// CH-6: these fields break these rules; every one is listed.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A rule refused the command (an illegal move, a conflict, a ticket not found).
    #[error("refused: {0:?}")]
    Rejected(Rejection),
    /// The caller's role may not do this at all (a member of staff who is no administrator
    /// managing staff).
    #[error("not allowed for this role")]
    Forbidden,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Rejected(Rejection::Invalid(fields)) => AppError::Invalid(fields),
            StoreError::Rejected(r) => AppError::Rejected(r),
            other => AppError::Store(other),
        }
    }
}

impl From<Rejection> for AppError {
    fn from(r: Rejection) -> AppError {
        match r {
            Rejection::Invalid(fields) => AppError::Invalid(fields),
            other => AppError::Rejected(other),
        }
    }
}
