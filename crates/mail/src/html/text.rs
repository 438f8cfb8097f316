//! Plain text from HTML, for messages that have no text part.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use ammonia::Builder;

use super::guard;

/// Turns HTML into readable plain text: block elements become line breaks, list items get a
/// dash, table cells are separated by spaces, and `<blockquote>` lines get a `> ` prefix so
/// that [`crate::split_quoted`] can fold them. Scripts, styles and titles are dropped.
///
/// The HTML is first normalised by ammonia down to a few attribute-free structural tags; the
/// small scanner below then only ever sees well-formed `<tag>`/`</tag>` tokens and escaped text.
pub fn html_to_text(html: &str) -> String {
    if guard::is_too_complex(html) {
        return guard::stripped_text(html);
    }
    let structural = [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "hr",
    ];
    let cleaned = Builder::default()
        .tags(HashSet::from(structural))
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::new())
        .link_rel(None)
        .clean_content_tags(HashSet::from(["script", "style", "title", "noscript"]))
        .clean(html)
        .to_string();
    let mut out = TextBuilder::default();
    let mut rest = cleaned.as_str();
    while let Some(open) = rest.find('<') {
        out.text(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        out.tag(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    out.text(rest);
    out.finish()
}

/// Accumulates plain text line by line, remembering the blockquote depth of each line.
#[derive(Default)]
struct TextBuilder {
    out: String,
    line: String,
    line_depth: usize,
    depth: usize,
    pre: usize,
}

impl TextBuilder {
    fn tag(&mut self, token: &str) {
        let (closing, name) = match token.strip_prefix('/') {
            Some(name) => (true, name),
            None => (false, token),
        };
        match (name, closing) {
            ("br", _) => self.break_line(),
            ("li", false) => {
                self.end_line();
                self.push_word("- ");
            }
            ("td" | "th", false) => {
                if !self.line.is_empty() {
                    self.line.push_str("  ");
                }
            }
            ("blockquote", false) => {
                self.end_line();
                self.depth += 1;
            }
            ("blockquote", true) => {
                self.end_line();
                self.depth = self.depth.saturating_sub(1);
            }
            ("pre", false) => {
                self.end_line();
                self.pre += 1;
            }
            ("pre", true) => {
                self.end_line();
                self.pre = self.pre.saturating_sub(1);
            }
            ("p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table", true) => {
                self.end_line();
                self.blank_line();
            }
            ("hr", _) => {
                self.end_line();
                self.push_word("----");
                self.end_line();
            }
            _ => self.end_line(),
        }
    }

    fn text(&mut self, escaped: &str) {
        let text = unescape(escaped);
        for ch in text.chars() {
            if ch == '\n' && self.pre > 0 {
                self.break_line();
            } else if ch.is_whitespace() && self.pre == 0 {
                if !self.line.is_empty() && !self.line.ends_with(' ') {
                    self.line.push(' ');
                }
            } else {
                self.push_char(ch);
            }
        }
    }

    fn push_word(&mut self, word: &str) {
        for ch in word.chars() {
            self.push_char(ch);
        }
    }

    fn push_char(&mut self, ch: char) {
        if self.line.is_empty() {
            self.line_depth = self.depth;
        }
        self.line.push(ch);
    }

    /// Ends the current line if it has content (a block boundary).
    fn end_line(&mut self) {
        if !self.line.trim().is_empty() {
            self.break_line();
        } else {
            self.line.clear();
        }
    }

    /// Ends the current line even if empty (`<br>`).
    fn break_line(&mut self) {
        let depth = if self.line.is_empty() {
            self.depth
        } else {
            self.line_depth
        };
        for _ in 0..depth {
            self.out.push_str("> ");
        }
        self.out.push_str(self.line.trim_end());
        self.out.push('\n');
        self.line.clear();
    }

    fn blank_line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn finish(mut self) -> String {
        self.end_line();
        let mut text = String::with_capacity(self.out.len());
        let mut blank_run = 0;
        for line in self.out.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.chars().all(|c| c == '>' || c == ' ') {
                blank_run += 1;
                if blank_run > 1 {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            text.push_str(line);
            text.push('\n');
        }
        text.trim().to_owned()
    }
}

/// Undoes the escaping of html5ever's serialiser, which is all that text nodes can contain
/// after ammonia: `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&nbsp;`.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text_keeps_structure_and_quotes() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <p>Chào&nbsp;anh,</p><p>Em cần <b>hỗ trợ</b> &amp; báo giá.<br>Cảm ơn</p>\
            <ul><li>một</li><li>hai</li></ul>\
            <blockquote><p>Nội dung cũ</p><p>dòng 2</p></blockquote></body></html>";
        assert_eq!(
            html_to_text(html),
            "Chào anh,\n\nEm cần hỗ trợ & báo giá.\nCảm ơn\n\n- một\n- hai\n> Nội dung cũ\n\n> dòng 2"
        );
    }

    #[test]
    fn html_to_text_survives_broken_markup() {
        assert_eq!(html_to_text("<p>a <b>b</p> <<>> c<"), "a b\n\n<<>> c<");
    }
}
