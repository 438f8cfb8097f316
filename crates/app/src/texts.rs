//! The words the use cases write on a ticket for an agent (system notes, placeholders for what
//! a mail lacked), from the catalogues in `locales/`: Vietnamese first, English second.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One catalogue's `key = text` lines.
fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn catalogue() -> &'static HashMap<&'static str, &'static str> {
    static VI: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    VI.get_or_init(|| parse(include_str!("../locales/vi.txt")))
}

fn english() -> &'static HashMap<&'static str, &'static str> {
    static EN: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    EN.get_or_init(|| parse(include_str!("../locales/en.txt")))
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out.replace("\\n", "\n")
}

/// The Vietnamese text of `key` with its `{name}` values filled and `\n` as a line break.
/// Notes are for the company's staff, who read Vietnamese; the English catalogue is kept in
/// step for installations that translate them.
pub fn vi(key: &str, args: &[(&str, &str)]) -> String {
    fill(catalogue().get(key).copied().unwrap_or(key), args)
}

/// The English text of `key`, for the mails that carry both languages (a member of staff's
/// account locked: `core::sign_in::lock_notice`).
pub fn en(key: &str, args: &[(&str, &str)]) -> String {
    fill(english().get(key).copied().unwrap_or(key), args)
}

/// The Vietnamese and the English text of `key`, for what a person reads at once (a refusal
/// on the command line), Vietnamese first.
pub fn both(key: &str) -> (String, String) {
    (vi(key, &[]), en(key, &[]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_catalogues_name_the_same_keys() {
        let keys = |text: &str| -> Vec<String> {
            let mut k: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.to_owned()))
                .collect();
            k.sort();
            k
        };
        assert_eq!(
            keys(include_str!("../locales/vi.txt")),
            keys(include_str!("../locales/en.txt"))
        );
        assert_eq!(
            super::vi("mail.note.automatic", &[("reason", "bounce")]),
            "Thư do máy gửi (bounce): không gửi thư trả lời tự động."
        );
    }
}
