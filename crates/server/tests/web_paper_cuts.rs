//! Small things a new team hit (issue 16, paper cuts): an unknown web path answers a page, not
//! JSON (the API keeps its JSON); the site has an icon; the English policy page speaks English
//! in its title and its holidays; the admin's queue spans departments and names each; a
//! time-barred complaint promises no resolution; the confirmation's link can be followed and
//! copied; amounts read the same to staff and customers.

mod common;

use common::web::{sign_in, web};
use common::*;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

fn content_type(r: &reqwest::Response) -> String {
    r.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_unknown_page_is_a_page_an_unknown_api_path_is_json() {
    let app = spawn_app(false).await;
    let r = app.get(None, "/khong-co-trang-nay").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        content_type(&r).starts_with("text/html"),
        "{}",
        content_type(&r)
    );
    let page = r.text().await.unwrap();
    assert!(page.contains("Không tìm thấy trang."), "{page}");
    assert!(
        page.contains("href=\"/\""),
        "a way back to the portal: {page}"
    );
    let r = app.get(None, "/no/such/page?lang=en").await;
    assert!(r.text().await.unwrap().contains("Page not found."));

    let r = app.get(None, "/api/v1/no-such-thing").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(content_type(&r).starts_with("application/json"));
    let (_, body) = json(r).await;
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn the_site_has_an_icon_every_page_links() {
    let app = spawn_app(false).await;
    for path in ["/favicon.ico", "/assets/favicon.svg"] {
        let r = app.get(None, path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(content_type(&r), "image/svg+xml");
        assert!(r.text().await.unwrap().starts_with("<svg"));
    }
    let page = app.get(None, "/").await.text().await.unwrap();
    assert!(page.contains("<link rel=\"icon\" href=\"/assets/favicon.svg\""));
}

#[tokio::test]
async fn the_english_policy_page_has_english_headings_and_holidays() {
    let app = spawn_app(false).await;
    let en = app.get(None, "/policy?lang=en").await.text().await.unwrap();
    assert!(en.contains("Customer service policy (version"), "{en}");
    assert!(!en.contains("Chính sách dịch vụ khách hàng"), "{en}");
    assert!(en.contains("Lunar New Year (Tết) (day 1)"), "{en}");
    assert!(en.contains("Vietnamese Culture Day"), "{en}");
    assert!(!en.contains("Tết Nguyên Đán"), "{en}");
    let vi = app.get(None, "/policy").await.text().await.unwrap();
    assert!(vi.contains("Chính sách dịch vụ khách hàng (phiên bản"));
    assert!(vi.contains("Tết Nguyên Đán (mùng 1)"));
}

/// An administrator's queue is "all departments", not the name of the department their
/// account happens to sit in, and every row names its department; an agent's queue, of one
/// department, has no such column.
#[tokio::test]
async fn the_admin_queue_spans_departments_and_names_each() {
    let app = spawn_app(false).await;
    let (code, _) = file_complaint(&app).await;
    let admin = sign_in(&app, "admin@example.vn").await;
    let page = web(&app, &admin, "/agent").await;
    assert!(page.contains("Hàng đợi — Tất cả phòng ban"), "{page}");
    assert!(!page.contains("Các vấn đề khác"), "{page}");
    let row = &page[page.find(&format!("data-code=\"{code}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td data-testid=\"row-department\">Phòng khách hàng</td>"),
        "{row}"
    );
    let care = sign_in(&app, "lan@example.vn").await;
    let page = web(&app, &care, "/agent").await;
    assert!(page.contains("Hàng đợi — Phòng khách hàng"), "{page}");
    assert!(!page.contains("row-department"), "{page}");
}

/// SL-4: the tracking page of a complaint filed past its time bar says it was answered in
/// writing for that reason, and promises no resolution date.
#[tokio::test]
async fn a_time_barred_complaint_promises_no_resolution() {
    let app = spawn_app(false).await;
    let mut late = complaint();
    late["incident_date"] = "2026-01-05".into();
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &late).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let code = body["code"].as_str().unwrap();
    let secret = body["tracking_secret"].as_str().unwrap();
    let page = app
        .get(None, &format!("/track/{code}?secret={secret}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Đã trả lời bằng văn bản: khiếu nại gửi sau thời hiệu"),
        "{page}"
    );
    assert!(!page.contains("data-testid=\"expected\""), "{page}");
    // A complaint within its time bar still shows when it is expected to be resolved.
    let (code, secret) = file_complaint(&app).await;
    let page = app
        .get(None, &format!("/track/{code}?secret={secret}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"expected\""), "{page}");
    assert!(!page.contains("sau thời hiệu"), "{page}");
}

/// TR-1: the confirmation's tracking address is a link, with a button that copies it (a
/// script file, as the pages' Content-Security-Policy allows no inline script).
#[tokio::test]
async fn the_confirmation_link_is_a_link_with_a_copy_button() {
    let app = spawn_app(false).await;
    let (code, secret) = file_complaint(&app).await;
    let page = app
        .get(None, &format!("/track/{code}?secret={secret}&new=1"))
        .await
        .text()
        .await
        .unwrap();
    let url = format!("/track/{code}?secret={secret}");
    let link = &page[page.find("data-testid=\"tracking-link\"").unwrap() - 200..];
    assert!(link.contains("<a href=\"http"), "{link}");
    assert!(link.contains(&url), "{link}");
    assert!(page.contains("data-testid=\"copy-link\""), "{page}");
    assert!(page.contains("Sao chép đường dẫn"), "{page}");
    assert!(page.contains("<script src=\"/assets/copy.js\" defer></script>"));
    let script = app.get(None, "/assets/copy.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.text().await.unwrap().contains("data-copy"));
}

/// The amounts staff read are grouped as the customer reads them (one formatter).
#[tokio::test]
async fn amounts_read_the_same_to_staff_and_customer() {
    let app = spawn_app(false).await;
    let (code, secret) = file_complaint(&app).await;
    // CP-2: answered in writing, then resolved with the outcome on record.
    let answer = serde_json::json!({
        "body": "Kính thưa quý khách, chúng tôi hoàn lại tiền cước của tháng 11.",
        "status": "answered"
    });
    let replies = format!("/api/v1/tickets/{code}/replies");
    let (status, body) = json(app.post(Some(&app.care), &replies, &answer).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let resolved = serde_json::json!({
        "status": "resolved",
        "outcome": { "kind": "refund", "amount": 1_200_000 }
    });
    let path = format!("/api/v1/tickets/{code}/status");
    let (status, body) = json(app.post(Some(&app.care), &path, &resolved).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let care = sign_in(&app, "lan@example.vn").await;
    let staff_page = web(&app, &care, &format!("/agent/tickets/{code}")).await;
    assert!(staff_page.contains("1.200.000 đ"), "{staff_page}");
    assert!(!staff_page.contains("1200000 đ"), "{staff_page}");
    let customer_page = app
        .get(None, &format!("/track/{code}?secret={secret}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(customer_page.contains("1.200.000 đ"), "{customer_page}");
}
