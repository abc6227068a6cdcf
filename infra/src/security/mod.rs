//! Passwords, access tokens, secrets and the clock: the identity ports' adapters.

mod feed_tokens;
mod jwt;
mod passwords;
mod screen;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SubsecRound, Utc};
use khub_domain::ports::{Clock, Secrets};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

pub use feed_tokens::HmacFeedTokens;
pub use jwt::{JwtCodec, JwtKeys};
pub use passwords::Argon2Passwords;
pub use screen::GuessabilityScreen;

/// Random secrets from the operating system's generator, digested with SHA-256. Secrets carry
/// 256 bits, so a fast digest is safe to store and to look up by.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomSecrets;

impl Secrets for RandomSecrets {
    fn generate(&self) -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn numeric_code(&self, digits: u32) -> String {
        let mut rng = rand::rng();
        (0..digits)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect()
    }

    fn digest(&self, secret: &str) -> String {
        hex::encode(Sha256::digest(secret.as_bytes()))
    }
}

/// The system's clock, to the microsecond: what PostgreSQL keeps, so a time handed back by a
/// write equals the same time read later.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_digests_stable() {
        let secrets = RandomSecrets;
        let (a, b) = (secrets.generate(), secrets.generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(secrets.digest(&a), secrets.digest(&a));
        assert_eq!(secrets.digest(&a).len(), 64);
    }

    #[test]
    fn numeric_codes_have_their_digits() {
        let code = RandomSecrets.numeric_code(6);
        assert!(
            code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
            "{code}"
        );
    }
}
