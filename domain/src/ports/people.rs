use std::collections::{HashMap, HashSet};

use async_trait::async_trait;

use crate::error::DomainResult;
use crate::organisation::{Organisation, OrganisationId};
use crate::pagination::{Page, PageRequest};
use crate::person::{NewPerson, OrganisationRole, Person, PersonFilter, PersonId, ProfileChanges};

/// How many people follow someone, and how many they follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowCounts {
    pub followers: u64,
    pub following: u64,
}

/// People read to authenticate their sessions, kept in this process between their requests,
/// each with the people version it was read at ([`crate::content_version`]); whether that
/// version is still current is the domain's to decide.
pub trait KeptPeople: Send + Sync {
    /// The person kept for `id`, with the people version they were read at.
    fn get(&self, id: PersonId) -> Option<(String, Person)>;
    fn keep(&self, version: String, person: Person);
}

/// Where people, their credentials and their follows are kept.
#[async_trait]
pub trait PersonRepository: Send + Sync {
    /// Stores a new person; a taken e-mail or handle is an invalid field.
    async fn create(&self, new: &NewPerson) -> DomainResult<Person>;
    async fn find_by_ids(&self, ids: &[PersonId]) -> DomainResult<Vec<Person>>;
    async fn find_by_handle(&self, handle: &str) -> DomainResult<Option<Person>>;
    /// The people with these (lowercase) handles; unknown handles are skipped.
    async fn find_by_handles(&self, handles: &[String]) -> DomainResult<Vec<Person>>;
    async fn find_by_email(&self, email: &str) -> DomainResult<Option<Person>>;
    /// The person and their password hash, for signing in.
    async fn find_credentials(&self, email: &str) -> DomainResult<Option<(Person, String)>>;
    /// The organisation's service identity (what its API tokens act as), created if need be.
    async fn service_identity(&self, organisation: &Organisation) -> DomainResult<Person>;
    /// Replaces the person's password hash.
    async fn set_password_hash(&self, id: PersonId, hash: &str) -> DomainResult<()>;
    async fn update_profile(&self, id: PersonId, changes: &ProfileChanges) -> DomainResult<Person>;
    /// A page of people ordered by display name.
    async fn list(&self, filter: &PersonFilter, page: &PageRequest) -> DomainResult<Page<Person>>;
    /// Returns whether the follow is new.
    async fn follow(&self, follower: PersonId, followee: PersonId) -> DomainResult<bool>;
    /// Returns whether there was a follow to remove.
    async fn unfollow(&self, follower: PersonId, followee: PersonId) -> DomainResult<bool>;
    async fn follow_counts(
        &self,
        ids: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, FollowCounts>>;
    /// Which of `followees` the follower follows.
    async fn follows_among(
        &self,
        follower: PersonId,
        followees: &[PersonId],
    ) -> DomainResult<HashSet<PersonId>>;
    /// People following `person`, newest first.
    async fn followers(&self, person: PersonId, page: &PageRequest) -> DomainResult<Page<Person>>;
    /// People `person` follows, newest first.
    async fn following(&self, person: PersonId, page: &PageRequest) -> DomainResult<Page<Person>>;
    /// Operator commands: place a person in an organisation with a role, or make them a hub
    /// administrator. Their caller moves the people version on once they have committed
    /// (`Backends::close_after_writing`): hubs keep signed-in people until it moves.
    async fn set_organisation(
        &self,
        id: PersonId,
        organisation: Option<(OrganisationId, OrganisationRole)>,
    ) -> DomainResult<()>;
    async fn set_hub_administrator(&self, id: PersonId, administrator: bool) -> DomainResult<()>;
    /// Which of the person's feed tokens is current (0 until they first reset it).
    async fn feed_token_generation(&self, id: PersonId) -> DomainResult<u32>;
    /// Makes the person's feed tokens so far invalid; returns the new current generation.
    async fn next_feed_token_generation(&self, id: PersonId) -> DomainResult<u32>;
}
