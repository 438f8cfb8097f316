//! Prints what `hotro_mail::parse` reads from .eml files, for looking at a problem mail by hand:
//! `cargo run -p hotro-mail --example parse_eml -- message.eml ...`.

use hotro_mail::{Limits, parse};

fn main() {
    for path in std::env::args().skip(1) {
        let raw = match std::fs::read(&path) {
            Ok(raw) => raw,
            Err(error) => {
                eprintln!("{path}: {error}");
                continue;
            }
        };
        let mail = parse(&raw, &Limits::default());
        println!("== {path}");
        println!("message_id: {:?}", mail.message_id);
        println!(
            "in_reply_to: {:?} references: {:?}",
            mail.in_reply_to, mail.references
        );
        println!("subject: {:?}", mail.subject);
        println!("from: {:?} reply_to: {:?}", mail.from, mail.reply_to);
        println!("to: {:?} cc: {:?}", mail.to, mail.cc);
        println!("date: {:?}", mail.date.map(|d| d.to_string()));
        println!(
            "text (from html: {}): {:?}",
            mail.text_from_html, mail.text_body
        );
        println!("html: {:?}", mail.html_body);
        for a in &mail.attachments {
            println!(
                "attachment: {:?} (original {:?}) {} cid={:?} inline={} {} bytes sha256={}",
                a.name,
                a.original_name,
                a.content_type,
                a.content_id,
                a.inline,
                a.bytes.len(),
                a.sha256
            );
        }
        println!("automatic: {:?}", mail.automatic);
        println!("problems: {:?}", mail.problems);
        let split = mail.split_text();
        println!("new: {:?}\nquoted: {:?}", split.new_text, split.quoted);
    }
}
