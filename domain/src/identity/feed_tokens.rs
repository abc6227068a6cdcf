//! Feed tokens: what a person puts in the address of a private feed (a community they belong
//! to, a saved search) so a feed reader can read it as them, and nothing more. A token is the
//! person's id and a generation, signed; resetting moves the generation, so every earlier
//! token stops working. Nothing secret is stored.

use super::Identity;
use crate::access::Actor;
use crate::error::DomainResult;
use crate::person::PersonId;
use crate::policy::{self, Action};

impl Identity {
    /// The actor's current feed token. Needs a signed-in session.
    pub async fn feed_token(&self, actor: &Actor) -> DomainResult<String> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?.id;
        let generation = self.ports.people.feed_token_generation(person).await?;
        Ok(self.signed_feed_token(person, generation))
    }

    /// Ends every feed token the actor has given out and returns the new one.
    #[tracing::instrument(skip_all)]
    pub async fn reset_feed_token(&self, actor: &Actor) -> DomainResult<String> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?.id;
        let generation = self.ports.people.next_feed_token_generation(person).await?;
        Ok(self.signed_feed_token(person, generation))
    }

    /// The reader a feed token stands for: its person, reading only; `None` for a token that
    /// is forged, malformed or reset since.
    pub async fn feed_reader(&self, token: &str) -> DomainResult<Option<Actor>> {
        let Some((message, signature)) = token.rsplit_once('.') else {
            return Ok(None);
        };
        let Some((id, generation)) = message.split_once('.') else {
            return Ok(None);
        };
        let (Ok(id), Ok(generation)) = (uuid::Uuid::parse_str(id), generation.parse::<u32>())
        else {
            return Ok(None);
        };
        if !self.ports.feed_tokens.verify(message, signature) {
            return Ok(None);
        }
        let person = PersonId::from_uuid(id);
        if self.ports.people.feed_token_generation(person).await? != generation {
            return Ok(None);
        }
        let found = self.ports.people.find_by_ids(&[person]).await?.pop();
        Ok(found.map(Actor::reading_as))
    }

    fn signed_feed_token(&self, person: PersonId, generation: u32) -> String {
        let message = format!("{}.{generation}", person.as_uuid().simple());
        let signature = self.ports.feed_tokens.sign(&message);
        format!("{message}.{signature}")
    }
}
