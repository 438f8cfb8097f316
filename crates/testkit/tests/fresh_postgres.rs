//! `fresh_postgres_url` must hand out working, empty, distinct databases.

use sqlx::{Connection, PgConnection};

async fn connect(url: &str) -> PgConnection {
    PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"))
}

async fn database_name(conn: &mut PgConnection) -> String {
    sqlx::query_scalar("SELECT current_database()")
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn gives_two_distinct_working_empty_databases() {
    let first_url = hotro_testkit::fresh_postgres_url().await;
    let second_url = hotro_testkit::fresh_postgres_url().await;
    let mut first = connect(&first_url).await;
    let mut second = connect(&second_url).await;

    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut first)
        .await
        .unwrap();
    assert_eq!(one, 1);

    for conn in [&mut first, &mut second] {
        let tables: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.tables \
             WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(tables, 0, "a fresh database must have no tables");
    }

    let first_name = database_name(&mut first).await;
    let second_name = database_name(&mut second).await;
    assert!(first_name.starts_with("hotro_test_"), "{first_name}");
    assert_ne!(first_name, second_name);

    // Isolation, not just different names: a table in one is absent from the other.
    sqlx::query("CREATE TABLE only_here (id int)")
        .execute(&mut first)
        .await
        .unwrap();
    let seen: Option<String> = sqlx::query_scalar("SELECT to_regclass('only_here')::text")
        .fetch_one(&mut second)
        .await
        .unwrap();
    assert_eq!(seen, None);
}

#[test]
fn free_port_is_bindable_and_temp_dir_exists() {
    let port = hotro_testkit::free_port();
    assert_ne!(port, 0);
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port should still be free");
    let dir = hotro_testkit::temp_dir();
    assert!(dir.path().is_dir());
}
