//! Message catalogues: Vietnamese first, English second (one file per locale in `locales/`).

use hotro_core::Language;
use std::collections::HashMap;
use std::sync::OnceLock;

fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// Each locale's catalogue: the API's messages and the web pages' words (the administrators'
/// pages in a file of their own).
fn catalogue(locale: Language) -> &'static HashMap<&'static str, &'static str> {
    static VI: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    static EN: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    match locale {
        Language::Vi => VI.get_or_init(|| {
            let mut m = parse(include_str!("../locales/vi.txt"));
            m.extend(parse(include_str!("../locales/web.vi.txt")));
            m.extend(parse(include_str!("../locales/admin.vi.txt")));
            m
        }),
        Language::En => EN.get_or_init(|| {
            let mut m = parse(include_str!("../locales/en.txt"));
            m.extend(parse(include_str!("../locales/web.en.txt")));
            m.extend(parse(include_str!("../locales/admin.en.txt")));
            m
        }),
    }
}

/// A translator bound to one locale, for templates: `{{ t.get("web.key") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Language);

impl Tr {
    pub fn get(&self, key: &str) -> String {
        text(self.0, key, &[])
    }

    /// With one `{name}` placeholder filled.
    pub fn with(&self, key: &str, name: &str, value: &str) -> String {
        text(self.0, key, &[(name, value)])
    }

    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }

    /// The label of a form field: `web.form.<name>`.
    pub fn field(&self, name: &str) -> String {
        self.get(&format!("web.form.{name}"))
    }

    /// The label of a vocabulary value, e.g. `label("status", "answered")`.
    pub fn label(&self, vocabulary: &str, value: &str) -> String {
        self.get(&format!("{vocabulary}.{value}"))
    }
}

/// The message for `key`, with `{name}` placeholders filled; `None` if the key is unknown.
pub fn lookup(locale: Language, key: &str, args: &[(&str, &str)]) -> Option<String> {
    let mut text = (*catalogue(locale).get(key)?).to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    Some(text)
}

/// Like [`lookup`], falling back to the key itself so a missing entry shows, not hides.
pub fn text(locale: Language, key: &str, args: &[(&str, &str)]) -> String {
    lookup(locale, key, args).unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let vi: Vec<_> = {
            let mut k: Vec<_> = catalogue(Language::Vi).keys().collect();
            k.sort();
            k
        };
        let mut en: Vec<_> = catalogue(Language::En).keys().collect();
        en.sort();
        assert_eq!(vi, en);
        assert!(vi.len() > 30);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            text(
                Language::Vi,
                "error.illegal_transition",
                &[("from", "closed"), ("to", "answered")]
            ),
            "Không thể chuyển trạng thái từ \"closed\" sang \"answered\"."
        );
    }
}

/// An amount of đồng as both staff and customers read it: thousands grouped with dots
/// ("1.200.000 đ"), the Vietnamese way, in either language.
pub fn amount_vnd(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{out} đ")
}

#[cfg(test)]
mod amount_tests {
    use super::amount_vnd;

    #[test]
    fn amounts_group_thousands_with_dots() {
        assert_eq!(amount_vnd(0), "0 đ");
        assert_eq!(amount_vnd(999), "999 đ");
        assert_eq!(amount_vnd(1_000), "1.000 đ");
        assert_eq!(amount_vnd(1_200_000), "1.200.000 đ");
        assert_eq!(amount_vnd(-25_000), "-25.000 đ");
    }
}
