//! Credentials that can be cut off (issue 14), through the real `hotro` binary beside a running
//! `hotro serve`, on SQLite and PostgreSQL: `user list|disable|enable|reset-password`,
//! `token create --expires-in --scope`, `token list`, `token revoke` — each refusal names its
//! option, exits non-zero and changes nothing.
//!
//! One file on purpose: one story of an operator's commands on one store, in order.

use reqwest::StatusCode;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

struct Target {
    args: Vec<String>,
    _dir: tempfile::TempDir,
}

async fn target(postgres: bool) -> Target {
    let dir = hotro_testkit::temp_dir();
    let args = if postgres {
        vec![
            "--database-url".into(),
            hotro_testkit::fresh_postgres_url().await,
        ]
    } else {
        vec![
            "--data".into(),
            dir.path().join("data").display().to_string(),
        ]
    };
    Target { args, _dir: dir }
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
    let mut child = hotro(args, target)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hotro runs");
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

/// Runs a command that must succeed and returns its standard output.
fn ok(args: &[&str], target: &Target, stdin: Option<&str>) -> String {
    let out = run(args, target, stdin);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must be refused with one line naming `option` (and `rule`).
fn refused(args: &[&str], target: &Target, stdin: Option<&str>, option: &str, rule: &str) {
    let out = run(args, target, stdin);
    assert!(!out.status.success(), "{args:?} succeeded");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!("hotro: {option}: ")) && stderr.contains(rule),
        "{args:?}: {stderr}"
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(target: &Target) -> Server {
    let child = hotro(&["serve", "--listen", "127.0.0.1:0"], target)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        base: String::new(),
    };
    let stdout = server.child.stdout.take().unwrap();
    for line in BufReader::new(stdout).lines() {
        if let Some(addr) = line.unwrap().strip_prefix("hotro: listening on ") {
            server.base = addr.to_owned();
            return server;
        }
    }
    panic!("hotro serve ended without printing its address");
}

/// The line of `hotro token list` whose id is `id`.
fn token_line(list: &str, id: &str) -> String {
    list.lines()
        .find(|l| l.starts_with(&format!("id={id}\t")))
        .unwrap_or_else(|| panic!("no token {id} in {list}"))
        .to_owned()
}

async fn credentials(postgres: bool) {
    let t = target(postgres).await;
    // The first start creates the administrator, admin@hotro.local.
    let server = serve(&t);
    let client = reqwest::Client::new();
    let queue = format!("{}/api/v1/queue", server.base);
    let inbound = format!("{}/api/v1/mail/inbound", server.base);
    let login = format!("{}/api/v1/auth/login", server.base);
    let status = |req: reqwest::RequestBuilder| async move { req.send().await.unwrap().status() };
    let sign_in = |password: String| {
        let req = client
            .post(&login)
            .json(&json!({ "email": "lan@example.vn", "password": password }));
        async move { req.send().await.unwrap() }
    };

    ok(
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

    // Tokens: a staff token, one for 30 days, one for a mail gateway.
    let create = |extra: &[&str], email: &str| {
        let mut args = vec!["token", "create", "--email", email];
        args.extend_from_slice(extra);
        let out = run(&args, &t, None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let secret = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let info = String::from_utf8(out.stderr).unwrap();
        let id = info
            .split("id ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("no id in {info}"))
            .to_owned();
        (secret, id)
    };
    let (staff, staff_id) = create(&[], "lan@example.vn");
    let (month, month_id) = create(&["--expires-in", "30"], "lan@example.vn");
    let (gateway, gateway_id) = create(&["--scope", "mail-inbound"], "admin@hotro.local");
    for bad in ["0", "-2", "abc", "3651"] {
        refused(
            &[
                "token",
                "create",
                "--email",
                "lan@example.vn",
                "--expires-in",
                bad,
            ],
            &t,
            None,
            "--expires-in",
            "token.expires_in",
        );
    }
    refused(
        &[
            "token",
            "create",
            "--email",
            "lan@example.vn",
            "--scope",
            "mail",
        ],
        &t,
        None,
        "--scope",
        "token.scope",
    );
    refused(
        &["token", "create", "--email", "nobody@example.vn"],
        &t,
        None,
        "--email",
        "staff.unknown",
    );

    // What each may do: the staff token reads the queue but may not post mail; the gateway's
    // token posts mail and reads nothing.
    assert_eq!(
        status(client.get(&queue).bearer_auth(&staff)).await,
        StatusCode::OK
    );
    let mail = "From: an@example.vn\r\nSubject: Xin chào\r\nMessage-ID: <c1@x.vn>\r\n\r\nChào.\r\n";
    assert_eq!(
        status(client.post(&inbound).bearer_auth(&staff).body(mail)).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(client.post(&inbound).bearer_auth(&gateway).body(mail)).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        status(client.get(&queue).bearer_auth(&gateway)).await,
        StatusCode::UNAUTHORIZED
    );

    // The list: id, owner, created, last used, expires, revoked — never a secret.
    let list = ok(&["token", "list"], &t, None);
    assert_eq!(list.lines().count(), 3, "{list}");
    for secret in [&staff, &month, &gateway] {
        assert!(!list.contains(secret.as_str()));
    }
    let line = token_line(&list, &staff_id);
    assert!(
        line.contains("\towner=lan@example.vn\tcreated=20"),
        "{line}"
    );
    assert!(!line.contains("last_used=never"), "it was used: {line}");
    assert!(
        line.contains("\texpires=never\trevoked=no\tscope=staff"),
        "{line}"
    );
    let line = token_line(&list, &month_id);
    assert!(
        line.contains("last_used=never") && !line.contains("expires=never"),
        "{line}"
    );
    assert!(token_line(&list, &gateway_id).contains("scope=mail-inbound"));
    let lans = ok(&["token", "list", "--email", "lan@example.vn"], &t, None);
    assert_eq!(lans.lines().count(), 2, "{lans}");

    // Revoked: 401 from then on. An unknown id is named and changes nothing.
    ok(&["token", "revoke", &staff_id], &t, None);
    assert_eq!(
        status(client.get(&queue).bearer_auth(&staff)).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(!token_line(&ok(&["token", "list"], &t, None), &staff_id).contains("revoked=no"));
    refused(
        &["token", "revoke", "9999"],
        &t,
        None,
        "ID",
        "token.unknown",
    );
    assert_eq!(
        status(client.get(&queue).bearer_auth(&month)).await,
        StatusCode::OK
    );

    // The staff list: one line each, tab-separated, active|disabled.
    let users = ok(&["user", "list"], &t, None);
    assert!(
        users
            .lines()
            .any(|l| l == "lan@example.vn\tTrần Thị Lan\tcustomer\tagent\tactive"),
        "{users}"
    );
    assert!(
        users
            .lines()
            .any(|l| l.starts_with("admin@hotro.local\t") && l.ends_with("\tadmin\tactive"))
    );

    // Disabled: the open session and the tokens end at once; sign-in is refused until enabled.
    let r = sign_in("mật khẩu đủ dài".into()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        status(client.get(&queue).header("cookie", &cookie)).await,
        StatusCode::OK
    );
    ok(&["user", "disable", "--email", "lan@example.vn"], &t, None);
    assert_eq!(
        status(client.get(&queue).header("cookie", &cookie)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(client.get(&queue).bearer_auth(&month)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in("mật khẩu đủ dài".into()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    refused(
        &["token", "create", "--email", "lan@example.vn"],
        &t,
        None,
        "--email",
        "staff.disabled",
    );
    assert!(
        ok(&["user", "list"], &t, None)
            .contains("lan@example.vn\tTrần Thị Lan\tcustomer\tagent\tdisabled")
    );
    ok(&["user", "enable", "--email", "lan@example.vn"], &t, None);
    assert_eq!(
        sign_in("mật khẩu đủ dài".into()).await.status(),
        StatusCode::OK
    );

    // The last active administrator cannot be disabled.
    refused(
        &["user", "disable", "--email", "admin@hotro.local"],
        &t,
        None,
        "--email",
        "staff.last_admin",
    );
    assert!(
        ok(&["user", "list"], &t, None)
            .lines()
            .any(|l| l.starts_with("admin@hotro.local\t") && l.ends_with("\tactive"))
    );

    // A reset: a generated password printed once replaces the old one.
    let reset = ok(
        &["user", "reset-password", "--email", "lan@example.vn"],
        &t,
        None,
    );
    let password = reset
        .lines()
        .find_map(|l| l.trim().strip_prefix("mật khẩu / password: "))
        .unwrap_or_else(|| panic!("no password in {reset}"))
        .to_owned();
    assert_eq!(
        sign_in("mật khẩu đủ dài".into()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sign_in(password.clone()).await.status(), StatusCode::OK);
    refused(
        &[
            "user",
            "reset-password",
            "--email",
            "lan@example.vn",
            "--password-stdin",
        ],
        &t,
        Some("ngắn\n"),
        "--password-stdin",
        "password.too_short",
    );
    refused(
        &["user", "reset-password", "--email", "nobody@example.vn"],
        &t,
        None,
        "--email",
        "staff.unknown",
    );
    assert_eq!(sign_in(password).await.status(), StatusCode::OK);
    drop(server);
}

#[tokio::test]
async fn credentials_sqlite() {
    credentials(false).await;
}

#[tokio::test]
async fn credentials_postgres() {
    credentials(true).await;
}

/// An installation whose staff were all added as agents (no administrator yet) can still
/// disable one: only a change that takes the last administrator away is refused.
async fn without_an_admin(postgres: bool) {
    let t = target(postgres).await;
    ok(&["migrate"], &t, None);
    for email in ["a@example.vn", "b@example.vn"] {
        ok(
            &[
                "user",
                "add",
                "--email",
                email,
                "--name",
                "A",
                "--department",
                "sales",
                "--role",
                "agent",
            ],
            &t,
            None,
        );
    }
    ok(&["user", "disable", "--email", "a@example.vn"], &t, None);
    let users = ok(&["user", "list"], &t, None);
    assert!(
        users.contains("a@example.vn\tA\tsales\tagent\tdisabled"),
        "{users}"
    );
    assert!(
        users.contains("b@example.vn\tA\tsales\tagent\tactive"),
        "{users}"
    );
}

#[tokio::test]
async fn without_an_admin_sqlite() {
    without_an_admin(false).await;
}

#[tokio::test]
async fn without_an_admin_postgres() {
    without_an_admin(true).await;
}
