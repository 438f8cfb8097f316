//! Message catalogues: Vietnamese first, English second (one file per locale in `locales/`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// A supported locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Vi,
    En,
}

fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn catalogue(locale: Locale) -> &'static HashMap<&'static str, &'static str> {
    static VI: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    static EN: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    match locale {
        Locale::Vi => VI.get_or_init(|| parse(include_str!("../locales/vi.txt"))),
        Locale::En => EN.get_or_init(|| parse(include_str!("../locales/en.txt"))),
    }
}

/// The message for `key`, with `{name}` placeholders filled; `None` if the key is unknown.
pub fn lookup(locale: Locale, key: &str, args: &[(&str, &str)]) -> Option<String> {
    let mut text = (*catalogue(locale).get(key)?).to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    Some(text)
}

/// Like [`lookup`], falling back to the key itself so a missing entry shows, not hides.
pub fn text(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    lookup(locale, key, args).unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let vi: Vec<_> = {
            let mut k: Vec<_> = catalogue(Locale::Vi).keys().collect();
            k.sort();
            k
        };
        let mut en: Vec<_> = catalogue(Locale::En).keys().collect();
        en.sort();
        assert_eq!(vi, en);
        assert!(vi.len() > 30);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            text(
                Locale::Vi,
                "error.illegal_transition",
                &[("from", "closed"), ("to", "answered")]
            ),
            "Không thể chuyển trạng thái từ \"closed\" sang \"answered\"."
        );
    }
}
