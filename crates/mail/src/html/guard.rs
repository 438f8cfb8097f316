//! A linear pre-check that keeps pathological HTML away from the HTML parser (SC-4).
//!
//! Building the HTML tree costs, for some start tags, a walk down the stack of open elements;
//! a few megabytes of `<div><div><div>…` therefore take hours. Mail never needs thousands of
//! levels, so HTML whose estimated tree-building work is over a bound is not parsed: it is
//! shown as its text with the tags stripped, and the parser reports `html_too_complex`.

/// Bound on the estimated work: the sum, over all start tags, of the nesting depth at which
/// they open. Real mail, even a heavy newsletter of nested tables, stays far below; a chain of
/// about 4,500 unclosed elements reaches it.
const MAX_NESTING_WORK: u64 = 10_000_000;

/// HTML bodies bigger than this are not parsed either. Real ones that size are made of inline
/// `data:` images, which sanitising drops anyway.
const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

/// Elements that never have content, so they do not deepen the tree.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements that the parser closes by itself when a sibling opens, so a run of them unclosed
/// does not deepen the tree either.
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "tbody", "thead", "tfoot",
];

/// True when `html` would cost the HTML parser too much; see the module description.
pub(crate) fn is_too_complex(html: &str) -> bool {
    if html.len() > MAX_HTML_BYTES {
        return true;
    }
    let bytes = html.as_bytes();
    let mut depth: u64 = 0;
    let mut work: u64 = 0;
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        at += offset + 1;
        let closing = bytes.get(at) == Some(&b'/');
        let name_start = if closing { at + 1 } else { at };
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let deepens = deepens(&tag_name(html, name_start));
        if closing {
            // Only closing tags of elements that deepened the tree count, or a page of
            // `<p>x</p>` would hide an unclosed chain opened before it.
            if deepens {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if deepens {
            depth += 1;
        }
        work += depth;
        if work > MAX_NESTING_WORK {
            return true;
        }
    }
    false
}

/// The lower-cased tag name starting at byte `start` (at most 16 characters).
fn tag_name(html: &str, start: usize) -> String {
    let len = html.as_bytes()[start..]
        .iter()
        .take(16)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    html.get(start..start + len)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// True for elements whose start tag opens a level of the tree that stays open.
fn deepens(name: &str) -> bool {
    !VOID.contains(&name) && !SELF_CLOSING_SIBLINGS.contains(&name)
}

/// The text of `html` with every tag removed and blank runs collapsed: crude, but linear and
/// safe, for HTML too complex to parse.
pub(crate) fn stripped_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => {
                text.push(' ');
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.trim_end().to_owned()
}

/// [`stripped_text`] escaped for display as HTML, for a sanitiser that must return markup.
pub(crate) fn escaped_text(html: &str) -> String {
    let text = stripped_text(html)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!("<pre>{text}</pre>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sc4_deep_nesting_is_too_complex_but_real_mail_is_not() {
        assert!(is_too_complex(&"<div>".repeat(5_000)));
        assert!(is_too_complex(&"<b id=x>".repeat(5_000)));
        assert!(!is_too_complex(&"<p>đoạn văn".repeat(100_000)));
        assert!(!is_too_complex(
            &"<table><tr><td>ô</td></tr></table>".repeat(100_000)
        ));
        assert!(!is_too_complex(
            &"<div><span>chữ</span><br></div>".repeat(100_000)
        ));
        assert!(!is_too_complex("a < b and <"));
        // An unclosed chain followed by a page of closed paragraphs: each paragraph rebuilds
        // the chain in the parser.
        let mut chain = "<b id=x>".repeat(3_000);
        chain.push_str(&"<p>x</p>".repeat(10_000));
        assert!(is_too_complex(&chain));
    }

    #[test]
    fn stripped_text_keeps_words_and_escaped_text_is_inert() {
        assert_eq!(
            stripped_text("<p>Xin <b>chào</b></p>\n\n<p>bạn</p><"),
            "Xin chào\nbạn"
        );
        let escaped = escaped_text("<div><script>alert(1)</script>\"x\" & y");
        assert_eq!(escaped, "<pre>alert(1) &quot;x&quot; &amp; y</pre>");
    }
}
