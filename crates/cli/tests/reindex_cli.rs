//! `hotro reindex` through the real binary on SQLite and PostgreSQL (SE-1): after the search
//! index lost its rows, the command rebuilds them from the event log and the search finds the
//! ticket again.

use hotro_core::search::SearchQuery;
use hotro_core::{Role, StaffMember};
use hotro_store::{Location, SearchFilter, SearchRequest, Store};
use sqlx::{AnyConnection, Connection, Executor};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn hotro(args: &[&str], store_args: &[String], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(args)
        .args(store_args)
        .env_remove("HOTRO_DATA")
        .env_remove("HOTRO_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hotro runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

async fn found(location: &Location, words: &str) -> Vec<String> {
    let store = Store::open(location).await.unwrap();
    let admin = StaffMember {
        cover: Default::default(),
        id: 1,
        email: "admin@example.vn".into(),
        name: "Quản trị".into(),
        department: "other".into(),
        role: Role::Admin,
    };
    let request = SearchRequest {
        query: SearchQuery::parse("q", words).unwrap(),
        filter: SearchFilter::default(),
        limit: 20,
        offset: 0,
    };
    let page = store.search(&admin, &request).await.unwrap();
    store.close().await;
    page.hits.into_iter().map(|h| h.code).collect()
}

async fn reindex_story(postgres: bool) {
    let dir = hotro_testkit::temp_dir();
    let (store_args, location, sql_url) = if postgres {
        let url = hotro_testkit::fresh_postgres_url().await;
        (
            vec!["--database-url".to_owned(), url.clone()],
            Location::Url(url.clone()),
            url,
        )
    } else {
        let data = dir.path().join("data");
        (
            vec!["--data".to_owned(), data.display().to_string()],
            Location::DataDir(data.clone()),
            format!("sqlite://{}", data.join("hotro.db").display()),
        )
    };
    let mail = "From: Lê Văn Cường <cuong@example.vn>\r\nSubject: Khiếu nại giao hàng chậm\r\n\
                Message-ID: <reindex-1@example.vn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
                Đơn hàng ở Đà Nẵng giao trễ một tuần.\r\n";
    let out = hotro(&["mail", "ingest"], &store_args, mail.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(
        found(&location, "khieu nai da nang").await,
        vec![code.clone()]
    );

    // The index loses its rows (as after a change to the folding rules).
    sqlx::any::install_default_drivers();
    let mut c = AnyConnection::connect(&sql_url).await.unwrap();
    c.execute("DELETE FROM search_index").await.unwrap();
    c.close().await.unwrap();
    assert!(found(&location, "khieu nai da nang").await.is_empty());

    let out = hotro(&["reindex"], &store_args, b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("1 messages"), "{said}");
    assert_eq!(found(&location, "khieu nai da nang").await, [code]);
}

#[tokio::test]
async fn se1_reindex_sqlite() {
    reindex_story(false).await;
}

#[tokio::test]
async fn se1_reindex_postgres() {
    reindex_story(true).await;
}
