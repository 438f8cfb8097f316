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

/// Each locale's catalogue: the API's messages and the web pages' words.
fn catalogue(locale: Language) -> &'static HashMap<&'static str, &'static str> {
    static VI: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    static EN: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    match locale {
        Language::Vi => VI.get_or_init(|| {
            let mut m = parse(include_str!("../locales/vi.txt"));
            m.extend(parse(include_str!("../locales/web.vi.txt")));
            m
        }),
        Language::En => EN.get_or_init(|| {
            let mut m = parse(include_str!("../locales/en.txt"));
            m.extend(parse(include_str!("../locales/web.en.txt")));
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
