//! The SQLite writer's own connection, driven in the writer's thread (rusqlite over the same
//! bundled SQLite that sqlx's readers use).
//!
//! Why not sqlx here: sqlx runs each SQLite connection on a worker thread, so every statement
//! and every row is a hand-off between two threads. An intake is ~18 statements on the
//! single writer, and those hand-offs (a futex wake each way, ~100 context switches per
//! intake) bounded intake at about 1,000/s with a third of the CPU idle (docs/BENCHMARKS.md).
//! Here a statement is a function call. The statements themselves are still built with
//! `sqlx::query(..).bind(..)`, so the store's SQL is written once for both backends.

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OpenFlags};
use sqlx::any::AnyArguments;
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::{Any, Execute};
use sqlx_core::any::AnyValueKind;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// Besides the settings every connection gets (lib.rs `SQLITE_PRAGMAS`), the savepoints'
/// journal in memory: each job runs in a savepoint, and with the journal in a temporary file
/// every page a job first touched was written there once more (half of the writer's time in
/// `pwrite` before this). Nothing durable lives in it: a savepoint's journal only serves to
/// roll that job back while the transaction is open.
const WRITER_PRAGMAS: &str = "PRAGMA temp_store = MEMORY;";

/// Prepared statements kept compiled: more than the store has write statements.
const STATEMENT_CACHE: usize = 256;

/// A row read by the writer: column names and values, decoded on demand.
#[derive(Debug, Clone)]
pub(crate) struct LiteRow {
    names: Arc<[String]>,
    values: Vec<Value>,
}

impl LiteRow {
    /// The value of column `name` as `T` (an error naming the column when absent or of
    /// another type).
    pub(crate) fn get<T: rusqlite::types::FromSql>(&self, name: &str) -> sqlx::Result<T> {
        let i = self
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| sqlx::Error::ColumnNotFound(name.to_owned()))?;
        T::column_result(ValueRef::from(&self.values[i])).map_err(|e| sqlx::Error::ColumnDecode {
            index: format!("{name:?}"),
            source: Box::new(e),
        })
    }
}

/// Opens the writer's connection on the database file the migrations already created.
pub(crate) fn open(path: &Path) -> sqlx::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(error)?;
    // The busy timeout among them: a CLI command beside the server may hold the write lock.
    conn.execute_batch(crate::SQLITE_PRAGMAS).map_err(error)?;
    conn.execute_batch(WRITER_PRAGMAS).map_err(error)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// Runs transaction control (`BEGIN`, `SAVEPOINT`, `COMMIT`…): SQL without values.
pub(crate) fn control(conn: &Connection, sql: &str) -> sqlx::Result<()> {
    conn.execute_batch(sql).map_err(error)
}

/// Runs one statement with its bound values; answers its rows and how many rows it changed.
pub(crate) fn run(
    conn: &Connection,
    mut statement: sqlx::query::Query<'_, Any, AnyArguments>,
) -> sqlx::Result<(Vec<LiteRow>, u64)> {
    let args = statement
        .take_arguments()
        .map_err(sqlx::Error::Encode)?
        .unwrap_or_default();
    let sql = statement.sql();
    let mut prepared = conn.prepare_cached(sql.as_str()).map_err(error)?;
    // `$n` names the n-th value, as in PostgreSQL; SQLite numbers each distinct name once.
    for i in 1..=prepared.parameter_count() {
        let n = prepared
            .parameter_name(i)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|digits| digits.parse::<usize>().ok())
            .ok_or_else(|| sqlx::Error::Protocol(format!("parameter {i} is not $n: {sql:?}")))?;
        let value = match args.values.0.get(n - 1) {
            Some(kind) => value_ref(kind)?,
            None => ValueRef::Null,
        };
        prepared
            .raw_bind_parameter(i, ToSqlOutput::Borrowed(value))
            .map_err(error)?;
    }
    let names: Arc<[String]> = prepared
        .column_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let width = names.len();
    let mut rows = Vec::new();
    let mut stepping = prepared.raw_query();
    while let Some(row) = stepping.next().map_err(error)? {
        let values = (0..width)
            .map(|i| row.get::<_, Value>(i))
            .collect::<Result<Vec<_>, _>>()
            .map_err(error)?;
        rows.push(LiteRow {
            names: names.clone(),
            values,
        });
    }
    drop(stepping);
    // `changes` counts the last INSERT, UPDATE or DELETE; a SELECT changes nothing.
    let changed = if prepared.readonly() {
        0
    } else {
        conn.changes()
    };
    Ok((rows, changed))
}

fn value_ref(kind: &AnyValueKind) -> sqlx::Result<ValueRef<'_>> {
    Ok(match kind {
        AnyValueKind::Null(_) => ValueRef::Null,
        AnyValueKind::Bool(b) => ValueRef::Integer(i64::from(*b)),
        AnyValueKind::SmallInt(n) => ValueRef::Integer(i64::from(*n)),
        AnyValueKind::Integer(n) => ValueRef::Integer(i64::from(*n)),
        AnyValueKind::BigInt(n) => ValueRef::Integer(*n),
        AnyValueKind::Real(x) => ValueRef::Real(f64::from(*x)),
        AnyValueKind::Double(x) => ValueRef::Real(*x),
        AnyValueKind::Text(s) => ValueRef::Text(s.as_bytes()),
        AnyValueKind::TextSlice(s) => ValueRef::Text(s.as_bytes()),
        AnyValueKind::Blob(b) => ValueRef::Blob(b),
        // A kind a later sqlx adds: refused rather than stored as something else.
        other => {
            return Err(sqlx::Error::Protocol(format!(
                "no SQLite form for {other:?}"
            )));
        }
    })
}

/// A SQLite error as sqlx reports database errors, so the store's handling (a unique
/// violation becoming `Duplicate`) is the same for both connections.
#[derive(Debug)]
struct LiteError(rusqlite::Error);

impl std::fmt::Display for LiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for LiteError {}

impl DatabaseError for LiteError {
    fn message(&self) -> &str {
        match &self.0 {
            rusqlite::Error::SqliteFailure(_, Some(message)) => message,
            _ => "sqlite error",
        }
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        self.0
            .sqlite_error()
            .map(|e| Cow::Owned(e.extended_code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        use rusqlite::ffi;
        match self.0.sqlite_error().map(|e| e.extended_code) {
            Some(ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => {
                ErrorKind::UniqueViolation
            }
            Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => ErrorKind::ForeignKeyViolation,
            Some(ffi::SQLITE_CONSTRAINT_NOTNULL) => ErrorKind::NotNullViolation,
            Some(ffi::SQLITE_CONSTRAINT_CHECK) => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

/// Every SQLite failure is a database error; decoding problems keep their own kinds above.
fn error(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::Database(Box::new(LiteError(e)))
}
