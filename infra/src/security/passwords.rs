//! Argon2id password hashing, off the async threads.

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use async_trait::async_trait;
use khub_domain::ports::PasswordHasher;
use khub_domain::{DomainError, DomainResult};

/// The hash of a random password nobody kept, made with [`Argon2Passwords`]'s parameters.
/// Signing in with an unknown e-mail checks against it, so a failure costs the same either way;
/// being a constant, it costs nothing at start-up.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$t2ZK3FV3qbOA7oNXNGzEHg$Scyj7CAPwQyfDnh1kzSS03ZmR5vPv8CyCtBbRs/4/E8";

/// Argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
#[derive(Clone)]
pub struct Argon2Passwords {
    params: Params,
}

impl Argon2Passwords {
    pub fn new() -> anyhow::Result<Self> {
        let params = Params::new(19 * 1024, 2, 1, None)
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        Ok(Self { params })
    }

    /// A hash no password is known to match, as costly to check as a real one.
    pub fn decoy_hash(&self) -> &'static str {
        DECOY_HASH
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }
}

#[async_trait]
impl PasswordHasher for Argon2Passwords {
    async fn hash(&self, password: &str) -> DomainResult<String> {
        let argon2 = self.argon2();
        let password = password.to_owned();
        // Hashing takes tens of milliseconds of CPU: keep it off the request threads.
        tokio::task::spawn_blocking(move || {
            argon2
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| DomainError::unavailable("hash password", e.to_string()))
        })
        .await
        .map_err(|e| DomainError::unavailable("hash password", e))?
    }

    async fn verify(&self, password: &str, hash: &str) -> DomainResult<bool> {
        let argon2 = self.argon2();
        let (password, hash) = (password.to_owned(), hash.to_owned());
        tokio::task::spawn_blocking(move || {
            argon2
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .map_err(|e| DomainError::unavailable("verify password", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let passwords = Argon2Passwords::new().expect("parameters");
        let hash = passwords.hash("correct horse battery").await.expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            passwords
                .verify("correct horse battery", &hash)
                .await
                .expect("verify")
        );
        assert!(
            !passwords
                .verify("wrong horse battery", &hash)
                .await
                .expect("verify")
        );
        assert!(
            !passwords
                .verify("anything", "not a hash")
                .await
                .expect("verify")
        );
    }

    #[tokio::test]
    async fn the_decoy_costs_what_a_real_hash_costs() {
        let passwords = Argon2Passwords::new().expect("parameters");
        let real = passwords.hash("correct horse battery").await.expect("hash");
        // Same algorithm, version and parameters: everything before the salt.
        let settings = |hash: &str| hash.rsplitn(3, '$').nth(2).map(str::to_owned);
        assert_eq!(settings(passwords.decoy_hash()), settings(&real));
        let decoy = passwords.decoy_hash();
        assert!(
            !passwords
                .verify("correct horse battery", decoy)
                .await
                .expect("verify")
        );
    }
}
