//! Writing a practice: drafting, editing (with revisions), publishing, archiving.

use super::{PracticeView, Practices, already_published, not_live};
use crate::access::Actor;
use crate::community::CommunityId;
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::policy::{self, Action};
use crate::practice::content::{PracticeChanges, PracticeContent};
use crate::practice::model::{Practice, PracticeId, PracticeStatus};
use crate::practice::rules::can_archive;
use crate::practice::slug::practice_slug;

impl Practices {
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
            Some(id) => Some(self.communities.taking_part(actor, id).await?),
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
            hidden: None,
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
        let effects =
            self.reputation
                .published(&view.practice, now)
                .and_raise(HubEvent::PracticePublished {
                    practice: id,
                    community: view.practice.community,
                    author: view.practice.author,
                    at: now,
                });
        let practice = self
            .repo
            .publish(id, author.id, now, &effects)
            .await?
            .ok_or_else(already_published)?;
        if let Some(community) = practice.community {
            self.communities.record_activity(community, now).await?;
        }
        Ok(PracticeView { practice, ..view })
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
}
