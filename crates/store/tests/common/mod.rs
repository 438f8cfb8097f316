//! The database a store test runs on, SQLite or PostgreSQL, shared by the store's test files.

use hotro_store::Location;
use sqlx::{Connection, Executor};

/// A database of either kind, kept alive for the test.
pub enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl TestDb {
    pub async fn new(postgres: bool) -> TestDb {
        if postgres {
            TestDb::Postgres(hotro_testkit::fresh_postgres_url().await)
        } else {
            TestDb::Sqlite(hotro_testkit::temp_dir())
        }
    }

    pub fn location(&self) -> Location {
        match self {
            TestDb::Sqlite(dir) => Location::DataDir(dir.path().to_owned()),
            TestDb::Postgres(url) => Location::Url(url.clone()),
        }
    }

    /// Runs SQL behind the store's back, as an intruder with database access would.
    #[allow(dead_code)] // not every test file tampers
    pub async fn tamper(&self, sql: &str) {
        let sql = sql.to_owned();
        sqlx::any::install_default_drivers();
        let url = match self {
            TestDb::Sqlite(dir) => format!("sqlite://{}", dir.path().join("hotro.db").display()),
            TestDb::Postgres(url) => url.clone(),
        };
        let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
        c.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    }
}
