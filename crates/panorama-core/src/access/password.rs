//! Passwords: checked at the edge, hashed with Argon2id, verified in constant time.

use crate::error::{Error, Result, codes};
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash as Phc};
use rand::RngCore;

/// Fewest characters a password may have.
pub const PASSWORD_CHARS_MIN: usize = 10;
/// Most characters a password may have (Argon2 takes any length; this bounds the work).
pub const PASSWORD_CHARS_MAX: usize = 256;
/// Characters of a generated password.
const GENERATED_CHARS: usize = 20;
/// What generated passwords are made of: no look-alikes (`0`/`O`, `1`/`l`/`I`).
const GENERATED_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A password that meets the length rules. Never logged.
pub struct Password(String);

/// An Argon2id hash in PHC string form (`$argon2id$v=19$m=...`), salt included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl Password {
    /// Check a password's length; the error names `field` but never echoes the password.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let chars = text.chars().count();
        if !(PASSWORD_CHARS_MIN..=PASSWORD_CHARS_MAX).contains(&chars) {
            return Err(Error::invalid_field(
                codes::INVALID_VALUE,
                format!(
                    "a password has {PASSWORD_CHARS_MIN} to {PASSWORD_CHARS_MAX} characters; this one has {chars}"
                ),
                field,
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// A random password of 20 characters from an alphabet without look-alikes (~115 bits).
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let text = (0..GENERATED_CHARS)
            .map(|_| {
                let index = rng.next_u32() as usize % GENERATED_ALPHABET.len();
                char::from(GENERATED_ALPHABET[index])
            })
            .collect();
        Self(text)
    }

    /// The password in clear, to show once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Hash with Argon2id (the crate's defaults: 19 MiB, 2 passes, OWASP's recommendation).
    pub fn hash(&self) -> Result<PasswordHash> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(Error::internal)?;
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|hash| PasswordHash(hash.to_string()))
            .map_err(Error::internal)
    }
}

impl PasswordHash {
    /// Whether `candidate` is the password behind this hash. A malformed stored hash verifies
    /// nothing.
    pub fn verify(&self, candidate: &str) -> bool {
        Phc::new(&self.0).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
    }

    /// Spend the time of one verification without a user, so that a sign-in with an unknown name
    /// takes as long as one with a wrong password and does not tell which names exist.
    pub fn verify_nothing(candidate: &str) {
        static DUMMY: std::sync::OnceLock<Option<PasswordHash>> = std::sync::OnceLock::new();
        if let Some(hash) = DUMMY.get_or_init(|| Password::generate().hash().ok()) {
            let _ = hash.verify(candidate);
        }
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_their_password() {
        let password = Password::parse("correct horse battery", "password").expect("long enough");
        let hash = password.hash().expect("hashes");
        assert!(hash.0.starts_with("$argon2id$"));
        assert!(hash.verify("correct horse battery"));
        assert!(!hash.verify("correct horse battery "));
        assert!(!PasswordHash("not a hash".into()).verify("anything"));
        assert_ne!(hash, password.hash().expect("hashes"), "salted");
    }

    #[test]
    fn lengths_are_checked_and_generated_passwords_pass() {
        assert!(Password::parse("short", "password").is_err());
        assert!(Password::parse(&"x".repeat(257), "password").is_err());
        let generated = Password::generate();
        assert!(Password::parse(generated.expose(), "password").is_ok());
        assert_ne!(generated.expose(), Password::generate().expose());
    }
}
