//! HTML from mail, made safe to show an agent (SC-4) and turned into plain text when a message
//! has no text part.

mod guard;
mod text;

pub(crate) use guard::is_too_complex;
pub use text::html_to_text;

use std::borrow::Cow;
use std::collections::HashSet;

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
    if is_too_complex(html) {
        return guard::escaped_text(html);
    }
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
}
