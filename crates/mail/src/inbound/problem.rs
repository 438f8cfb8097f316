//! What the parser could not read in a message, recorded instead of rejecting it (CH-7).

use std::fmt;

/// One thing that was wrong with a message. Parsing goes on after each of them; the caller
/// stores the message anyway and shows the problems to an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The message is bigger than [`super::Limits::max_message_bytes`]; only its headers were read.
    TooLarge { size: usize, limit: usize },
    /// Nothing in the input looked like a mail header.
    NoHeaders,
    /// No `From` address could be read, so there is nobody to answer.
    NoSender,
    /// The message has no `Message-ID`, so a duplicate cannot be recognised by it.
    NoMessageId,
    /// A `Date` header is present but could not be read.
    BadDate,
    /// A part names a charset that no decoder knows; it was decoded as UTF-8 with replacement
    /// characters.
    UnknownCharset { charset: String },
    /// A part's transfer encoding (base64, quoted-printable) or structure was broken; its raw
    /// content was kept as text.
    BrokenPart,
    /// The message has more MIME parts than [`super::Limits::max_parts`]; the rest were skipped.
    TooManyParts { limit: usize },
    /// Parts are nested deeper than [`super::Limits::max_depth`]; the deeper ones were skipped.
    TooDeep { limit: usize },
    /// The HTML body is nested so deeply that parsing it would take too long; it is shown as
    /// its text with the tags stripped.
    HtmlTooComplex,
    /// The MIME library panicked on this input. The panic was contained and only the headers
    /// that could be read are returned. This should never happen; the fuzz target looks for it.
    ParserFailed,
}

impl Problem {
    /// A stable machine code for the problem, for storage and for the agent UI's message keys.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::TooLarge { .. } => "too_large",
            Problem::NoHeaders => "no_headers",
            Problem::NoSender => "no_sender",
            Problem::NoMessageId => "no_message_id",
            Problem::BadDate => "bad_date",
            Problem::UnknownCharset { .. } => "unknown_charset",
            Problem::BrokenPart => "broken_part",
            Problem::TooManyParts { .. } => "too_many_parts",
            Problem::TooDeep { .. } => "too_deep",
            Problem::HtmlTooComplex => "html_too_complex",
            Problem::ParserFailed => "parser_failed",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::TooLarge { size, limit } => {
                write!(
                    f,
                    "message of {size} bytes is over the limit of {limit} bytes"
                )
            }
            Problem::NoHeaders => f.write_str("no mail headers found"),
            Problem::NoSender => f.write_str("no readable sender address"),
            Problem::NoMessageId => f.write_str("no Message-ID"),
            Problem::BadDate => f.write_str("unreadable Date header"),
            Problem::UnknownCharset { charset } => write!(f, "unknown charset {charset:?}"),
            Problem::BrokenPart => f.write_str("a MIME part was broken and kept as raw text"),
            Problem::TooManyParts { limit } => write!(f, "more than {limit} MIME parts"),
            Problem::TooDeep { limit } => write!(f, "MIME parts nested deeper than {limit}"),
            Problem::HtmlTooComplex => f.write_str("HTML body too deeply nested to parse"),
            Problem::ParserFailed => f.write_str("the MIME parser failed on this message"),
        }
    }
}
