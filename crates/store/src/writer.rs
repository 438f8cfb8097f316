//! The write path: on SQLite one writer task commits many commands per transaction (group
//! commit); on PostgreSQL each command is its own transaction on the pool.
//!
//! SQLite allows one writer at a time and this machine manages a few hundred fsyncs a
//! second, so a transaction per request would cap intake there. The writer drains its
//! channel, runs each job inside a savepoint (a failing job is rolled back alone), commits
//! once, and only then answers every caller of the batch: an answer means durable. A job's
//! statements reach SQLite in as few round trips as its reads allow (`tx::Tx`): the
//! savepoint opens with its first statement and is released with its last.

use crate::error::{Result, StoreError};
use crate::tx::Tx;
use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AnyPool, Connection};
use tokio::sync::{mpsc, oneshot};

/// How many commands one SQLite transaction takes at most.
const MAX_BATCH: usize = 512;

/// Sends the job's result once the batch's commit outcome is known.
type Completion = Box<dyn FnOnce(Result<()>) + Send>;

/// A unit of work run inside a transaction; `true` when it succeeded and may be kept.
type Job = Box<dyn for<'c> FnOnce(&'c mut Tx) -> BoxFuture<'c, (bool, Completion)> + Send>;

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
        F: for<'c> FnOnce(&'c mut Tx) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        match self {
            Writer::Pooled(pool) => {
                let mut tx = Tx::pooled(pool.begin().await?);
                let out = f(&mut tx).await;
                let Some(tx) = tx.into_pooled() else {
                    unreachable!("a pooled Tx keeps its transaction")
                };
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
                let job: Job = Box::new(move |tx| {
                    Box::pin(async move {
                        let out = match f(tx).await {
                            // What the job held back runs now, inside its savepoint.
                            Ok(v) => tx.send_held().await.map(|()| v).map_err(StoreError::from),
                            Err(e) => Err(e),
                        };
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

async fn run_batches(conn: AnyConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut tx = Tx::writer(conn);
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut completions = Vec::with_capacity(batch.len());
        let outcome = run_batch(&mut tx, batch.drain(..), &mut completions).await;
        if let Err(e) = &outcome {
            tracing::error!(error = %e, jobs = completions.len(), "batch commit failed");
            // Leave no transaction open for the next batch.
            tx.drop_held();
            let _ = tx.execute(sqlx::query("ROLLBACK")).await;
        }
        for done in completions {
            done(match &outcome {
                Ok(()) => Ok(()),
                Err(e) => Err(StoreError::Commit(e.to_string())),
            });
        }
    }
    if let Some(conn) = tx.into_writer() {
        let _ = conn.close().await;
    }
}

async fn run_batch(
    tx: &mut Tx,
    batch: impl Iterator<Item = Job>,
    completions: &mut Vec<Completion>,
) -> std::result::Result<(), sqlx::Error> {
    tx.later(sqlx::query("BEGIN IMMEDIATE")).await?;
    for job in batch {
        // If this fails, the jobs not yet run are dropped with the iterator and their
        // callers hear that the store closed; nothing of theirs was written.
        let before = tx.mark();
        tx.later(sqlx::query("SAVEPOINT job")).await?;
        let (ok, done) = job(tx).await;
        completions.push(done);
        if ok {
            tx.later(sqlx::query("RELEASE job")).await?;
        } else if !tx.rewind(before) {
            // The job reached the database: undo what it sent, never run what it held.
            tx.drop_held();
            tx.execute(sqlx::query("ROLLBACK TO job; RELEASE job"))
                .await?;
        }
    }
    tx.execute(sqlx::query("COMMIT")).await?;
    Ok(())
}
