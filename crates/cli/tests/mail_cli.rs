//! `hotro mail ingest < msg.eml` through the real binary on SQLite and PostgreSQL (CH-1, CH-7):
//! it prints the ticket code, threads a reply into the same ticket, prints the same code for a
//! message piped twice, and exits 0 for a malformed message, which is stored too — on a ticket
//! when it has a header, raw and flagged on none when it has not (issue 14).

use std::io::Write;
use std::process::{Command, Stdio};

fn ingest(store_args: &[String], raw: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(["mail", "ingest"])
        .args(store_args)
        .env_remove("HOTRO_DATA")
        .env_remove("HOTRO_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hotro runs");
    child.stdin.take().unwrap().write_all(raw).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn pipe_story(postgres: bool) {
    let dir = hotro_testkit::temp_dir();
    let args = hotro_testkit::store_args(postgres, dir.path()).await;
    let first = "From: Trần Thị Bình <binh@example.vn>\r\nSubject: Xin báo giá hosting\r\n\
                 Message-ID: <cli-1@example.vn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
                 Xin gửi báo giá gói hosting 10 GB.\r\n";
    let (status, code, err) = ingest(&args, first.as_bytes());
    assert_eq!(status, 0, "{err}");
    assert!(code.starts_with("HT-"), "{code}");

    // The same message piped again: stored once, same code.
    let (status, again, err) = ingest(&args, first.as_bytes());
    assert_eq!((status, again.as_str()), (0, code.as_str()), "{err}");

    // The customer's reply threads into the ticket.
    let reply = "From: binh@example.vn\r\nSubject: Re: Xin báo giá hosting\r\n\
                 Message-ID: <cli-2@example.vn>\r\nIn-Reply-To: <cli-1@example.vn>\r\n\r\n\
                 Cảm ơn.\r\n";
    let (status, threaded, err) = ingest(&args, reply.as_bytes());
    assert_eq!((status, threaded.as_str()), (0, code.as_str()), "{err}");

    // Malformed mail with a header is stored on a new ticket, exit 0.
    let (status, other, err) = ingest(&args, b"Subject: \xff\xfe\r\n\r\n\x00 broken");
    assert_eq!(status, 0, "{err}");
    assert!(other.starts_with("HT-") && other != code, "{other}");
    // Input without a single header is stored raw and flagged, on no ticket (issue 14): exit
    // 0, no code on standard output, the reason and the raw message's SHA-256 on standard error.
    let garbage = b"\x00\xff\xfe garbage without headers";
    let (status, out, err) = ingest(&args, garbage);
    assert_eq!((status, out.as_str()), (0, ""), "{err}");
    let sha = hotro_core::attachment::sha256_hex(garbage);
    assert!(err.contains("unreadable") && err.contains(&sha), "{err}");
}

#[tokio::test]
async fn ch1_mail_ingest_sqlite() {
    pipe_story(false).await;
}

#[tokio::test]
async fn ch1_mail_ingest_postgres() {
    pipe_story(true).await;
}

/// The store the binary wrote to, opened beside it.
async fn open_store(postgres: bool, dir: &std::path::Path, args: &[String]) -> hotro_store::Store {
    let location = if postgres {
        hotro_store::Location::Url(args[1].clone())
    } else {
        hotro_store::Location::DataDir(dir.join("data"))
    };
    hotro_store::Store::open(&location).await.unwrap()
}

/// RT-3 through `hotro mail ingest`: a complaint by e-mail is a complaint, in the complaint
/// department, with its acknowledgement and resolution clocks and the incident date its text
/// states (SL-4: a date long past, so it is time-barred whatever day the test runs); a mail
/// that matches no rule is a request in the triage department, marked unclassified (RT-2).
async fn classified_story(postgres: bool) {
    let dir = hotro_testkit::temp_dir();
    let args = hotro_testkit::store_args(postgres, dir.path()).await;
    let complaint = "From: Lê Văn Cường <cuong@example.vn>\r\n\
                     Subject: =?utf-8?B?S2hp4bq/dSBu4bqhaSB0w6puIG1p4buBbg==?=\r\n\
                     Message-ID: <cli-k1@example.vn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
                     Website bị sập từ ngày 02/01/2020, đề nghị bồi thường.\r\n";
    let (status, code, err) = ingest(&args, complaint.as_bytes());
    assert_eq!(status, 0, "{err}");
    let unplaced = "From: binh@example.vn\r\nSubject: Xin chào\r\n\
                    Message-ID: <cli-u1@example.vn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
                    Nhờ công ty xem giúp một việc.\r\n";
    let (status, other, err) = ingest(&args, unplaced.as_bytes());
    assert_eq!(status, 0, "{err}");

    let store = open_store(postgres, dir.path(), &args).await;
    let admin = store
        .add_staff(
            hotro_store::NewStaff {
                email: "admin@example.vn".into(),
                name: "Quản trị".into(),
                department: "other".into(),
                role: hotro_core::Role::Admin,
                password_hash: "$argon2id$test".into(),
            },
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    let view = store.ticket_view(&admin, &code).await.unwrap();
    let t = &view.ticket;
    assert_eq!(t.subject, "Khiếu nại tên miền");
    assert_eq!(t.kind, hotro_core::Kind::Complaint);
    assert_eq!(t.department, "customer");
    assert_eq!(
        t.complaint.as_ref().unwrap().incident_date.to_string(),
        "2020-01-02"
    );
    assert!(t.time_barred.is_some(), "SL-4: past the 90 days");
    // SL-4's written answer went with it, which is its acknowledgement; resolution runs.
    assert!(
        view.timeline
            .iter()
            .any(|e| matches!(e.event, hotro_core::Event::Replied { .. }))
    );
    let due = store.due_times(&code).await.unwrap();
    assert!(due.resolve_due_at.is_some(), "{due:?}");

    // Without a date in the text: the day it was received, and both clocks run.
    let (status, fresh, err) = ingest(
        &args,
        "From: hang@example.vn\r\nSubject: Khieu nai hoa don\r\n\
         Message-ID: <cli-k2@example.vn>\r\n\r\nHoa don tinh sai tien.\r\n"
            .as_bytes(),
    );
    assert_eq!(status, 0, "{err}");
    let view = store.ticket_view(&admin, &fresh).await.unwrap();
    let t = &view.ticket;
    assert_eq!(t.kind, hotro_core::Kind::Complaint);
    let received = t
        .received_at
        .to_zoned(hotro_core::intake::vietnam_zone())
        .date();
    let c = t.complaint.as_ref().unwrap();
    assert_eq!(c.incident_date, received);
    assert_eq!(c.category, hotro_core::ComplaintCategory::Business);
    let due = store.due_times(&fresh).await.unwrap();
    assert!(
        due.ack_due_at.is_some() && due.resolve_due_at.is_some(),
        "{due:?}"
    );

    let view = store.ticket_view(&admin, &other).await.unwrap();
    assert_eq!(view.ticket.kind, hotro_core::Kind::Request);
    assert_eq!(view.ticket.department, "customer");
    assert!(view.ticket.unclassified);
}

#[tokio::test]
async fn rt3_mail_ingest_classifies_sqlite() {
    classified_story(false).await;
}

#[tokio::test]
async fn rt3_mail_ingest_classifies_postgres() {
    classified_story(true).await;
}
