//! Splitting a reply into what the customer wrote now and the earlier text it quotes, so the
//! timeline can fold the quote away while keeping it one click away.
//!
//! Rules, in order:
//! 1. A reply header starts the quote and everything after it is quoted: an attribution line
//!    ("On … wrote:", "Vào … đã viết:", Gmail's "Vào lúc … ngày … đã viết:", possibly wrapped
//!    over up to three lines), Outlook's "-----Original Message-----" ("-----Thư gốc-----"), or
//!    Outlook's header block ("From: …" followed within four lines by "Sent:"/"Date:", or the
//!    Vietnamese "Từ: …" with "Đã gửi:"/"Ngày:"), including the underscore rule above it.
//! 2. An attribution followed by `>` lines that the customer answers in between (an
//!    interleaved reply) is not folded there: the customer's answers must stay visible.
//! 3. Otherwise the trailing block of `>` lines (blank lines allowed) is the quote.
//! 4. A forwarded message ("---------- Forwarded message ---------") is new content, not a
//!    quote, and nothing is folded after its marker.
//! 5. If folding would leave nothing new, nothing is folded.

/// A text body split for display.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuoteSplit {
    /// What the sender wrote in this message.
    pub new_text: String,
    /// The earlier text quoted below it, if any, with its reply header.
    pub quoted: Option<String>,
}

/// Splits `text` into its new part and its quoted part (see the module rules).
pub fn split_quoted(text: &str) -> QuoteSplit {
    let lines: Vec<&str> = text.lines().collect();
    let forward_at = lines.iter().position(|l| is_forward_marker(l));
    let searchable = forward_at.unwrap_or(lines.len());

    let split_at = match find_reply_header(&lines[..searchable]) {
        Some(Header::Outlook(start)) => Some(start),
        Some(Header::Attribution { start, end }) if !is_interleaved(&lines[end + 1..]) => {
            Some(start)
        }
        _ => trailing_quote_start(&lines[..searchable]),
    };
    let Some(split_at) = split_at else {
        return unsplit(text);
    };
    let new_text = lines[..split_at].join("\n").trim_end().to_owned();
    let quoted = lines[split_at..].join("\n").trim().to_owned();
    if new_text.trim().is_empty() || quoted.is_empty() {
        return unsplit(text);
    }
    QuoteSplit {
        new_text,
        quoted: Some(quoted),
    }
}

fn unsplit(text: &str) -> QuoteSplit {
    QuoteSplit {
        new_text: text.trim_end().to_owned(),
        quoted: None,
    }
}

enum Header {
    /// An attribution spanning lines `start..=end`.
    Attribution { start: usize, end: usize },
    /// An Outlook-style header starting at this line.
    Outlook(usize),
}

fn find_reply_header(lines: &[&str]) -> Option<Header> {
    for (i, line) in lines.iter().enumerate() {
        if let Some(end) = attribution_end(lines, i) {
            return Some(Header::Attribution { start: i, end });
        }
        if is_original_message_separator(line) {
            return Some(Header::Outlook(i));
        }
        if is_underscore_rule(line)
            && next_non_blank(lines, i + 1).is_some_and(|j| is_outlook_block(lines, j))
        {
            return Some(Header::Outlook(i));
        }
        if is_outlook_block(lines, i) {
            return Some(Header::Outlook(i));
        }
    }
    None
}

/// If an attribution starts at line `i` (on one line or wrapped over up to three), returns the
/// index of its last line.
fn attribution_end(lines: &[&str], i: usize) -> Option<usize> {
    let first = lines[i].trim();
    if !starts_attribution(first) {
        return None;
    }
    let mut joined = String::new();
    for (j, line) in lines.iter().enumerate().skip(i).take(3) {
        let line = line.trim();
        if line.is_empty() || (j > i && line.starts_with('>')) {
            return None;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(line);
        if ends_attribution(&joined) {
            return Some(j);
        }
    }
    None
}

fn starts_attribution(line: &str) -> bool {
    let lower = line.to_lowercase();
    ["on ", "vào ", "vao "]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

fn ends_attribution(line: &str) -> bool {
    let lower = line.to_lowercase();
    let lower = lower.trim_end();
    ["wrote:", "đã viết:", "đã viết :", "da viet:", "viết:"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
}

fn is_original_message_separator(line: &str) -> bool {
    let trimmed = line.trim();
    if !trimmed.starts_with("--") {
        return false;
    }
    let label = trimmed.trim_matches(|c: char| c == '-' || c.is_whitespace());
    let label = label.to_lowercase();
    matches!(
        label.as_str(),
        "original message" | "thư gốc" | "tin nhắn gốc" | "thư gốc của bạn"
    )
}

fn is_underscore_rule(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= 8 && trimmed.chars().all(|c| c == '_')
}

/// True for Outlook's header block: a sender line followed within four lines by a date line.
fn is_outlook_block(lines: &[&str], i: usize) -> bool {
    const SENDER: &[&str] = &["from:", "từ:"];
    const DATE: &[&str] = &["sent:", "date:", "đã gửi:", "ngày:", "ngày gửi:", "gửi:"];
    if !has_field(lines[i], SENDER) {
        return false;
    }
    lines
        .iter()
        .skip(i + 1)
        .take(4)
        .any(|line| has_field(line, DATE))
}

fn has_field(line: &str, names: &[&str]) -> bool {
    let lower = line.trim().trim_start_matches('*').to_lowercase();
    names.iter().any(|name| lower.starts_with(name))
}

fn is_forward_marker(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    lower.starts_with("begin forwarded message")
        || (lower.starts_with("---")
            && ["forwarded message", "chuyển tiếp"]
                .iter()
                .any(|label| lower.contains(label)))
}

/// True when, after an attribution, quoted lines are followed by the sender's own lines.
fn is_interleaved(after: &[&str]) -> bool {
    let mut seen_quote = false;
    for line in after {
        let line = line.trim();
        if line.starts_with('>') {
            seen_quote = true;
        } else if !line.is_empty() && seen_quote {
            return true;
        }
    }
    false
}

/// The first line of the trailing run of `>` lines (blank lines may sit inside the run).
fn trailing_quote_start(lines: &[&str]) -> Option<usize> {
    let mut start = None;
    for (i, line) in lines.iter().enumerate().rev() {
        let line = line.trim();
        if line.starts_with('>') {
            start = Some(i);
        } else if !line.is_empty() {
            break;
        }
    }
    start
}

fn next_non_blank(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !lines[j].trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> (String, Option<String>) {
        let s = split_quoted(text);
        (s.new_text, s.quoted)
    }

    #[test]
    fn gmail_vietnamese_attribution() {
        let text = "Dạ em gửi thêm hoá đơn.\n\nVào lúc 10:15 ngày 20 tháng 11, 2026, Hỗ trợ \
            <hotro@vd.vn> đã viết:\n> Kính thưa quý khách,\n> Chúng tôi đã nhận.";
        let (new, quoted) = split(text);
        assert_eq!(new, "Dạ em gửi thêm hoá đơn.");
        assert!(quoted.is_some_and(|q| q.starts_with("Vào lúc 10:15") && q.ends_with("đã nhận.")));
    }

    #[test]
    fn gmail_vietnamese_short_form_and_wrapped_english() {
        let vi = "Cảm ơn.\nVào Th 2, 20 thg 11, 2026 vào lúc 09:00 An <an@vd.vn>\nđã viết:\n> cũ";
        assert_eq!(split(vi).0, "Cảm ơn.");
        let en =
            "Thanks!\n\nOn Mon, 20 Nov 2026 at 09:00, Support Team <hotro@vd.vn>\nwrote:\n\n> old";
        assert_eq!(split(en).0, "Thanks!");
    }

    #[test]
    fn outlook_original_message_and_header_block() {
        let a = "Ok.\n\n-----Original Message-----\nFrom: A\nSent: Monday\nSubject: x\n\nold";
        assert_eq!(split(a), ("Ok.".into(), Some(a[5..].to_owned())));
        let b = "Vâng ạ.\n________________________________\nTừ: Hỗ trợ <hotro@vd.vn>\nĐã gửi: Thứ Hai\nĐến: An\n\ncũ";
        assert_eq!(split(b).0, "Vâng ạ.");
        let c = "Yes.\n\nFrom: Support <hotro@vd.vn>\nDate: Monday\nTo: An\n\nold";
        assert_eq!(split(c).0, "Yes.");
    }

    #[test]
    fn trailing_angle_quotes_without_header() {
        let (new, quoted) = split("Mới\n\n> cũ 1\n>\n> cũ 2\n");
        assert_eq!(new, "Mới");
        assert_eq!(quoted.as_deref(), Some("> cũ 1\n>\n> cũ 2"));
    }

    #[test]
    fn interleaved_answers_stay_visible() {
        let text = "On Mon, A wrote:\n> Câu 1?\nTrả lời 1\n> Câu 2?\nTrả lời 2";
        assert_eq!(split(text), (text.to_owned(), None));
    }

    #[test]
    fn forwarded_message_is_not_folded() {
        let text = "Xem giúp em\n\n---------- Forwarded message ---------\nFrom: X <x@y.vn>\nDate: Mon\n\nnội dung";
        assert_eq!(split(text), (text.to_owned(), None));
    }

    #[test]
    fn all_quote_is_not_folded_and_plain_text_is_untouched() {
        assert_eq!(
            split("> chỉ có trích dẫn"),
            ("> chỉ có trích dẫn".into(), None)
        );
        assert_eq!(
            split("Xin chào\nOn time delivery please"),
            ("Xin chào\nOn time delivery please".into(), None)
        );
        assert_eq!(split(""), (String::new(), None));
    }
}
