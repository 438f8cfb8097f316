//! `hotro bench load` refuses what it cannot measure, naming the flag (issue 6, bad input): a
//! server that does not answer, a flag out of range, an address off the loopback. `hotro bench
//! seed` writes the tickets it says, several batches at once, into a store whose audit chain
//! holds, on both backends.

use std::process::Command;

fn load(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(["bench", "load"])
        .args(args)
        .output()
        .expect("hotro runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bench_load_names_the_flag_it_cannot_use() {
    let port = hotro_testkit::free_port().to_string();
    let url = format!("http://127.0.0.1:{port}");
    for (args, flag) in [
        (
            vec![
                "--url",
                url.as_str(),
                "--ops",
                "public-intake",
                "--duration",
                "1",
            ],
            "--url",
        ),
        (vec!["--url", url.as_str(), "--clients", "0"], "--clients"),
        (
            vec!["--url", "http://example.com", "--ops", "queue"],
            "--url",
        ),
    ] {
        let (code, err) = load(&args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(flag), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

fn hotro(args: &[&str], store_args: &[String]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(args)
        .args(store_args)
        .env_remove("HOTRO_DATA")
        .env_remove("HOTRO_DATABASE_URL")
        .output()
        .expect("hotro runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn seed_story(postgres: bool) {
    let dir = hotro_testkit::temp_dir();
    let store_args = hotro_testkit::store_args(postgres, dir.path()).await;
    for (args, flag) in [
        (["--tickets", "0", "--batch", "10"], "--tickets"),
        (["--tickets", "10", "--batch", "0"], "--batch"),
        (["--tickets", "10", "--parallel", "0"], "--parallel"),
        (["--tickets", "10", "--parallel", "many"], "--parallel"),
    ] {
        let args = [["bench", "seed"].as_slice(), &args].concat();
        let (code, _, err) = hotro(&args, &store_args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    // Seven batches, three written at a time (the last one short).
    let (code, out, err) = hotro(
        &[
            "bench",
            "seed",
            "--tickets",
            "320",
            "--batch",
            "50",
            "--parallel",
            "3",
        ],
        &store_args,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("320 phiếu / tickets"), "{out}");
    let (code, out, err) = hotro(&["audit", "verify"], &store_args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("intact — 320 tickets"), "{out}");
}

#[tokio::test]
async fn bench_seed_writes_its_tickets_sqlite() {
    seed_story(false).await;
}

#[tokio::test]
async fn bench_seed_writes_its_tickets_postgres() {
    seed_story(true).await;
}
