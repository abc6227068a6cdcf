//! Argon2id password hashing, off the async threads.

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use async_trait::async_trait;
use khub_domain::ports::PasswordHasher;
use khub_domain::{DomainError, DomainResult};

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
}
