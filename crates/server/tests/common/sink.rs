//! A real SMTP peer for tests: aiosmtpd on a loopback port with `scripts/smtp_sink`, which
//! writes each message it accepts to a directory and answers 451 while a flag file exists.

use hotro_mail::smtp::{SmtpConfig, SmtpSender};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// An aiosmtpd server that writes every message it accepts to a directory.
pub struct Sink {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Sink {
    pub async fn start() -> Sink {
        // The package's directory as the test runner gives it at run time: a test binary shared
        // through a common target directory may have been built from another checkout.
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
            .join("../..");
        let dir = hotro_testkit::temp_dir();
        for _ in 0..5 {
            let port = hotro_testkit::free_port();
            let mut child = Command::new("python3")
                .args(["-m", "aiosmtpd", "-n", "-l"])
                .arg(format!("127.0.0.1:{port}"))
                .args(["-c", "hotro_sink.Handler"])
                .env("PYTHONPATH", root.join("scripts/smtp_sink"))
                .env("HOTRO_SINK_DIR", dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("python3 runs (scripts/test.sh installs aiosmtpd)");
            for _ in 0..100 {
                if tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
                {
                    return Sink { child, dir, port };
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            eprintln!(
                "aiosmtpd did not start on {port}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        panic!("aiosmtpd does not start: run scripts/test.sh or `pip install aiosmtpd`");
    }

    pub fn sender(&self) -> SmtpSender {
        SmtpSender::new(&SmtpConfig {
            url: format!("smtp://127.0.0.1:{}", self.port),
            from: "Hỗ trợ khách hàng <hotro@congty.vn>".into(),
            timeout: Duration::from_secs(10),
        })
        .unwrap()
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
            .collect()
    }

    pub fn outage(&self, on: bool) {
        let flag = self.dir.path().join("outage");
        if on {
            std::fs::write(flag, b"").unwrap();
        } else {
            let _ = std::fs::remove_file(flag);
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of a header of a raw message.
pub fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    })
}

pub fn parsed(message: &str) -> hotro_mail::ParsedMail {
    hotro_mail::parse(message.as_bytes(), &hotro_mail::Limits::default())
}
