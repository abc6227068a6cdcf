//! Ended credentials, announced on the event bus so every instance closes the websockets that
//! hold them at once, rather than when they next run an operation.

use serde::{Deserialize, Serialize};

use super::Identity;
use crate::access::{Actor, Credential};
use crate::api_token::ApiTokenId;

/// The bus topic ended sessions and revoked API tokens are announced on.
pub const ENDED_CREDENTIALS_TOPIC: &str = "credentials-ended";

/// A credential that no longer works.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum EndedCredential {
    Session(String),
    ApiToken(ApiTokenId),
}

impl EndedCredential {
    /// The credential `actor` acts with, if any.
    pub fn of(actor: &Actor) -> Option<Self> {
        match actor {
            Actor::Anonymous => None,
            Actor::Person {
                credential: Credential::Session { session_id },
                ..
            } => Some(Self::Session(session_id.clone())),
            Actor::Person {
                credential: Credential::ApiToken { token_id, .. },
                ..
            } => Some(Self::ApiToken(*token_id)),
            Actor::Person {
                credential: Credential::FeedToken,
                ..
            } => None,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }
}

impl Identity {
    /// Tells every instance that `credential` has ended. The credential already fails every
    /// check; if the announcement is lost, sockets holding it close at their next operation.
    pub(super) async fn announce_ended(&self, credential: EndedCredential) {
        let topics = [ENDED_CREDENTIALS_TOPIC.to_owned()];
        if let Err(error) = self
            .ports
            .events
            .publish(&topics, &credential.to_bytes())
            .await
        {
            tracing::warn!(%error, "cannot announce an ended credential; its sockets close at their next operation");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EndedCredential;

    #[test]
    fn an_ended_credential_reads_back_as_written() {
        let ended = EndedCredential::Session("abc".into());
        assert_eq!(EndedCredential::from_bytes(&ended.to_bytes()), Some(ended));
        assert_eq!(EndedCredential::from_bytes(b"nonsense"), None);
    }
}
