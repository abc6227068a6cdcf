//! Practice use cases. Each checks the policy, then what the actor may see of the practice.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::content::{PracticeChanges, PracticeContent};
use super::diff::{FieldDiff, diff};
use super::model::{
    Adoption, AdoptionOutcome, Endorsement, Practice, PracticeFilter, PracticeId, PracticeOrder,
    PracticeQuery, PracticeStatus, Promotion, PromotionReason, PromotionRule, Revision,
};
use super::rules::{can_archive, can_read};
use super::slug::practice_slug;
use crate::access::Actor;
use crate::community::{
    Communities, Community, CommunityId, DEFAULT_PROMOTION_THRESHOLD, Role, Standing,
};
use crate::error::{DomainError, DomainResult};
use crate::events::{Events, HubEvent};
use crate::pagination::{Page, PageRequest};
use crate::person::{Person, PersonId};
use crate::policy::{self, Action};
use crate::ports::{Clock, PracticeRepository};
use crate::reputation::ReputationRules;

/// A practice as a reader may see it, with its community and the reader's standing there
/// (`None` when it has no community the reader may see).
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeView {
    pub practice: Practice,
    pub community: Option<(Community, Standing)>,
}

/// The practice use cases.
#[derive(Clone)]
pub struct Practices {
    repo: Arc<dyn PracticeRepository>,
    communities: Communities,
    events: Events,
    clock: Arc<dyn Clock>,
    reputation: ReputationRules,
}

const MAX_COMMENT: usize = 500;
const MAX_NOTES: usize = 5_000;

impl Practices {
    pub fn new(
        repo: Arc<dyn PracticeRepository>,
        communities: Communities,
        events: Events,
        clock: Arc<dyn Clock>,
        reputation: ReputationRules,
    ) -> Self {
        Self {
            repo,
            communities,
            events,
            clock,
            reputation,
        }
    }

    /// Starts a draft, optionally in a community the author belongs to.
    #[tracing::instrument(skip_all)]
    pub async fn create(
        &self,
        actor: &Actor,
        changes: PracticeChanges,
        community: Option<CommunityId>,
    ) -> DomainResult<PracticeView> {
        let author = policy::authorize(actor, Action::WritePractices)?;
        let content = PracticeContent::from_changes(&changes.parse()?)?;
        let community = match community {
            Some(id) => Some(self.member_of(actor, id).await?),
            None => None,
        };
        let id = PracticeId::generate();
        let now = self.clock.now();
        let practice = Practice {
            id,
            slug: practice_slug(&content.title, id)?,
            content,
            author: author.id,
            organisation: author.organisation.map(|(org, _)| org),
            community: community.as_ref().map(|(c, _)| c.id),
            status: PracticeStatus::Draft,
            endorsement_count: 0,
            adoption_count: 0,
            revision: 0,
            created_at: now,
            updated_at: now,
            published_at: None,
            promotion: None,
        };
        self.repo.create(&practice).await?;
        Ok(PracticeView {
            practice,
            community,
        })
    }

    /// Edits a practice: its author only. Past draft, every edit keeps a revision.
    #[tracing::instrument(skip_all)]
    pub async fn edit(
        &self,
        actor: &Actor,
        id: PracticeId,
        changes: PracticeChanges,
    ) -> DomainResult<PracticeView> {
        let (author, view) = self.authored(actor, id).await?;
        if view.practice.status == PracticeStatus::Archived {
            return Err(DomainError::invalid(
                "practiceId",
                "ARCHIVED",
                "an archived practice cannot be edited",
            ));
        }
        let changes = changes.parse()?;
        let practice = self
            .repo
            .edit(id, &changes, author.id, self.clock.now())
            .await?;
        Ok(PracticeView { practice, ..view })
    }

    /// Publishes a complete draft: its author only.
    #[tracing::instrument(skip_all)]
    pub async fn publish(&self, actor: &Actor, id: PracticeId) -> DomainResult<PracticeView> {
        let (author, view) = self.authored(actor, id).await?;
        if view.practice.status != PracticeStatus::Draft {
            return Err(already_published());
        }
        view.practice.content.check_complete()?;
        let now = self.clock.now();
        let practice = self
            .repo
            .publish(
                id,
                author.id,
                now,
                &self.reputation.published(&view.practice, now),
            )
            .await?
            .ok_or_else(already_published)?;
        if let Some(community) = practice.community {
            self.communities.record_activity(community, now).await?;
        }
        self.events
            .raise(HubEvent::PracticePublished {
                practice: id,
                community: practice.community,
                author: practice.author,
                at: now,
            })
            .await;
        Ok(PracticeView { practice, ..view })
    }

    /// Endorses a live practice written by someone else, once. May promote it.
    #[tracing::instrument(skip_all)]
    pub async fn endorse(
        &self,
        actor: &Actor,
        id: PracticeId,
        comment: &str,
    ) -> DomainResult<Endorsement> {
        let endorser = policy::authorize(actor, Action::WritePractices)?;
        let comment = comment.trim();
        if !(1..=MAX_COMMENT).contains(&comment.chars().count()) {
            return Err(DomainError::invalid(
                "comment",
                "LENGTH",
                format!("must be 1 to {MAX_COMMENT} characters"),
            ));
        }
        let view = self.live(actor, id).await?;
        let practice = &view.practice;
        if practice.author == endorser.id {
            return Err(DomainError::invalid(
                "practiceId",
                "OWN_PRACTICE",
                "you cannot endorse your own practice",
            ));
        }
        let endorsement = Endorsement {
            practice: id,
            person: endorser.id,
            organisation: organisation_of(endorser),
            comment: comment.to_owned(),
            created_at: self.clock.now(),
        };
        let rule = PromotionRule {
            threshold: view
                .community
                .as_ref()
                .map_or(DEFAULT_PROMOTION_THRESHOLD, |(c, _)| c.promotion_threshold),
            author_organisation: practice.organisation,
        };
        let on_endorsed = self.reputation.endorsed(practice, &endorsement);
        let on_promoted = self.reputation.promoted(practice, endorsement.created_at);
        let promoted = self
            .repo
            .endorse(&endorsement, rule, &on_endorsed, &on_promoted)
            .await?;
        self.events
            .raise(HubEvent::PracticeEndorsed {
                practice: id,
                community: practice.community,
                author: practice.author,
                author_organisation: practice.organisation,
                endorser: endorser.id,
                endorser_organisation: endorsement.organisation,
                at: endorsement.created_at,
            })
            .await;
        if let Some(promotion) = promoted {
            self.promoted(practice, promotion).await?;
        }
        Ok(endorsement)
    }

    /// Withdraws the actor's endorsement. A promotion it helped make stands.
    #[tracing::instrument(skip_all)]
    pub async fn withdraw_endorsement(&self, actor: &Actor, id: PracticeId) -> DomainResult<()> {
        let endorser = policy::authorize(actor, Action::WritePractices)?;
        let view = self.find(actor, id).await?.ok_or(DomainError::NotFound)?;
        let now = self.clock.now();
        let effects = self
            .reputation
            .endorsement_withdrawn(&view.practice, endorser.id, now);
        if !self
            .repo
            .withdraw_endorsement(id, endorser.id, &effects)
            .await?
        {
            return Err(DomainError::invalid(
                "practiceId",
                "NOT_ENDORSED",
                "you have not endorsed this practice",
            ));
        }
        self.events
            .raise(HubEvent::EndorsementWithdrawn {
                practice: id,
                community: view.practice.community,
                author: view.practice.author,
                endorser: endorser.id,
                at: now,
            })
            .await;
        Ok(())
    }

    /// Promotes a published practice by hand: facilitators of its community.
    #[tracing::instrument(skip_all)]
    pub async fn promote(
        &self,
        actor: &Actor,
        id: PracticeId,
        note: &str,
    ) -> DomainResult<PracticeView> {
        let facilitator = policy::authorize(actor, Action::FacilitateCommunities)?;
        let view = self.find(actor, id).await?.ok_or(DomainError::NotFound)?;
        let facilitates = view
            .community
            .as_ref()
            .is_some_and(|(_, standing)| standing.at_least(Role::Facilitator));
        if !facilitates {
            return Err(DomainError::Forbidden(
                "only facilitators of the practice's community may promote it",
            ));
        }
        match view.practice.status {
            PracticeStatus::Published => {}
            PracticeStatus::Promoted => return Err(already_promoted()),
            PracticeStatus::Draft | PracticeStatus::Archived => return Err(not_live()),
        }
        let note = note.trim();
        if note.chars().count() > MAX_COMMENT {
            return Err(DomainError::invalid(
                "note",
                "LENGTH",
                format!("must be at most {MAX_COMMENT} characters"),
            ));
        }
        let promotion = Promotion {
            at: self.clock.now(),
            reason: PromotionReason::Facilitator {
                by: facilitator.id,
                note: note.to_owned(),
            },
        };
        let effects = self.reputation.promoted(&view.practice, promotion.at);
        if !self.repo.promote(id, &promotion, &effects).await? {
            return Err(already_promoted());
        }
        self.promoted(&view.practice, promotion).await?;
        self.find(actor, id).await?.ok_or(DomainError::NotFound)
    }

    /// Archives a live practice: its author or a facilitator of its community.
    #[tracing::instrument(skip_all)]
    pub async fn archive(&self, actor: &Actor, id: PracticeId) -> DomainResult<PracticeView> {
        let person = policy::authorize(actor, Action::WritePractices)?;
        let view = self.find(actor, id).await?.ok_or(DomainError::NotFound)?;
        if !can_archive(&view.practice, person.id, view.community.as_ref()) {
            return Err(DomainError::Forbidden(
                "only the author or the community's facilitators may archive a practice",
            ));
        }
        if !self.repo.archive(id, self.clock.now()).await? {
            return Err(not_live());
        }
        self.find(actor, id).await?.ok_or(DomainError::NotFound)
    }

    /// Records that the actor's organisation adopted a live practice from elsewhere.
    #[tracing::instrument(skip_all)]
    pub async fn record_adoption(
        &self,
        actor: &Actor,
        id: PracticeId,
        outcome: AdoptionOutcome,
        notes: &str,
    ) -> DomainResult<Adoption> {
        let person = policy::authorize(actor, Action::WritePractices)?;
        let organisation = organisation_of(person).ok_or_else(|| {
            DomainError::invalid(
                "",
                "NO_ORGANISATION",
                "only members of an organisation can record its adoptions",
            )
        })?;
        if notes.chars().count() > MAX_NOTES {
            return Err(DomainError::invalid(
                "notes",
                "LENGTH",
                format!("must be at most {MAX_NOTES} characters"),
            ));
        }
        let view = self.live(actor, id).await?;
        if view.practice.organisation == Some(organisation) {
            return Err(DomainError::invalid(
                "practiceId",
                "OWN_ORGANISATION",
                "this practice comes from your own organisation",
            ));
        }
        let adoption = Adoption {
            practice: id,
            organisation,
            person: person.id,
            outcome,
            notes: notes.trim().to_owned(),
            created_at: self.clock.now(),
        };
        let effects = self.reputation.adopted(&view.practice, &adoption);
        self.repo.adopt(&adoption, &effects).await?;
        self.events
            .raise(HubEvent::PracticeAdopted {
                practice: id,
                community: view.practice.community,
                author: view.practice.author,
                organisation,
                recorded_by: person.id,
                outcome,
                at: adoption.created_at,
            })
            .await;
        Ok(adoption)
    }

    /// The practice, if the actor may read it.
    pub async fn find(&self, actor: &Actor, id: PracticeId) -> DomainResult<Option<PracticeView>> {
        Ok(self.visible(actor, &[id]).await?.pop())
    }

    /// The practice with this slug, if the actor may read it.
    pub async fn find_by_slug(
        &self,
        actor: &Actor,
        slug: &str,
    ) -> DomainResult<Option<PracticeView>> {
        let found = self.repo.find_by_slug(slug).await?;
        Ok(self
            .readable(actor, found.into_iter().collect())
            .await?
            .pop())
    }

    /// The practices among `ids` the actor may read, in the store's order.
    pub async fn visible(
        &self,
        actor: &Actor,
        ids: &[PracticeId],
    ) -> DomainResult<Vec<PracticeView>> {
        let found = self.repo.find_by_ids(ids).await?;
        self.readable(actor, found).await
    }

    /// A page of the practices the actor may read.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: PracticeFilter,
        order: PracticeOrder,
        page: &PageRequest,
    ) -> DomainResult<Page<PracticeView>> {
        let query = PracticeQuery {
            filter,
            reader: actor.person().map(|p| p.id),
        };
        let page = self.repo.list(&query, order, page).await?;
        let practices: Vec<Practice> = page.items.iter().map(|(_, p)| p.clone()).collect();
        // One batch for the page's communities; the list query already applied visibility.
        let mut views: HashMap<PracticeId, PracticeView> = self
            .readable(actor, practices)
            .await?
            .into_iter()
            .map(|view| (view.practice.id, view))
            .collect();
        let items = page
            .items
            .into_iter()
            .filter_map(|(cursor, p)| views.remove(&p.id).map(|view| (cursor, view)))
            .collect();
        Ok(Page {
            items,
            has_previous_page: page.has_previous_page,
            has_next_page: page.has_next_page,
            total_count: page.total_count,
        })
    }

    /// Which of `ids` (practices the reader may read) `reader` has endorsed.
    pub async fn endorsed_among(
        &self,
        reader: PersonId,
        ids: &[PracticeId],
    ) -> DomainResult<HashSet<PracticeId>> {
        self.repo.endorsed_among(reader, ids).await
    }

    /// Revisions of a readable practice, newest first.
    pub async fn revisions(
        &self,
        view: &PracticeView,
        page: &PageRequest,
    ) -> DomainResult<Page<Revision>> {
        self.repo.revisions(view.practice.id, page).await
    }

    /// One revision of a readable practice.
    pub async fn revision(
        &self,
        view: &PracticeView,
        number: u32,
    ) -> DomainResult<Option<Revision>> {
        Ok(self
            .repo
            .revisions_numbered(view.practice.id, &[number])
            .await?
            .pop())
    }

    /// How revision `to` differs from revision `from`; `None` if either does not exist.
    pub async fn diff(
        &self,
        view: &PracticeView,
        from: u32,
        to: u32,
    ) -> DomainResult<Option<Vec<FieldDiff>>> {
        let revisions = self
            .repo
            .revisions_numbered(view.practice.id, &[from, to])
            .await?;
        let content = |n: u32| revisions.iter().find(|r| r.number == n).map(|r| &r.content);
        Ok(content(from)
            .zip(content(to))
            .map(|(before, after)| diff(before, after)))
    }

    /// Endorsements of a readable practice, oldest first.
    pub async fn endorsements(
        &self,
        view: &PracticeView,
        page: &PageRequest,
    ) -> DomainResult<Page<Endorsement>> {
        self.repo.endorsements(view.practice.id, page).await
    }

    /// Adoptions of a readable practice, oldest first.
    pub async fn adoptions(
        &self,
        view: &PracticeView,
        page: &PageRequest,
    ) -> DomainResult<Page<Adoption>> {
        self.repo.adoptions(view.practice.id, page).await
    }

    /// Keeps the practices the actor may read, each with its community as they see it.
    async fn readable(
        &self,
        actor: &Actor,
        practices: Vec<Practice>,
    ) -> DomainResult<Vec<PracticeView>> {
        let mut ids: Vec<CommunityId> = practices.iter().filter_map(|p| p.community).collect();
        ids.sort();
        ids.dedup();
        let communities: HashMap<CommunityId, (Community, Standing)> = match ids.is_empty() {
            true => HashMap::new(),
            false => self
                .communities
                .visible(actor, &ids)
                .await?
                .into_iter()
                .map(|seen| (seen.0.id, seen))
                .collect(),
        };
        let reader = actor.person().map(|p| p.id);
        Ok(practices
            .into_iter()
            .filter_map(|practice| {
                let community = practice
                    .community
                    .and_then(|id| communities.get(&id))
                    .cloned();
                can_read(&practice, reader, community.as_ref()).then_some(PracticeView {
                    practice,
                    community,
                })
            })
            .collect())
    }

    /// The practice, which the actor must have written.
    async fn authored<'a>(
        &self,
        actor: &'a Actor,
        id: PracticeId,
    ) -> DomainResult<(&'a Person, PracticeView)> {
        let author = policy::authorize(actor, Action::WritePractices)?;
        let view = self.find(actor, id).await?.ok_or(DomainError::NotFound)?;
        if view.practice.author != author.id {
            return Err(DomainError::Forbidden("only the author may do this"));
        }
        Ok((author, view))
    }

    /// The practice, which must be readable and live (published or promoted).
    async fn live(&self, actor: &Actor, id: PracticeId) -> DomainResult<PracticeView> {
        let view = self.find(actor, id).await?.ok_or(DomainError::NotFound)?;
        if !view.practice.status.is_live() {
            return Err(not_live());
        }
        Ok(view)
    }

    /// The community, which the actor must see and belong to.
    async fn member_of(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<(Community, Standing)> {
        let seen = self
            .communities
            .visible(actor, &[id])
            .await?
            .pop()
            .ok_or_else(|| DomainError::invalid("communityId", "NOT_FOUND", "no such community"))?;
        if !seen.1.is_member() {
            return Err(DomainError::invalid(
                "communityId",
                "NOT_A_MEMBER",
                "only members share practices in a community",
            ));
        }
        Ok(seen)
    }

    async fn promoted(&self, practice: &Practice, promotion: Promotion) -> DomainResult<()> {
        if let Some(community) = practice.community {
            self.communities
                .record_activity(community, promotion.at)
                .await?;
        }
        self.events
            .raise(HubEvent::PracticePromoted {
                practice: practice.id,
                community: practice.community,
                author: practice.author,
                promotion,
            })
            .await;
        Ok(())
    }
}

fn organisation_of(person: &Person) -> Option<crate::organisation::OrganisationId> {
    person.organisation.map(|(org, _)| org)
}

fn already_published() -> DomainError {
    DomainError::invalid(
        "practiceId",
        "ALREADY_PUBLISHED",
        "this practice is already published",
    )
}

fn already_promoted() -> DomainError {
    DomainError::invalid(
        "practiceId",
        "ALREADY_PROMOTED",
        "this practice is already practice worth repeating",
    )
}

fn not_live() -> DomainError {
    DomainError::invalid(
        "practiceId",
        "NOT_PUBLISHED",
        "only published practices can be endorsed, adopted, promoted or archived",
    )
}
