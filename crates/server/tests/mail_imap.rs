//! Fetching mail from a real IMAP server (Dovecot from Debian's `dovecot-imapd`, started here
//! on a free loopback port with a throwaway configuration), on SQLite and PostgreSQL (CH-1,
//! CH-7): unseen messages become tickets and are marked seen only once stored, a reply threads
//! into its ticket, and a fetch interrupted before marking loses nothing and duplicates nothing;
//! over TLS (IMAPS with a throwaway CA) a watcher waits with IDLE and takes new mail in at once.

mod common;

use common::*;
use hotro_app::mail::poll::{Watch, poll_once, spawn_watcher};
use hotro_app::{App, Clock, Settings};
use hotro_core::Policy;
use hotro_mail::imap::{ImapConfig, Mailbox, Security};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A Dovecot serving one user's Maildir over plain IMAP on loopback.
struct Dovecot {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

const USER: &str = "hotro";
const PASSWORD: &str = "mat-khau-imap";

fn chown_nobody(path: &Path) {
    let status = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// A throwaway certificate authority and a server certificate it signed for 127.0.0.1, made
/// with the openssl command in `dir`: `ca.pem` for the client to trust, `cert.pem` and
/// `key.pem` for the server.
fn make_certificates(dir: &Path) {
    let script = "set -e
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=hotro test CA' \
            -keyout ca.key -out ca.pem 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' \
            -keyout key.pem -out server.csr 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > ext.cnf
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
            -extfile ext.cnf -out cert.pem 2>/dev/null";
    let status = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .status()
        .expect("sh runs");
    assert!(
        status.success(),
        "openssl could not make the test certificates"
    );
}

impl Dovecot {
    async fn start() -> Dovecot {
        Dovecot::start_with(false).await
    }

    /// Dovecot on IMAPS only, with a certificate of a throwaway CA (`ca_file()`).
    async fn start_tls() -> Dovecot {
        Dovecot::start_with(true).await
    }

    fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    async fn start_with(tls: bool) -> Dovecot {
        let dir = hotro_testkit::temp_dir();
        let d = dir.path();
        // Dovecot's processes run as nobody and must reach the user's home.
        Command::new("chmod").arg("755").arg(d).status().unwrap();
        let home = d.join("home");
        std::fs::create_dir_all(&home).unwrap();
        chown_nobody(&home);
        std::fs::write(
            d.join("passwd"),
            format!(
                "{USER}:{{PLAIN}}{PASSWORD}:65534:65534::{}::\n",
                home.display()
            ),
        )
        .unwrap();
        let port = hotro_testkit::free_port();
        // With TLS the plain listener is off, so nothing can pass unencrypted.
        let (ssl, imap_port, imaps_port) = if tls {
            make_certificates(d);
            (
                format!(
                    "ssl = required\nssl_cert = <{0}/cert.pem\nssl_key = <{0}/key.pem",
                    d.display()
                ),
                0,
                port,
            )
        } else {
            ("ssl = no".to_owned(), port, 0)
        };
        let conf = format!(
            "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
             listen = 127.0.0.1\nprotocols = imap\n{ssl}\ndisable_plaintext_auth = no\n\
             auth_failure_delay = 0\ndefault_internal_user = nobody\n\
             default_internal_group = nogroup\ndefault_login_user = nobody\n\
             mail_location = maildir:~/Maildir\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
             userdb {{\n  driver = passwd-file\n  args = username_format=%u {d}/passwd\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {imap_port}\n  }}\n  \
             inet_listener imaps {{\n    port = {imaps_port}\n  }}\n}}\n",
            d = d.display()
        );
        std::fs::write(d.join("dovecot.conf"), conf).unwrap();
        let mut child = Command::new("dovecot")
            .args(["-F", "-c"])
            .arg(d.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dovecot runs (scripts/test.sh installs dovecot-imapd)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Dovecot { child, dir, port };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "dovecot did not start: {}",
            std::fs::read_to_string(d.join("dovecot.log")).unwrap_or_default()
        );
    }

    fn conf(&self) -> PathBuf {
        self.dir.path().join("dovecot.conf")
    }

    /// Delivers a message into the user's INBOX, as the mail server would.
    fn deliver(&self, raw: &str) {
        let mut child = Command::new("doveadm")
            .arg("-c")
            .arg(self.conf())
            .args(["save", "-u", USER])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(raw.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }

    fn config(&self) -> ImapConfig {
        ImapConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            user: USER.into(),
            password: PASSWORD.into(),
            mailbox: "INBOX".into(),
            security: hotro_mail::imap::Security::Plain,
            ca_file: None,
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its children; wait for it before the directory goes.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn state(app: &TestApp) -> App {
    let now: jiff::Timestamp = NOW.parse().unwrap();
    App::new(
        app.store.clone(),
        Policy::builtin(),
        Clock::from_fn(move || now),
        Settings::default(),
    )
}

fn message(from: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: hotro@congty.vn\r\nSubject: Hỏi về tên miền\r\nMessage-ID: <{id}>\r\n\
         {extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

async fn imap_story(postgres: bool) {
    let app = spawn_app(postgres).await;
    let dovecot = Dovecot::start().await;
    let state = state(&app);
    let config = dovecot.config();

    dovecot.deliver(&message(
        "Phạm Văn Dũng <dung@example.vn>",
        "imap-1@example.vn",
        "",
        "Tên miền của tôi hết hạn chưa?",
    ));
    dovecot.deliver(&message(
        "hoa@example.vn",
        "imap-2@example.vn",
        "",
        "Tôi muốn chuyển tên miền.",
    ));
    let codes = poll_once(&state, &config).await.unwrap();
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert_ne!(codes[0], codes[1]);
    // Marked seen once stored: the next poll finds nothing.
    assert!(poll_once(&state, &config).await.unwrap().is_empty());

    // The customer's reply threads into the first ticket.
    dovecot.deliver(&message(
        "dung@example.vn",
        "imap-3@example.vn",
        "In-Reply-To: <imap-1@example.vn>\r\n",
        "Bổ sung: tên miền congty.vn.",
    ));
    assert_eq!(
        poll_once(&state, &config).await.unwrap(),
        vec![codes[0].clone()]
    );

    // The connection drops after a message was read and stored but before it was marked:
    // the next poll reads it again and the store knows it, so no second ticket appears.
    dovecot.deliver(&message(
        "lan@example.vn",
        "imap-4@example.vn",
        "",
        "Thư bị đọc hai lần.",
    ));
    let mut mailbox = Mailbox::open(&config).await.unwrap();
    let unseen = mailbox.unseen(10).await.unwrap();
    assert_eq!(unseen.len(), 1);
    let first = hotro_app::mail::ingest(&state, unseen[0].raw.clone())
        .await
        .unwrap();
    let first_code = first
        .code
        .clone()
        .expect("a readable message is on a ticket");
    drop(mailbox); // gone without marking anything
    let again = poll_once(&state, &config).await.unwrap();
    assert_eq!(again, vec![first_code.clone()]);
    let raw = app.store.raw_mail_outcome(&first.raw_sha256).await.unwrap();
    assert_eq!(raw, Some((first_code, "new".to_owned())));
    assert!(poll_once(&state, &config).await.unwrap().is_empty());
}
on_both_backends!(imap_story);

/// Waits until the store holds a ticket for the inbound message `id`, or gives up after a
/// generous while (the test then fails on what it finds, never on how long it took).
async fn ticket_of(app: &TestApp, id: &str) -> Option<String> {
    for _ in 0..200 {
        if let Some(code) = app.store.ticket_of_inbound_message(id).await.unwrap() {
            return Some(code);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// CH-1 over TLS with IDLE: a mailbox on IMAPS (a certificate of a throwaway CA the settings
/// name in `ca_file`) is read; a watcher that would poll only once an hour still takes in a
/// message delivered after it started, because the server's IDLE wakes it; without the CA the
/// connection is refused with a TLS error, so nothing is read over an unchecked connection.
async fn tls_and_idle(postgres: bool) {
    let app = spawn_app(postgres).await;
    let dovecot = Dovecot::start_tls().await;
    let state = state(&app);
    let config = ImapConfig {
        host: "127.0.0.1".into(),
        security: Security::Tls,
        ca_file: Some(dovecot.ca_file()),
        ..dovecot.config()
    };

    // An unknown issuer is refused.
    let untrusted = ImapConfig {
        ca_file: None,
        ..config.clone()
    };
    let err = Mailbox::open(&untrusted).await.err().unwrap();
    assert!(err.contains("TLS"), "{err}");

    dovecot.deliver(&message(
        "tls@example.vn",
        "tls-1@example.vn",
        "",
        "Thư qua kết nối mã hóa.",
    ));
    let mailbox = Mailbox::open(&config).await.unwrap();
    assert!(mailbox.supports_idle(), "Dovecot offers IDLE");
    mailbox.close().await;
    let codes = poll_once(&state, &config).await.unwrap();
    assert_eq!(codes.len(), 1);

    // The watcher waits with IDLE; its poll interval alone would not come round in the test.
    spawn_watcher(
        state.clone(),
        Watch {
            config: config.clone(),
            every: Duration::from_secs(3600),
            idle: true,
        },
    );
    // Give it time to take its first round and enter IDLE, then deliver.
    tokio::time::sleep(Duration::from_millis(500)).await;
    dovecot.deliver(&message(
        "idle@example.vn",
        "idle-1@example.vn",
        "",
        "Thư đến khi đang chờ IDLE.",
    ));
    let code = ticket_of(&app, "idle-1@example.vn").await;
    assert!(code.is_some(), "the IDLE watcher took the new message in");
    // Stored, then marked: nothing is left unseen.
    let mut mailbox = Mailbox::open(&config).await.unwrap();
    for _ in 0..50 {
        if mailbox.unseen(10).await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(mailbox.unseen(10).await.unwrap().is_empty());
}
on_both_backends!(tls_and_idle);

/// RT-3 over IMAP: a complaint read from the mailbox is a complaint in the complaint
/// department, with its clocks and the incident date its text states, treated as the same
/// text through the public API is (QF-2); a message no rule places goes to the triage
/// department marked unclassified (RT-2).
async fn imap_complaint_is_classified(postgres: bool) {
    let app = spawn_app(postgres).await;
    let dovecot = Dovecot::start().await;
    let state = state(&app);
    let subject = "Khiếu nại: website bị sập";
    let body = "Website của tôi bị sập từ ngày 12/11/2026, đề nghị khắc phục.";
    dovecot.deliver(&format!(
        "From: Phạm Văn Dũng <dung@example.vn>\r\nTo: hotro@congty.vn\r\n\
         Subject: =?utf-8?B?{}?=\r\nMessage-ID: <imap-k1@example.vn>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        base64(subject)
    ));
    dovecot.deliver(&message(
        "lan@example.vn",
        "imap-u1@example.vn",
        "",
        "Nhờ công ty xem giúp một việc.",
    ));
    let codes = poll_once(&state, &dovecot.config()).await.unwrap();
    assert_eq!(codes.len(), 2, "{codes:?}");
    let get = |code: String| {
        let app = &app;
        async move {
            let (status, t) = json(
                app.get(Some(&app.admin), &format!("/api/v1/tickets/{code}"))
                    .await,
            )
            .await;
            assert_eq!(status, reqwest::StatusCode::OK, "{t}");
            t
        }
    };
    let by_imap = get(codes[0].clone()).await;
    assert_eq!(by_imap["subject"], subject);
    assert_eq!(by_imap["kind"], "complaint");
    assert_eq!(by_imap["department"], "customer");
    assert_eq!(by_imap["complaint"]["incident_date"], "2026-11-12");
    assert_eq!(by_imap["sla"]["acknowledge"]["within"], 48);
    assert_eq!(by_imap["sla"]["resolve"]["within"], 20);

    let (status, created) = json(
        app.post(
            None,
            "/api/v1/public/tickets",
            &serde_json::json!({
                "kind": "complaint",
                "customer": { "name": "Phạm Văn Dũng", "email": "dung@example.vn" },
                "subject": subject,
                "description": body,
                "incident_date": "2026-11-12",
                "complaint_category": "service_quality"
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{created}");
    let by_api = get(created["code"].as_str().unwrap().to_owned()).await;
    for field in ["kind", "department", "priority", "complaint", "sla"] {
        assert_eq!(by_api[field], by_imap[field], "QF-2: {field}");
    }

    // `message`'s subject asks about a domain: the rules place it with its topic.
    let placed = get(codes[1].clone()).await;
    assert_eq!(placed["department"], "technical");
    dovecot.deliver(
        "From: lan@example.vn\r\nTo: hotro@congty.vn\r\nSubject: Xin chào\r\n\
         Message-ID: <imap-u2@example.vn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Nhờ công ty xem giúp một việc.\r\n",
    );
    let codes = poll_once(&state, &dovecot.config()).await.unwrap();
    let unplaced = get(codes[0].clone()).await;
    assert_eq!(unplaced["department"], "customer");
    assert_eq!(unplaced["classification"]["unclassified"], true);
}
on_both_backends!(imap_complaint_is_classified);

/// Base64 of `text`, for an encoded-word subject.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
