//! HTML from mail, made safe to show an agent (SC-4) and turned into plain text when a message
//! has no text part.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use ammonia::{Builder, UrlRelative};

/// The `rel` every remaining link gets: the linked page learns nothing about hotro and gains
/// no handle on the agent's window, and search engines do not follow customer links.
pub const LINK_REL: &str = "noopener noreferrer nofollow";

/// Sanitises HTML from a mail for display. Scripts, styles, event handlers, forms, frames and
/// `javascript:` links are removed; links keep only `http`, `https`, `mailto` and `tel` and get
/// `rel="noopener noreferrer nofollow"`; images keep only `cid:` sources (parts of the same
/// message), so opening a mail never loads a remote image, which would tell the sender that
/// and when it was read.
pub fn sanitize_html(html: &str) -> String {
    sanitize(html, None)
}

/// Like [`sanitize_html`], but rewrites each `cid:` image source with `resolve`, which gets
/// the content id (without `cid:`) and returns the URL that serves that attachment, or `None`
/// to drop the source. The resolver's URLs are trusted as given.
pub fn sanitize_html_with_cid(
    html: &str,
    resolve: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) -> String {
    sanitize(html, Some(Box::new(resolve)))
}

type CidResolver = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

fn sanitize(html: &str, resolve: Option<CidResolver>) -> String {
    let mut builder = Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel", "cid"]))
        // Relative URLs pass ammonia's own check because the filter below runs first and drops
        // every relative URL from the mail; only the resolver's attachment URLs may be relative.
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some(LINK_REL))
        .clean_content_tags(HashSet::from(["script", "style", "title", "noscript"]))
        .attribute_filter(move |element, attribute, value| {
            if element == "img" && attribute == "src" {
                let cid = strip_cid_scheme(value)?;
                return match &resolve {
                    Some(resolve) => resolve(cid).map(Cow::Owned),
                    None => Some(Cow::Borrowed(value)),
                };
            }
            if URL_ATTRIBUTES.contains(&attribute) && !has_scheme(value) {
                // A relative link in a mail has no base to resolve against; it can only mislead.
                return None;
            }
            Some(Cow::Borrowed(value))
        });
    builder.clean(html).to_string()
}

/// Attributes that hold a URL in the tags ammonia allows.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "longdesc", "action"];

/// True when `url` starts with a scheme (`https:`, `mailto:`), as opposed to a relative or
/// protocol-relative (`//host/…`) URL.
fn has_scheme(url: &str) -> bool {
    let url = url.trim();
    match url.find([':', '/', '?', '#']) {
        Some(end) if url.as_bytes()[end] == b':' => {
            let scheme = &url[..end];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// Returns the content id of a `cid:` URL (case-insensitive scheme), or `None` for any other
/// source: remote, relative, protocol-relative or `data:`.
fn strip_cid_scheme(src: &str) -> Option<&str> {
    let src = src.trim();
    let scheme = src.get(..4)?;
    scheme
        .eq_ignore_ascii_case("cid:")
        .then(|| src.get(4..))
        .flatten()
        .filter(|cid| !cid.is_empty())
}

/// Turns HTML into readable plain text: block elements become line breaks, list items get a
/// dash, table cells are separated by spaces, and `<blockquote>` lines get a `> ` prefix so
/// that [`crate::split_quoted`] can fold them. Scripts, styles and titles are dropped.
///
/// The HTML is first normalised by ammonia down to a few attribute-free structural tags; the
/// small scanner below then only ever sees well-formed `<tag>`/`</tag>` tokens and escaped text.
pub fn html_to_text(html: &str) -> String {
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
    fn sc4_scripts_handlers_and_javascript_links_are_removed() {
        let html = r#"<p onclick="steal()">Xin chào<script>alert(1)</script></p>
            <img src="x" onerror="alert(2)"><a href="javascript:alert(3)">bấm</a>
            <a href="https://vd.vn/">trang</a><iframe src="https://evil"></iframe>"#;
        let clean = sanitize_html(html);
        for bad in [
            "script",
            "onclick",
            "onerror",
            "javascript",
            "iframe",
            "alert",
        ] {
            assert!(!clean.contains(bad), "{bad} survived in {clean}");
        }
        assert!(clean.contains(r#"<a href="https://vd.vn/" rel="noopener noreferrer nofollow">"#));
        assert!(clean.contains("Xin chào"));
    }

    #[test]
    fn sc4_remote_images_are_not_loaded_but_cid_images_stay() {
        let html = r#"<img src="https://tracker.example/p.gif" alt="t"><img src="//cdn/x.png">
            <img src="data:image/png;base64,AAAA"><img src="cid:logo@vd.vn" alt="logo">"#;
        let clean = sanitize_html(html);
        assert!(!clean.contains("tracker"));
        assert!(!clean.contains("cdn"));
        assert!(!clean.contains("data:"));
        assert!(clean.contains(r#"src="cid:logo@vd.vn""#));
    }

    #[test]
    fn cid_sources_can_be_resolved_to_attachment_urls() {
        let clean = sanitize_html_with_cid(r#"<img src="CID:logo@vd.vn">"#, |cid| {
            (cid == "logo@vd.vn").then(|| "/files/abc".to_owned())
        });
        assert_eq!(clean, r#"<img src="/files/abc">"#);
        let relative = sanitize_html(r#"<a href="/admin">x</a><a href="//evil/">y</a>"#);
        assert!(!relative.contains("href"), "{relative}");
    }

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
