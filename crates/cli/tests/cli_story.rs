//! The foundation's "done when", through the real `hotro` binary on SQLite and PostgreSQL:
//! first start prints the administrator once; `user add` and `token create` prepare an
//! agent; the API story runs against `hotro serve`; `hotro audit verify` passes, and fails
//! naming the ticket after one stored event is edited directly in the database (SC-3).

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::{Connection, Executor};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

/// The store options for one backend.
struct Target {
    args: Vec<String>,
    sql_url: String,
    _dir: tempfile::TempDir,
}

async fn target(postgres: bool) -> Target {
    let dir = hotro_testkit::temp_dir();
    if postgres {
        let url = hotro_testkit::fresh_postgres_url().await;
        Target {
            args: vec!["--database-url".into(), url.clone()],
            sql_url: url,
            _dir: dir,
        }
    } else {
        let data = dir.path().join("data");
        Target {
            args: vec!["--data".into(), data.display().to_string()],
            sql_url: format!("sqlite://{}", data.join("hotro.db").display()),
            _dir: dir,
        }
    }
}

fn hotro(args: &[&str], target: &Target) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotro"));
    cmd.args(args)
        .args(&target.args)
        .env_remove("HOTRO_DATA")
        .env_remove("HOTRO_DATABASE_URL");
    cmd
}

fn run(args: &[&str], target: &Target, stdin: Option<&str>) -> Output {
    let mut cmd = hotro(args, target);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("hotro runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A running `hotro serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    admin_password: Option<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(target: &Target) -> Server {
    let mut cmd = hotro(&["serve", "--listen", "127.0.0.1:0"], target);
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The guard owns the child from here on, so it is stopped even if reading fails.
    let mut server = Server {
        child,
        base: String::new(),
        admin_password: None,
    };
    let stdout = server.child.stdout.take().unwrap();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(pw) = line.trim().strip_prefix("mật khẩu / password: ") {
            server.admin_password = Some(pw.to_owned());
        }
        if let Some(addr) = line.strip_prefix("hotro: listening on ") {
            server.base = addr.to_owned();
            return server;
        }
    }
    panic!("hotro serve ended without printing its address");
}

async fn call(client: &reqwest::Client, req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let _ = client;
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn story(postgres: bool) {
    let t = target(postgres).await;
    let migrate = run(&["migrate"], &t, None);
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));

    // First start on empty data prints the administrator's credentials, once.
    let server = serve(&t);
    let admin_password = server
        .admin_password
        .clone()
        .expect("first start prints the password");
    let client = reqwest::Client::new();
    let (status, _) = call(
        &client,
        client
            .post(format!("{}/api/v1/auth/login", server.base))
            .json(&json!({ "email": "admin@hotro.local", "password": admin_password })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    drop(server);
    let server = serve(&t);
    assert_eq!(
        server.admin_password, None,
        "the password is shown only once"
    );

    // An agent of the customer department and a token for them.
    let added = run(
        &[
            "user",
            "add",
            "--email",
            "lan@example.vn",
            "--name",
            "Trần Thị Lan",
            "--department",
            "customer",
            "--role",
            "agent",
            "--password-stdin",
        ],
        &t,
        Some("mật khẩu đủ dài\n"),
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let token = run(&["token", "create", "--email", "lan@example.vn"], &t, None);
    assert!(token.status.success(), "{}", text(&token.stderr));
    let token = text(&token.stdout).trim().to_owned();
    assert!(token.starts_with("hotro_"));

    // Through the API: a complaint without incident date is refused naming it; then accepted.
    let intake = format!("{}/api/v1/public/tickets", server.base);
    let mut complaint = json!({
        "kind": "complaint",
        "customer": { "name": "Nguyễn Văn An", "email": "an@example.vn" },
        "subject": "Hóa đơn sai",
        "description": "Hóa đơn tháng 10 tính sai.",
        "complaint_category": "business"
    });
    let (status, body) = call(&client, client.post(&intake).json(&complaint)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "incident_date");
    complaint["incident_date"] = json!(
        jiff::Timestamp::now()
            .to_zoned(hotro_core::intake::vietnam_zone())
            .date()
            .to_string()
    );
    let (status, body) = call(&client, client.post(&intake).json(&complaint)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let code = body["code"].as_str().unwrap().to_owned();

    // The owning department's agent takes it and answers under the reply rules.
    let ticket = format!("{}/api/v1/tickets/{code}", server.base);
    let (status, _) = call(
        &client,
        client.post(format!("{ticket}/take")).bearer_auth(&token),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = call(
        &client,
        client
            .post(format!("{ticket}/replies"))
            .bearer_auth(&token)
            .json(&json!({ "body": "Chào anh" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["rule"], "reply.greeting");
    let answer = json!({ "body": "Kính thưa quý khách, hóa đơn đã được điều chỉnh." });
    let (status, _) = call(
        &client,
        client
            .post(format!("{ticket}/replies"))
            .bearer_auth(&token)
            .json(&answer),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, view) = call(&client, client.get(&ticket).bearer_auth(&token)).await;
    assert_eq!(view["timeline"][2]["event"]["type"], "replied");

    // SC-3: the audit passes; after one event is edited in the database it names the ticket.
    let verify = run(&["audit", "verify"], &t, None);
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    assert!(
        text(&verify.stdout).contains("1 tickets, 3 events"),
        "{}",
        text(&verify.stdout)
    );
    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(&t.sql_url).await.unwrap();
    db.execute(
        "UPDATE events SET payload = replace(payload, 'điều chỉnh', 'giữ nguyên') WHERE seq = 3",
    )
    .await
    .unwrap();
    let verify = run(&["audit", "verify"], &t, None);
    assert!(!verify.status.success());
    let stderr = text(&verify.stderr);
    assert!(stderr.contains(&format!("{code} (event 3)")), "{stderr}");
}

#[tokio::test]
async fn cli_story_sqlite() {
    story(false).await;
}

#[tokio::test]
async fn cli_story_postgres() {
    story(true).await;
}

/// Mistakes on the command line get a one-line reason naming the option, and exit non-zero.
#[tokio::test]
async fn cli_errors_name_the_option() {
    let t = target(false).await;
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "user",
                "add",
                "--email",
                "a@example.vn",
                "--name",
                "A",
                "--department",
                "customer",
                "--role",
                "boss",
            ],
            "--role",
        ),
        (
            &[
                "user",
                "add",
                "--email",
                "a@example.vn",
                "--name",
                "A",
                "--department",
                "legal",
                "--role",
                "agent",
            ],
            "--department",
        ),
        (
            &[
                "user",
                "add",
                "--email",
                "not-mail",
                "--name",
                "A",
                "--department",
                "customer",
                "--role",
                "agent",
            ],
            "--email",
        ),
        (
            &["token", "create", "--email", "nobody@example.vn"],
            "--email",
        ),
    ];
    for (args, option) in cases {
        let out = run(args, &t, None);
        assert!(!out.status.success(), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("hotro: ") && stderr.contains(option),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
    // A generated password is printed when none is given on standard input.
    let out = run(
        &[
            "user",
            "add",
            "--email",
            "b@example.vn",
            "--name",
            "B",
            "--department",
            "sales",
            "--role",
            "lead",
        ],
        &t,
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("password: "));
    let again = run(
        &[
            "user",
            "add",
            "--email",
            "b@example.vn",
            "--name",
            "B",
            "--department",
            "sales",
            "--role",
            "lead",
        ],
        &t,
        None,
    );
    assert!(
        text(&again.stderr).contains("already"),
        "{}",
        text(&again.stderr)
    );
    let bad_url = Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(["audit", "verify", "--database-url", "mysql://x"])
        .output()
        .unwrap();
    assert!(!bad_url.status.success());
    assert!(
        text(&bad_url.stderr).contains("postgres://"),
        "{}",
        text(&bad_url.stderr)
    );
}
