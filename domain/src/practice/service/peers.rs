//! What peers do with a practice: endorse it, promote it, adopt it.

use super::{
    MAX_COMMENT, MAX_NOTES, PracticeView, Practices, already_promoted, not_live, organisation_of,
    promotion_effects,
};
use crate::access::Actor;
use crate::community::{DEFAULT_PROMOTION_THRESHOLD, Role};
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::policy::{self, Action};
use crate::practice::model::{
    Adoption, AdoptionOutcome, Endorsement, PracticeId, PracticeStatus, Promotion, PromotionReason,
    PromotionRule,
};

impl Practices {
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
        if let Some(community) = practice.community {
            self.communities
                .check_not_banned(community, endorser.id)
                .await?;
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
        let on_endorsed = self.reputation.endorsed(practice, &endorsement).and_raise(
            HubEvent::PracticeEndorsed {
                practice: id,
                community: practice.community,
                author: practice.author,
                author_organisation: practice.organisation,
                endorser: endorser.id,
                endorser_organisation: endorsement.organisation,
                at: endorsement.created_at,
            },
        );
        // The store fills in how many organisations had endorsed when it promotes.
        let provisional = Promotion {
            at: endorsement.created_at,
            reason: PromotionReason::Endorsements {
                organisations: rule.threshold,
                threshold: rule.threshold,
            },
        };
        let on_promoted = promotion_effects(&self.reputation, practice, provisional);
        let promoted = self
            .repo
            .endorse(&endorsement, rule, &on_endorsed, &on_promoted)
            .await?;
        if let Some(promotion) = promoted {
            self.promoted(practice, &promotion).await?;
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
            .endorsement_withdrawn(&view.practice, endorser.id, now)
            .and_raise(HubEvent::EndorsementWithdrawn {
                practice: id,
                community: view.practice.community,
                author: view.practice.author,
                endorser: endorser.id,
                at: now,
            });
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
        let effects = promotion_effects(&self.reputation, &view.practice, promotion.clone());
        if !self.repo.promote(id, &promotion, &effects).await? {
            return Err(already_promoted());
        }
        self.promoted(&view.practice, &promotion).await?;
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
        let effects = self
            .reputation
            .adopted(&view.practice, &adoption)
            .and_raise(HubEvent::PracticeAdopted {
                practice: id,
                community: view.practice.community,
                author: view.practice.author,
                organisation,
                recorded_by: person.id,
                outcome,
                at: adoption.created_at,
            });
        self.repo.adopt(&adoption, &effects).await?;
        Ok(adoption)
    }
}
