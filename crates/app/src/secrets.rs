//! Secrets shared by every door (SC-1): argon2id password hashes, API tokens, session ids and
//! tracking secrets. Only their SHA-256 digests (or the PHC string) are ever stored.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// The fewest characters a password may have; length alone is not enough (`aaaaaaaaaa`),
/// so [`check_password`] also asks zxcvbn how guessable it is.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a password is refused: the key of its reason in `locales/` (`password.…`), so every
/// door can say why in both languages (`texts::both`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeakPassword(pub &'static str);

/// Checks a password before it is set (SC-1): at least [`MIN_PASSWORD_CHARS`] characters,
/// and not guessable by the patterns password crackers try first — common passwords and
/// words, repeats, sequences, keyboard rows, dates, or the account's own e-mail and name
/// (`user_inputs`). zxcvbn's score 3 of 4 ("safely unguessable") is the bar: its estimate
/// of at least 10^8 guesses, with argon2id's cost per guess, is out of an online or a slow
/// offline attack's reach.
pub fn check_password(password: &str, user_inputs: &[&str]) -> Result<(), WeakPassword> {
    use zxcvbn::feedback::Warning;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(WeakPassword("password.too_short"));
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if estimate.score() >= zxcvbn::Score::Three {
        return Ok(());
    }
    let warning = estimate.feedback().and_then(|f| f.warning());
    let reason = match warning {
        Some(Warning::RepeatsLikeAaaAreEasyToGuess)
        | Some(Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess) => "password.repeated",
        Some(Warning::SequencesLikeAbcAreEasyToGuess) => "password.sequence",
        Some(Warning::StraightRowsOfKeysAreEasyToGuess)
        | Some(Warning::ShortKeyboardPatternsAreEasyToGuess) => "password.keyboard",
        Some(Warning::ThisIsATop10Password)
        | Some(Warning::ThisIsATop100Password)
        | Some(Warning::ThisIsACommonPassword)
        | Some(Warning::ThisIsSimilarToACommonlyUsedPassword) => "password.common",
        Some(Warning::AWordByItselfIsEasyToGuess)
        | Some(Warning::NamesAndSurnamesByThemselvesAreEasyToGuess)
        | Some(Warning::CommonNamesAndSurnamesAreEasyToGuess) => "password.word",
        Some(Warning::RecentYearsAreEasyToGuess) | Some(Warning::DatesAreOftenEasyToGuess) => {
            "password.date"
        }
        _ => "password.guessable",
    };
    Err(WeakPassword(reason))
}

/// Hashes a password with argon2id and a fresh salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// A hash to verify against when a sign-in names an unknown e-mail, so that it takes as
/// long as a wrong password and does not reveal which addresses exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account").unwrap_or_default())
}

/// Whether `password` matches the stored PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// `n` random bytes as lower-case hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    hex::encode(bytes)
}

/// The SHA-256 of a secret, as stored.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new API token: what the user keeps, and what the store keeps.
pub fn new_api_token() -> (String, String) {
    let token = format!("hotro_{}", random_hex(32));
    let hash = digest(&token);
    (token, hash)
}

/// A new tracking secret for a customer (shown once) and its digest (stored).
pub fn new_tracking_secret() -> (String, String) {
    let secret = random_hex(24);
    let hash = digest(&secret);
    (secret, hash)
}

/// A password people can read aloud and type: 4 groups of 5 characters without look-alikes.
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sc1_passwords_are_argon2id_and_verify() {
        let phc = hash_password("mật khẩu dài").unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(verify_password("mật khẩu dài", &phc));
        assert!(!verify_password("mat khau dai", &phc));
        assert!(!verify_password("x", "not a hash"));
    }

    /// Issue 14: length is not strength; each refusal names its reason.
    #[test]
    fn sc1_weak_passwords_are_refused_with_the_reason() {
        for (password, reason) in [
            ("ngắn", "password.too_short"),
            ("aaaaaaaaaa", "password.repeated"),
            ("abcabcabcabc", "password.repeated"),
            ("1234567890", "password.common"),
            ("password123", "password.common"),
            ("qwertyuiop", "password.common"),
            ("asdfghjkl;", "password.keyboard"),
            ("hgfedcbazyx", "password.sequence"),
            ("19/08/1985", "password.date"),
        ] {
            assert_eq!(
                check_password(password, &[]),
                Err(WeakPassword(reason)),
                "{password}"
            );
        }
        assert!(check_password("lan@example.vn1", &["lan@example.vn"]).is_err());
        for good in [
            "mật khẩu đủ dài",
            "mật-khẩu-thử-nghiệm",
            "mật-khẩu-kiểm-thử",
        ] {
            assert_eq!(check_password(good, &[]), Ok(()), "{good}");
        }
    }

    /// The passwords hotro makes up (first administrator, `user add` without a password)
    /// pass the same check.
    #[test]
    fn sc1_generated_passwords_are_strong() {
        for _ in 0..200 {
            let pw = new_password();
            assert_eq!(check_password(&pw, &[]), Ok(()), "{pw}");
        }
    }

    #[test]
    fn generated_secrets_have_the_documented_shape() {
        let (token, hash) = new_api_token();
        assert!(token.starts_with("hotro_") && token.len() == 70);
        assert_eq!(hash, digest(&token));
        let pw = new_password();
        assert_eq!(pw.len(), 23);
        assert!(!pw.contains(['0', 'o', '1', 'l', 'i']));
        let (secret, hash) = new_tracking_secret();
        assert_eq!((secret.len(), hash), (48, digest(&secret)));
    }
}
