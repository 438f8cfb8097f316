//! What can go wrong in the store, separated so the HTTP edge can answer each correctly.

use hotro_core::Rejection;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule refused the command; nothing was written.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// The ticket does not exist, or the caller may not see it (RT-4).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule of the data (for example a staff e-mail already in use).
    #[error("already exists: {0}")]
    Duplicate(&'static str),
    /// Stored data that cannot be read back as what it claims to be.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The batch this write belonged to failed to commit; nothing of it was stored.
    #[error("commit failed: {0}")]
    Commit(String),
    /// A read went past its time bound (a search on a busy PostgreSQL); nothing is wrong
    /// with the data or the request, and a narrower search or a retry may answer.
    #[error("the query took longer than its bound")]
    TooSlow,
    /// The writer task has stopped (the server is shutting down).
    #[error("the store is closed")]
    Closed,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Turns a unique-constraint violation into [`StoreError::Duplicate`].
    pub(crate) fn unique(e: sqlx::Error, what: &'static str) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate(what),
            _ => StoreError::Database(e),
        }
    }

    /// Turns PostgreSQL's cancelling of a statement at `statement_timeout` into
    /// [`StoreError::TooSlow`].
    pub(crate) fn bounded(e: sqlx::Error) -> StoreError {
        match &e {
            // SQLSTATE 57014, query_canceled.
            sqlx::Error::Database(d) if d.code().as_deref() == Some("57014") => StoreError::TooSlow,
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
