//! Profiles and follows.

use super::Identity;
use crate::access::Actor;
use crate::error::{DomainError, DomainResult};
use crate::person::{Person, PersonId, ProfileChanges};
use crate::policy::{self, Action};

impl Identity {
    /// Changes the caller's own profile.
    #[tracing::instrument(skip_all)]
    pub async fn update_profile(
        &self,
        actor: &Actor,
        changes: ProfileChanges,
    ) -> DomainResult<Person> {
        let person = policy::authorize(actor, Action::EditOwnProfile)?;
        let changes = changes.parse()?;
        let updated = self.people().update_profile(person.id, &changes).await?;
        self.people_changed().await;
        Ok(updated)
    }

    /// Follows (or, with `follow` false, unfollows) someone. Idempotent.
    #[tracing::instrument(skip_all)]
    pub async fn set_following(
        &self,
        actor: &Actor,
        followee: PersonId,
        follow: bool,
    ) -> DomainResult<Person> {
        let person = policy::authorize(actor, Action::EditOwnProfile)?;
        if person.id == followee {
            return Err(DomainError::invalid(
                "personId",
                "SELF",
                "you cannot follow yourself",
            ));
        }
        let target = self
            .people()
            .find_by_ids(&[followee])
            .await?
            .pop()
            .ok_or_else(|| DomainError::invalid("personId", "NOT_FOUND", "no such person"))?;
        match follow {
            true => self.people().follow(person.id, followee).await?,
            false => self.people().unfollow(person.id, followee).await?,
        };
        Ok(target)
    }
}
