//! Helpers for hotro's tests: real servers and scratch space, never mocks.
//!
//! A dev-dependency only. [`fresh_postgres_url`] gives each test its own empty database on a
//! real PostgreSQL server; [`temp_dir`] and [`free_port`] cover the embedded store and servers
//! a test starts itself.

mod cluster;
mod postgres;

pub use postgres::fresh_postgres_url;

/// A fresh directory, removed when the returned guard drops: the data directory of an embedded
/// (SQLite) store, or any scratch space a test needs.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("hotro-test-")
        .tempdir()
        .expect("cannot create a temporary directory")
}

/// The `hotro` command-line flags that name a fresh store: `--database-url` of a fresh
/// PostgreSQL database, or `--data` for an embedded store under `dir`.
pub async fn store_args(postgres: bool, dir: &std::path::Path) -> Vec<String> {
    if postgres {
        vec!["--database-url".to_owned(), fresh_postgres_url().await]
    } else {
        vec!["--data".to_owned(), dir.join("data").display().to_string()]
    }
}

/// A loopback TCP port that was free a moment ago.
///
/// The port is released before returning, so another process may grab it first; prefer
/// binding to port 0 and reading the address back when the code under test allows it.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("cannot bind a loopback port")
        .port()
}
