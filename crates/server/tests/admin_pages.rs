//! The administrators' pages of the workspace (issue 16, SC-1), on SQLite and PostgreSQL,
//! through the real HTML forms: signed in, the form token read from the page, posted. An
//! administrator adds a person, changes a role and a department, disables (their open page
//! stops working at once) and enables, resets a password (a generated one shown once), creates
//! and revokes a token; every mistake is answered beside its field with the rule's words; the
//! pages are "not found" to anyone else; every change is recorded with who and when, shown on
//! the change log and by `GET /api/v1/staff/audit`, and a refused change records nothing.

mod common;

use common::web::{csrf_of, sign_in, web, web_form};
use common::*;
use hotro_store::{AuditAction, StaffUpdate, StoreError};
use reqwest::StatusCode;
use serde_json::{Value, json};

const STRONG: &str = "mây-trắng-bay-qua-đồi-xanh";

/// Signs in with a password through the API; `None` when refused.
async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> Option<String> {
    let r = app
        .post(
            None,
            "/api/v1/auth/login",
            &json!({ "email": email, "password": password }),
        )
        .await;
    if r.status() != StatusCode::OK {
        return None;
    }
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    Some(cookie.split(';').next().unwrap().to_owned())
}

/// GET without following redirects: the status and the `Location`, if any.
async fn visit(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status(), location)
}

/// Posts a form of the page at `page_path` with the page's own form token.
async fn submit(
    app: &TestApp,
    cookie: &str,
    page_path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let token = csrf_of(&web(app, cookie, page_path).await);
    let mut all = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    web_form(app, cookie, action, &all).await
}

/// The text of the first element with this `data-testid`, up to its closing `<`.
fn testid<'a>(page: &'a str, id: &str) -> Option<&'a str> {
    let marker = format!("data-testid=\"{id}\"");
    let at = page.find(&marker)? + marker.len();
    let rest = &page[at..];
    let start = rest.find('>')? + 1;
    rest[start..].split('<').next()
}

/// The table row of the member of staff with this e-mail.
fn row_of<'a>(page: &'a str, email: &str) -> &'a str {
    let at = page
        .find(&format!("data-email=\"{email}\""))
        .unwrap_or_else(|| panic!("no row for {email}"));
    let rest = &page[at..];
    &rest[..rest.find("</tr>").unwrap()]
}

async fn staff_id(app: &TestApp, email: &str) -> i64 {
    app.store
        .staff_account(email)
        .await
        .unwrap()
        .unwrap()
        .member
        .id
}

async fn audit(app: &TestApp) -> Vec<Value> {
    let (status, body) = json(app.get(Some(&app.admin), "/api/v1/staff/audit").await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

async fn admins_manage_staff_in_the_workspace(postgres: bool) {
    let app = spawn_app(postgres).await;
    let admin = sign_in(&app, "admin@example.vn").await;
    let staff_page = "/agent/admin/staff";

    // The header offers the pages to an administrator only; to anyone else they do not exist.
    let queue = web(&app, &admin, "/agent").await;
    assert!(queue.contains("href=\"/agent/admin/staff\""), "{queue}");
    assert!(queue.contains(">Quản trị<"));
    let agent = sign_in(&app, "lan@example.vn").await;
    assert!(
        !web(&app, &agent, "/agent")
            .await
            .contains("/agent/admin/staff")
    );
    for path in [staff_page, "/agent/admin/tokens", "/agent/admin/audit"] {
        assert_eq!(visit(&app, &agent, path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            visit(&app, "", path).await,
            (StatusCode::SEE_OTHER, "/agent/login".to_owned())
        );
    }
    let lead = sign_in(&app, "hoa@example.vn").await;
    assert_eq!(
        visit(&app, &lead, staff_page).await.0,
        StatusCode::NOT_FOUND
    );
    // An agent's post, even with their own valid form token, changes nobody.
    let agent_token = csrf_of(&web(&app, &agent, "/agent").await);
    let lan = staff_id(&app, "lan@example.vn").await;
    let (status, _) = web_form(
        &app,
        &agent,
        &format!("/agent/admin/staff/{lan}"),
        &[
            ("_csrf", &agent_token),
            ("role", "admin"),
            ("department", "customer"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = web_form(
        &app,
        &agent,
        staff_page,
        &[
            ("_csrf", &agent_token),
            ("email", "x@example.vn"),
            ("name", "X"),
            ("department", "sales"),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        app.store
            .staff_account("x@example.vn")
            .await
            .unwrap()
            .is_none()
    );

    // The list: every person with their department, role, status and last sign-in.
    let page = web(&app, &admin, staff_page).await;
    for email in ["lan@example.vn", "minh@example.vn", "hoa@example.vn"] {
        assert!(page.contains(&format!("data-email=\"{email}\"")), "{email}");
    }
    let hoa = row_of(&page, "hoa@example.vn");
    assert!(hoa.contains("value=\"lead\" selected"), "{hoa}");
    assert!(hoa.contains("value=\"customer\" selected"), "{hoa}");

    // A form without its token is refused.
    let (status, _) = web_form(
        &app,
        &admin,
        staff_page,
        &[
            ("email", "x@example.vn"),
            ("name", "X"),
            ("department", "sales"),
            ("role", "agent"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Add with a chosen password: back to the list, and the person signs in with it.
    let (status, _) = submit(
        &app,
        &admin,
        staff_page,
        staff_page,
        &[
            ("email", "thu@example.vn"),
            ("name", "Trần Thu"),
            ("department", "sales"),
            ("role", "agent"),
            ("password", STRONG),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(sign_in_with(&app, "thu@example.vn", STRONG).await.is_some());

    // Add with the password left empty: a generated one is on the answer, once.
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        staff_page,
        &[
            ("email", "binh@example.vn"),
            ("name", "Lê Bình"),
            ("department", "customer"),
            ("role", "lead"),
            ("password", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let generated = testid(&page, "shown-password").unwrap().to_owned();
    assert!(generated.len() >= 20, "{generated}");
    let binh_cookie = sign_in_with(&app, "binh@example.vn", &generated)
        .await
        .expect("the generated password signs in");
    let list = web(&app, &admin, staff_page).await;
    assert!(!list.contains(&generated), "shown once only");

    // Each mistake beside its field, with the rule's words; nothing added.
    let before = app.store.staff_accounts().await.unwrap().len();
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        staff_page,
        &[
            ("email", "LAN@example.vn"),
            ("name", ""),
            ("department", "no-such-department"),
            ("role", "agent"),
            ("password", "aaaaaaaaaa"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"add-email-error\">Địa chỉ e-mail này đã thuộc về một nhân viên khác.<"),
        "{page}"
    );
    assert!(page.contains("id=\"add-name-error\">Bắt buộc phải nhập.<"));
    assert!(
        page.contains(
            "id=\"add-department-error\">Không có phòng ban này trong chính sách dịch vụ"
        )
    );
    assert!(page.contains("id=\"add-password-error\">Mật khẩu dễ đoán"));
    assert!(
        !page.contains("aaaaaaaaaa"),
        "a password is never sent back"
    );
    assert!(
        page.contains("value=\"LAN@example.vn\""),
        "the typed values stay"
    );
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        staff_page,
        &[
            ("email", "new@example.vn"),
            ("name", "Mới"),
            ("department", "sales"),
            ("role", "superuser"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"add-role-error\">Không có vai trò này"),
        "{page}"
    );
    let (_, page) = web_form(
        &app,
        &admin,
        &format!("{staff_page}?lang=en"),
        &[
            ("_csrf", &csrf_of(&web(&app, &admin, staff_page).await)),
            ("email", "not-an-address"),
            ("name", "N"),
            ("department", "sales"),
            ("role", "agent"),
        ],
    )
    .await;
    assert!(
        page.contains("id=\"add-email-error\">Not a valid e-mail address.<"),
        "{page}"
    );
    assert_eq!(app.store.staff_accounts().await.unwrap().len(), before);

    // Role and department changed; an unknown department or role refused beside it.
    let thu = staff_id(&app, "thu@example.vn").await;
    let row = format!("/agent/admin/staff/{thu}");
    let (status, _) = submit(
        &app,
        &admin,
        staff_page,
        &row,
        &[("role", "lead"), ("department", "technical")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let account = app
        .store
        .staff_account("thu@example.vn")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.member.role.as_str(), "lead");
    assert_eq!(account.member.department, "technical");
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        &row,
        &[("role", "lead"), ("department", "moon")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("data-testid=\"row-error-department\">Không có phòng ban này"),
        "{page}"
    );
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        &row,
        &[("role", "boss"), ("department", "sales")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("data-testid=\"row-error-role\">Không có vai trò này"));
    let account = app
        .store
        .staff_account("thu@example.vn")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.member.department, "technical", "nothing changed");
    // Nobody has id 999999, and "abc" names nobody.
    for path in ["/agent/admin/staff/999999", "/agent/admin/staff/abc"] {
        let (status, _) = submit(
            &app,
            &admin,
            staff_page,
            path,
            &[("role", "agent"), ("department", "sales")],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }

    // Disable: the person's open page stops working at once; enable: they sign in again.
    let binh = staff_id(&app, "binh@example.vn").await;
    assert_eq!(visit(&app, &binh_cookie, "/agent").await.0, StatusCode::OK);
    let active = format!("/agent/admin/staff/{binh}/active");
    let (status, _) = submit(&app, &admin, staff_page, &active, &[("active", "0")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        visit(&app, &binh_cookie, "/agent").await,
        (StatusCode::SEE_OTHER, "/agent/login".to_owned())
    );
    assert!(
        sign_in_with(&app, "binh@example.vn", &generated)
            .await
            .is_none()
    );
    let page = web(&app, &admin, &format!("{staff_page}?done=disabled")).await;
    assert!(page.contains("Đã khoá tài khoản"), "{page}");
    let (status, _) = submit(&app, &admin, staff_page, &active, &[("active", "1")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        sign_in_with(&app, "binh@example.vn", &generated)
            .await
            .is_some()
    );
    let (status, page) = submit(&app, &admin, staff_page, &active, &[("active", "maybe")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("data-testid=\"row-error-active\">"));

    // The last administrator cannot disable or demote themselves: refused beside the button.
    let me = staff_id(&app, "admin@example.vn").await;
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        &format!("/agent/admin/staff/{me}/active"),
        &[("active", "0")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("data-testid=\"row-error-active\">Không thể tự hạ quyền hoặc tự khoá"),
        "{page}"
    );
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        &format!("/agent/admin/staff/{me}"),
        &[("role", "agent"), ("department", "other")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("data-testid=\"row-error-role\">Không thể tự hạ quyền"));
    assert!(
        sign_in_with(&app, "admin@example.vn", "mật-khẩu-thử-nghiệm")
            .await
            .is_some()
    );

    // Reset a password: a generated one shown once, the old one and open sessions end.
    let binh_cookie = sign_in_with(&app, "binh@example.vn", &generated)
        .await
        .unwrap();
    let reset = format!("/agent/admin/staff/{binh}/password");
    let (status, page) = submit(&app, &admin, staff_page, &reset, &[("password", "")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let fresh = testid(&page, "shown-password").unwrap().to_owned();
    assert_ne!(fresh, generated);
    assert_eq!(
        visit(&app, &binh_cookie, "/agent").await.0,
        StatusCode::SEE_OTHER
    );
    assert!(
        sign_in_with(&app, "binh@example.vn", &generated)
            .await
            .is_none()
    );
    assert!(
        sign_in_with(&app, "binh@example.vn", &fresh)
            .await
            .is_some()
    );
    // A weak one is refused beside the field and never sent back; a typed one is not shown.
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        &reset,
        &[("password", "1234567890")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("data-testid=\"row-error-password\">Mật khẩu dễ đoán"),
        "{page}"
    );
    assert!(!page.contains("1234567890"));
    let (status, page) = submit(&app, &admin, staff_page, &reset, &[("password", STRONG)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(testid(&page, "shown-password").is_none());
    assert!(!page.contains(STRONG));
    assert!(
        sign_in_with(&app, "binh@example.vn", STRONG)
            .await
            .is_some()
    );

    // The last sign-in is shown: when, or "never".
    let page = web(&app, &admin, staff_page).await;
    assert!(
        row_of(&page, "binh@example.vn").contains("20/11/2026 09:00"),
        "{page}"
    );
    assert!(row_of(&page, "minh@example.vn").contains("chưa bao giờ"));
}
on_both_backends!(admins_manage_staff_in_the_workspace);

async fn admins_manage_tokens_in_the_workspace(postgres: bool) {
    let app = spawn_app(postgres).await;
    let admin = sign_in(&app, "admin@example.vn").await;
    let page_path = "/agent/admin/tokens";

    // Every token is listed with its owner and label, never a secret.
    let page = web(&app, &admin, page_path).await;
    assert!(page.contains("mail gateway"), "{page}");
    assert!(page.contains("lan@example.vn"));
    assert!(!page.contains(&app.care));

    // Create: the secret is on the answer once, and works on the API.
    let (status, page) = submit(
        &app,
        &admin,
        page_path,
        page_path,
        &[
            ("email", "lan@example.vn"),
            ("label", "báo cáo hằng tuần"),
            ("scope", "staff"),
            ("expires_in", "30"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let secret = testid(&page, "shown-secret").unwrap().to_owned();
    assert_eq!(
        app.get(Some(&secret), "/api/v1/queue").await.status(),
        StatusCode::OK
    );
    let page = web(&app, &admin, page_path).await;
    assert!(!page.contains(&secret), "shown once only");
    assert!(page.contains("báo cáo hằng tuần"));
    let tokens = app.store.tokens(None).await.unwrap();
    let made = tokens
        .iter()
        .find(|t| t.label == "báo cáo hằng tuần")
        .unwrap();
    assert!(made.expires_at.is_some());

    // Revoke: 401 from then on, and the list says when.
    let (status, _) = submit(
        &app,
        &admin,
        page_path,
        &format!("/agent/admin/tokens/{}/revoke", made.id),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(Some(&secret), "/api/v1/queue").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let page = web(&app, &admin, &format!("{page_path}?done=revoked")).await;
    assert!(page.contains("data-testid=\"token-revoked\""), "{page}");
    assert!(page.contains("Đã thu hồi mã truy cập"));
    for path in [
        "/agent/admin/tokens/999999/revoke",
        "/agent/admin/tokens/x/revoke",
    ] {
        let (status, _) = submit(&app, &admin, page_path, path, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }

    // Mistakes beside their fields; no token made.
    let count = app.store.tokens(None).await.unwrap().len();
    let (status, page) = submit(
        &app,
        &admin,
        page_path,
        page_path,
        &[
            ("email", "lan@example.vn"),
            ("label", " "),
            ("scope", "staff"),
            ("expires_in", "0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"token-label-error\">Bắt buộc phải nhập.<"),
        "{page}"
    );
    assert!(page.contains("id=\"token-expires-error\">Số ngày hiệu lực phải là số nguyên dương"));
    let (status, page) = submit(
        &app,
        &admin,
        page_path,
        page_path,
        &[
            ("email", "nobody@example.vn"),
            ("label", "x"),
            ("scope", "root"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"token-scope-error\">Phạm vi phải là staff hoặc mail-inbound."));
    let (_, page) = submit(
        &app,
        &admin,
        page_path,
        page_path,
        &[
            ("email", "nobody@example.vn"),
            ("label", "x"),
            ("scope", "staff"),
        ],
    )
    .await;
    assert!(
        page.contains("id=\"token-email-error\">Không có nhân viên nào có địa chỉ e-mail này.")
    );
    let cases = app.use_cases();
    cases
        .set_staff_active("minh@example.vn", false)
        .await
        .unwrap();
    let (_, page) = submit(
        &app,
        &admin,
        page_path,
        page_path,
        &[
            ("email", "minh@example.vn"),
            ("label", "x"),
            ("scope", "staff"),
        ],
    )
    .await;
    assert!(page.contains("id=\"token-email-error\">Nhân viên này đang bị khoá"));
    assert_eq!(app.store.tokens(None).await.unwrap().len(), count);

    // To anyone else the page does not exist.
    let agent = sign_in(&app, "lan@example.vn").await;
    assert_eq!(
        visit(&app, &agent, page_path).await.0,
        StatusCode::NOT_FOUND
    );
    let agent_token = csrf_of(&web(&app, &agent, "/agent").await);
    let (status, _) = web_form(
        &app,
        &agent,
        page_path,
        &[
            ("_csrf", &agent_token),
            ("email", "lan@example.vn"),
            ("label", "x"),
            ("scope", "staff"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.store.tokens(None).await.unwrap().len(), count);
}
on_both_backends!(admins_manage_tokens_in_the_workspace);

async fn every_change_is_recorded_with_who_and_when(postgres: bool) {
    let app = spawn_app(postgres).await;
    // The staff `spawn_app` made are the operator's doing.
    let start = audit(&app).await;
    assert!(start.iter().all(|e| e["actor"].is_null()), "{start:?}");
    let mark = start[0]["id"].as_i64().unwrap();

    let admin = sign_in(&app, "admin@example.vn").await;
    let staff_page = "/agent/admin/staff";
    let (status, page) = submit(
        &app,
        &admin,
        staff_page,
        staff_page,
        &[
            ("email", "an@example.vn"),
            ("name", "An"),
            ("department", "sales"),
            ("role", "agent"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let password = testid(&page, "shown-password").unwrap().to_owned();
    let an = staff_id(&app, "an@example.vn").await;
    let (status, _) = submit(
        &app,
        &admin,
        staff_page,
        &format!("/agent/admin/staff/{an}"),
        &[("role", "lead"), ("department", "customer")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = submit(
        &app,
        &admin,
        "/agent/admin/tokens",
        "/agent/admin/tokens",
        &[
            ("email", "an@example.vn"),
            ("label", "tích hợp"),
            ("scope", "staff"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let secret = testid(&page, "shown-secret").unwrap().to_owned();
    let (status, _) = submit(
        &app,
        &admin,
        staff_page,
        &format!("/agent/admin/staff/{an}/active"),
        &[("active", "0")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = submit(
        &app,
        &admin,
        staff_page,
        &format!("/agent/admin/staff/{an}/password"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The operator at the command line is recorded as such.
    app.use_cases()
        .set_staff_active("an@example.vn", true)
        .await
        .unwrap();

    let entries = audit(&app).await;
    let new: Vec<&Value> = entries
        .iter()
        .take_while(|e| e["id"].as_i64().unwrap() > mark)
        .collect();
    let seen: Vec<(&str, &str, Option<&str>)> = new
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["detail"].as_str().unwrap(),
                e["actor"].as_str(),
            )
        })
        .collect();
    let by = Some("admin@example.vn");
    // Newest first.
    assert_eq!(
        seen,
        vec![
            ("staff.enabled", "", None),
            ("staff.password_reset", "", by),
            ("token.revoked", "tích hợp", by),
            ("staff.disabled", "", by),
            ("token.created", "staff: tích hợp", by),
            ("staff.department", "sales → customer", by),
            ("staff.role", "agent → lead", by),
            ("staff.added", "agent, sales", by),
        ]
    );
    assert!(new.iter().all(|e| e["target"] == "an@example.vn"));
    assert!(new[0]["at"].as_str().unwrap().ends_with('Z'));
    let text = serde_json::to_string(&entries).unwrap();
    assert!(!text.contains(&password) && !text.contains(&secret));

    // A refused change records nothing: the store refuses disabling the last administrator
    // in the transaction that would have recorded it.
    let admin_id = staff_id(&app, "admin@example.vn").await;
    let refused = app
        .store
        .update_staff_by(
            admin_id,
            StaffUpdate {
                active: Some(false),
                ..StaffUpdate::default()
            },
            NOW.parse().unwrap(),
            None,
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Rejected(_))),
        "{refused:?}"
    );
    let (status, _) = submit(
        &app,
        &admin,
        staff_page,
        &format!("/agent/admin/staff/{admin_id}/active"),
        &[("active", "0")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audit(&app).await.len(), entries.len());
    let stored = app.store.staff_audit(1).await.unwrap();
    assert_eq!(stored[0].action, AuditAction::Enabled);

    // The change log page shows them, newest first, naming who.
    let page = web(&app, &admin, "/agent/admin/audit").await;
    let first = page.find("data-action=\"staff.enabled\"").unwrap();
    let added = page.find("data-action=\"staff.added\"").unwrap();
    assert!(first < added);
    assert!(page.contains("Người vận hành (dòng lệnh)"));
    assert!(
        page.contains("NV admin@example.vn (admin@example.vn)"),
        "{page}"
    );
    let en = web(&app, &admin, "/agent/admin/audit?lang=en").await;
    assert!(en.contains("Department changed") && en.contains("Change log"));

    // Anyone else: 403 naming the rule on the API, "not found" on the page.
    for token in [&app.care, &app.care_lead, &app.sales] {
        let (status, body) = json(app.get(Some(token), "/api/v1/staff/audit").await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["rule"], "admin_only", "{body}");
    }
    let (status, _) = json(app.get(None, "/api/v1/staff/audit").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let agent = sign_in(&app, "lan@example.vn").await;
    assert_eq!(
        visit(&app, &agent, "/agent/admin/audit").await.0,
        StatusCode::NOT_FOUND
    );
}
on_both_backends!(every_change_is_recorded_with_who_and_when);
