//! Search words (SE-1): the one folding rule shared by the index and the query, so that
//! "khieu nai" finds "khiếu nại", "dang ky" finds "đăng ký" and "da nang" finds "Đà Nẵng".
//!
//! Folding happens here, in Rust, rather than in each database's tokenizer: SQLite's
//! `remove_diacritics` leaves `đ` alone (it has no decomposition) and PostgreSQL's `unaccent`
//! is an extension a hosted database may not allow. Both backends therefore index the same
//! folded words, split by spaces, and match whole words; ranking is theirs (bm25, ts_rank).

use crate::event::Event;
use crate::rejection::Rejection;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// More words than this in one query are refused: every word is one more index lookup.
pub const MAX_QUERY_WORDS: usize = 8;
/// A query longer than this (in characters) is refused before any work is done on it.
pub const MAX_QUERY_CHARS: usize = 256;
/// Words longer than this are cut: no real word is, and the index need not hold essays.
const MAX_WORD_CHARS: usize = 64;

/// Folds one word: decomposed, without combining marks (tones and vowel hats), `đ`/`Đ` as
/// `d`, lower case. Composed (NFC) and decomposed (NFD) input fold alike.
pub fn fold_word(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(|c| match c {
            'đ' | 'Đ' => 'd'.to_lowercase(),
            other => other.to_lowercase(),
        })
        .take(MAX_WORD_CHARS)
        .collect()
}

/// The words of `text` with their byte ranges in it: runs of letters and digits (combining
/// marks stay with their letter, so a decomposed "ế" is not split off its "e").
pub fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() || is_combining_mark(c) {
                chars.next();
            } else {
                end = i;
                break;
            }
        }
        Some(start..end)
    })
}

/// What the index stores for `text`: its folded words separated by single spaces.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for range in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&fold_word(&text[range]));
    }
    out
}

/// What of an event a search can find: a message's text, and for the ticket's first message
/// also its code, subject and customer's name. `None` for events that carry no message.
pub fn searchable_text(event: &Event) -> Option<String> {
    match event {
        Event::Received(r) => Some(format!(
            "{}\n{}\n{}\n{}",
            r.code, r.subject, r.customer.name, r.description
        )),
        Event::Replied { body, .. }
        | Event::CustomerWrote { body, .. }
        | Event::NoteAdded { body } => Some(body.clone()),
        _ => None,
    }
}

/// A searcher's words, folded, distinct, in the order typed. Every word must occur in a
/// match; operators and quotes are not syntax here, just characters between words, so no
/// input can be an index syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// Reads what the searcher typed; `field` names the input in a rejection.
    pub fn parse(field: &str, input: &str) -> Result<SearchQuery, Rejection> {
        let refuse = |rule: &str| Rejection::field(field, rule);
        if input.chars().count() > MAX_QUERY_CHARS {
            return Err(refuse("search.too_long"));
        }
        let mut folded: Vec<String> = Vec::new();
        for range in words(input) {
            let word = fold_word(&input[range]);
            if !folded.contains(&word) {
                folded.push(word);
            }
        }
        if folded.is_empty() {
            return Err(refuse("search.no_words"));
        }
        if folded.len() > MAX_QUERY_WORDS {
            return Err(refuse("search.too_many_words"));
        }
        Ok(SearchQuery { words: folded })
    }

    /// The folded words.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The words as an SQLite FTS5 query: each a quoted string (folded words hold no quote,
    /// but quoting makes that not matter), all required.
    pub fn to_fts5(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The words as a PostgreSQL `to_tsquery('simple', …)` argument: each single-quoted
    /// (a lexeme, never an operator), all required.
    pub fn to_tsquery(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("'{}'", w.replace('\\', "\\\\").replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(" & ")
    }
}

/// How well a ticket answers a query, from what a query can afford to read for every
/// candidate: its headline (code, subject, customer name) and how many of its messages
/// matched. Every candidate already holds every word somewhere; the headline holding them,
/// better still in the order typed (Vietnamese words are syllables: "khiếu nại" is two),
/// says the ticket is about them. Ties keep the caller's order (the most recent match first).
///
/// Corpus statistics (bm25) were the alternative: FTS5 computes them by reading each word's
/// whole posting list, which at a million tickets costs more than the search's time budget.
pub fn rank(query: &SearchQuery, headline: &str, matching_messages: usize) -> f64 {
    let folded: Vec<String> = words(headline).map(|r| fold_word(&headline[r])).collect();
    let present = query.words.iter().filter(|w| folded.contains(w)).count();
    let coverage = present as f64 / query.words.len() as f64;
    let phrase = query.words.len() > 1
        && folded
            .windows(query.words.len())
            .any(|w| w == query.words.as_slice());
    let messages = matching_messages.clamp(1, 5) as f64;
    2.0 * coverage + if phrase { 1.0 } else { 0.0 } + 0.1 * messages
}

/// A piece of a snippet: text as written, and whether it is a word the searcher asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// Up to `max_words` words of `text` around the first word the query asks for, with the
/// asked-for words marked. The text keeps its own diacritics: only the comparison folds.
pub fn snippet(text: &str, query: &SearchQuery, max_words: usize) -> Vec<SnippetPart> {
    let ranges: Vec<Range<usize>> = words(text).collect();
    let is_hit = |r: &Range<usize>| query.words.contains(&fold_word(&text[r.clone()]));
    let first_hit = ranges.iter().position(is_hit).unwrap_or(0);
    let start = first_hit.saturating_sub(max_words / 3);
    let end = (start + max_words).min(ranges.len());
    let Some(window) = ranges.get(start..end).filter(|w| !w.is_empty()) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    if start > 0 {
        parts.push(plain("… "));
    }
    let mut at = window[0].start;
    for r in window {
        if r.start > at {
            parts.push(plain(&flatten(&text[at..r.start])));
        }
        parts.push(SnippetPart {
            text: text[r.clone()].to_owned(),
            hit: is_hit(r),
        });
        at = r.end;
    }
    if end < ranges.len() {
        parts.push(plain(" …"));
    }
    merge(parts)
}

fn plain(text: &str) -> SnippetPart {
    SnippetPart {
        text: text.to_owned(),
        hit: false,
    }
}

/// Line breaks and runs of blanks between words read as one space in a one-line snippet.
fn flatten(between: &str) -> String {
    let mut out = String::with_capacity(between.len());
    let mut blank = false;
    for c in between.chars() {
        if c.is_whitespace() {
            if !blank {
                out.push(' ');
            }
            blank = true;
        } else {
            out.push(c);
            blank = false;
        }
    }
    out
}

/// Joins neighbouring parts of the same kind, so a client renders few elements.
fn merge(parts: Vec<SnippetPart>) -> Vec<SnippetPart> {
    let mut out: Vec<SnippetPart> = Vec::with_capacity(parts.len());
    for part in parts {
        match out.last_mut() {
            Some(last) if last.hit == part.hit => last.text.push_str(&part.text),
            _ => out.push(part),
        }
    }
    out
}

/// The index term that marks a message with its ticket's department, so that the index itself
/// keeps an agent's search to their department (RT-4) instead of yielding every department's
/// matches for the query to drop. Letters and digits only, so the tokenizer keeps it whole;
/// a searcher who types it narrows their own results and sees nothing more.
pub fn department_term(department: &str) -> String {
    let code: String = department
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("zqdept{code}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(s: &str) -> SearchQuery {
        SearchQuery::parse("q", s).unwrap()
    }

    #[test]
    fn a_department_term_is_one_index_token_no_folded_word_becomes() {
        assert_eq!(department_term("sales"), "zqdeptsales");
        assert_eq!(department_term("Sales-2"), "zqdeptsales2");
        // What the index stores for a department survives folding as the same single word.
        assert_eq!(index_text(&department_term("customer")), "zqdeptcustomer");
        // Words of a query never carry it unless typed, and then only narrow the search.
        assert!(!index_text("Phòng kinh doanh sales").contains("zqdept"));
    }

    #[test]
    fn se1_vietnamese_folds_to_plain_latin() {
        assert_eq!(index_text("Khiếu nại"), "khieu nai");
        assert_eq!(index_text("ĐĂNG KÝ"), "dang ky");
        assert_eq!(index_text("Đà Nẵng, ngày 5/3"), "da nang ngay 5 3");
        // Decomposed input (as some Mac mail clients send it) folds the same.
        let nfd: String = "Đà Nẵng".nfd().collect();
        assert_eq!(index_text(&nfd), "da nang");
    }

    #[test]
    fn se1_query_words_are_folded_distinct_and_bounded() {
        assert_eq!(q("Khieu  NẠI khiếu").words(), ["khieu", "nai"]);
        let field = |r: Rejection| match r {
            Rejection::Invalid(f) => f[0].rule.clone(),
            other => panic!("unexpected {other:?}"),
        };
        let err = |s: &str| field(SearchQuery::parse("q", s).unwrap_err());
        assert_eq!(err("  \"*\" -- () 🎉"), "search.no_words");
        assert_eq!(err(&"a ".repeat(300)), "search.too_long");
        assert_eq!(err("a b c d e f g h i"), "search.too_many_words");
    }

    #[test]
    fn se1_operators_are_plain_characters() {
        let query = q("\"khieu\" OR nai* NEAR(x) -y");
        assert_eq!(query.words(), ["khieu", "or", "nai", "near", "x", "y"]);
        assert_eq!(
            query.to_fts5(),
            "\"khieu\" AND \"or\" AND \"nai\" AND \"near\" AND \"x\" AND \"y\""
        );
        assert_eq!(q("it's").to_tsquery(), "'it' & 's'");
    }

    #[test]
    fn se1_snippet_marks_the_words_as_written() {
        let text = "Kính gửi.\nTôi muốn khiếu nại về hóa đơn tháng 3 tại Đà Nẵng.";
        let parts = snippet(text, &q("khieu nai da nang"), 30);
        let hits: Vec<&str> = parts
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, ["khiếu", "nại", "Đà", "Nẵng"]);
        let all: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            all,
            "Kính gửi. Tôi muốn khiếu nại về hóa đơn tháng 3 tại Đà Nẵng"
        );
    }

    #[test]
    fn se1_snippet_of_a_long_text_is_a_window_around_the_hit() {
        let text = format!("{} bảo hành {}", "lời ".repeat(50), "cuối ".repeat(50));
        let parts = snippet(&text, &q("bao hanh"), 12);
        let all: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert!(all.starts_with("… lời"), "{all}");
        assert!(all.ends_with("cuối …"), "{all}");
        assert_eq!(all.split_whitespace().filter(|w| *w != "…").count(), 12);
    }

    #[test]
    fn se1_rank_prefers_the_words_in_the_headline_and_in_order() {
        let query = q("khieu nai");
        let phrase = rank(&query, "HT-1 Khiếu nại về cước Nguyễn An", 1);
        let scattered = rank(&query, "HT-2 Nại hồ sơ khiếu Trần Bình", 1);
        let half = rank(&query, "HT-3 Khiếu kiện Lê Cúc", 1);
        let body_only = rank(&query, "HT-4 Hỏi cước Phạm Dung", 1);
        let body_often = rank(&query, "HT-5 Hỏi cước Phạm Dung", 4);
        assert!(phrase > scattered, "{phrase} {scattered}");
        assert!(scattered > half, "{scattered} {half}");
        assert!(half > body_often, "{half} {body_often}");
        assert!(body_often > body_only, "{body_often} {body_only}");
    }

    proptest! {
        #[test]
        fn se1_any_input_parses_or_is_refused_and_never_panics(s in "\\PC{0,300}") {
            if let Ok(query) = SearchQuery::parse("q", &s) {
                prop_assert!(!query.words().is_empty());
                let _ = snippet(&s, &query, 20);
            }
        }

        #[test]
        fn se1_index_words_are_what_queries_fold_to(s in "[a-zA-ZàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễđĐ ]{1,60}") {
            let indexed = index_text(&s);
            if let Ok(query) = SearchQuery::parse("q", &s) {
                for w in query.words() {
                    prop_assert!(indexed.split(' ').any(|x| x == w));
                }
            }
            let nfd: String = s.nfd().collect();
            prop_assert_eq!(index_text(&nfd), indexed);
        }
    }
}
