//! Property tests (SC-4, CH-7): parsing never panics and keeps its promises on arbitrary bytes
//! and on mutated corpus files; the text helpers never panic either. Raise the number of cases
//! with `PROPTEST_CASES=200000 cargo nextest run -p hotro-mail --test never_panics`.

use std::path::PathBuf;
use std::sync::LazyLock;

use hotro_mail::{
    Limits, ParsedMail, html_to_text, parse, safe_filename, sanitize_html, split_quoted,
    ticket_code_in_subject,
};
use proptest::prelude::*;
use unicode_normalization::is_nfc;

/// The corpus files, read once for all cases.
static CORPUS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(read_corpus);

fn read_corpus() -> Vec<Vec<u8>> {
    // The package's directory as the test runner gives it at run time: a test binary shared
    // through a common target directory may have been built from another checkout.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus directory")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read(path).expect("corpus file"))
        .collect()
}

/// Small limits so that the limit paths are exercised by small inputs too.
fn small_limits() -> Limits {
    Limits {
        max_message_bytes: 8 * 1024,
        max_header_bytes: 2 * 1024,
        max_parts: 8,
        max_depth: 3,
        max_references: 4,
        max_recipients: 4,
    }
}

/// Byte sequences that steer mutations towards the parser's interesting states.
const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\n\n",
    b"--",
    b"boundary=",
    b"Content-Type: multipart/mixed; boundary=x\n\n--x\n",
    b"Content-Type: message/rfc822\n\n",
    b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: quoted-printable\n",
    b"charset=windows-1258",
    b"charset=x-unknown",
    b"charset=utf-16",
    b"=?utf-8?B?",
    b"=?windows-1258?Q?",
    b"?=",
    b"filename*0*=utf-8''",
    b"%00",
    b"=\n",
    b"<",
    b">",
    b"\0",
    b"\xff\xfe",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert(at, token)),
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 0usize..256).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = bytes.len();
        let pos = |at: usize| if len == 0 { 0 } else { at % (len + 1) };
        match *mutation {
            Mutation::Flip(at, byte) if len > 0 => bytes[at % len] = byte,
            Mutation::Flip(..) => {}
            Mutation::Insert(at, token) => {
                let at = pos(at);
                bytes.splice(at..at, TOKENS[token].iter().copied());
            }
            Mutation::Delete(at, n) => {
                let at = pos(at);
                let end = (at + n).min(len);
                bytes.drain(at..end);
            }
            Mutation::Duplicate(at, n) => {
                let at = pos(at);
                let end = (at + n).min(len);
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            Mutation::Truncate(at) => bytes.truncate(pos(at)),
        }
    }
    bytes
}

/// The messages of mail-parser 0.11's `debug_assert!(false, …)` lines. They mark states its
/// release build recovers from; in debug builds they panic, `parse` contains the panic, falls
/// back to headers plus raw body and reports `parser_failed`. Any other panic is a bug.
const KNOWN_DEBUG_ASSERTIONS: &[&str] = &[
    "Invalid part ID, could not find message.",
    "Failed to restore parent message. Aborting.",
    "Invalid part ID, could not find multipart.",
    "This should not have happened.",
    "String full while decoding.",
];

thread_local! {
    /// Panic messages seen on this thread since the last check.
    static PANICS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Records every panic message, so that a contained panic can be told apart from a bug.
fn record_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            PANICS.with(|p| p.borrow_mut().push(message));
            default(info);
        }));
    });
}

fn parse_checked(bytes: &[u8], limits: &Limits) -> ParsedMail {
    record_panics();
    PANICS.with(|p| p.borrow_mut().clear());
    let mail = parse(bytes, limits);
    let panics = PANICS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    for message in &panics {
        assert!(
            cfg!(debug_assertions) && KNOWN_DEBUG_ASSERTIONS.contains(&message.as_str()),
            "unexpected panic inside parse: {message}"
        );
    }
    assert_eq!(mail.has_problem("parser_failed"), !panics.is_empty());
    mail
}

/// What must hold for any input, whatever it is.
fn check_invariants(mail: &ParsedMail, limits: &Limits, input_len: usize) {
    assert_eq!(mail.size, input_len);
    if input_len > limits.max_message_bytes {
        assert!(mail.has_problem("too_large"));
        assert!(mail.attachments.is_empty() && mail.text_body.is_none());
    }
    assert!(mail.attachments.len() <= limits.max_parts);
    assert!(mail.references.len() <= limits.max_references);
    assert!(mail.to.len() + mail.cc.len() <= limits.max_recipients);
    assert_eq!(mail.from.is_none(), mail.has_problem("no_sender"));
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(mail.subject.as_deref());
    texts.extend(mail.text_body.as_deref());
    texts.extend(mail.html_body.as_deref());
    for mailbox in mail.from.iter().chain(&mail.to).chain(&mail.cc) {
        assert!(mailbox.address.contains('@'));
        texts.push(&mailbox.address);
        texts.extend(mailbox.name.as_deref());
    }
    for attachment in &mail.attachments {
        assert!(!attachment.name.is_empty());
        assert!(!attachment.name.contains(['/', '\\', '\0']));
        assert_eq!(attachment.sha256.len(), 64);
        texts.push(&attachment.name);
    }
    for text in texts {
        assert!(is_nfc(text), "not NFC: {text:?}");
    }
    if let Some(html) = &mail.html_body {
        assert!(!html.to_ascii_lowercase().contains("<script"));
    }
    let split = mail.split_text();
    assert!(split.quoted.is_none() || !split.new_text.trim().is_empty());
}

proptest! {
    #[test]
    fn sc4_parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let limits = Limits::default();
        let mail = parse_checked(&bytes, &limits);
        check_invariants(&mail, &limits, bytes.len());
        let small = small_limits();
        check_invariants(&parse_checked(&bytes, &small), &small, bytes.len());
    }

    #[test]
    fn sc4_parse_never_panics_on_mutated_corpus_files(
        file in any::<prop::sample::Index>(),
        mutations in proptest::collection::vec(mutation(), 1..12),
        crlf in any::<bool>(),
    ) {
        let mut bytes = CORPUS[file.index(CORPUS.len())].clone();
        if crlf {
            bytes = String::from_utf8_lossy(&bytes).replace('\n', "\r\n").into_bytes();
        }
        let bytes = apply(bytes, &mutations);
        let limits = Limits::default();
        check_invariants(&parse_checked(&bytes, &limits), &limits, bytes.len());
        let small = small_limits();
        check_invariants(&parse_checked(&bytes, &small), &small, bytes.len());
    }

    #[test]
    fn sc4_safe_filename_is_always_safe(name in ".{0,300}") {
        let safe = safe_filename(&name);
        prop_assert!(!safe.is_empty());
        prop_assert!(safe.len() <= 200);
        prop_assert!(!safe.contains(['/', '\\', '\0']));
        prop_assert!(!safe.chars().any(char::is_control));
        prop_assert!(!safe.starts_with('.'));
        prop_assert!(!safe.ends_with('.') && !safe.ends_with(' '));
        prop_assert!(is_nfc(&safe));
        let stem = safe.split('.').next().unwrap_or_default().to_ascii_uppercase();
        prop_assert!(!matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL"));
        prop_assert_eq!(safe_filename(&safe), safe.clone(), "safe names are stable");
    }

    #[test]
    fn text_helpers_never_panic_and_quotes_lose_no_line(text in "(?s).{0,600}") {
        let split = split_quoted(&text);
        let kept = format!("{}\n{}", split.new_text, split.quoted.unwrap_or_default());
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            prop_assert!(kept.contains(line.trim()), "lost line {:?}", line);
        }
        let _ = html_to_text(&text);
        prop_assert!(!sanitize_html(&text).to_ascii_lowercase().contains("<script"));
        let _ = ticket_code_in_subject(&text, "HT");
    }
}
