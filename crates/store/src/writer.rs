//! The write path: on SQLite one writer task commits many commands per transaction (group
//! commit); on PostgreSQL each command is its own transaction on the pool.
//!
//! SQLite allows one writer at a time and this machine manages a few hundred fsyncs a
//! second, so a transaction per request would cap intake there. The writer drains its
//! channel, runs each job inside a savepoint (a failing job is rolled back alone), commits
//! once, and only then answers every caller of the batch: an answer means durable.

use crate::error::{Result, StoreError};
use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use tokio::sync::{mpsc, oneshot};

/// How many commands one SQLite transaction takes at most.
const MAX_BATCH: usize = 512;

/// Sends the job's result once the batch's commit outcome is known.
type Completion = Box<dyn FnOnce(Result<()>) + Send>;

/// A unit of work run inside a transaction; `true` when it succeeded and may be kept.
type Job =
    Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, (bool, Completion)> + Send>;

/// Where writes go.
#[derive(Clone)]
pub(crate) enum Writer {
    /// Group commit through the single SQLite writer task.
    Batched(mpsc::Sender<Job>),
    /// One transaction per job on the PostgreSQL pool.
    Pooled(AnyPool),
}

impl Writer {
    /// Starts the SQLite writer task on its own connection.
    pub(crate) fn spawn_batched(conn: AnyConnection) -> Writer {
        let (tx, rx) = mpsc::channel(MAX_BATCH * 4);
        tokio::spawn(run_batches(conn, rx));
        Writer::Batched(tx)
    }

    /// Runs `f` in a transaction and answers once its effects are committed.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        match self {
            Writer::Pooled(pool) => {
                let mut tx = pool.begin().await?;
                let out = f(&mut tx).await;
                match out {
                    Ok(v) => {
                        tx.commit().await?;
                        Ok(v)
                    }
                    Err(e) => {
                        tx.rollback().await?;
                        Err(e)
                    }
                }
            }
            Writer::Batched(sender) => {
                let (answer, answered) = oneshot::channel();
                let job: Job = Box::new(move |conn| {
                    Box::pin(async move {
                        let out = f(conn).await;
                        let ok = out.is_ok();
                        let done: Completion = Box::new(move |commit: Result<()>| {
                            let _ = answer.send(commit.and(out));
                        });
                        (ok, done)
                    })
                });
                sender.send(job).await.map_err(|_| StoreError::Closed)?;
                answered.await.map_err(|_| StoreError::Closed)?
            }
        }
    }
}

async fn run_batches(mut conn: AnyConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut completions = Vec::with_capacity(batch.len());
        let outcome = run_batch(&mut conn, batch.drain(..), &mut completions).await;
        if let Err(e) = &outcome {
            tracing::error!(error = %e, jobs = completions.len(), "batch commit failed");
            // Leave no transaction open for the next batch.
            let _ = conn.execute("ROLLBACK").await;
        }
        for done in completions {
            done(match &outcome {
                Ok(()) => Ok(()),
                Err(e) => Err(StoreError::Commit(e.to_string())),
            });
        }
    }
    let _ = conn.close().await;
}

async fn run_batch(
    conn: &mut AnyConnection,
    batch: impl Iterator<Item = Job>,
    completions: &mut Vec<Completion>,
) -> std::result::Result<(), sqlx::Error> {
    conn.execute("BEGIN IMMEDIATE").await?;
    for job in batch {
        // If this fails, the jobs not yet run are dropped with the iterator and their
        // callers hear that the store closed; nothing of theirs was written.
        conn.execute("SAVEPOINT job").await?;
        let (ok, done) = job(conn).await;
        completions.push(done);
        if !ok {
            conn.execute("ROLLBACK TO job").await?;
        }
        conn.execute("RELEASE job").await?;
    }
    conn.execute("COMMIT").await?;
    Ok(())
}
