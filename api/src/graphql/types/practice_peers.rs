use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::practice as domain;

use super::practice_values::AdoptionOutcome;
use super::{Organisation, Person};
use crate::graphql::html;
use crate::graphql::loaders::{OrganisationLoader, PersonLoader};

/// A peer's endorsement of a practice.
pub struct Endorsement(pub domain::Endorsement);

/// A peer's endorsement of a practice.
#[Object]
impl Endorsement {
    /// Who endorses it.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.0.person).await?.map(Person))
    }

    /// Their organisation when they endorsed it.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.organisation else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<OrganisationLoader>>()?;
        Ok(loader.load_one(id).await?.map(Organisation))
    }

    /// Why they endorse it.
    async fn comment(&self) -> &str {
        &self.0.comment
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An organisation's record that it adopted a practice.
pub struct Adoption(pub domain::Adoption);

/// An organisation's record that it adopted a practice.
#[Object]
impl Adoption {
    /// The adopting organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let loader = ctx.data::<DataLoader<OrganisationLoader>>()?;
        Ok(loader
            .load_one(self.0.organisation)
            .await?
            .map(Organisation))
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.0.person).await?.map(Person))
    }

    /// How it went.
    async fn outcome(&self) -> AdoptionOutcome {
        self.0.outcome.into()
    }

    /// What they did and learnt, as written (Markdown).
    async fn notes(&self) -> &str {
        &self.0.notes
    }

    /// The notes as sanitised HTML, mentions linked to the people.
    async fn notes_html(&self, ctx: &Context<'_>) -> Result<String> {
        html::rendered(ctx, &self.0.notes).await
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// When and why a practice became practice worth repeating.
pub struct Promotion(pub domain::Promotion);

/// When and why a practice became practice worth repeating.
#[Object]
impl Promotion {
    /// When.
    async fn promoted_at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// Why.
    async fn reason(&self) -> PromotionReason {
        match self.0.reason {
            domain::PromotionReason::Endorsements { .. } => PromotionReason::Endorsements,
            domain::PromotionReason::Facilitator { .. } => PromotionReason::Facilitator,
        }
    }

    /// For ENDORSEMENTS: how many organisations other than the author's endorsed it then.
    async fn endorsing_organisations(&self) -> Option<u32> {
        match self.0.reason {
            domain::PromotionReason::Endorsements { organisations, .. } => Some(organisations),
            domain::PromotionReason::Facilitator { .. } => None,
        }
    }

    /// For ENDORSEMENTS: the community's threshold then.
    async fn threshold(&self) -> Option<u32> {
        match self.0.reason {
            domain::PromotionReason::Endorsements { threshold, .. } => Some(threshold),
            domain::PromotionReason::Facilitator { .. } => None,
        }
    }

    /// For FACILITATOR: who promoted it.
    async fn promoted_by(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let domain::PromotionReason::Facilitator { by, .. } = &self.0.reason else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(*by).await?.map(Person))
    }

    /// For FACILITATOR: their note.
    async fn note(&self) -> Option<&str> {
        match &self.0.reason {
            domain::PromotionReason::Facilitator { note, .. } => Some(note),
            domain::PromotionReason::Endorsements { .. } => None,
        }
    }
}

/// Why a practice was promoted.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PromotionReason {
    /// Enough organisations other than the author's endorsed it.
    Endorsements,
    /// A facilitator of its community promoted it.
    Facilitator,
}
