//! Small things a new team hit (issue 16, paper cuts): an unknown web path answers a page, not
//! JSON (the API keeps its JSON); the site has an icon; the English policy page speaks English
//! in its title and its holidays.

mod common;

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
