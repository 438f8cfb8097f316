//! Issue 6 item 5 (SC-3, durable intake): `hotro serve` killed with SIGKILL in the middle of
//! an intake load, then restarted, still has every ticket whose 201 a client received, and
//! `hotro audit verify` finds no half-written history. On SQLite and on PostgreSQL.
//!
//! Small on purpose (a few hundred tickets from a few clients) so CI stays fast; the kill is
//! triggered by a count of answered tickets, never by a clock. The full-scale run sets
//! `HOTRO_CRASH_CLIENTS` and `HOTRO_CRASH_KILL_AFTER` (docs/BENCHMARKS.md).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// Concurrent intake clients (`HOTRO_CRASH_CLIENTS` for a larger run).
const CLIENTS: usize = 6;
/// Acknowledged tickets after which the server is killed while the clients keep sending
/// (`HOTRO_CRASH_KILL_AFTER`).
const KILL_AFTER: usize = 150;

/// A count from the environment, or the CI-sized default.
fn scale(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, got {v:?}")),
        Err(_) => default,
    }
}

struct Target {
    args: Vec<String>,
    _dir: tempfile::TempDir,
}

async fn target(postgres: bool) -> Target {
    let dir = hotro_testkit::temp_dir();
    let args = hotro_testkit::store_args(postgres, dir.path()).await;
    Target { args, _dir: dir }
}

fn hotro(args: &[&str], target: &Target) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotro"));
    cmd.args(args)
        .args(&target.args)
        .env_remove("HOTRO_DATA")
        .env_remove("HOTRO_DATABASE_URL")
        .env_remove("HOTRO_TOKEN");
    cmd
}

/// Runs a command to its end and returns its standard output; a failure fails the test.
fn run(args: &[&str], target: &Target) -> String {
    let out = hotro(args, target)
        .stdin(Stdio::null())
        .output()
        .expect("hotro runs");
    assert!(
        out.status.success(),
        "hotro {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A running `hotro serve`, killed when dropped.
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
    let child = hotro(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-rate-limit",
            "0",
        ],
        target,
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .expect("hotro serve starts");
    let mut server = Server {
        child,
        base: String::new(),
    };
    let stdout = server.child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("readable output");
        if let Some(addr) = line.strip_prefix("hotro: listening on ") {
            server.base = addr.to_owned();
            return server;
        }
    }
    panic!("hotro serve ended without printing its address");
}

/// A submission; public ones on the web form, staff ones recorded from a phone call.
fn ticket(client: usize, n: usize, staff: bool) -> Value {
    json!({
        "kind": "request",
        "channel": if staff { "phone" } else { "web" },
        "customer": {
            "name": format!("Khách hàng {client}-{n}"),
            "email": format!("khach{client}.{n}@example.vn"),
        },
        "subject": format!("Đăng ký bảo hành tại Đà Nẵng số {n}"),
        "description": "Xin hướng dẫn thủ tục đăng ký bảo hành cho hóa đơn này.",
    })
}

/// Sends tickets until the server stops answering; returns the codes it acknowledged (201).
async fn intake_client(base: String, token: String, id: usize, acked: Arc<Mutex<Vec<String>>>) {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client");
    for n in 0.. {
        let staff = n % 2 == 0;
        let request = if staff {
            client
                .post(format!("{base}/api/v1/tickets"))
                .bearer_auth(&token)
        } else {
            client.post(format!("{base}/api/v1/public/tickets"))
        };
        let Ok(response) = request.json(&ticket(id, n, staff)).send().await else {
            return; // The server is gone.
        };
        if response.status() != reqwest::StatusCode::CREATED {
            continue;
        }
        // Only a complete answer counts as acknowledged: a body cut by the kill is not.
        let Ok(body) = response.json::<Value>().await else {
            return;
        };
        let code = body["code"]
            .as_str()
            .expect("201 carries the code")
            .to_owned();
        acked.lock().unwrap().push(code);
    }
}

async fn crash_mid_intake(postgres: bool) {
    let t = target(postgres).await;
    run(&["migrate"], &t);
    run(
        &[
            "user",
            "add",
            "--email",
            "tai@example.vn",
            "--name",
            "Nhân viên thử tải",
            "--department",
            "customer",
            "--role",
            "admin",
        ],
        &t,
    );
    let token = run(&["token", "create", "--email", "tai@example.vn"], &t)
        .trim()
        .to_owned();

    let (clients, kill_after) = (
        scale("HOTRO_CRASH_CLIENTS", CLIENTS),
        scale("HOTRO_CRASH_KILL_AFTER", KILL_AFTER),
    );
    let mut server = serve(&t);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..clients)
        .map(|id| {
            tokio::spawn(intake_client(
                server.base.clone(),
                token.clone(),
                id,
                acked.clone(),
            ))
        })
        .collect();
    // Wait for enough answered tickets, then kill while requests are still in flight.
    while acked.lock().unwrap().len() < kill_after {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.child.kill().expect("SIGKILL is delivered");
    server.child.wait().expect("the server is reaped");
    for c in clients {
        c.await.expect("the client ends when the server is gone");
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= kill_after);
    eprintln!("{} tickets acknowledged before the kill", acked.len());

    // Restarted, the server has every acknowledged ticket.
    let server = serve(&t);
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    for code in &acked {
        let response = client
            .get(format!("{}/api/v1/tickets/{code}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("the restarted server answers");
        assert_eq!(
            response.status(),
            reqwest::StatusCode::OK,
            "acknowledged ticket {code} is missing after the crash"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], json!(code));
    }
    drop(server);

    // Nothing half-written: every stored ticket's history verifies.
    let verified = hotro(&["audit", "verify"], &t)
        .output()
        .expect("hotro audit runs");
    assert!(
        verified.status.success(),
        "audit verify after the crash: {}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_mid_intake_keeps_every_acknowledged_ticket_sqlite() {
    crash_mid_intake(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_mid_intake_keeps_every_acknowledged_ticket_postgres() {
    crash_mid_intake(true).await;
}
