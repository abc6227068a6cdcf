//! Access tokens as JWTs: HS256 with the hub's secret by default, EdDSA or RS256 when a key
//! pair is configured. The algorithm is pinned: a token signed any other way (or `none`) fails.

use chrono::DateTime;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use khub_domain::person::PersonId;
use khub_domain::ports::{AccessClaims, AccessTokenCodec};
use khub_domain::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who issues tokens, and for whom: both are checked on every token.
pub const ISSUER: &str = "knowledge-hub";
pub const AUDIENCE: &str = "knowledge-hub-api";

/// Signing material.
pub enum JwtKeys {
    /// A shared secret (HS256).
    Secret(String),
    /// PEM key pair; EdDSA (Ed25519) or RS256 by the key's type.
    Pem { private: Vec<u8>, public: Vec<u8> },
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    sid: String,
    jti: String,
    iat: i64,
    exp: i64,
}

/// Issues and verifies access tokens.
pub struct JwtCodec {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtCodec {
    pub fn new(keys: JwtKeys) -> anyhow::Result<Self> {
        let (algorithm, encoding, decoding) = match keys {
            JwtKeys::Secret(secret) => (
                Algorithm::HS256,
                EncodingKey::from_secret(secret.as_bytes()),
                DecodingKey::from_secret(secret.as_bytes()),
            ),
            JwtKeys::Pem { private, public } => pem_keys(&private, &public)?,
        };
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        // Expiry is checked by the domain against its (injectable) clock.
        validation.validate_exp = false;
        Ok(Self {
            algorithm,
            encoding,
            decoding,
            validation,
        })
    }
}

fn pem_keys(
    private: &[u8],
    public: &[u8],
) -> anyhow::Result<(Algorithm, EncodingKey, DecodingKey)> {
    if let (Ok(encoding), Ok(decoding)) = (
        EncodingKey::from_ed_pem(private),
        DecodingKey::from_ed_pem(public),
    ) {
        return Ok((Algorithm::EdDSA, encoding, decoding));
    }
    match (
        EncodingKey::from_rsa_pem(private),
        DecodingKey::from_rsa_pem(public),
    ) {
        (Ok(encoding), Ok(decoding)) => Ok((Algorithm::RS256, encoding, decoding)),
        _ => anyhow::bail!(
            "configuration error: setting `jwt_private_key_file`: not an Ed25519 or RSA PEM key pair"
        ),
    }
}

impl AccessTokenCodec for JwtCodec {
    fn issue(&self, claims: &AccessClaims) -> DomainResult<String> {
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: claims.person.to_string(),
            sid: claims.session.clone(),
            jti: claims.token_id.clone(),
            iat: claims.issued_at.timestamp(),
            exp: claims.expires_at.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(self.algorithm), &claims, &self.encoding)
            .map_err(|e| DomainError::unavailable("sign access token", e))
    }

    fn verify(&self, token: &str) -> Option<AccessClaims> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        Some(AccessClaims {
            person: PersonId::from_uuid(Uuid::parse_str(&claims.sub).ok()?),
            session: claims.sid,
            token_id: claims.jti,
            issued_at: DateTime::from_timestamp(claims.iat, 0)?,
            expires_at: DateTime::from_timestamp(claims.exp, 0)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    const ED_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIPKO1BeSe1WJMuorYr5/+E4zeBTZTKNib1CFJuxMnuS2\n-----END PRIVATE KEY-----\n";
    const ED_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA53meI818NOhc5uDKB+MEFMFGvqATHREK2wnc16Vvsc4=\n-----END PUBLIC KEY-----\n";

    fn claims() -> AccessClaims {
        let now = Utc::now();
        AccessClaims {
            person: PersonId::generate(),
            session: "s1".into(),
            token_id: "t1".into(),
            issued_at: DateTime::from_timestamp(now.timestamp(), 0).expect("time"),
            expires_at: DateTime::from_timestamp(now.timestamp() + 60, 0).expect("time"),
        }
    }

    #[test]
    fn an_hs256_token_round_trips_and_another_secret_refuses_it() {
        let codec = JwtCodec::new(JwtKeys::Secret("s".repeat(32))).expect("codec");
        let token = codec.issue(&claims()).expect("signed");
        assert_eq!(codec.verify(&token).map(|c| c.session), Some("s1".into()));
        let other = JwtCodec::new(JwtKeys::Secret("t".repeat(32))).expect("codec");
        assert!(other.verify(&token).is_none());
    }

    #[test]
    fn an_eddsa_token_round_trips_and_an_hs256_codec_refuses_it() {
        let keys = JwtKeys::Pem {
            private: ED_PRIVATE.into(),
            public: ED_PUBLIC.into(),
        };
        let codec = JwtCodec::new(keys).expect("codec");
        let token = codec.issue(&claims()).expect("signed");
        assert!(
            token.starts_with("eyJ0eXAiOiJKV1QiLCJhbGciOiJFZERTQSJ9")
                || codec.verify(&token).is_some()
        );
        assert!(codec.verify(&token).is_some());
        let hs = JwtCodec::new(JwtKeys::Secret("s".repeat(32))).expect("codec");
        assert!(hs.verify(&token).is_none());
    }
}
