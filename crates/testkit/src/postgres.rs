//! Fresh, empty PostgreSQL databases, one per call, so tests never see each other's rows.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};

/// Set by `scripts/test.sh`: an admin URL to the `postgres` database of a cluster it started.
const ADMIN_URL_VAR: &str = "HOTRO_TEST_PG_URL";

/// Test databases are named `hotro_test_<unix seconds>_<random>`; the time lets the shared
/// cluster drop what old runs left behind.
const DB_PREFIX: &str = "hotro_test_";

/// On the shared cluster, databases older than this are assumed abandoned by finished runs.
const ABANDONED_AFTER_SECS: u64 = 15 * 60;

/// Creates a new, empty, uniquely named database and returns a `postgres://` URL to it.
///
/// The database lives on the cluster named by `HOTRO_TEST_PG_URL` (what `scripts/test.sh`
/// sets) or, when that is unset, on a cluster this crate starts once and shares between all
/// test processes of the user (see the `cluster` module). It is never skipped: a test that asks
/// for PostgreSQL gets one or panics saying why.
pub async fn fresh_postgres_url() -> String {
    let (admin_url, shared) = match std::env::var(ADMIN_URL_VAR) {
        Ok(url) if !url.is_empty() => (url, false),
        _ => (shared_cluster_url().await, true),
    };
    let mut conn = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL at {admin_url}: {e}"));

    // Only the shared cluster outlives a run; the one test.sh starts is deleted at its exit.
    static SWEPT: AtomicBool = AtomicBool::new(false);
    if shared && !SWEPT.swap(true, Ordering::Relaxed) {
        drop_abandoned(&mut conn).await;
    }

    let random = getrandom::u64().expect("no randomness from the operating system");
    let name = format!("{DB_PREFIX}{}_{random:016x}", unix_secs());
    // Safe to splice: the name is made of our prefix, digits and hex only.
    conn.execute(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name} at {admin_url}: {e}"));
    // Closing is a courtesy; the server drops the session either way.
    let _ = conn.close().await;
    with_database(&admin_url, &name)
}

/// The admin URL of the shared cluster, started or checked once per process.
async fn shared_cluster_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    if let Some(url) = URL.get() {
        return url.clone();
    }
    // Starting the cluster waits on a file lock and on child processes: keep it off the
    // runtime's worker threads.
    tokio::task::spawn_blocking(|| URL.get_or_init(crate::cluster::ensure_running).clone())
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// Drops test databases old enough that their test has surely finished, so a cluster that
/// runs for weeks does not fill `/tmp`. One still in use refuses the drop, which is fine.
async fn drop_abandoned(conn: &mut PgConnection) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE starts_with(datname, 'hotro_test_')",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap_or_default();
    let cutoff = unix_secs().saturating_sub(ABANDONED_AFTER_SECS);
    for name in names {
        let created = name
            .strip_prefix(DB_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if created.is_some_and(|secs| secs < cutoff) {
            let _ = conn
                .execute(AssertSqlSafe(format!(
                    r#"DROP DATABASE IF EXISTS "{name}""#
                )))
                .await;
        }
    }
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `url` with its database (the path) replaced by `db`, keeping user, host and query.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    let mut out = format!("{}/{db}", &base[..path]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn with_database_replaces_only_the_path() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5432/postgres",
                "postgres://postgres@127.0.0.1:5432/t",
            ),
            (
                "postgres://u:p@h:1/postgres?sslmode=disable",
                "postgres://u:p@h:1/t?sslmode=disable",
            ),
            ("postgres://h", "postgres://h/t"),
            ("postgres://h?host=/run/pg", "postgres://h/t?host=/run/pg"),
        ];
        for (admin, want) in cases {
            assert_eq!(with_database(admin, "t"), want, "for {admin}");
        }
    }
}
