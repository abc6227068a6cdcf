//! Safe retries. A mutation sent again with the same `Idempotency-Key` by the same requester
//! within a day is answered with the first answer, not run again; the same key with another
//! body is refused. Kept in the shared session store, so a retry that reaches another instance
//! is recognised too.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use crate::ports::SessionStore;

/// How long a key and its answer are kept.
pub const KEPT_FOR: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a claim holds a key without an answer: longer than any request may run, short
/// enough that a hub stopped mid-request does not keep the key from a retry for a day.
const CLAIMED_FOR: Duration = Duration::from_secs(5 * 60);

/// A client's key for one intended change: 1–255 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let visible = raw.bytes().all(|b| b.is_ascii_graphic());
        if !(1..=255).contains(&raw.len()) || !visible {
            return Err(DomainError::invalid(
                "Idempotency-Key",
                "INVALID",
                "must be 1 to 255 visible ASCII characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

/// The first answer to a keyed request, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptAnswer {
    /// What the request was: a digest of its body.
    pub fingerprint: String,
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// What a keyed request meets.
#[derive(Debug, Clone, PartialEq)]
pub enum Begun {
    /// First seen: run it, then keep or release its claim.
    Fresh(Claim),
    /// Answered before: send this again.
    Replay(KeptAnswer),
    /// The key was used for another body.
    Conflict,
    /// The first request with this key is still running.
    InProgress,
}

/// The right to run a keyed request once.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    answer_key: String,
    claim_key: String,
    fingerprint: String,
}

impl Claim {
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// Keyed requests' claims and first answers.
#[derive(Clone)]
pub struct Replays {
    store: Arc<dyn SessionStore>,
}

impl Replays {
    pub fn new(store: Arc<dyn SessionStore>) -> Self {
        Self { store }
    }

    /// Looks up `key` for `requester` (whose it is: keys of different requesters never meet)
    /// with the request's `fingerprint`; claims it when it is new.
    pub async fn begin(
        &self,
        requester: &str,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> DomainResult<Begun> {
        let answer_key = format!("idempotency:{requester}:{}", key.0);
        if let Some(kept) = self.store.get(&answer_key).await? {
            let kept: KeptAnswer = serde_json::from_str(&kept)
                .map_err(|e| DomainError::unavailable("read a kept answer", e))?;
            return Ok(match kept.fingerprint == fingerprint {
                true => Begun::Replay(kept),
                false => Begun::Conflict,
            });
        }
        let claim_key = format!("idempotency-claim:{requester}:{}", key.0);
        // Of racing requests, only the first to count the claim runs.
        let (claimed, _) = self.store.increment(&claim_key, 1, CLAIMED_FOR).await?;
        if claimed > 1 {
            return Ok(Begun::InProgress);
        }
        Ok(Begun::Fresh(Claim {
            answer_key,
            claim_key,
            fingerprint: fingerprint.to_owned(),
        }))
    }

    /// Keeps the first answer for a day.
    pub async fn keep(&self, claim: &Claim, answer: &KeptAnswer) -> DomainResult<()> {
        let kept = serde_json::to_string(answer)
            .map_err(|e| DomainError::unavailable("keep an answer", e))?;
        self.store.put(&claim.answer_key, &kept, KEPT_FOR).await
    }

    /// Gives the key up, so a retry runs: the request failed in a way worth retrying.
    pub async fn release(&self, claim: &Claim) -> DomainResult<()> {
        self.store.remove(&claim.claim_key).await
    }
}

#[cfg(test)]
mod tests {
    use super::IdempotencyKey;

    #[test]
    fn a_key_is_short_visible_ascii() {
        assert!(IdempotencyKey::parse("order-2026-12-02-0001").is_ok());
        for bad in ["", "with space", "ünïcode", &"k".repeat(256)] {
            assert!(IdempotencyKey::parse(bad).is_err(), "{bad:?}");
        }
    }
}
