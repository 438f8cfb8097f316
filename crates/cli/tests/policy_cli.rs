//! The policy and calendar commands as a user runs them (SL-1, PL-1): `hotro calendar YEAR`,
//! `hotro calendar due`, `hotro policy check` and `serve --policy` refusing a bad file.

use std::process::{Command, Output};

fn hotro(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(args)
        .env_remove("HOTRO_POLICY")
        .output()
        .expect("hotro runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn sl1_calendar_2026_lists_the_vietnamese_holidays() {
    let out = hotro(&["calendar", "2026"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "2026-01-01\toff\tTết Dương lịch\n\
         2026-02-16\toff\tTết Nguyên Đán (29 tháng Chạp)\n\
         2026-02-17\toff\tTết Nguyên Đán (mùng 1)\n\
         2026-02-18\toff\tTết Nguyên Đán (mùng 2)\n\
         2026-02-19\toff\tTết Nguyên Đán (mùng 3)\n\
         2026-02-20\toff\tTết Nguyên Đán (mùng 4)\n\
         2026-04-26\toff\tGiỗ Tổ Hùng Vương\n\
         2026-04-27\toff\tNghỉ bù Giỗ Tổ Hùng Vương\n\
         2026-04-30\toff\tNgày Chiến thắng\n\
         2026-05-01\toff\tNgày Quốc tế Lao động\n\
         2026-09-01\toff\tQuốc khánh (ngày liền kề)\n\
         2026-09-02\toff\tQuốc khánh\n\
         2026-11-24\toff\tNgày Văn hóa Việt Nam\n"
    );
}

#[test]
fn sl1_calendar_year_applies_the_policy_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.toml");
    let text = hotro_core::policy::DEFAULT_POLICY_TOML.to_owned()
        + "\n[[holidays]]\ndate = \"2026-02-13\"\noff = \"Nghỉ Tết (quyết định của Thủ tướng)\"\n\
           [[holidays]]\ndate = \"2026-02-28\"\nwork = \"Làm bù cho ngày 13/02\"\n";
    std::fs::write(&file, text).unwrap();
    let out = hotro(&["calendar", "2026", "--policy", file.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(
        text.contains("2026-02-13\toff\tNghỉ Tết (quyết định của Thủ tướng)\n"),
        "{text}"
    );
    assert!(
        text.contains("2026-02-28\twork\tLàm bù cho ngày 13/02\n"),
        "{text}"
    );
}

#[test]
fn sl1_calendar_due_skips_the_weekend_and_tet() {
    // 16:00 on the Friday before Tết 2026 plus 48 working hours of office time: one hour on
    // Friday, Tết 16–20/02 and two weekends closed, five 9-hour days, then two hours.
    let out = hotro(&[
        "calendar",
        "due",
        "--department",
        "customer",
        "--from",
        "2026-02-13T16:00:00+07:00",
        "--working-minutes",
        "2880",
    ]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "2026-03-02T10:00:00+07:00\n");
    // N = 0 outside working hours gives the next opening; a shift's end may be the answer.
    let out = hotro(&[
        "calendar",
        "due",
        "--department",
        "sales",
        "--from",
        "2026-02-13T12:10:00+07:00",
        "--working-minutes",
        "0",
    ]);
    assert_eq!(stdout(&out), "2026-02-13T13:30:00+07:00\n");
    let out = hotro(&[
        "calendar",
        "due",
        "--department",
        "sales",
        "--from",
        "2026-02-13T16:00:00Z",
        "--working-minutes",
        "30",
    ]);
    assert_eq!(stdout(&out), "2026-02-23T08:30:00+07:00\n");
}

#[test]
fn calendar_bad_input_is_a_clear_error() {
    for args in [
        &[
            "calendar",
            "due",
            "--department",
            "legal",
            "--from",
            "2026-02-13T16:00:00+07:00",
            "--working-minutes",
            "1",
        ][..],
        &[
            "calendar",
            "due",
            "--department",
            "sales",
            "--from",
            "yesterday",
            "--working-minutes",
            "1",
        ],
        &[
            "calendar",
            "due",
            "--department",
            "sales",
            "--from",
            "2026-02-13T16:00:00+07:00",
            "--working-minutes",
            "-5",
        ],
        &["calendar", "2101"],
    ] {
        let out = hotro(args);
        assert!(!out.status.success(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

fn bad_policy() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    let text = hotro_core::policy::DEFAULT_POLICY_TOML
        .replace("\"13:30-16:30\"", "\"11:00-16:30\"")
        .replace("feedback = \"customer\"", "feedback = \"marketing\"")
        // RT-2: the triage department must be one the policy has.
        .replace("triage = \"customer\"", "triage = \"reception\"")
        .replace("within = 48", "within = -48")
        .replace("topic = \"quotation\"", "topic = \"astrology\"")
        + "\n[[holidays]]\ndate = \"1899-12-31\"\noff = \"Quá sớm\"\n";
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap().to_owned();
    (dir, path)
}

#[test]
fn pl1_policy_check_lists_every_error_with_file_line_and_field() {
    let (_dir, path) = bad_policy();
    let out = hotro(&["policy", "check", &path]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for field in [
        "routing.feedback",
        "routing.triage",
        "departments[0].hours",
        "sla.acknowledge[0].within",
        "classification[5].topic",
        "holidays[0].date",
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("{path}:")) && l.contains(field)),
            "{field} missing in:\n{err}"
        );
    }
    let ok = hotro(&["policy", "check", "/dev/null"]);
    assert!(!ok.status.success());
}

#[test]
fn pl1_serve_refuses_an_invalid_policy() {
    let (dir, path) = bad_policy();
    let data = dir.path().join("data");
    let out = hotro(&[
        "serve",
        "--policy",
        &path,
        "--data",
        data.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("routing.feedback"));
}

#[test]
fn pl1_policy_show_prints_the_effective_policy() {
    let out = hotro(&["policy", "show"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("version = \"2026.3\""), "{text}");
    assert!(text.contains("[[sla.acknowledge]]"), "{text}");
}
