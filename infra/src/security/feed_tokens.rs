//! Feed tokens signed with HMAC-SHA256 under a key derived from the hub's signing key, which
//! every instance shares: no secret is stored per person.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use khub_domain::ports::FeedTokenSigner;
use sha2::{Digest, Sha256};

/// Signs feed tokens.
pub struct HmacFeedTokens {
    key: [u8; 32],
}

impl HmacFeedTokens {
    /// A signer keyed from `material` (the access-token secret or private key), so feed tokens
    /// never share a key with anything else.
    pub fn new(material: &[u8]) -> Self {
        let mut digest = Sha256::new();
        digest.update(b"knowledge-hub feed tokens\0");
        digest.update(material);
        Self {
            key: digest.finalize().into(),
        }
    }

    fn mac(&self, message: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(message.as_bytes());
        mac
    }
}

impl FeedTokenSigner for HmacFeedTokens {
    fn sign(&self, message: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(message).finalize().into_bytes())
    }

    fn verify(&self, message: &str, signature: &str) -> bool {
        let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        self.mac(message).verify_slice(&signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use khub_domain::ports::FeedTokenSigner;

    use super::HmacFeedTokens;

    #[test]
    fn a_signature_verifies_only_its_message_under_its_key() {
        let signer = HmacFeedTokens::new(b"secret");
        let signature = signer.sign("abc.0");
        assert!(signer.verify("abc.0", &signature));
        assert!(!signer.verify("abc.1", &signature));
        assert!(!HmacFeedTokens::new(b"other").verify("abc.0", &signature));
        assert!(!signer.verify("abc.0", "not base64!"));
    }
}
