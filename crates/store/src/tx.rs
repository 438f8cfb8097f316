//! The connection a write runs on. On SQLite's single writer it holds back the statements
//! whose answer nobody reads and sends them together with the next statement whose answer is
//! needed, as one multi-statement query; on PostgreSQL every statement runs when asked.
//!
//! Why: each statement sent to sqlx's SQLite worker thread is a round trip between two
//! threads (a futex wake each way), and an intake's ~18 statements made one at a time were
//! what bounded intake throughput while the CPU sat partly idle (docs/BENCHMARKS.md). Held
//! statements change only when a statement runs, never its order or its transaction: they
//! all run, in the order given, before the statement that needs an answer, inside the same
//! savepoint — so an error in one surfaces at that later statement and rolls the job back.

use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Either, Execute, Executor, Transaction};
use std::fmt::Write as _;

/// One statement with its bound values, as `sqlx::query(..).bind(..)` builds it.
pub(crate) type Statement<'q> = Query<'q, Any, AnyArguments>;

/// At most this many statements are held; a long job (a bulk batch) sends them on.
const MAX_HELD: usize = 32;

/// A connection inside a write transaction.
pub(crate) struct Tx {
    conn: Conn,
    /// `Some` where statements may be combined (the SQLite writer).
    held: Option<Held>,
    /// How many times the connection was used: a [`Mark`] tells whether anything ran since.
    sends: u64,
}

/// A point in the held statements to come back to if nothing was sent since.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    sends: u64,
    sql: usize,
    args: usize,
    statements: usize,
}

enum Conn {
    /// The SQLite writer's own connection; the writer task opens and ends transactions.
    Writer(AnyConnection),
    /// A PostgreSQL transaction on a pooled connection.
    Pooled(Transaction<'static, Any>),
}

/// Statements not yet sent, joined into one text with their values in order.
#[derive(Default)]
struct Held {
    sql: String,
    args: AnyArguments,
    statements: usize,
}

impl Tx {
    /// The SQLite writer's connection: statements are held where they can be.
    pub(crate) fn writer(conn: AnyConnection) -> Tx {
        Tx {
            conn: Conn::Writer(conn),
            held: Some(Held::default()),
            sends: 0,
        }
    }

    /// A PostgreSQL transaction: every statement runs when asked.
    pub(crate) fn pooled(tx: Transaction<'static, Any>) -> Tx {
        Tx {
            conn: Conn::Pooled(tx),
            held: None,
            sends: 0,
        }
    }

    /// Runs `statement` before the next one whose answer is needed (SQLite), or now.
    /// For statements whose result is not read: no `RETURNING`, no rows-affected check.
    pub(crate) async fn later(&mut self, statement: Statement<'_>) -> sqlx::Result<()> {
        let Some(held) = &mut self.held else {
            self.raw().execute(statement).await?;
            return Ok(());
        };
        held.push(statement)?;
        if held.statements >= MAX_HELD {
            self.send_held().await?;
        }
        Ok(())
    }

    /// Runs `statement` after what is held and answers its result.
    pub(crate) async fn execute(
        &mut self,
        statement: Statement<'_>,
    ) -> sqlx::Result<AnyQueryResult> {
        Ok(self.run(statement).await?.1)
    }

    /// Runs `statement` after what is held and answers its rows.
    pub(crate) async fn fetch_all(
        &mut self,
        statement: Statement<'_>,
    ) -> sqlx::Result<Vec<AnyRow>> {
        Ok(self.run(statement).await?.0)
    }

    /// Runs `statement` after what is held and answers its first row, if any.
    pub(crate) async fn fetch_optional(
        &mut self,
        statement: Statement<'_>,
    ) -> sqlx::Result<Option<AnyRow>> {
        Ok(self.run(statement).await?.0.into_iter().next())
    }

    /// Runs `statement` after what is held and answers its first row.
    pub(crate) async fn fetch_one(&mut self, statement: Statement<'_>) -> sqlx::Result<AnyRow> {
        self.fetch_optional(statement)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// The connection itself, once everything held has run: for code shared with reads.
    pub(crate) async fn now(&mut self) -> sqlx::Result<&mut AnyConnection> {
        self.send_held().await?;
        Ok(self.raw())
    }

    /// Sends what is held, if anything.
    pub(crate) async fn send_held(&mut self) -> sqlx::Result<()> {
        let Some(held) = self.held.as_mut().filter(|h| h.statements > 0) else {
            return Ok(());
        };
        let (sql, args) = held.take();
        self.raw()
            .execute(sqlx::query_with(AssertSqlSafe(sql), args))
            .await?;
        Ok(())
    }

    /// Forgets what is held (the job failed and is being rolled back).
    pub(crate) fn drop_held(&mut self) {
        if let Some(held) = &mut self.held {
            held.take();
        }
    }

    /// Where the held statements end now.
    pub(crate) fn mark(&self) -> Mark {
        let held = self.held.as_ref();
        Mark {
            sends: self.sends,
            sql: held.map_or(0, |h| h.sql.len()),
            args: held.map_or(0, |h| h.args.values.0.len()),
            statements: held.map_or(0, |h| h.statements),
        }
    }

    /// Forgets the statements held since `mark`, when none of them has been sent; `false`
    /// (and nothing changed) when something ran since, and must be rolled back instead.
    pub(crate) fn rewind(&mut self, mark: Mark) -> bool {
        match &mut self.held {
            Some(held) if self.sends == mark.sends => {
                held.sql.truncate(mark.sql);
                held.args.values.0.truncate(mark.args);
                held.statements = mark.statements;
                true
            }
            _ => false,
        }
    }

    /// The PostgreSQL transaction, for the writer to commit or roll back.
    pub(crate) fn into_pooled(self) -> Option<Transaction<'static, Any>> {
        match self.conn {
            Conn::Pooled(tx) => Some(tx),
            Conn::Writer(_) => None,
        }
    }

    /// The SQLite writer's connection, for the writer to close.
    pub(crate) fn into_writer(self) -> Option<AnyConnection> {
        match self.conn {
            Conn::Writer(conn) => Some(conn),
            Conn::Pooled(_) => None,
        }
    }

    /// The database's name as sqlx gives it (`"PostgreSQL"`, `"SQLite"`).
    pub(crate) fn backend_name(&self) -> &str {
        match &self.conn {
            Conn::Writer(conn) => conn.backend_name(),
            Conn::Pooled(tx) => tx.backend_name(),
        }
    }

    fn raw(&mut self) -> &mut AnyConnection {
        self.sends += 1;
        match &mut self.conn {
            Conn::Writer(conn) => conn,
            Conn::Pooled(tx) => tx,
        }
    }

    /// Held statements and `statement` in one query; the rows and result are the last
    /// statement's, because held statements return no rows.
    async fn run(
        &mut self,
        statement: Statement<'_>,
    ) -> sqlx::Result<(Vec<AnyRow>, AnyQueryResult)> {
        let query = match &mut self.held {
            Some(held) if held.statements > 0 => {
                held.push(statement)?;
                let (sql, args) = held.take();
                sqlx::query_with(AssertSqlSafe(sql), args)
            }
            _ => statement,
        };
        let mut rows = Vec::new();
        let mut last = AnyQueryResult::default();
        let mut stream = self.raw().fetch_many(query);
        while let Some(item) = futures_util::TryStreamExt::try_next(&mut stream).await? {
            match item {
                Either::Left(result) => last = result,
                Either::Right(row) => rows.push(row),
            }
        }
        Ok((rows, last))
    }
}

/// The statement forms of [`Tx`]'s methods, so a query reads in the order it is built:
/// `sqlx::query(..).bind(..).fetch_one_in(c)`.
pub(crate) trait RunIn: Sized {
    /// See [`Tx::later`].
    async fn later_in(self, c: &mut Tx) -> sqlx::Result<()>;
    /// See [`Tx::execute`].
    async fn execute_in(self, c: &mut Tx) -> sqlx::Result<AnyQueryResult>;
    /// See [`Tx::fetch_one`].
    async fn fetch_one_in(self, c: &mut Tx) -> sqlx::Result<AnyRow>;
    /// See [`Tx::fetch_optional`].
    async fn fetch_optional_in(self, c: &mut Tx) -> sqlx::Result<Option<AnyRow>>;
    /// See [`Tx::fetch_all`].
    async fn fetch_all_in(self, c: &mut Tx) -> sqlx::Result<Vec<AnyRow>>;
}

impl RunIn for Statement<'_> {
    async fn later_in(self, c: &mut Tx) -> sqlx::Result<()> {
        c.later(self).await
    }
    async fn execute_in(self, c: &mut Tx) -> sqlx::Result<AnyQueryResult> {
        c.execute(self).await
    }
    async fn fetch_one_in(self, c: &mut Tx) -> sqlx::Result<AnyRow> {
        c.fetch_one(self).await
    }
    async fn fetch_optional_in(self, c: &mut Tx) -> sqlx::Result<Option<AnyRow>> {
        c.fetch_optional(self).await
    }
    async fn fetch_all_in(self, c: &mut Tx) -> sqlx::Result<Vec<AnyRow>> {
        c.fetch_all(self).await
    }
}

impl Held {
    /// Appends `statement`, its `$n` placeholders moved past the values already held.
    fn push(&mut self, mut statement: Statement<'_>) -> sqlx::Result<()> {
        let args = statement.take_arguments().map_err(sqlx::Error::Encode)?;
        let sql = statement.sql();
        renumber(
            sql.as_str().trim().trim_end_matches(';'),
            self.args.values.0.len(),
            &mut self.sql,
        );
        self.sql.push_str(";\n");
        if let Some(args) = args {
            self.args.values.0.extend(args.values.0);
        }
        self.statements += 1;
        Ok(())
    }

    fn take(&mut self) -> (String, AnyArguments) {
        self.statements = 0;
        (
            std::mem::take(&mut self.sql),
            std::mem::take(&mut self.args),
        )
    }
}

/// Copies `sql` to `out` with each `$n` placeholder outside quotes written as `$(n+offset)`.
fn renumber(sql: &str, offset: usize, out: &mut String) {
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        if let Some(q) = quote {
            out.push(ch);
            // A doubled quote closes and reopens, which leaves it open: as SQL reads it.
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '\'' | '"' => {
                quote = Some(ch);
                out.push(ch);
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = 0usize;
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    n = n * 10 + (d as usize - '0' as usize);
                }
                let _ = write!(out, "${}", n + offset);
            }
            _ => out.push(ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn placeholders_move_past_held_values_but_not_inside_quotes() {
        let mut out = String::new();
        renumber(
            "INSERT INTO t (a, b) VALUES ($1, $12) -- '$1' \"$2\" 'it''s $3' $",
            4,
            &mut out,
        );
        assert_eq!(
            out,
            "INSERT INTO t (a, b) VALUES ($5, $16) -- '$1' \"$2\" 'it''s $3' $"
        );
    }
}
