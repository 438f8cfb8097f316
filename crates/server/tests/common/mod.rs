//! `spawn_app()`: the real router on a loopback port over a fresh store (SQLite or
//! PostgreSQL), with staff and API tokens ready, for tests that talk HTTP.

#![allow(dead_code)]

pub mod sink;
pub mod web;

use hotro_core::{Policy, Role, TokenScope};
use hotro_server::{App, AppState, Clock, ServerConfig, Settings, auth};
use hotro_store::{Location, NewStaff, NewToken, Store};
use jiff::Timestamp;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

pub const NOW: &str = "2026-11-20T02:00:00Z";

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub store: Store,
    /// Tokens by role: agent of `customer`, agent of `sales`, lead of `customer`, admin.
    pub care: String,
    pub sales: String,
    pub care_lead: String,
    pub admin: String,
    /// A mail-intake token (scope `mail-inbound`, the admin's): the only credential that may
    /// post to `/api/v1/mail/inbound`.
    pub mail: String,
    /// Where the store is, for tests that reach the database beside the server.
    pub location: Location,
    /// How far the application's clock is past [`NOW`], in milliseconds ([`TestApp::advance`]).
    pub clock_offset: Arc<AtomicI64>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn spawn_app(postgres: bool) -> TestApp {
    spawn_app_with(postgres, 0).await
}

/// Like [`spawn_app`], with the public rate limit set (0 turns it off); sign-in attempts get
/// twice that budget of their own, as the server's defaults do (30 and 60).
pub async fn spawn_app_with(postgres: bool, public_per_minute: u32) -> TestApp {
    spawn_app_config(
        postgres,
        ServerConfig {
            public_per_minute,
            sign_in_per_minute: 2 * public_per_minute,
            ..ServerConfig::default()
        },
    )
    .await
}

/// Like [`spawn_app`] (SQLite), announcing itself at `public_url` (for example an https
/// address, as behind a TLS proxy) rather than at its loopback address.
pub async fn spawn_app_at(public_url: &str) -> TestApp {
    let config = ServerConfig {
        public_per_minute: 0,
        sign_in_per_minute: 0,
        ..ServerConfig::default()
    };
    spawn(false, config, Some(public_url), Policy::builtin()).await
}

/// Like [`spawn_app`], under the given policy (for example with the company's name and
/// address, which the built-in policy leaves to each company).
pub async fn spawn_app_with_policy(postgres: bool, policy: Policy) -> TestApp {
    let config = ServerConfig {
        public_per_minute: 0,
        sign_in_per_minute: 0,
        ..ServerConfig::default()
    };
    spawn(postgres, config, None, policy).await
}

/// Like [`spawn_app`], with the HTTP settings given.
pub async fn spawn_app_config(postgres: bool, config: ServerConfig) -> TestApp {
    spawn(postgres, config, None, Policy::builtin()).await
}

async fn spawn(
    postgres: bool,
    config: ServerConfig,
    public_url: Option<&str>,
    policy: Policy,
) -> TestApp {
    let (location, dir) = if postgres {
        (
            Location::Url(hotro_testkit::fresh_postgres_url().await),
            None,
        )
    } else {
        let dir = hotro_testkit::temp_dir();
        (Location::DataDir(dir.path().to_owned()), Some(dir))
    };
    let store = Store::open(&location).await.expect("store opens");
    let now: Timestamp = NOW.parse().unwrap();
    let mut tokens = Vec::new();
    for (email, department, role) in [
        ("lan@example.vn", "customer", Role::Agent),
        ("minh@example.vn", "sales", Role::Agent),
        ("hoa@example.vn", "customer", Role::Lead),
        ("admin@example.vn", "other", Role::Admin),
    ] {
        let staff = store
            .add_staff(
                NewStaff {
                    email: email.into(),
                    name: format!("NV {email}"),
                    department: department.into(),
                    role,
                    password_hash: auth::hash_password("mật-khẩu-thử-nghiệm").unwrap(),
                },
                now,
            )
            .await
            .unwrap();
        let (token, hash) = auth::new_api_token();
        store
            .add_token(staff.id, hash, "test".into(), now)
            .await
            .unwrap();
        tokens.push(token);
    }
    let admin = store
        .staff_by_email("admin@example.vn")
        .await
        .unwrap()
        .unwrap();
    let (mail, hash) = auth::new_api_token();
    store
        .add_token_with(
            NewToken {
                staff_id: admin.id,
                token_hash: hash,
                label: "mail gateway".into(),
                scope: TokenScope::MailInbound,
                expires_at: None,
            },
            now,
        )
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clock_offset = Arc::new(AtomicI64::new(0));
    let offset = clock_offset.clone();
    let app = App::new(
        store.clone(),
        policy,
        Clock::from_fn(move || {
            now + jiff::SignedDuration::from_millis(offset.load(Ordering::SeqCst))
        }),
        Settings {
            public_url: public_url.map_or_else(|| base.clone(), str::to_owned),
        },
    );
    let state = AppState::new(app, config);
    tokio::spawn(hotro_server::serve(listener, state));
    let [care, sales, care_lead, admin] = tokens.try_into().unwrap();
    TestApp {
        base,
        client: Client::new(),
        store,
        care,
        sales,
        care_lead,
        admin,
        mail,
        location,
        clock_offset,
        _dir: dir,
    }
}

impl TestApp {
    /// Moves the application's clock forward (the rate limits per address keep real time).
    pub fn advance(&self, by: jiff::SignedDuration) {
        let ms = i64::try_from(by.as_millis()).expect("a test's step fits");
        self.clock_offset.fetch_add(ms, Ordering::SeqCst);
    }

    /// The use cases over this test's store, at the server's fixed instant: what the command
    /// line would run beside the server.
    pub fn use_cases(&self) -> App {
        let now: Timestamp = NOW.parse().unwrap();
        App::new(
            self.store.clone(),
            Policy::builtin(),
            Clock::from_fn(move || now),
            Settings {
                public_url: self.base.clone(),
            },
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, token: Option<&str>, path: &str, body: &Value) -> Response {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> Response {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }
}

/// Posts a raw message with the mail-intake token and returns the ticket code and outcome the
/// store recorded for its bytes. The answer itself is checked to be 202 with only `status` and
/// `sha256`: it must not tell whether an address belongs to a ticket (issue 14).
pub async fn post_inbound(app: &TestApp, raw: impl Into<Vec<u8>>) -> (String, String) {
    let raw = raw.into();
    let sha = hotro_core::attachment::sha256_hex(&raw);
    let r = app
        .client
        .post(app.url("/api/v1/mail/inbound"))
        .bearer_auth(&app.mail)
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await
        .unwrap();
    let (status, body) = json(r).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(
        body,
        serde_json::json!({"status": "accepted", "sha256": sha})
    );
    app.store
        .raw_mail_outcome(&sha)
        .await
        .unwrap()
        .expect("the message is on a ticket")
}

/// Reads a response's status and JSON body.
pub async fn json(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    let value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}

/// The `(field, rule)` pairs of a 422 body.
pub fn rules(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or_default().to_owned(),
                        f["rule"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn complaint() -> Value {
    serde_json::json!({
        "kind": "complaint",
        "customer": { "name": "Nguyễn Văn An", "email": "an@example.vn", "phone": "0903 123 456" },
        "subject": "Website ngừng hoạt động",
        "description": "Từ ngày 10/11 website của công ty tôi không truy cập được.",
        "incident_date": "2026-11-10",
        "complaint_category": "service_quality",
        "requested_resolution": "Khôi phục dịch vụ và bồi thường"
    })
}

/// Files a complaint through the public intake and returns (code, secret).
pub async fn file_complaint(app: &TestApp) -> (String, String) {
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &complaint()).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (
        body["code"].as_str().unwrap().to_owned(),
        body["tracking_secret"].as_str().unwrap().to_owned(),
    )
}

/// Runs the same async test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(false).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(true).await;
            }
        }
    };
}
