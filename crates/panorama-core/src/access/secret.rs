//! Random bearer secrets (API keys, session tokens): shown once, stored only as a SHA-256 hash.
//!
//! A secret carries 256 random bits, so a plain hash is enough: nobody can guess one to match a
//! leaked hash, and a look-up by hash needs no per-row salt or slow function (unlike passwords).

use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// What every API key starts with, so a leaked one is recognisable (secret scanners, logs).
pub const API_KEY_PREFIX: &str = "pnk_";
/// What every session token starts with.
pub const SESSION_PREFIX: &str = "pns_";
/// Random bytes in a secret.
const SECRET_BYTES: usize = 32;
/// Characters of a key kept in clear to tell keys apart in lists (prefix included).
const SHOWN_CHARS: usize = 10;

/// A freshly made secret, in clear. Only its [`SecretHash`] is ever stored.
pub struct Secret(String);

/// The SHA-256 of a secret, as lower-case hex: what the store keeps and looks up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretHash(pub String);

impl Secret {
    /// A new random secret starting with `prefix`.
    pub fn generate(prefix: &str) -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(format!("{prefix}{}", hex(&bytes)))
    }

    /// The secret in clear, to show once or put in a cookie.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its hash.
    pub fn hash(&self) -> SecretHash {
        SecretHash::of(&self.0)
    }

    /// The start of the secret, safe to show in lists (`pnk_3f9a1c`).
    pub fn shown(&self) -> String {
        self.0.chars().take(SHOWN_CHARS).collect()
    }
}

impl SecretHash {
    /// The hash of a secret a client presented (which may be anything).
    pub fn of(presented: &str) -> Self {
        Self(hex(&Sha256::digest(presented.as_bytes())))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never in logs.
        write!(f, "Secret({}…)", self.shown())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hash_to_what_a_client_presents() {
        let first = Secret::generate(API_KEY_PREFIX);
        let second = Secret::generate(API_KEY_PREFIX);
        assert_ne!(first.expose(), second.expose());
        assert!(first.expose().starts_with(API_KEY_PREFIX));
        assert_eq!(first.expose().len(), API_KEY_PREFIX.len() + 64);
        assert_eq!(first.hash(), SecretHash::of(first.expose()));
        assert_ne!(first.hash(), second.hash());
        assert!(!format!("{first:?}").contains(first.expose()));
    }
}
