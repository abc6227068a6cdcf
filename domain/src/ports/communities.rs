use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::community::{
    Community, CommunityId, CommunityOrder, CommunityQuery, Membership, NewCommunity, Pending,
    PendingKind, Role, Standing,
};
use crate::error::DomainResult;
use crate::moderation::Ban;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::reputation::Effects;

/// Where communities, memberships, requests and invitations are kept. Changes that touch the
/// member count or the owners happen atomically: a community never loses its last owner, even
/// to two owners stepping down at once.
#[async_trait]
pub trait CommunityRepository: Send + Sync {
    /// Stores the community with its creator as owner; a taken slug is an invalid `slug`.
    async fn create(
        &self,
        new: &NewCommunity,
        owner: PersonId,
        now: DateTime<Utc>,
    ) -> DomainResult<Community>;
    async fn find_by_slug(&self, slug: &str) -> DomainResult<Option<Community>>;
    /// The community with `slug`, with where `reader` stands with it (anonymous: nowhere), in
    /// one read.
    async fn find_by_slug_with_standing(
        &self,
        slug: &str,
        reader: Option<PersonId>,
    ) -> DomainResult<Option<(Community, Standing)>>;
    async fn find_by_ids(&self, ids: &[CommunityId]) -> DomainResult<Vec<Community>>;
    /// The communities among `ids`, each with where `person` stands with it, in one read.
    async fn find_with_standings(
        &self,
        ids: &[CommunityId],
        person: PersonId,
    ) -> DomainResult<Vec<(Community, Standing)>>;
    /// Where `person` stands with each of `communities` (absent: no relation).
    async fn standings(
        &self,
        person: PersonId,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, Standing>>;
    /// A page of the communities the query allows.
    async fn list(
        &self,
        query: &CommunityQuery,
        order: CommunityOrder,
        page: &PageRequest,
    ) -> DomainResult<Page<Community>>;
    /// Makes `person` a member (clearing any request or invitation); idempotent. `effects`
    /// (events) are applied in the same transaction.
    async fn add_member(
        &self,
        community: CommunityId,
        person: PersonId,
        role: Role,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<Membership>;
    /// Removes a member, with `effects`; refuses (LAST_OWNER) to remove the last owner.
    async fn remove_member(
        &self,
        community: CommunityId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<()>;
    /// Records (or replaces) a ban, ending the person's membership, request or invitation,
    /// with `effects`; refuses (LAST_OWNER) to ban the last owner.
    async fn ban(&self, ban: &Ban, effects: &Effects) -> DomainResult<()>;
    /// Lifts a ban, with `effects`.
    async fn unban(
        &self,
        community: CommunityId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<()>;
    /// The latest ban on `person` in `community`, ended or not.
    async fn ban_of(&self, community: CommunityId, person: PersonId) -> DomainResult<Option<Ban>>;
    /// Changes a member's role; refuses (LAST_OWNER) to demote the last owner.
    async fn set_role(
        &self,
        community: CommunityId,
        person: PersonId,
        role: Role,
    ) -> DomainResult<Membership>;
    async fn membership(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> DomainResult<Option<Membership>>;
    /// Records a request or invitation, replacing any earlier one.
    async fn add_pending(
        &self,
        community: CommunityId,
        person: PersonId,
        kind: PendingKind,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<()>;
    async fn remove_pending(
        &self,
        community: CommunityId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<()>;
    /// Stores a community's changed settings (name, description, visibility, discussion mode,
    /// thresholds) and its search document.
    async fn update(&self, community: &Community) -> DomainResult<()>;
    /// Records that something happened in the community at `at` (never moves backwards).
    async fn record_activity(&self, community: CommunityId, at: DateTime<Utc>) -> DomainResult<()>;
    /// Members, owners first, then by when they joined.
    async fn members(
        &self,
        community: CommunityId,
        page: &PageRequest,
    ) -> DomainResult<Page<Membership>>;
    /// Requests or invitations awaiting an answer, oldest first.
    async fn pending(
        &self,
        community: CommunityId,
        kind: PendingKind,
        page: &PageRequest,
    ) -> DomainResult<Page<Pending>>;
}
