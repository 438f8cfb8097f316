//! `hotro serve` and its settings file (CH-1): a broken `hotro.toml` — given with `--config`
//! or found in the data directory — stops the start with the mailbox and field at fault,
//! before anything listens.

use std::process::{Command, Output};

fn serve(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotro"))
        .arg("serve")
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("HOTRO_CONFIG")
        .env_remove("HOTRO_POLICY")
        .env_remove("HOTRO_DATABASE_URL")
        .output()
        .expect("hotro runs")
}

#[test]
fn ch1_serve_refuses_a_broken_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let given = dir.path().join("hotro.toml");
    std::fs::write(
        &given,
        "[[mailboxes]]\nhost = \"imap.congty.vn\"\nsecurity = \"starttls\"\nuser = \"u\"\n\
         password = \"p\"\n",
    )
    .unwrap();
    let out = serve(&[
        "--config",
        given.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mailboxes[0]: security: \"starttls\""),
        "{err}"
    );

    // Without --config, hotro.toml in the data directory is read.
    std::fs::write(
        data.join("hotro.toml"),
        "[[mailboxes]]\nhost = \"imap.congty.vn\"\nsecurity = \"tls\"\nuser = \"u\"\n\
         password_env = \"HOTRO_TEST_UNSET_PASSWORD\"\n",
    )
    .unwrap();
    let out = serve(&["--data", data.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HOTRO_TEST_UNSET_PASSWORD"), "{err}");
}
