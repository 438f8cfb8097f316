//! SE-1 at depth: a rare word in the oldest tickets is still found behind thousands of newer
//! messages (on PostgreSQL this crosses the widening windows of the newest-first search), and
//! a word in every ticket returns the newest first, on both backends. And an index written
//! before rows carried their department is brought up to date when the store opens.

use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::search::SearchQuery;
use hotro_core::{Actor, Policy, Role, StaffMember};
use hotro_store::{BulkTicket, SearchFilter, SearchPage, SearchRequest, Store};
use jiff::{Timestamp, ToSpan};
use std::sync::Arc;

mod common;
use common::TestDb;

/// A customer's ticket; a topic, when chosen, routes it to that topic's department (RT-2).
fn ticket(
    policy: &Policy,
    n: i64,
    subject: &str,
    topic: Option<&str>,
    at: Timestamp,
) -> BulkTicket {
    let input = NewTicket {
        kind: Some("request".into()),
        topic: topic.map(str::to_owned),
        customer_name: Some(format!("Khách {n}")),
        customer_email: Some(format!("khach{n}@example.vn")),
        subject: Some(subject.into()),
        description: Some("Xin hỗ trợ về hợp đồng dịch vụ.".into()),
        ..NewTicket::default()
    };
    BulkTicket {
        intake: intake::validate(&input, Source::Public, policy, at).unwrap(),
        actor: Actor::Customer,
        tracking_hash: format!("h{n}"),
        received_at: at,
        steps: Vec::new(),
    }
}

fn request(words: &str, limit: usize) -> SearchRequest {
    SearchRequest {
        query: SearchQuery::parse("q", words).unwrap(),
        filter: SearchFilter::default(),
        limit,
        offset: 0,
    }
}

/// Someone searching: an admin sees every department, an agent their own (RT-4).
fn staff(role: Role, department: &str) -> StaffMember {
    StaffMember {
        cover: Default::default(),
        id: 1,
        email: "nhanvien@example.vn".into(),
        name: "Nhân viên".into(),
        department: department.into(),
        role,
    }
}

async fn the_store(db: &TestDb, policy: &Arc<Policy>, start: Timestamp) -> Store {
    let store = Store::open(&db.location()).await.unwrap();
    store.record_policy(policy.clone(), start).await.unwrap();
    store
}

/// Stores three old tickets about a rare word (n = 0..3), then newer ones about a common word
/// up to `until`, each filed under `topic(n)`, in batches of 1,000.
async fn rare_then_common(
    store: &Store,
    policy: &Arc<Policy>,
    start: Timestamp,
    until: i64,
    topic: impl Fn(i64) -> Option<&'static str>,
) {
    let mut batch: Vec<BulkTicket> = Vec::new();
    for n in 0..until {
        let subject = if n < 3 {
            "Bảo hành điều hoà Đà Lạt"
        } else {
            "Hỏi hợp đồng"
        };
        batch.push(ticket(policy, n, subject, topic(n), start + n.minutes()));
        if batch.len() == 1000 || n == until - 1 {
            store
                .receive_many(std::mem::take(&mut batch), "HT".into(), policy.clone())
                .await
                .unwrap();
        }
    }
}

/// The codes of a page's tickets, in order.
fn codes(page: &SearchPage) -> Vec<&str> {
    page.hits.iter().map(|h| h.code.as_str()).collect()
}

async fn deep_and_common_words(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let policy = Arc::new(Policy::builtin());
    let start: Timestamp = "2026-06-01T02:00:00Z".parse().unwrap();
    let store = the_store(&db, &policy, start).await;
    // Three old tickets about a rare word, then 6,000 newer ones that never say it.
    rare_then_common(&store, &policy, start, 6003, |_| None).await;
    // And one new ticket about it: the answer joins what the newest window found to what the
    // older ones found (on PostgreSQL each window reads only the ids the one before did not).
    let rare = "Bảo hành điều hoà Đà Lạt";
    let newest = ticket(&policy, 6003, rare, None, start + 6003.minutes());
    store
        .receive_many(vec![newest], "HT".into(), policy.clone())
        .await
        .unwrap();
    let admin = staff(Role::Admin, "other");
    let deep = store
        .search(&admin, &request("dieu hoa da lat", 20))
        .await
        .unwrap();
    assert_eq!(
        codes(&deep),
        [
            "HT-2026-006004",
            "HT-2026-000003",
            "HT-2026-000002",
            "HT-2026-000001"
        ]
    );
    assert!(!deep.more);
    // A word in every ticket: the newest about it come first (the new ticket's headline
    // does not hold it), and there is more.
    let common = store.search(&admin, &request("hop dong", 5)).await.unwrap();
    assert_eq!(
        codes(&common),
        [
            "HT-2026-006003",
            "HT-2026-006002",
            "HT-2026-006001",
            "HT-2026-006000",
            "HT-2026-005999"
        ]
    );
    assert!(common.more);
}

#[tokio::test]
async fn se1_deep_and_common_words_sqlite() {
    deep_and_common_words(false).await;
}

#[tokio::test]
async fn se1_deep_and_common_words_postgres() {
    deep_and_common_words(true).await;
}

/// An agent's search reads their own department's matches, newest first, however many newer
/// matches other departments hold: on PostgreSQL the windows start at the department's newest
/// message and read its rows of the index alone (`search/postgres.rs`). Design is searched
/// behind Technical, whose name sorts after it, so rows of a department read past the end of
/// Design's would take the candidates' places and Design's older tickets would go missing.
async fn an_agent_finds_their_department_behind_the_others(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let policy = Arc::new(Policy::builtin());
    let start: Timestamp = "2026-06-01T02:00:00Z".parse().unwrap();
    let store = the_store(&db, &policy, start).await;
    // Design: three old tickets about a rare word, then one in ten of the rest; Technical:
    // the other nine, all about the common word.
    let topic = |n: i64| {
        let design = n < 3 || n % 10 == 0;
        Some(if design {
            "custom_design"
        } else {
            "hosting_domain"
        })
    };
    rare_then_common(&store, &policy, start, 7003, topic).await;
    let designer = staff(Role::Agent, "design");
    let deep = store
        .search(&designer, &request("dieu hoa da lat", 20))
        .await
        .unwrap();
    assert_eq!(
        codes(&deep),
        ["HT-2026-000003", "HT-2026-000002", "HT-2026-000001"]
    );
    // The common word, in every ticket's description: the newest 500 matching messages
    // (CANDIDATES) are Design's tickets n = 7000, 6990, … 2010 (ticket n has code n + 1),
    // none of Technical's. Their fifth page of 100 ends the candidates.
    let mut common = request("hop dong", 100);
    common.offset = 400;
    let page = store.search(&designer, &common).await.unwrap();
    assert_eq!(page.hits.len(), 100);
    assert!(page.hits.iter().all(|h| h.department == "design"));
    let ends = [&page.hits[0].code, &page.hits[1].code, &page.hits[99].code];
    assert_eq!(ends, ["HT-2026-003001", "HT-2026-002991", "HT-2026-002011"]);
}

#[tokio::test]
async fn se1_an_agent_finds_their_department_behind_the_others_sqlite() {
    an_agent_finds_their_department_behind_the_others(false).await;
}

#[tokio::test]
async fn se1_an_agent_finds_their_department_behind_the_others_postgres() {
    an_agent_finds_their_department_behind_the_others(true).await;
}

/// An index from before migration 0007 has rows without the department that an agent's
/// search asks the index for. The migration brings it up to date (SQLite: the index is rebuilt
/// at open, as the department is a term among the words; PostgreSQL: the column is filled in
/// place), or the agent would find nothing in their own department (SE-1, RT-4).
async fn an_index_from_before_departments_is_brought_up_to_date(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let policy = Arc::new(Policy::builtin());
    let start: Timestamp = "2026-06-01T02:00:00Z".parse().unwrap();
    let department = {
        let store = the_store(&db, &policy, start).await;
        rare_then_common(&store, &policy, start, 2, |_| None).await;
        let admin = staff(Role::Admin, "other");
        let found = store
            .search(&admin, &request("dieu hoa", 20))
            .await
            .unwrap();
        assert_eq!(found.hits.len(), 2);
        found.hits[0].department.clone()
    };
    // Back to the old format: the same words without the department, migration 0007 not run.
    db.tamper(if postgres {
        "UPDATE search_index SET department = NULL;
         DELETE FROM _sqlx_migrations WHERE version = 7;"
    } else {
        "DELETE FROM search_index;
         INSERT INTO search_index (rowid, words) SELECT id, 'bao hanh dieu hoa da lat' FROM messages;
         DELETE FROM _sqlx_migrations WHERE version = 7;"
    })
    .await;
    let store = Store::open(&db.location()).await.unwrap();
    let agent = staff(Role::Agent, &department);
    let found = store
        .search(&agent, &request("dieu hoa", 20))
        .await
        .unwrap();
    assert_eq!(
        codes(&found),
        ["HT-2026-000002", "HT-2026-000001"],
        "{department}"
    );
}

#[tokio::test]
async fn se1_an_index_from_before_departments_is_brought_up_to_date_sqlite() {
    an_index_from_before_departments_is_brought_up_to_date(false).await;
}

#[tokio::test]
async fn se1_an_index_from_before_departments_is_brought_up_to_date_postgres() {
    an_index_from_before_departments_is_brought_up_to_date(true).await;
}
