//! `hotro bench load` refuses what it cannot measure, naming the flag (issue 6, bad input): a
//! server that does not answer, a flag out of range, an address off the loopback.

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
