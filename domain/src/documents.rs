//! Which document a request runs. Automatic persisted queries (as Apollo clients send them): a
//! request may name its document by SHA-256 hash alone, once any request has sent the document
//! with its hash; documents so learnt are shared by every instance through the session store.
//! Trusted documents: a partner token may be restricted to the documents registered for it, as
//! hardened APIs allow, so a leaked token cannot run arbitrary queries.

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::access::{Actor, Credential};
use crate::api_token::ApiTokenId;
use crate::error::DomainResult;
use crate::ports::{ApiTokenRepository, SessionStore};

/// How long a learnt document is kept after it was last sent in full.
const KEPT: Duration = Duration::from_secs(7 * 24 * 3600);

/// A document's SHA-256, as 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentHash(String);

impl DocumentHash {
    /// A hash as a client sends it (hex digits, either case).
    pub fn parse(raw: &str) -> Option<Self> {
        let lower = raw.to_ascii_lowercase();
        (lower.len() == 64 && lower.bytes().all(|b| b.is_ascii_hexdigit())).then_some(Self(lower))
    }

    pub fn of(document: &str) -> Self {
        let digest = Sha256::digest(document.as_bytes());
        Self(digest.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a request's document cannot run.
#[derive(Debug, PartialEq, Eq)]
pub enum DocumentRefusal {
    /// Only a hash was sent, of a document not known here: send it again with the document.
    NotFound,
    /// The hash sent is not the document's.
    HashMismatch,
    /// The token runs only documents registered for it, and this is not one.
    Untrusted,
    /// Neither a document nor a hash was sent.
    Missing,
}

/// Resolves requests' documents.
#[derive(Clone)]
pub struct Documents {
    learnt: Arc<dyn SessionStore>,
    tokens: Arc<dyn ApiTokenRepository>,
}

impl Documents {
    pub fn new(learnt: Arc<dyn SessionStore>, tokens: Arc<dyn ApiTokenRepository>) -> Self {
        Self { learnt, tokens }
    }

    /// The document `actor`'s request runs: `query` as sent (learnt under `hash` when one came
    /// with it), or the document `hash` names.
    pub async fn resolve(
        &self,
        actor: &Actor,
        query: Option<String>,
        hash: Option<DocumentHash>,
    ) -> DomainResult<Result<String, DocumentRefusal>> {
        let document = match (query, hash) {
            (Some(query), Some(hash)) if DocumentHash::of(&query) != hash => {
                return Ok(Err(DocumentRefusal::HashMismatch));
            }
            (Some(query), Some(hash)) => {
                self.learnt.put(&key(&hash), &query, KEPT).await?;
                query
            }
            (Some(query), None) => query,
            (None, Some(hash)) => match self.known(actor, &hash).await? {
                Some(document) => document,
                None => return Ok(Err(DocumentRefusal::NotFound)),
            },
            (None, None) => return Ok(Err(DocumentRefusal::Missing)),
        };
        Ok(match trusted_only(actor) {
            Some(token) if !self.is_trusted(token, &document).await? => {
                Err(DocumentRefusal::Untrusted)
            }
            _ => Ok(document),
        })
    }

    /// A document learnt from an earlier request, or registered for the actor's token.
    async fn known(&self, actor: &Actor, hash: &DocumentHash) -> DomainResult<Option<String>> {
        if let Some(document) = self.learnt.get(&key(hash)).await? {
            return Ok(Some(document));
        }
        match token_of(actor) {
            Some(token) => self.tokens.trusted_document(token, hash.as_str()).await,
            None => Ok(None),
        }
    }

    async fn is_trusted(&self, token: ApiTokenId, document: &str) -> DomainResult<bool> {
        let hash = DocumentHash::of(document);
        let registered = self.tokens.trusted_document(token, hash.as_str()).await?;
        Ok(registered.is_some())
    }
}

fn key(hash: &DocumentHash) -> String {
    format!("apq:{}", hash.as_str())
}

fn token_of(actor: &Actor) -> Option<ApiTokenId> {
    match actor {
        Actor::Person {
            credential: Credential::ApiToken { token_id, .. },
            ..
        } => Some(*token_id),
        _ => None,
    }
}

/// The actor's token, when it runs only its registered documents.
fn trusted_only(actor: &Actor) -> Option<ApiTokenId> {
    match actor {
        Actor::Person {
            credential:
                Credential::ApiToken {
                    token_id,
                    trusted_documents_only: true,
                    ..
                },
            ..
        } => Some(*token_id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::DocumentHash;

    #[test]
    fn a_hash_is_the_documents_sha256_in_lowercase_hex() {
        let hash = DocumentHash::of("{ __typename }");
        assert_eq!(hash.as_str().len(), 64);
        assert_eq!(
            DocumentHash::parse(&hash.as_str().to_uppercase()),
            Some(hash)
        );
        assert_eq!(DocumentHash::parse("abc"), None);
        assert_eq!(
            DocumentHash::of("").as_str(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
