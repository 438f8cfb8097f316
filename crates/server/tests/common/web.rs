//! The workspace over HTTP for tests: signing in with a staff account of `spawn_app`, pages
//! read with the session cookie, forms posted with the page's form token.

use super::TestApp;
use reqwest::StatusCode;
use serde_json::json;

/// Signs in to the workspace and returns the session cookie.
pub async fn sign_in(app: &TestApp, email: &str) -> String {
    let r = app
        .post(
            None,
            "/api/v1/auth/login",
            &json!({ "email": email, "password": "mật-khẩu-thử-nghiệm" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

pub async fn web(app: &TestApp, cookie: &str, path: &str) -> String {
    let r = app
        .client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.unwrap()
}

pub async fn web_post(app: &TestApp, cookie: &str, path: &str, token: &str) -> StatusCode {
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    no_redirect
        .post(app.url(path))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}"))
        .send()
        .await
        .unwrap()
        .status()
}

/// The form token a workspace page carries.
pub fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"_csrf\" value=\"").unwrap() + "name=\"_csrf\" value=\"".len();
    page[at..].split('"').next().unwrap().to_owned()
}

/// Posts a workspace form (the form token first) and returns the status and the page.
pub async fn web_form(
    app: &TestApp,
    cookie: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let r = no_redirect
        .post(app.url(path))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}
