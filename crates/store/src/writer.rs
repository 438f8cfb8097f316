//! The write path: on SQLite one writer thread commits many commands per transaction (group
//! commit); on PostgreSQL each command is its own transaction on the pool.
//!
//! SQLite allows one writer at a time and this machine manages a few hundred fsyncs a
//! second, so a transaction per request would cap intake there. The writer drains its
//! channel, runs each job inside a savepoint (a failing job is rolled back alone), commits
//! once, and only then answers every caller of the batch: an answer means durable. It runs
//! on a thread of its own because its connection (`lite`) blocks: statements are function
//! calls there, and the commit's fsync waits there rather than on an async worker.

use crate::error::{Result, StoreError};
use crate::tx::Tx;
use futures_util::future::BoxFuture;
use sqlx::AnyPool;
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
    /// Group commit through the single SQLite writer thread.
    Batched(mpsc::Sender<Job>),
    /// One transaction per job on the PostgreSQL pool.
    Pooled(AnyPool),
}

impl Writer {
    /// Starts the SQLite writer thread on its own connection. It stops when the last
    /// sender (the last clone of the store) is gone.
    pub(crate) fn spawn_batched(conn: rusqlite::Connection) -> std::io::Result<Writer> {
        let (tx, rx) = mpsc::channel(MAX_BATCH * 4);
        let runtime = tokio::runtime::Builder::new_current_thread().build()?;
        std::thread::Builder::new()
            .name("hotro-writer".into())
            .spawn(move || runtime.block_on(run_batches(Tx::lite(conn), rx)))?;
        Ok(Writer::Batched(tx))
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
                tx.finish(out.is_ok()).await?;
                out
            }
            Writer::Batched(sender) => {
                let (answer, answered) = oneshot::channel();
                let job: Job = Box::new(move |tx| {
                    Box::pin(async move {
                        let out = f(tx).await;
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

async fn run_batches(mut tx: Tx, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut completions = Vec::with_capacity(batch.len());
        let outcome = run_batch(&mut tx, batch.drain(..), &mut completions).await;
        if let Err(e) = &outcome {
            tracing::error!(error = %e, jobs = completions.len(), "batch commit failed");
            // Leave no transaction open for the next batch, nor anything of this one.
            tx.forget_after(0);
            let _ = tx.control("ROLLBACK");
        }
        for done in completions {
            done(match &outcome {
                Ok(()) => Ok(()),
                Err(e) => Err(StoreError::Commit(e.to_string())),
            });
        }
    }
}

async fn run_batch(
    tx: &mut Tx,
    batch: impl Iterator<Item = Job>,
    completions: &mut Vec<Completion>,
) -> std::result::Result<(), sqlx::Error> {
    tx.control("BEGIN IMMEDIATE")?;
    for job in batch {
        // If this fails, the jobs not yet run are dropped with the iterator and their
        // callers hear that the store closed; nothing of theirs was written.
        let mark = tx.commit_mark();
        tx.control("SAVEPOINT job")?;
        let (ok, done) = job(tx).await;
        completions.push(done);
        if !ok {
            tx.control("ROLLBACK TO job")?;
            tx.forget_after(mark);
        }
        tx.control("RELEASE job")?;
    }
    tx.run_at_commit()?;
    tx.control("COMMIT")?;
    Ok(())
}
