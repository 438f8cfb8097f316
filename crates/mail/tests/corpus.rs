//! Corpus test for inbound mail (CH-1, CH-7, SC-4): every `.eml` file in `tests/corpus/` is
//! parsed with LF and with CRLF line endings and checked against the expectations below. Each
//! file is named after what it tests; a new regression gets a new file and a new row.
//!
//! One file on purpose: the expectations are one table, a row per file of the corpus.

use std::collections::BTreeSet;
use std::path::PathBuf;

use hotro_mail::{Limits, ParsedMail, parse, ticket_code_in_subject};
use unicode_normalization::is_nfc;

/// What one attachment must look like.
struct Att {
    name: &'static str,
    content_type: &'static str,
    inline: bool,
    content_id: Option<&'static str>,
    /// SHA-256 of the decoded bytes, for parts whose bytes do not depend on line endings.
    sha256: Option<&'static str>,
}

/// What parsing one corpus file must give. `problems` is the exact set of problem codes.
struct Expect {
    file: &'static str,
    message_id: Option<&'static str>,
    subject: Option<&'static str>,
    from: Option<(&'static str, Option<&'static str>)>,
    date: Option<&'static str>,
    in_reply_to: &'static [&'static str],
    references: &'static [&'static str],
    text_contains: &'static [&'static str],
    text_from_html: bool,
    html_contains: &'static [&'static str],
    html_excludes: &'static [&'static str],
    new_text: Option<&'static str>,
    quoted_starts_with: Option<&'static str>,
    attachments: &'static [Att],
    automatic: Option<&'static str>,
    problems: &'static [&'static str],
    ticket_code: Option<&'static str>,
}

const E: Expect = Expect {
    file: "",
    message_id: None,
    subject: None,
    from: None,
    date: None,
    in_reply_to: &[],
    references: &[],
    text_contains: &[],
    text_from_html: false,
    html_contains: &[],
    html_excludes: &[],
    new_text: None,
    quoted_starts_with: None,
    attachments: &[],
    automatic: None,
    problems: &[],
    ticket_code: None,
};

const PNG_SHA: &str = "497790947d4666760ce38f3c00e852c71fdb66cae849bae8e9ede352719e1581";
const PDF_SHA: &str = "5a838678058f6de375e8635b5f2fea47a4e5f07cb1a882a44b10f39abc6f34ff";
/// SHA-256 of "Biên bản làm việc ngày 20/11\n" in windows-1258: the attached file's bytes
/// must stay as the customer sent them, not be converted to UTF-8.
const CP1258_TXT_SHA: &str = "4cd39bb3d6eb3f9d582d0ed227f3a6d5bbbeb71e13203502e3b597d4b612e92e";

/// Markup that must never survive sanitising.
const HOSTILE: &[&str] = &[
    "<script",
    "onerror",
    "onload",
    "javascript:",
    "JaVaScRiPt",
    "tracker.example",
    "evil.example",
    "<iframe",
    "<form",
    "<input",
    "<object",
    "<style",
    "style=",
];

const EXPECTATIONS: &[Expect] = &[
    Expect {
        file: "multipart_alternative_vietnamese_utf8.eml",
        message_id: Some("CAF1a2b3c4d5@mail.khachhang.vn"),
        subject: Some("Tên miền không truy cập được"),
        from: Some(("an.nguyen@khachhang.vn", Some("Nguyễn Văn An"))),
        date: Some("2026-11-23T02:14:55Z"),
        text_contains: &["Kính gửi Phòng kỹ thuật,", "Trân trọng,\nNguyễn Văn An"],
        html_contains: &["<b>khachhang.vn</b>", "Nguyễn Văn An"],
        new_text: Some("Kính gửi Phòng kỹ thuật,"),
        ..E
    },
    Expect {
        file: "html_only_vietnamese.eml",
        message_id: Some("html-only-1@gmail.example"),
        subject: Some("Khiếu nại hoá đơn tháng 10"),
        from: Some(("hoa.le@gmail.example", Some("Lê Thị Hoa"))),
        text_contains: &[
            "Chào anh chị,",
            "Tôi muốn khiếu nại về hoá đơn số 0456",
            "- Số tiền: 1.200.000 ₫",
        ],
        text_from_html: true,
        html_contains: &["<i>khiếu nại</i>", "<li>Hoá đơn: 0456</li>"],
        html_excludes: &["<style", "<title", "color:red"],
        ..E
    },
    Expect {
        file: "attachment_vietnamese_name_rfc2231.eml",
        subject: Some("Gửi hợp đồng và hoá đơn"),
        from: Some(("minh.pham@congty.vn", Some("Pham Minh"))),
        text_contains: &["Em gửi hợp đồng và hoá đơn đính kèm."],
        attachments: &[
            Att {
                name: "Hóa đơn tháng 10.pdf",
                content_type: "application/pdf",
                inline: false,
                content_id: None,
                sha256: Some(PDF_SHA),
            },
            Att {
                name: "Hợp đồng số 12.pdf",
                content_type: "application/pdf",
                inline: false,
                content_id: None,
                sha256: None,
            },
        ],
        ..E
    },
    Expect {
        file: "attachment_vietnamese_name_encoded_word.eml",
        subject: Some("Ảnh chụp lỗi đăng nhập"),
        from: Some(("quang.do@outlook.example", Some("Đỗ Quang"))),
        text_contains: &["Tôi không đăng nhập được"],
        attachments: &[Att {
            name: "Ảnh chụp màn hình lỗi.png",
            content_type: "image/png",
            inline: false,
            content_id: None,
            sha256: Some(PNG_SHA),
        }],
        ..E
    },
    Expect {
        file: "inline_image_cid.eml",
        subject: Some("Logo không hiển thị trên trang"),
        from: Some(("shop@hoamai.vn", Some("Cửa hàng Hoa Mai"))),
        text_contains: &["Logo của chúng tôi:", "Trên trang chủ nó không hiện."],
        text_from_html: true,
        html_contains: &[r#"src="cid:logo.png@hoamai.vn""#],
        attachments: &[Att {
            name: "attachment.png",
            content_type: "image/png",
            inline: true,
            content_id: Some("logo.png@hoamai.vn"),
            sha256: Some(PNG_SHA),
        }],
        ..E
    },
    Expect {
        file: "windows1258_body.eml",
        subject: Some("Dịch vụ bị tạm ngưng"),
        from: Some(("phuong.vu@doanhnghiep.vn", Some("Vu Thi Phuong"))),
        date: Some("2026-11-27T00:45:00Z"),
        text_contains: &[
            "Chúng tôi đã thanh toán hoá đơn nhưng dịch vụ vẫn bị tạm ngưng.",
            "Đề nghị kiểm tra và mở lại dịch vụ.",
            "Vũ Thị Phương",
        ],
        ..E
    },
    Expect {
        file: "iso8859_1_body.eml",
        subject: Some("Problème de facturation"),
        from: Some(("francois@partenaire.example", Some("François Léger"))),
        date: Some("2026-11-27T02:00:00Z"),
        text_contains: &["La facture n°12 est erronée. Merci de vérifier."],
        ..E
    },
    Expect {
        file: "gb2312_body.eml",
        subject: Some("发票问题"),
        from: Some(("wang.wei@supplier.example", Some("王伟"))),
        date: Some("2026-11-28T02:00:00Z"),
        text_contains: &["您好，发票金额有误，请核对。"],
        ..E
    },
    Expect {
        file: "shift_jis_body.eml",
        subject: Some("請求書について"),
        from: Some(("tanaka@kaisha.example", Some("田中"))),
        text_contains: &[
            "お世話になっております。",
            "請求書の金額を確認してください。",
        ],
        ..E
    },
    Expect {
        file: "iso2022jp_body.eml",
        subject: Some("ログインできません"),
        from: Some(("suzuki@kaisha.example", Some("Suzuki"))),
        text_contains: &["サポートご担当者様", "ログインできません。"],
        ..E
    },
    Expect {
        file: "utf16_body.eml",
        subject: Some("Yêu cầu báo giá tên miền .vn"),
        from: Some(("long.hoang@khachhang.vn", Some("Hoàng Long"))),
        text_contains: &["Xin báo giá đăng ký tên miền .vn cho 3 năm."],
        ..E
    },
    Expect {
        file: "unknown_charset_x_unknown.eml",
        subject: Some("Xin ch\u{FFFD}o"),
        from: Some(("old@legacy.example", Some("Old Client"))),
        text_contains: &["Xin ch\u{FFFD}o, d\u{FFFD}ch v\u{FFFD}"],
        problems: &["unknown_charset"],
        ..E
    },
    Expect {
        file: "broken_headers.eml",
        message_id: Some("broken-headers@khachhang.vn"),
        subject: Some("Lỗi không gửi được mail (viết không mã hoá)"),
        from: Some(("thanh.ngo@khachhang.vn", Some("=?utf-8?B?TmfDtCBUaOG6oW5o"))),
        text_contains: &["Nội dung vẫn phải đọc được."],
        attachments: &[Att {
            name: "data.bin",
            content_type: "application/octet-stream",
            inline: false,
            content_id: None,
            sha256: None,
        }],
        problems: &["bad_date", "broken_part"],
        ..E
    },
    Expect {
        file: "missing_from.eml",
        message_id: Some("missing-from@relay.example"),
        subject: Some("Không có người gửi"),
        text_contains: &["Thư này không có dòng From."],
        problems: &["no_sender"],
        ..E
    },
    Expect {
        file: "bounce_multipart_report.eml",
        subject: Some("Undelivered Mail Returned to Sender"),
        from: Some((
            "mailer-daemon@mx.khachhang.vn",
            Some("Mail Delivery System"),
        )),
        text_contains: &["could not be delivered"],
        attachments: &[
            Att {
                name: "attachment.txt",
                content_type: "message/delivery-status",
                inline: false,
                content_id: None,
                sha256: None,
            },
            Att {
                name: "[HT-2026-000042] Xác nhận.eml",
                content_type: "message/rfc822",
                inline: false,
                content_id: None,
                sha256: None,
            },
        ],
        automatic: Some("null_sender"),
        ..E
    },
    Expect {
        file: "auto_reply_out_of_office.eml",
        subject: Some("Trả lời tự động: [HT-2026-000123] Tên miền không truy cập được"),
        from: Some(("an.nguyen@khachhang.vn", Some("Nguyễn Văn An"))),
        in_reply_to: &["notice-123@hotro.example"],
        text_contains: &["Tôi đang nghỉ phép"],
        automatic: Some("auto_submitted"),
        ticket_code: Some("HT-2026-000123"),
        ..E
    },
    Expect {
        file: "reply_in_reply_to_gmail_vietnamese_quote.eml",
        message_id: Some("CAF-reply-2@mail.gmail.example"),
        subject: Some("Re: [HT-2026-000123] Tên miền không truy cập được"),
        from: Some(("an.nguyen@khachhang.vn", Some("Nguyễn Văn An"))),
        date: Some("2026-11-23T03:40:12Z"),
        in_reply_to: &["reply-123-1@hotro.example"],
        references: &[
            "CAF1a2b3c4d5@mail.khachhang.vn",
            "reply-123-1@hotro.example",
        ],
        text_contains: &["Dạ em đã thử lại"],
        html_contains: &["<blockquote>", r#"rel="noopener noreferrer nofollow""#],
        new_text: Some("Dạ em đã thử lại nhưng vẫn lỗi ạ. Em gửi thêm ảnh chụp."),
        quoted_starts_with: Some("Vào lúc 10:15 ngày 23 tháng 11, 2026"),
        ticket_code: Some("HT-2026-000123"),
        ..E
    },
    Expect {
        file: "hostile_html_script_onerror_javascript.eml",
        subject: Some("Hoá đơn cần thanh toán gấp"),
        from: Some(("khach.la@spam.example", Some("Khach la"))),
        text_contains: &["Xin chào, vui lòng bấm vào đây."],
        text_from_html: true,
        html_contains: &[
            r#"<a href="https://khachhang.vn/don-hang" rel="noopener noreferrer nofollow">"#,
            "phủ màn hình",
        ],
        html_excludes: HOSTILE,
        ..E
    },
    Expect {
        file: "path_trick_attachment_names.eml",
        subject: Some("Files"),
        from: Some(("a@attacker.example", Some("Attacker"))),
        attachments: &[
            Att {
                name: "passwd",
                content_type: "application/octet-stream",
                inline: false,
                content_id: None,
                sha256: None,
            },
            Att {
                name: "_CON.txt",
                content_type: "application/octet-stream",
                inline: false,
                content_id: None,
                sha256: None,
            },
            Att {
                name: "system.ini",
                content_type: "application/octet-stream",
                inline: false,
                content_id: None,
                sha256: None,
            },
            Att {
                name: "evil name .txt",
                content_type: "application/octet-stream",
                inline: false,
                content_id: None,
                sha256: None,
            },
            Att {
                name: "attachment",
                content_type: "application/octet-stream",
                inline: false,
                content_id: None,
                sha256: None,
            },
        ],
        ..E
    },
    Expect {
        file: "precedence_bulk_newsletter.eml",
        subject: Some("Bản tin tuần"),
        from: Some(("news@bao.example", Some("Tin tức"))),
        automatic: Some("precedence"),
        ..E
    },
    Expect {
        file: "outlook_reply_vietnamese_header_block.eml",
        subject: Some("TL: [HT-2026-000200] Đề xuất đổi gói"),
        from: Some(("lienhe@abc.vn", Some("Công ty ABC"))),
        in_reply_to: &["reply-200-1@hotro.example"],
        new_text: Some("Vâng, chúng tôi đồng ý với phương án đổi gói dịch vụ."),
        quoted_starts_with: Some("________________________________\nTừ: Hỗ trợ khách hàng"),
        ticket_code: Some("HT-2026-000200"),
        ..E
    },
    Expect {
        file: "forwarded_rfc822_and_windows1258_text_attachment.eml",
        subject: Some("Fwd: Biên bản làm việc"),
        from: Some(("lan.bui@khachhang.vn", Some("Bùi Lan"))),
        text_contains: &["Em chuyển tiếp thư của bên kỹ thuật và biên bản."],
        attachments: &[
            Att {
                name: "Biên bản làm việc.eml",
                content_type: "message/rfc822",
                inline: false,
                content_id: None,
                sha256: None,
            },
            Att {
                name: "bien-ban.txt",
                content_type: "text/plain",
                inline: false,
                content_id: None,
                sha256: Some(CP1258_TXT_SHA),
            },
        ],
        ..E
    },
    Expect {
        file: "encoded_word_utf8_char_split_across_words.eml",
        message_id: Some("split-char@khachhang.vn"),
        subject: Some("Khiếu nại hóa đơn"),
        from: Some(("lan.vu@khachhang.vn", Some("Vu Lan"))),
        text_contains: &["Hoá đơn tháng 11 bị tính sai."],
        ..E
    },
    Expect {
        file: "content_type_without_subtype.eml",
        message_id: Some("ct-no-subtype@khachhang.vn"),
        subject: Some("Content-Type without subtype"),
        from: Some(("binh.tran@khachhang.vn", Some("Tran Binh"))),
        text_contains: &["Máy in ở tầng 3 không in được."],
        ..E
    },
    Expect {
        file: "multipart_part_content_type_unparseable.eml",
        message_id: Some("ct-unparseable@khachhang.vn"),
        subject: Some("Part with an unparseable Content-Type"),
        from: Some(("binh.tran@khachhang.vn", Some("Tran Binh"))),
        text_contains: &["Máy in ở tầng 4 không in được."],
        ..E
    },
    Expect {
        file: "multipart_part_declared_base64_not_base64.eml",
        message_id: Some("base64-not-base64@khachhang.vn"),
        subject: Some("Part declared base64, sent as plain text"),
        from: Some(("binh.tran@khachhang.vn", Some("Tran Binh"))),
        text_contains: &["Xin chào, mật khẩu của tôi bị khoá!\nCảm ơn."],
        problems: &["broken_part"],
        ..E
    },
    Expect {
        file: "headers_run_into_body_no_blank_line.eml",
        message_id: Some("no-blank-line@khachhang.vn"),
        subject: Some("No blank line after the headers"),
        from: Some(("binh.tran@khachhang.vn", Some("Tran Binh"))),
        text_contains: &[
            "Xin chào, tôi không đăng nhập được.\nLỗi: mật khẩu sai.",
            "Note: đã thử hai lần.\nTrân trọng, Bình",
        ],
        ..E
    },
];

fn corpus_dir() -> PathBuf {
    // The package's directory as the test runner gives it at run time: a test binary shared
    // through a common target directory may have been built from another checkout.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("tests/corpus")
}

/// Turns every bare LF into CRLF, as a message arrives over SMTP or IMAP.
fn to_crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    let mut previous = 0u8;
    for &byte in raw {
        if byte == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(byte);
        previous = byte;
    }
    out
}

/// Every text the parser returns, with a label for error messages.
fn texts(mail: &ParsedMail) -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut add = |label: &str, text: Option<&str>| {
        if let Some(text) = text {
            all.push((label.to_owned(), text.to_owned()));
        }
    };
    add("subject", mail.subject.as_deref());
    add("text", mail.text_body.as_deref());
    add("html", mail.html_body.as_deref());
    add("message_id", mail.message_id.as_deref());
    for mailbox in mail
        .from
        .iter()
        .chain(&mail.reply_to)
        .chain(&mail.to)
        .chain(&mail.cc)
    {
        add("address", Some(&mailbox.address));
        add("name", mailbox.name.as_deref());
    }
    for attachment in &mail.attachments {
        add("attachment name", Some(&attachment.name));
        add("original name", attachment.original_name.as_deref());
    }
    let split = mail.split_text();
    add("new text", Some(&split.new_text));
    add("quoted", split.quoted.as_deref());
    all
}

fn check(expect: &Expect, mail: &ParsedMail, variant: &str) {
    let at = format!("{} ({variant})", expect.file);
    if let Some(id) = expect.message_id {
        assert_eq!(mail.message_id.as_deref(), Some(id), "{at}: message id");
    }
    assert_eq!(mail.subject.as_deref(), expect.subject, "{at}: subject");
    let from = mail
        .from
        .as_ref()
        .map(|f| (f.address.as_str(), f.name.as_deref()));
    assert_eq!(from, expect.from, "{at}: from");
    if let Some(date) = expect.date {
        assert_eq!(
            mail.date.map(|d| d.to_string()).as_deref(),
            Some(date),
            "{at}: date"
        );
    }
    assert_eq!(mail.in_reply_to, expect.in_reply_to, "{at}: in-reply-to");
    assert_eq!(mail.references, expect.references, "{at}: references");
    let text = mail.text_body.as_deref().unwrap_or_default();
    for needle in expect.text_contains {
        assert!(
            text.contains(needle),
            "{at}: text lacks {needle:?}: {text:?}"
        );
    }
    assert_eq!(
        mail.text_from_html, expect.text_from_html,
        "{at}: text from html"
    );
    let html = mail.html_body.as_deref().unwrap_or_default();
    for needle in expect.html_contains {
        assert!(html.contains(needle), "{at}: html lacks {needle:?}: {html}");
    }
    for needle in expect.html_excludes {
        assert!(
            !html.contains(needle),
            "{at}: html keeps {needle:?}: {html}"
        );
    }
    let split = mail.split_text();
    if let Some(new_text) = expect.new_text {
        assert!(
            split.new_text.starts_with(new_text),
            "{at}: new text {:?}",
            split.new_text
        );
    }
    match expect.quoted_starts_with {
        Some(start) => assert!(
            split
                .quoted
                .as_deref()
                .is_some_and(|q| q.starts_with(start)),
            "{at}: quoted {:?}",
            split.quoted
        ),
        None => assert_eq!(split.quoted, None, "{at}: nothing should be folded"),
    }
    let names: Vec<&str> = mail.attachments.iter().map(|a| a.name.as_str()).collect();
    let expected: Vec<&str> = expect.attachments.iter().map(|a| a.name).collect();
    assert_eq!(names, expected, "{at}: attachment names");
    for (got, want) in mail.attachments.iter().zip(expect.attachments) {
        assert_eq!(
            got.content_type, want.content_type,
            "{at}: {} type",
            want.name
        );
        assert_eq!(got.inline, want.inline, "{at}: {} inline", want.name);
        assert_eq!(
            got.content_id.as_deref(),
            want.content_id,
            "{at}: {} cid",
            want.name
        );
        if let Some(sha) = want.sha256 {
            assert_eq!(got.sha256, sha, "{at}: {} sha256", want.name);
        }
        assert_eq!(got.sha256.len(), 64, "{at}: {} sha256 length", want.name);
    }
    assert_eq!(
        mail.automatic.as_ref().map(|a| a.code()),
        expect.automatic,
        "{at}: automatic"
    );
    let problems: BTreeSet<&str> = mail.problems.iter().map(|p| p.code()).collect();
    let expected: BTreeSet<&str> = expect.problems.iter().copied().collect();
    assert_eq!(problems, expected, "{at}: problems");
    let code = mail
        .subject
        .as_deref()
        .and_then(|s| ticket_code_in_subject(s, "HT"));
    assert_eq!(code.as_deref(), expect.ticket_code, "{at}: ticket code");
    for (label, text) in texts(mail) {
        assert!(is_nfc(&text), "{at}: {label} is not NFC: {text:?}");
    }
}

#[test]
fn ch1_every_corpus_file_has_expectations_and_parses_with_lf_and_crlf() {
    let mut on_disk: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(corpus_dir()).expect("corpus directory") {
        let name = entry.expect("corpus entry").file_name();
        let name = name.to_string_lossy().into_owned();
        if name.ends_with(".eml") {
            on_disk.insert(name);
        }
    }
    let listed: BTreeSet<String> = EXPECTATIONS.iter().map(|e| e.file.to_owned()).collect();
    assert_eq!(on_disk, listed, "corpus files and expectations differ");

    let limits = Limits::default();
    for expect in EXPECTATIONS {
        let raw = std::fs::read(corpus_dir().join(expect.file)).expect("corpus file");
        assert!(
            !raw.contains(&b'\r'),
            "{}: store corpus files with LF",
            expect.file
        );
        let lf = parse(&raw, &limits);
        let crlf = parse(&to_crlf(&raw), &limits);
        check(expect, &lf, "LF");
        check(expect, &crlf, "CRLF");
        // Line endings must not change what an agent sees.
        assert_eq!(
            lf.text_body, crlf.text_body,
            "{}: text LF/CRLF",
            expect.file
        );
        assert_eq!(
            lf.html_body, crlf.html_body,
            "{}: html LF/CRLF",
            expect.file
        );
        assert_eq!(lf.subject, crlf.subject, "{}: subject LF/CRLF", expect.file);
    }
}

#[test]
fn sc4_oversized_message_keeps_headers_and_flags_too_large() {
    let raw = std::fs::read(corpus_dir().join("multipart_alternative_vietnamese_utf8.eml"))
        .expect("corpus file");
    let limits = Limits {
        max_message_bytes: 1000,
        ..Limits::default()
    };
    let mail = parse(&raw, &limits);
    assert!(mail.has_problem("too_large"));
    assert_eq!(
        mail.subject.as_deref(),
        Some("Tên miền không truy cập được")
    );
    assert_eq!(
        mail.from.as_ref().map(|f| f.address.as_str()),
        Some("an.nguyen@khachhang.vn")
    );
    assert_eq!(
        mail.message_id.as_deref(),
        Some("CAF1a2b3c4d5@mail.khachhang.vn")
    );
    assert_eq!(mail.text_body, None);
    assert!(mail.attachments.is_empty());
}

#[test]
fn sc4_message_over_25_mib_is_not_parsed_deeply() {
    let mut raw = b"From: An <an@vd.vn>\nSubject: =?utf-8?Q?T=E1=BB=87p_l=E1=BB=9Bn?=\n\
        Message-ID: <big@vd.vn>\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\
        Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        .to_vec();
    let line = b"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n";
    while raw.len() <= 25 * 1024 * 1024 {
        raw.extend_from_slice(line);
    }
    raw.extend_from_slice(b"--b--\n");
    let mail = parse(&raw, &Limits::default());
    assert!(mail.has_problem("too_large"), "{:?}", mail.problems);
    assert_eq!(mail.subject.as_deref(), Some("Tệp lớn"));
    assert!(mail.attachments.is_empty());
}

#[test]
fn sc4_deep_nesting_is_cut_at_the_depth_limit() {
    let depth = 2000;
    let mut raw = String::from("From: a@vd.vn\nMessage-ID: <deep@vd.vn>\n");
    for level in 0..depth {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{level}\"\n\n--b{level}\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\n\nsâu quá\n");
    for level in (0..depth).rev() {
        raw.push_str(&format!("--b{level}--\n"));
    }
    let limits = Limits::default();
    let mail = parse(raw.as_bytes(), &limits);
    assert!(mail.has_problem("too_deep"), "{:?}", mail.problems);
    assert_eq!(mail.text_body, None);
}

#[test]
fn sc4_too_many_parts_are_skipped_beyond_the_limit() {
    let mut raw = String::from(
        "From: a@vd.vn\nMessage-ID: <many@vd.vn>\nContent-Type: multipart/mixed; boundary=b\n\n",
    );
    for i in 0..2000 {
        raw.push_str(&format!(
            "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=f{i}.bin\n\nx\n"
        ));
    }
    raw.push_str("--b--\n");
    let limits = Limits {
        max_parts: 100,
        ..Limits::default()
    };
    let mail = parse(raw.as_bytes(), &limits);
    assert!(mail.has_problem("too_many_parts"));
    assert!(mail.attachments.len() < 100, "{}", mail.attachments.len());
    assert_eq!(
        mail.attachments.first().map(|a| a.name.as_str()),
        Some("f0.bin")
    );
}

#[test]
fn ch7_empty_and_garbage_input_still_gives_a_result() {
    let limits = Limits::default();
    let empty = parse(b"", &limits);
    assert!(empty.has_problem("no_headers"));
    assert!(empty.has_problem("no_sender"));
    let garbage = parse(&[0xff, 0xfe, 0, 1, 2, b'\n', b':', b'\n'], &limits);
    assert!(garbage.has_problem("no_sender"));
    let headers_only = parse("From: An <an@vd.vn>\nSubject: chào".as_bytes(), &limits);
    assert_eq!(headers_only.subject.as_deref(), Some("chào"));
    assert_eq!(
        headers_only.from.map(|f| f.address),
        Some("an@vd.vn".to_owned())
    );
}

/// A forwarded message that itself wraps a forwarded message trips a debug assertion inside
/// mail-parser 0.11 (found by the fuzz target). Release builds parse it; debug builds contain
/// the panic and fall back to the headers plus the raw body. Either way nothing is lost (CH-7).
#[test]
fn ch7_forward_of_a_forward_is_never_lost() {
    let raw = "From: An <an@vd.vn>\nSubject: fwd of fwd\nMessage-ID: <ff@vd.vn>\n\
        Content-Type: multipart/mixed; boundary=\"bnd\"\n\n--bnd\nContent-Type: text/plain\n\n\
        xem thư dưới\n--bnd\nContent-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n\
        From: x@y.vn\nSubject: inner\n\ninner body\n--bnd--\n";
    let mail = parse(raw.as_bytes(), &Limits::default());
    assert_eq!(mail.subject.as_deref(), Some("fwd of fwd"));
    assert_eq!(mail.message_id.as_deref(), Some("ff@vd.vn"));
    assert!(mail.from.is_some());
    let text = mail.text_body.unwrap_or_default();
    assert!(text.contains("xem thư dưới"), "{text:?}");
    let failed = mail.problems.iter().any(|p| p.code() == "parser_failed");
    assert!(
        !failed || cfg!(debug_assertions),
        "release builds must parse this message"
    );
}

/// Thousands of unclosed elements would make the HTML parser's work quadratic: such a body is
/// shown as stripped text instead, and flagged (SC-4).
#[test]
fn sc4_deeply_nested_html_is_shown_as_text_not_parsed() {
    let mut raw = String::from(
        "From: a@vd.vn\nMessage-ID: <divs@vd.vn>\nContent-Type: text/html; charset=utf-8\n\n",
    );
    raw.push_str(&"<div>".repeat(200_000));
    raw.push_str("Nội dung <script>alert(1)</script> cuối\n");
    let mail = parse(raw.as_bytes(), &Limits::default());
    assert!(mail.has_problem("html_too_complex"), "{:?}", mail.problems);
    let html = mail.html_body.unwrap_or_default();
    assert!(
        html.starts_with("<pre>") && !html.contains("<script"),
        "{html:.200}"
    );
    let text = mail.text_body.unwrap_or_default();
    assert!(
        text.contains("Nội dung") && text.contains("cuối"),
        "{text:.200}"
    );
}

/// Messages attached inside messages, 100,000 levels deep, in a couple of megabytes: dropping
/// the parsed tree must not recurse, or the stack overflows and the whole server aborts. The
/// parse runs on a thread with a small stack, as a server's worker threads have (SC-4).
#[test]
fn sc4_deeply_nested_attached_messages_do_not_overflow_the_stack() {
    let mut raw = String::from("From: a@vd.vn\nMessage-ID: <nested@vd.vn>\n");
    while raw.len() < 4 * 1024 * 1024 {
        raw.push_str("Content-Type: message/rfc822\n\nFrom: b@vd.vn\n");
    }
    raw.push_str("\nđáy\n");
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || parse(raw.as_bytes(), &Limits::default()))
        .expect("spawn a parsing thread");
    let mail = worker.join().expect("parsing thread finished");
    assert_eq!(mail.message_id.as_deref(), Some("nested@vd.vn"));
    assert_eq!(mail.attachments.len(), 1);
}
