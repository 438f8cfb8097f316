//! Fetching mail from a real IMAP server (Dovecot from Debian's `dovecot-imapd`, started here
//! on a free loopback port with a throwaway configuration), on SQLite and PostgreSQL (CH-1,
//! CH-7): unseen messages become tickets and are marked seen only once stored, a reply threads
//! into its ticket, and a fetch interrupted before marking loses nothing and duplicates nothing.

mod common;

use common::*;
use hotro_core::Policy;
use hotro_mail::imap::{ImapConfig, Mailbox};
use hotro_server::mail_poll::poll_once;
use hotro_server::{AppState, Clock, ServerConfig};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
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

impl Dovecot {
    async fn start() -> Dovecot {
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
        let conf = format!(
            "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
             listen = 127.0.0.1\nprotocols = imap\nssl = no\ndisable_plaintext_auth = no\n\
             auth_failure_delay = 0\ndefault_internal_user = nobody\n\
             default_internal_group = nogroup\ndefault_login_user = nobody\n\
             mail_location = maildir:~/Maildir\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
             userdb {{\n  driver = passwd-file\n  args = username_format=%u {d}/passwd\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n",
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

fn state(app: &TestApp) -> AppState {
    let now: jiff::Timestamp = NOW.parse().unwrap();
    AppState {
        store: app.store.clone(),
        policy: Arc::new(Policy::builtin()),
        config: Arc::new(ServerConfig::default()),
        clock: Clock::from_fn(move || now),
    }
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
    let first = hotro_server::inbox::ingest(&state, unseen[0].raw.clone())
        .await
        .unwrap();
    drop(mailbox); // gone without marking anything
    let again = poll_once(&state, &config).await.unwrap();
    assert_eq!(again, vec![first.code.clone()]);
    let raw = app.store.raw_mail_outcome(&first.raw_sha256).await.unwrap();
    assert_eq!(raw, Some((first.code, "new".to_owned())));
    assert!(poll_once(&state, &config).await.unwrap().is_empty());
}
on_both_backends!(imap_story);
