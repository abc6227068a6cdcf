//! Writing, publishing, endorsing, promoting and adopting practices.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::DomainResult;
use khub_domain::access::Actor;
use khub_domain::practice::{PracticeChanges, PracticeId};

use super::community::community_id;
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{Adoption, AdoptionOutcome, Endorsement, EvidenceLinkInput, Practice};

/// A new practice. It starts as a DRAFT only its author sees.
#[derive(InputObject)]
pub struct CreatePracticeInput {
    /// 3–160 characters.
    pub title: String,
    /// One or two plain sentences, at most 500 characters.
    #[graphql(default)]
    pub summary: String,
    /// The problem: what was not working, for whom (Markdown).
    #[graphql(default)]
    pub context: String,
    /// What was done (Markdown).
    #[graphql(default)]
    pub approach: String,
    /// What changed as a result (Markdown).
    #[graphql(default)]
    pub outcomes: String,
    /// Up to 20 links to evidence.
    #[graphql(default)]
    pub evidence: Vec<EvidenceLinkInput>,
    /// e.g. `Waste and recycling`.
    pub service_area: Option<String>,
    /// Up to 10 tags.
    #[graphql(default)]
    pub tags: Vec<String>,
    /// The community to share it in; the author must be a member.
    pub community_id: Option<ID>,
}

/// Changes to a practice; omitted fields stay as they are. Past draft, every change keeps a
/// revision.
#[derive(InputObject)]
pub struct UpdatePracticeInput {
    /// The practice.
    pub practice_id: ID,
    /// The new title, 3–160 characters.
    pub title: Option<String>,
    /// The new summary, at most 500 characters.
    pub summary: Option<String>,
    /// The new context (Markdown).
    pub context: Option<String>,
    /// The new approach (Markdown).
    pub approach: Option<String>,
    /// The new outcomes (Markdown).
    pub outcomes: Option<String>,
    /// Replaces every link.
    pub evidence: Option<Vec<EvidenceLinkInput>>,
    /// An empty string clears it.
    pub service_area: Option<String>,
    /// Replaces every tag.
    pub tags: Option<Vec<String>>,
}

/// The practice to act on.
#[derive(InputObject)]
pub struct PublishPracticeInput {
    /// The practice.
    pub practice_id: ID,
}

/// The practice to archive.
#[derive(InputObject)]
pub struct ArchivePracticeInput {
    /// The practice.
    pub practice_id: ID,
}

/// An endorsement, with why.
#[derive(InputObject)]
pub struct EndorsePracticeInput {
    /// The practice.
    pub practice_id: ID,
    /// Why it is worth repeating, 1–500 characters.
    pub comment: String,
}

/// The practice whose endorsement to withdraw.
#[derive(InputObject)]
pub struct WithdrawEndorsementInput {
    /// The practice.
    pub practice_id: ID,
}

/// A facilitator's promotion.
#[derive(InputObject)]
pub struct PromotePracticeInput {
    /// The practice.
    pub practice_id: ID,
    /// Why, at most 500 characters.
    #[graphql(default)]
    pub note: String,
}

/// An organisation's adoption of a practice.
#[derive(InputObject)]
pub struct RecordAdoptionInput {
    /// The practice.
    pub practice_id: ID,
    /// How it went.
    pub outcome: AdoptionOutcome,
    /// What was done and learnt here (Markdown), at most 5000 characters.
    #[graphql(default)]
    pub notes: String,
}

/// Declares a payload answering with the practice as it now stands.
macro_rules! practice_payload {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(SimpleObject)]
        pub struct $name {
            /// The practice as it now stands.
            pub practice: Option<Practice>,
            /// Why the input was refused (nothing changed); empty on success.
            pub user_errors: Vec<UserError>,
        }

        impl $name {
            fn of(outcome: (Option<Practice>, Vec<UserError>)) -> Self {
                Self { practice: outcome.0, user_errors: outcome.1 }
            }
        }
    )+};
}

practice_payload! {
    /// The new draft.
    CreatePracticePayload;
    /// The edited practice.
    UpdatePracticePayload;
    /// The published practice.
    PublishPracticePayload;
    /// The promoted practice.
    PromotePracticePayload;
    /// The archived practice.
    ArchivePracticePayload;
    /// The practice, without the viewer's endorsement.
    WithdrawEndorsementPayload;
}

/// The endorsement and the practice (which it may have promoted).
#[derive(SimpleObject)]
pub struct EndorsePracticePayload {
    /// The new endorsement.
    pub endorsement: Option<Endorsement>,
    /// The practice as it now stands.
    pub practice: Option<Practice>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The adoption and the practice.
#[derive(SimpleObject)]
pub struct RecordAdoptionPayload {
    /// The new adoption.
    pub adoption: Option<Adoption>,
    /// The practice as it now stands.
    pub practice: Option<Practice>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct PracticeMutation;

#[Object]
impl PracticeMutation {
    /// Starts a practice as a DRAFT.
    async fn create_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The create practice input; each of its fields is described on its type."
        )]
        input: CreatePracticeInput,
    ) -> Result<CreatePracticePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let changes = PracticeChanges {
            title: Some(input.title),
            summary: Some(input.summary),
            context: Some(input.context),
            approach: Some(input.approach),
            outcomes: Some(input.outcomes),
            evidence: Some(input.evidence.into_iter().map(Into::into).collect()),
            service_area: Some(input.service_area),
            tags: Some(input.tags),
        };
        let community = input.community_id.map(|id| community_id(&id)).transpose();
        let result = match community {
            Ok(community) => hub.practices().create(actor, changes, community).await,
            Err(invalid) => Err(invalid),
        };
        let outcome = Outcome::of(result.map(Practice::new))?.split();
        Ok(CreatePracticePayload::of(outcome))
    }

    /// Edits a practice (its author only). Past draft, the change is kept as a revision.
    async fn update_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The update practice input; each of its fields is described on its type."
        )]
        input: UpdatePracticeInput,
    ) -> Result<UpdatePracticePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let changes = PracticeChanges {
            title: input.title,
            summary: input.summary,
            context: input.context,
            approach: input.approach,
            outcomes: input.outcomes,
            evidence: input
                .evidence
                .map(|links| links.into_iter().map(Into::into).collect()),
            service_area: input.service_area.map(Some),
            tags: input.tags,
        };
        let id = practice_id(&input.practice_id).map_err(ApiError)?;
        let result = hub.practices().edit(actor, id, changes).await;
        Ok(UpdatePracticePayload::of(
            Outcome::of(result.map(Practice::new))?.split(),
        ))
    }

    /// Publishes a complete draft (its author only): peers can now read, endorse and adopt it.
    async fn publish_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The publish practice input; each of its fields is described on its type."
        )]
        input: PublishPracticeInput,
    ) -> Result<PublishPracticePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = practice_id(&input.practice_id).map_err(ApiError)?;
        let result = hub.practices().publish(actor, id).await;
        Ok(PublishPracticePayload::of(
            Outcome::of(result.map(Practice::new))?.split(),
        ))
    }

    /// Endorses a published practice written by someone else, once. Endorsements from enough
    /// organisations other than the author's promote it.
    async fn endorse_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The endorse practice input; each of its fields is described on its type."
        )]
        input: EndorsePracticeInput,
    ) -> Result<EndorsePracticePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = practice_id(&input.practice_id).map_err(ApiError)?;
        let result = hub.practices().endorse(actor, id, &input.comment).await;
        let (endorsement, user_errors) = Outcome::of(result)?.split();
        Ok(EndorsePracticePayload {
            practice: fresh(ctx, id).await?,
            endorsement: endorsement.map(Endorsement),
            user_errors,
        })
    }

    /// Withdraws the viewer's endorsement. A promotion it helped make stands.
    async fn withdraw_endorsement(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The withdraw endorsement input; each of its fields is described on its type."
        )]
        input: WithdrawEndorsementInput,
    ) -> Result<WithdrawEndorsementPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = practice_id(&input.practice_id).map_err(ApiError)?;
        let result = hub.practices().withdraw_endorsement(actor, id).await;
        let (_, user_errors) = Outcome::of(result)?.split();
        Ok(WithdrawEndorsementPayload::of((
            fresh(ctx, id).await?,
            user_errors,
        )))
    }

    /// Promotes a published practice to practice worth repeating: facilitators of its
    /// community.
    async fn promote_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The promote practice input; each of its fields is described on its type."
        )]
        input: PromotePracticeInput,
    ) -> Result<PromotePracticePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = practice_id(&input.practice_id).map_err(ApiError)?;
        let result = hub.practices().promote(actor, id, &input.note).await;
        Ok(PromotePracticePayload::of(
            Outcome::of(result.map(Practice::new))?.split(),
        ))
    }

    /// Archives a published practice: its author or a facilitator of its community.
    async fn archive_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The archive practice input; each of its fields is described on its type."
        )]
        input: ArchivePracticeInput,
    ) -> Result<ArchivePracticePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = practice_id(&input.practice_id).map_err(ApiError)?;
        let result = hub.practices().archive(actor, id).await;
        Ok(ArchivePracticePayload::of(
            Outcome::of(result.map(Practice::new))?.split(),
        ))
    }

    /// Records that the viewer's organisation adopted a published practice, and how it went.
    async fn record_adoption(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The record adoption input; each of its fields is described on its type."
        )]
        input: RecordAdoptionInput,
    ) -> Result<RecordAdoptionPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = practice_id(&input.practice_id).map_err(ApiError)?;
        let result = hub
            .practices()
            .record_adoption(actor, id, input.outcome.into(), &input.notes)
            .await;
        let (adoption, user_errors) = Outcome::of(result)?.split();
        Ok(RecordAdoptionPayload {
            practice: fresh(ctx, id).await?,
            adoption: adoption.map(Adoption),
            user_errors,
        })
    }
}

fn practice_id(global: &str) -> DomainResult<PracticeId> {
    id::expect(NodeKind::Practice, "practiceId", global).map(PracticeId::from_uuid)
}

/// The practice as the viewer now sees it.
async fn fresh(ctx: &Context<'_>, id: PracticeId) -> Result<Option<Practice>> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let found = hub.practices().find(actor, id).await.map_err(ApiError)?;
    Ok(found.map(Practice::new))
}
