//! The connection a write runs on: the SQLite writer's own connection (`lite`), or a
//! PostgreSQL transaction on the pool. The store's write code is written once, against this.

use crate::lite::{self, LiteRow};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Execute, Executor, Transaction};

/// One statement with its bound values, as `sqlx::query(..).bind(..)` builds it.
pub(crate) type Statement<'q> = Query<'q, Any, AnyArguments>;

/// A connection inside a write transaction.
pub(crate) struct Tx {
    conn: Conn,
    /// Statements for the end of the SQLite batch, in order (see [`Tx::at_commit`]).
    at_commit: Vec<(String, AnyArguments)>,
}

enum Conn {
    /// The SQLite writer's connection; the writer opens and ends its transactions.
    Lite(rusqlite::Connection),
    /// A PostgreSQL transaction on a pooled connection.
    Pooled(Transaction<'static, Any>),
}

/// A row read inside a write.
pub(crate) enum Row {
    Any(AnyRow),
    Lite(LiteRow),
}

/// A column type both connections decode.
pub(crate) trait Cell:
    for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> + rusqlite::types::FromSql
{
}

impl<T> Cell for T where
    T: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> + rusqlite::types::FromSql
{
}

/// Reading a column by name, for row decoders shared by reads (pool rows) and writes.
pub(crate) trait Columns {
    fn column<T: Cell>(&self, name: &str) -> sqlx::Result<T>;
}

impl Columns for AnyRow {
    fn column<T: Cell>(&self, name: &str) -> sqlx::Result<T> {
        sqlx::Row::try_get(self, name)
    }
}

impl Columns for Row {
    fn column<T: Cell>(&self, name: &str) -> sqlx::Result<T> {
        self.try_get(name)
    }
}

impl Row {
    /// The value of column `name`, as `sqlx::Row::try_get` reads it.
    pub(crate) fn try_get<T: Cell>(&self, name: &str) -> sqlx::Result<T> {
        match self {
            Row::Any(row) => sqlx::Row::try_get(row, name),
            Row::Lite(row) => row.get(name),
        }
    }
}

/// What a statement changed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Done {
    rows: u64,
}

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows
    }
}

impl Tx {
    /// The SQLite writer's connection.
    pub(crate) fn lite(conn: rusqlite::Connection) -> Tx {
        Tx {
            conn: Conn::Lite(conn),
            at_commit: Vec::new(),
        }
    }

    /// A PostgreSQL transaction.
    pub(crate) fn pooled(tx: Transaction<'static, Any>) -> Tx {
        Tx {
            conn: Conn::Pooled(tx),
            at_commit: Vec::new(),
        }
    }

    /// Runs `statement` and answers what it changed.
    pub(crate) async fn execute(&mut self, statement: Statement<'_>) -> sqlx::Result<Done> {
        match &mut self.conn {
            Conn::Lite(conn) => Ok(Done {
                rows: lite::run(conn, statement)?.1,
            }),
            Conn::Pooled(tx) => Ok(Done {
                rows: raw(tx).execute(statement).await?.rows_affected(),
            }),
        }
    }

    /// Runs `statement` and answers its rows.
    pub(crate) async fn fetch_all(&mut self, statement: Statement<'_>) -> sqlx::Result<Vec<Row>> {
        match &mut self.conn {
            Conn::Lite(conn) => Ok(lite::run(conn, statement)?
                .0
                .into_iter()
                .map(Row::Lite)
                .collect()),
            Conn::Pooled(tx) => Ok(raw(tx)
                .fetch_all(statement)
                .await?
                .into_iter()
                .map(Row::Any)
                .collect()),
        }
    }

    /// Runs `statement` and answers its first row, if any.
    pub(crate) async fn fetch_optional(
        &mut self,
        statement: Statement<'_>,
    ) -> sqlx::Result<Option<Row>> {
        match &mut self.conn {
            Conn::Lite(conn) => Ok(lite::run(conn, statement)?
                .0
                .into_iter()
                .next()
                .map(Row::Lite)),
            Conn::Pooled(tx) => Ok(raw(tx).fetch_optional(statement).await?.map(Row::Any)),
        }
    }

    /// Runs `statement` and answers its first row.
    pub(crate) async fn fetch_one(&mut self, statement: Statement<'_>) -> sqlx::Result<Row> {
        self.fetch_optional(statement)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// Runs `statement` after the last job of the SQLite batch, outside every job's savepoint
    /// but in the same transaction; at once on PostgreSQL. For the search index: FTS5
    /// writes its pending words out as a new segment at every savepoint, so index rows
    /// written job by job cost a segment (and later merges) each, which made the index most
    /// of the writer's work. A job that fails takes its statements with it.
    pub(crate) async fn at_commit(&mut self, mut statement: Statement<'_>) -> sqlx::Result<()> {
        if let Conn::Pooled(tx) = &mut self.conn {
            raw(tx).execute(statement).await?;
            return Ok(());
        }
        let args = statement
            .take_arguments()
            .map_err(sqlx::Error::Encode)?
            .unwrap_or_default();
        self.at_commit
            .push((statement.sql().as_str().to_owned(), args));
        Ok(())
    }

    /// How many statements wait for the commit: a job's start, to forget its own if it fails.
    pub(crate) fn commit_mark(&self) -> usize {
        self.at_commit.len()
    }

    /// Forgets the statements a failed job left for the commit.
    pub(crate) fn forget_after(&mut self, mark: usize) {
        self.at_commit.truncate(mark);
    }

    /// Runs what waits for the commit (the SQLite writer, after its batch's last job).
    pub(crate) fn run_at_commit(&mut self) -> sqlx::Result<()> {
        let Conn::Lite(conn) = &mut self.conn else {
            return Ok(());
        };
        for (sql, args) in self.at_commit.drain(..) {
            lite::run(conn, sqlx::query_with(AssertSqlSafe(sql), args))?;
        }
        Ok(())
    }

    /// Whether this is PostgreSQL (some statements differ: the search index).
    pub(crate) fn is_postgres(&self) -> bool {
        match &self.conn {
            Conn::Lite(_) => false,
            Conn::Pooled(tx) => {
                let conn: &AnyConnection = tx;
                conn.backend_name().eq_ignore_ascii_case("postgresql")
            }
        }
    }

    /// Transaction control on the SQLite writer (`BEGIN`, `SAVEPOINT`, `COMMIT`…).
    pub(crate) fn control(&mut self, sql: &str) -> sqlx::Result<()> {
        match &mut self.conn {
            Conn::Lite(conn) => lite::control(conn, sql),
            Conn::Pooled(_) => Err(sqlx::Error::Protocol(
                "transaction control is the pool's on PostgreSQL".into(),
            )),
        }
    }

    /// Ends a PostgreSQL transaction: commit when `keep`, else roll back.
    pub(crate) async fn finish(self, keep: bool) -> sqlx::Result<()> {
        match self.conn {
            Conn::Pooled(tx) if keep => tx.commit().await,
            Conn::Pooled(tx) => tx.rollback().await,
            Conn::Lite(_) => Ok(()),
        }
    }
}

fn raw<'a>(tx: &'a mut Transaction<'static, Any>) -> &'a mut AnyConnection {
    tx
}

/// The statement forms of [`Tx`]'s methods, so a query reads in the order it is built:
/// `sqlx::query(..).bind(..).fetch_one_in(c)`.
pub(crate) trait RunIn: Sized {
    /// See [`Tx::execute`].
    async fn execute_in(self, c: &mut Tx) -> sqlx::Result<Done>;
    /// See [`Tx::fetch_one`].
    async fn fetch_one_in(self, c: &mut Tx) -> sqlx::Result<Row>;
    /// See [`Tx::fetch_optional`].
    async fn fetch_optional_in(self, c: &mut Tx) -> sqlx::Result<Option<Row>>;
    /// See [`Tx::fetch_all`].
    async fn fetch_all_in(self, c: &mut Tx) -> sqlx::Result<Vec<Row>>;
}

impl RunIn for Statement<'_> {
    async fn execute_in(self, c: &mut Tx) -> sqlx::Result<Done> {
        c.execute(self).await
    }
    async fn fetch_one_in(self, c: &mut Tx) -> sqlx::Result<Row> {
        c.fetch_one(self).await
    }
    async fn fetch_optional_in(self, c: &mut Tx) -> sqlx::Result<Option<Row>> {
        c.fetch_optional(self).await
    }
    async fn fetch_all_in(self, c: &mut Tx) -> sqlx::Result<Vec<Row>> {
        c.fetch_all(self).await
    }
}
