//! hotro's persistence: one store over SQLite (embedded, the default) or PostgreSQL.
//!
//! Only this crate writes SQL. Queries are written once with `$n` placeholders and run on
//! sqlx's `Any` driver, so both backends share one implementation and one test story;
//! instants are stored as Unix milliseconds because `Any` decodes no date types.

mod attachments;
mod consultations;
mod customers;
mod desk;
mod error;
mod jobs;
mod lite;
mod notifications;
mod policies;
mod read;
mod rows;
mod search;
mod sign_in;
mod staff;
mod staff_audit;
mod tx;
mod write;
mod writer;

pub use attachments::StoredFile;
pub use consultations::OpenConsultation;
pub use customers::{CustomerHistory, CustomerMatch, CustomerTicket};
pub use desk::AgentWork;
pub use error::{Result, StoreError};
pub use jobs::outbox::{FailedMail, MailScope, OutboxRow, RetryPolicy, WaitingMail};
pub use notifications::{Escalation, Notification};
pub use policies::{PolicyConfirmation, PolicyVersion};
pub use read::audit::{AuditReport, BrokenChain};
pub use read::mail::MailThread;
pub use read::sla::{DueTimes, SlaCounts};
pub use read::views::{QueueFilter, QueueItem, QueueQuery, TicketView, TimelineEntry};
pub use search::{SearchFilter, SearchHit, SearchPage, SearchRequest};
pub use staff::{NewStaff, NewToken, StaffAccount, StaffUpdate, TokenHolder, TokenRow};
pub use staff_audit::{AuditAction, AuditEntry, AuditPerson};
pub use write::bulk::{BulkReport, BulkStep, BulkTicket};
pub use write::commands::Executed;
pub use write::extras::{DUPLICATE_MESSAGE, Extras, InboundMail, NewFile};
pub use write::intake::Created;
pub use write::queue::{AUTOMATIC_PER_HOUR, OutMail};

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Executor};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use writer::Writer;

/// Which database engine is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// An embedded SQLite database `hotro.db` inside this directory (created if missing).
    DataDir(PathBuf),
    /// A database URL: `postgres://…` or `sqlite://…`.
    Url(String),
}

/// The store: a read pool, the write path, and the feed of changes.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    writer: Writer,
    backend: Backend,
    changes: tokio::sync::broadcast::Sender<Change>,
    /// Parsed policy versions (PL-2), shared by clones.
    book: policies::PolicyBook,
    /// PostgreSQL sequences of ticket codes known to exist (`Store::prepare_codes`).
    code_sequences: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

/// A committed change to a ticket, for live views (the agent's queue, the tracking page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub code: String,
    /// The departments whose queues it touches (two after a transfer).
    pub departments: Vec<String>,
    /// SL-6: the members of staff it brought a notification, for their workspace's count.
    pub notified: Vec<i64>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Per-connection SQLite settings. WAL lets readers run beside the writer; `synchronous =
/// FULL` makes every commit durable (fsync'd) before the writer answers anyone.
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// How many SQLite read connections: two per core. A read is CPU work on pages the OS already
/// caches, so more connections than that only queue on the cores, and each keeps its own page
/// cache (2 MB) and worker thread. At 1M tickets on 2 cores, 4 against 8 readers: the server's
/// peak memory 70 against 93 MiB, ticket pages at 64 clients 4,728/s against 3,537/s.
fn sqlite_readers() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (2 * cores).clamp(2, 16) as u32
}

impl Store {
    /// Opens (and creates, for SQLite) the store and brings its schema up to date.
    pub async fn open(location: &Location) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let url = match location {
            Location::Url(url) => url.clone(),
            Location::DataDir(dir) => sqlite_url(dir)?,
        };
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Corrupt(format!(
                "database URL must start with postgres:// or sqlite:// (got {:?})",
                url.split(':').next().unwrap_or("")
            )));
        };
        let store = match backend {
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(&url)
                    .await?;
                Store {
                    writer: Writer::Pooled(pool.clone()),
                    pool,
                    backend,
                    changes: change_feed(),
                    book: policies::PolicyBook::default(),
                    code_sequences: Arc::default(),
                }
            }
            Backend::Sqlite => {
                let options =
                    sqlx::any::AnyConnectOptions::from_str(&url)?.disable_statement_logging();
                let mut writer_conn = AnyConnection::connect_with(&options).await?;
                writer_conn.execute(SQLITE_PRAGMAS).await?;
                // Migrations run on the writer connection before it starts taking jobs.
                SQLITE_MIGRATIONS
                    .run(&mut writer_conn)
                    .await
                    .map_err(|e| StoreError::Corrupt(format!("migration failed: {e}")))?;
                // Planner statistics, refreshed where stale and bounded in cost: without them
                // SQLite answers QF-3's "this customer's next issue" through the queue index
                // and walks every open ticket on each resolve.
                writer_conn
                    .execute("PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002;")
                    .await?;
                writer_conn.close().await?;
                // The writer's own connection (lite.rs), on the file the URL names.
                let file = sqlx::sqlite::SqliteConnectOptions::from_str(&url)?
                    .get_filename()
                    .to_owned();
                let writer = Writer::spawn_batched(lite::open(&file)?).map_err(|e| {
                    StoreError::Corrupt(format!("cannot start the writer thread: {e}"))
                })?;
                let pool = AnyPoolOptions::new()
                    .max_connections(sqlite_readers())
                    // A connection to a local file does not go stale; pinging it before each
                    // use doubled every read's hand-offs to sqlx's worker thread.
                    .test_before_acquire(false)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(SQLITE_PRAGMAS).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?;
                Store {
                    pool,
                    writer,
                    backend,
                    changes: change_feed(),
                    book: policies::PolicyBook::default(),
                    code_sequences: Arc::default(),
                }
            }
        };
        if backend == Backend::Postgres {
            store.migrate().await?;
        }
        // Issue 16: customers recorded before their contact keys existed get them once.
        let filled = store.backfill_customer_keys().await?;
        if filled > 0 {
            tracing::info!(filled, "customer contact keys filled in");
        }
        // SE-1: a store that had messages before the search index existed gets them indexed
        // once, here, rather than answering searches with holes.
        if !store.search_ready().await? {
            tracing::info!("building the search index for existing messages");
            let indexed = store.reindex(&mut |_, _| {}).await?;
            tracing::info!(indexed, "search index built");
        }
        Ok(store)
    }

    /// Applies pending migrations (idempotent; `open` already calls it).
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Corrupt(format!("migration failed: {e}")))
    }

    /// Changes committed through this store from now on. A slow listener that falls behind
    /// gets `Lagged` and should simply reload what it shows.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// Tells live views about a committed change; nobody listening is fine.
    pub(crate) fn publish(&self, change: Change) {
        let _ = self.changes.send(change);
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Answers when the database does (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the read pool; the writer stops when the last clone of the store is gone.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn change_feed() -> tokio::sync::broadcast::Sender<Change> {
    tokio::sync::broadcast::channel(1024).0
}

fn sqlite_url(dir: &Path) -> Result<String> {
    create_data_dir(dir)
        .map_err(|e| StoreError::Corrupt(format!("cannot create {}: {e}", dir.display())))?;
    let dir = dir
        .canonicalize()
        .map_err(|e| StoreError::Corrupt(format!("cannot open {}: {e}", dir.display())))?;
    let db = dir.join("hotro.db");
    owner_only(&dir, &db)
        .map_err(|e| StoreError::Corrupt(format!("cannot protect {}: {e}", dir.display())))?;
    Ok(format!("sqlite://{}?mode=rwc", db.display()))
}

/// Creates the data directory readable by its owner alone (0700), whatever the umask. A
/// directory that already exists keeps the mode its operator gave it (it may be `.`); the
/// files in it are protected one by one (`owner_only`).
fn create_data_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes the database with its WAL and shared-memory files readable by the owner alone
/// (0600): they hold customers' personal data, password hashes and mail. The database is
/// created here, before SQLite opens it, because SQLite gives the `-wal` and `-shm` files
/// the mode of the database file; an existing store is tightened too. Attachments and raw
/// mail live inside the database, so there are no other files.
#[cfg(unix)]
fn owner_only(_dir: &Path, db: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(db)?;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let file = std::path::PathBuf::from(name);
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(_dir: &Path, _db: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Milliseconds since the Unix epoch, the stored form of an instant.
pub(crate) fn millis(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn from_millis(ms: i64) -> Result<jiff::Timestamp> {
    jiff::Timestamp::from_millisecond(ms)
        .map_err(|e| StoreError::Corrupt(format!("instant {ms}: {e}")))
}
