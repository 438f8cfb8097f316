//! SE-1: full-text search, insensitive to Vietnamese diacritics and case, scoped by RT-4, on
//! SQLite (FTS5) and PostgreSQL (tsvector) alike; bad queries are a 422, never a 500.
//!
//! One file on purpose: the cases share one seeded store per backend and read as a list of
//! what a searcher types and finds.

mod common;

use common::web::{sign_in, web};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Files a complaint with this subject and description; returns its code.
async fn file(app: &TestApp, subject: &str, description: &str) -> String {
    let mut body = complaint();
    body["subject"] = json!(subject);
    body["description"] = json!(description);
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &body).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["code"].as_str().unwrap().to_owned()
}

async fn search(app: &TestApp, token: &str, query: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .get(app.url("/api/v1/search"))
        .query(&[("q", query)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    json(r).await
}

/// The codes found, best first.
async fn codes(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let (status, body) = search(app, token, query).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn diacritic_free_words_find_vietnamese_text(postgres: bool) {
    let app = spawn_app(postgres).await;
    let complaint = file(
        &app,
        "Khiếu nại về hóa đơn",
        "Hóa đơn tháng 10 bị tính sai.",
    )
    .await;
    let register = file(&app, "Hỏi cách đăng ký", "Tôi muốn ĐĂNG KÝ tài khoản mới.").await;
    // Decomposed text (NFD), as some mail clients send it, is found like composed text.
    let nfd: String = "Văn phòng Đà Nẵng".chars().flat_map(decompose).collect();
    let danang = file(&app, "Chi nhánh miền Trung", &nfd).await;

    assert_eq!(
        codes(&app, &app.care, "khieu nai").await,
        vec![complaint.clone()]
    );
    assert_eq!(
        codes(&app, &app.care, "dang ky").await,
        vec![register.clone()]
    );
    assert_eq!(
        codes(&app, &app.care, "da nang").await,
        vec![danang.clone()]
    );
    assert_eq!(
        codes(&app, &app.care, "ĐÀ NẴNG").await,
        vec![danang.clone()]
    );
    assert_eq!(
        codes(&app, &app.care, "KHIẾU NẠI").await,
        vec![complaint.clone()]
    );
    // Every word must occur; the ticket code and the customer's name are searchable too.
    assert!(codes(&app, &app.care, "khieu nai dang ky").await.is_empty());
    assert_eq!(
        codes(&app, &app.care, &register).await,
        vec![register.clone()]
    );
    assert_eq!(codes(&app, &app.care, "nguyen van an").await.len(), 3);

    // Replies and notes are found too, on the ticket they belong to.
    let reply = json!({ "body": "Kính gửi Quý khách, chúng tôi sẽ bảo hành thiết bị." });
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &format!("/api/v1/tickets/{danang}/notes"),
            &reply,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        codes(&app, &app.care, "bao hanh").await,
        vec![danang.clone()]
    );

    // The snippet shows the words as written and marks the ones asked for.
    let (_, body) = search(&app, &app.care, "hoa don").await;
    let hit = &body["items"][0];
    assert_eq!(hit["code"], complaint.as_str());
    let marked: Vec<&str> = hit["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["hit"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["Hóa", "đơn"], "{hit}");
}
on_both_backends!(diacritic_free_words_find_vietnamese_text);

/// A character's canonical decomposition for the few letters used above.
fn decompose(c: char) -> Vec<char> {
    match c {
        'ă' => vec!['a', '\u{306}'],
        'ò' => vec!['o', '\u{300}'],
        'à' => vec!['a', '\u{300}'],
        'ẵ' => vec!['a', '\u{306}', '\u{303}'],
        other => vec![other],
    }
}

async fn tickets_about_the_words_rank_first(postgres: bool) {
    let app = spawn_app(postgres).await;
    let about = file(&app, "Khiếu nại cước tháng 9", "Cước tính sai.").await;
    let mentions = file(&app, "Hỏi lịch hẹn", "Lần trước tôi đã gửi khiếu nại rồi.").await;
    let scattered = file(&app, "Nại hồ sơ", "Tôi khiếu kiện việc này.").await;
    // The newest ticket only mentions the words; the oldest is about them.
    assert_eq!(
        codes(&app, &app.care, "khieu nai").await,
        [about, scattered, mentions]
    );
    let (_, body) = search(&app, &app.care, "khieu nai").await;
    let scores: Vec<f64> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
}
on_both_backends!(tickets_about_the_words_rank_first);

async fn search_sees_only_what_the_searcher_may_see(postgres: bool) {
    let app = spawn_app(postgres).await;
    let code = file(&app, "Bảo hành máy lạnh", "Máy lạnh hỏng sau hai tuần.").await;
    // The complaint went to customer care: its agents and the admin find it, sales does not.
    assert_eq!(codes(&app, &app.care, "bao hanh").await, vec![code.clone()]);
    assert_eq!(
        codes(&app, &app.admin, "bao hanh").await,
        vec![code.clone()]
    );
    assert!(codes(&app, &app.sales, "bao hanh").await.is_empty());
    // Naming another department is refused like the queue refuses it.
    let r = app
        .client
        .get(app.url("/api/v1/search"))
        .query(&[("q", "bao hanh"), ("department", "customer")])
        .bearer_auth(&app.sales)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // After a transfer to sales, sales finds it and care no longer does.
    let transfer = json!({ "department": "sales", "reason": "Thuộc phòng kinh doanh" });
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &format!("/api/v1/tickets/{code}/transfer"),
            &transfer,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        codes(&app, &app.sales, "bao hanh").await,
        vec![code.clone()]
    );
    assert!(codes(&app, &app.care, "bao hanh").await.is_empty());
    // Without a token there is no search at all.
    let r = app.get(None, "/api/v1/search?q=bao").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
on_both_backends!(search_sees_only_what_the_searcher_may_see);

async fn filters_narrow_the_search(postgres: bool) {
    let app = spawn_app(postgres).await;
    let first = file(
        &app,
        "Cước điện thoại tăng",
        "Cước tháng này cao bất thường.",
    )
    .await;
    let mut request = json!({
        "kind": "request",
        "customer": { "name": "Trần Thị Bình", "email": "binh@example.vn" },
        "subject": "Hỏi về cước điện thoại",
        "description": "Xin cho biết bảng cước mới."
    });
    request["channel"] = json!("web");
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &request).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let second = body["code"].as_str().unwrap().to_owned();
    let all = codes(&app, &app.admin, "cuoc").await;
    assert_eq!(all.len(), 2, "{all:?}");
    let narrowed = |extra: &'static [(&'static str, &'static str)]| {
        let app = &app;
        async move {
            let mut q: Vec<(&str, &str)> = vec![("q", "cuoc")];
            q.extend_from_slice(extra);
            let r = app
                .client
                .get(app.url("/api/v1/search"))
                .query(&q)
                .bearer_auth(&app.admin)
                .send()
                .await
                .unwrap();
            let (status, body) = json(r).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["code"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        narrowed(&[("kind", "complaint")]).await,
        vec![first.clone()]
    );
    assert_eq!(narrowed(&[("kind", "request")]).await, vec![second.clone()]);
    assert_eq!(narrowed(&[("status", "new")]).await.len(), 2);
    assert!(narrowed(&[("status", "resolved")]).await.is_empty());
    // The test clock is 2026-11-20 09:00 +07:00; both tickets were received that day.
    assert_eq!(narrowed(&[("from", "2026-11-20")]).await.len(), 2);
    assert!(narrowed(&[("from", "2026-11-21")]).await.is_empty());
    assert!(narrowed(&[("until", "2026-11-20")]).await.is_empty());
    assert_eq!(
        narrowed(&[("until", "2026-11-21T00:00:00+07:00")])
            .await
            .len(),
        2
    );
    // Paging: one per page, then the next.
    let page = narrowed(&[("limit", "1")]).await;
    let next = narrowed(&[("limit", "1"), ("offset", "1")]).await;
    assert_eq!(page.len() + next.len(), 2);
    assert_ne!(page, next);
}
on_both_backends!(filters_narrow_the_search);

async fn any_query_is_answered_or_refused_by_field(postgres: bool) {
    let app = spawn_app(postgres).await;
    file(&app, "Khiếu nại", "Nội dung \"khiếu nại\" có dấu ngoặc.").await;
    let long = "khiếu nại ".repeat(1000);
    for query in [
        "\"khieu nai\"",
        "khieu OR nai",
        "khieu AND NOT nai",
        "nai*",
        "NEAR(khieu nai)",
        "khieu:nai",
        "'; DROP TABLE tickets; --",
        "khieu & nai | !x",
        "(((",
        "^khieu",
        "khiếu 🎉 nại",
        "\u{FFFD}khieu",
        "a\\b",
        "x'y",
    ] {
        let (status, body) = search(&app, &app.care, query).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {status} {body}"
        );
    }
    for (query, rule) in [
        ("", "search.no_words"),
        ("🎉 \"\" ***", "search.no_words"),
        (long.as_str(), "search.too_long"),
        ("a b c d e f g h i", "search.too_many_words"),
    ] {
        let (status, body) = search(&app, &app.care, query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(rules(&body), [("q".to_owned(), rule.to_owned())]);
    }
    // A lone surrogate's bytes, percent-encoded, and bad filters.
    let r = app
        .get(
            Some(&app.care),
            "/api/v1/search?q=%ED%A0%80khieu&status=open&limit=0&from=hôm-qua&sort=x",
        )
        .await;
    let (status, body) = json(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut broken = rules(&body);
    broken.sort();
    assert_eq!(
        broken,
        [
            ("from".to_owned(), "date".to_owned()),
            ("limit".to_owned(), "range".to_owned()),
            ("sort".to_owned(), "unknown".to_owned()),
            ("status".to_owned(), "one_of".to_owned()),
        ]
    );
    // The words inside the quotes are still found.
    assert_eq!(codes(&app, &app.care, "\"khieu nai\"").await.len(), 1);
}
on_both_backends!(any_query_is_answered_or_refused_by_field);

async fn reindex_rebuilds_the_same_answers(postgres: bool) {
    let app = spawn_app(postgres).await;
    let a = file(&app, "Đăng ký dịch vụ", "Đăng ký gói cước Đà Nẵng.").await;
    let b = file(&app, "Khiếu nại cước", "Khiếu nại cước tháng 9.").await;
    let before = (
        codes(&app, &app.care, "dang ky").await,
        codes(&app, &app.care, "khieu nai").await,
    );
    let mut seen = Vec::new();
    let indexed = app
        .store
        .reindex(&mut |done, total| seen.push((done, total)))
        .await
        .unwrap();
    assert_eq!(indexed, 2);
    assert_eq!(seen.last(), Some(&(2, 2)));
    let after = (
        codes(&app, &app.care, "dang ky").await,
        codes(&app, &app.care, "khieu nai").await,
    );
    assert_eq!(before, after);
    assert_eq!(after, (vec![a], vec![b]));
    // New messages after a reindex are indexed by their own writes again.
    let c = file(&app, "Đăng ký thêm", "Một yêu cầu mới.").await;
    assert_eq!(codes(&app, &app.care, "dang ky").await.len(), 2);
    assert!(codes(&app, &app.care, "dang ky").await.contains(&c));
}
on_both_backends!(reindex_rebuilds_the_same_answers);

/// The workspace's search page: hits with the words marked, the next page's link keeps the
/// query (form-encoded), a query with no words is answered beside the field, and an agent
/// who names another department is told so on the page, not with an error status.
async fn the_workspace_search_page(postgres: bool) {
    let app = spawn_app(postgres).await;
    for n in 0..3 {
        file(&app, &format!("Khiếu nại số {n}"), "Hóa đơn sai.").await;
    }
    let cookie = sign_in(&app, "lan@example.vn").await;
    let page = web(&app, &cookie, "/agent/search?q=khieu+nai&limit=2").await;
    assert_eq!(
        page.matches("data-testid=\"search-hit\"").count(),
        2,
        "{page}"
    );
    assert!(
        page.contains("<mark>Khiếu</mark> <mark>nại</mark>"),
        "{page}"
    );
    assert!(
        page.contains("/agent/search?limit=2&#38;offset=2&#38;q=khieu+nai"),
        "{page}"
    );
    let next = web(&app, &cookie, "/agent/search?limit=2&offset=2&q=khieu+nai").await;
    assert_eq!(next.matches("data-testid=\"search-hit\"").count(), 1);
    assert!(!next.contains("search-next"));
    let empty = web(&app, &cookie, "/agent/search?q=%F0%9F%8E%89").await;
    assert!(empty.contains("id=\"s-q-error\""), "{empty}");
    assert!(!empty.contains("search-results"));
    let other = web(&app, &cookie, "/agent/search?q=khieu&department=sales").await;
    assert!(!other.contains("search-results"), "{other}");
    assert!(other.contains("class=\"error\""), "{other}");
}
on_both_backends!(the_workspace_search_page);

/// A search PostgreSQL cancels at its time bound is a 503 that says so and what to do, on the
/// API and on the workspace page, never a 500. The bound is met here by holding the index
/// locked past it, as a long write or a migration on a busy server would.
#[tokio::test]
async fn a_search_past_its_time_bound_is_a_503_postgres() {
    use sqlx::{Connection, Executor};
    let app = spawn_app(true).await;
    file(&app, "Khiếu nại về hóa đơn", "Hóa đơn sai.").await;
    let hotro_store::Location::Url(url) = &app.location else {
        panic!("a PostgreSQL store has a URL");
    };
    let mut locker = sqlx::PgConnection::connect(url).await.unwrap();
    locker.execute("BEGIN").await.unwrap();
    locker
        .execute("LOCK TABLE search_index IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let (status, body) = search(&app, &app.care, "khieu nai").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "too_slow", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("thêm từ hoặc bộ lọc"),
        "{body}"
    );
    let cookie = sign_in(&app, "lan@example.vn").await;
    let page = web(&app, &cookie, "/agent/search?q=khieu+nai").await;
    assert!(page.contains("thêm từ hoặc bộ lọc để thu hẹp"), "{page}");
    // Once the index is free the same search answers.
    locker.execute("ROLLBACK").await.unwrap();
    assert_eq!(codes(&app, &app.care, "khieu nai").await.len(), 1);
}
