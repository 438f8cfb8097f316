//! The words every answer must begin and end with (RP-1, RP-2).
//!
//! The strings come from the policy, so another company sets its own. Comparison is on
//! NFC text, so a reply typed with decomposed Vietnamese still matches.

use crate::kinds::Channel;
use crate::policy::Policy;
use crate::rejection::FieldError;
use crate::text;

/// Checks a cleaned reply body for the policy greeting and, on e-mail, the closing.
pub fn check(body: &str, channel: Channel, policy: &Policy) -> Result<(), Vec<FieldError>> {
    let body = text::nfc(body);
    let mut errors = Vec::new();
    let greeting = text::nfc(policy.reply.greeting.trim());
    if !body.trim_start().starts_with(&greeting) {
        errors.push(FieldError::new("body", "reply.greeting"));
    }
    if channel == Channel::Email {
        let closing = text::nfc(policy.reply.closing.trim());
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
