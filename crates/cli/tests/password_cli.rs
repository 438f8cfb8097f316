//! `hotro user add --password-stdin` through the real binary (SC-1, issue 14): a weak
//! password is refused with the reason in Vietnamese and English and nobody is added; a
//! strong one is accepted; the data directory and database the command creates are the
//! owner's alone.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn user_add(data: &std::path::Path, email: &str, password: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(["user", "add", "--email", email, "--name", "Trần Thị Lan"])
        .args([
            "--department",
            "customer",
            "--role",
            "agent",
            "--password-stdin",
        ])
        .arg("--data")
        .arg(data)
        .env_remove("HOTRO_DATA")
        .env_remove("HOTRO_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hotro runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_weak_password_is_refused_with_the_reason() {
    let dir = hotro_testkit::temp_dir();
    let data = dir.path().join("hotro-data");
    for (password, vi, en) in [
        // Ten characters, the old rule's minimum: accepted before issue 14.
        ("aaaaaaaaaa", "lặp lại ký tự", "repeats a character"),
        ("password123", "mật khẩu phổ biến", "common password"),
        ("ngắn", "quá ngắn", "too short"),
    ] {
        let out = user_add(&data, "lan@example.vn", password);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{password} was accepted");
        assert!(
            stderr.contains("--password-stdin") && stderr.contains(vi) && stderr.contains(en),
            "{password}: {stderr}"
        );
    }
    // Nobody was added by the refusals: the same e-mail is free for a strong password.
    let out = user_add(&data, "lan@example.vn", "mật khẩu đủ dài");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "the data directory");
        assert_eq!(mode(&data.join("hotro.db")), 0o600, "the database");
    }
}
