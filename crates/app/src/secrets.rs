//! Secrets shared by every door (SC-1): argon2id password hashes, API tokens, session ids and
//! tracking secrets. Only their SHA-256 digests (or the PHC string) are ever stored.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

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
