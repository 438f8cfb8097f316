//! The words every answer must begin and end with (RP-1, RP-2).
//!
//! The strings come from the policy, so another company sets its own. Comparison is on
//! NFC text, so a reply typed with decomposed Vietnamese still matches.

use crate::kinds::{Channel, Language};
use crate::policy::Policy;
use crate::rejection::FieldError;
use crate::text;

/// Checks a cleaned reply body for the policy greeting and, on e-mail, the closing.
pub fn check(body: &str, channel: Channel, policy: &Policy) -> Result<(), Vec<FieldError>> {
    check_with(body, channel, &policy.reply.greeting, &policy.reply.closing)
}

/// Like [`check`], for a customer written to in `language`: one who wrote in English may be
/// answered with the policy's English greeting and closing (TR-1); the Vietnamese ones are
/// always right. A reply with neither is refused with the Vietnamese rule's errors.
pub fn check_for(
    body: &str,
    channel: Channel,
    policy: &Policy,
    language: Option<Language>,
) -> Result<(), Vec<FieldError>> {
    let vietnamese = check(body, channel, policy);
    match language {
        Some(Language::En) if vietnamese.is_err() => check_with(
            body,
            channel,
            &policy.notices.greeting_en,
            &policy.notices.closing_en,
        )
        .or(vietnamese),
        _ => vietnamese,
    }
}

fn check_with(
    body: &str,
    channel: Channel,
    greeting: &str,
    closing: &str,
) -> Result<(), Vec<FieldError>> {
    let body = text::nfc(body);
    let mut errors = Vec::new();
    let greeting = text::nfc(greeting.trim());
    if !body.trim_start().starts_with(&greeting) {
        errors.push(FieldError::new("body", "reply.greeting"));
    }
    if channel == Channel::Email {
        let closing = text::nfc(closing.trim());
        // A full stop or an exclamation mark after the closing is still the closing.
        let end = body.trim_end().trim_end_matches(['.', '!', '…']).trim_end();
        if !closing.is_empty() && !end.ends_with(closing.trim_end_matches(['.', '!', '…'])) {
            errors.push(FieldError::new("body", "reply.closing"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLOSING: &str = "Cám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi";

    fn rules(r: Result<(), Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.rule)
            .collect()
    }

    #[test]
    fn rp2_greeting_is_required_on_every_channel() {
        let p = Policy::builtin();
        assert_eq!(
            rules(check("Chào anh, ...", Channel::Web, &p)),
            ["reply.greeting"]
        );
        assert!(
            check(
                "Kính thưa quý khách, chúng tôi đã xử lý.",
                Channel::Phone,
                &p
            )
            .is_ok()
        );
        // Decomposed input (as some keyboards type it) matches the composed policy text.
        let decomposed = "Ki\u{301}nh thu\u{31b}a quy\u{301} kha\u{301}ch, xin chào.";
        assert!(check(decomposed, Channel::Web, &p).is_ok());
    }

    #[test]
    fn rp2_email_replies_end_with_the_closing() {
        let p = Policy::builtin();
        let body = "Kính thưa quý khách,\n\nYêu cầu đã được xử lý.";
        assert_eq!(rules(check(body, Channel::Email, &p)), ["reply.closing"]);
        let good = format!("{body}\n\n{CLOSING}.\n");
        assert!(check(&good, Channel::Email, &p).is_ok());
        assert_eq!(
            rules(check("Xin chào", Channel::Email, &p)),
            ["reply.greeting", "reply.closing"]
        );
    }

    #[test]
    fn rp2_tr1_a_customer_who_wrote_english_may_be_answered_in_english() {
        let p = Policy::builtin();
        let english = "Dear customer,\n\nThe DNS record is fixed.\n\n\
                       Thank you for your interest in our products and services.";
        let en = Some(Language::En);
        assert!(check_for(english, Channel::Email, &p, en).is_ok());
        let vietnamese = format!("Kính thưa quý khách,\n\nĐã xử lý.\n\n{CLOSING}");
        assert!(check_for(&vietnamese, Channel::Email, &p, en).is_ok());
        // Not for a Vietnamese customer; and neither set: the Vietnamese rule's errors.
        assert_eq!(
            rules(check_for(english, Channel::Email, &p, None)),
            ["reply.greeting", "reply.closing"]
        );
        assert_eq!(
            rules(check_for("Hi,\n\nFixed.", Channel::Email, &p, en)),
            ["reply.greeting", "reply.closing"]
        );
    }

    #[test]
    fn rp2_strings_come_from_the_policy() {
        let mut p = Policy::builtin();
        p.reply.greeting = "Dear customer".into();
        p.reply.closing = "Best regards".into();
        assert!(check("Dear customer, done. Best regards", Channel::Email, &p).is_ok());
        assert_eq!(
            rules(check("Kính thưa quý khách", Channel::Web, &p)),
            ["reply.greeting"]
        );
    }
}
