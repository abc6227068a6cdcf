//! Practice use cases. Each checks the policy, then what the actor may see of the practice.

mod lifecycle;
mod moderation;

pub(crate) use moderation::log as moderation_log;
mod peers;
mod reading;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::diff::{FieldDiff, diff};
use super::model::{
    Adoption, Endorsement, Practice, PracticeFilter, PracticeId, PracticeOrder, PracticeQuery,
    Promotion, Revision,
};
use super::rules::can_read;
use crate::access::Actor;
use crate::community::{Communities, Community, CommunityId, Standing};
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::pagination::{Page, PageRequest};
use crate::person::{Person, PersonId};
use crate::policy::{self, Action};
use crate::ports::{Clock, PracticeRepository};
use crate::reputation::{Effects, ReputationRules};

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
    clock: Arc<dyn Clock>,
    reputation: ReputationRules,
}

const MAX_COMMENT: usize = 500;
const MAX_NOTES: usize = 5_000;

impl Practices {
    pub fn new(
        repo: Arc<dyn PracticeRepository>,
        communities: Communities,
        clock: Arc<dyn Clock>,
        reputation: ReputationRules,
    ) -> Self {
        Self {
            repo,
            communities,
            clock,
            reputation,
        }
    }

    /// Keeps the practices `reader` may read, each with its community as they see it.
    async fn readable(
        &self,
        reader: Option<PersonId>,
        practices: Vec<Practice>,
    ) -> DomainResult<Vec<PracticeView>> {
        let mut ids: Vec<CommunityId> = practices.iter().filter_map(|p| p.community).collect();
        ids.sort();
        ids.dedup();
        let communities: HashMap<CommunityId, (Community, Standing)> = match ids.is_empty() {
            true => HashMap::new(),
            false => self
                .communities
                .visible_to(reader, &ids)
                .await?
                .into_iter()
                .map(|seen| (seen.0.id, seen))
                .collect(),
        };
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
        if view.practice.hidden.is_some() {
            return Err(DomainError::invalid(
                "practiceId",
                "HIDDEN",
                "this practice is hidden pending a facilitator's review",
            ));
        }
        Ok(view)
    }

    async fn promoted(&self, practice: &Practice, promotion: &Promotion) -> DomainResult<()> {
        match practice.community {
            Some(community) => {
                self.communities
                    .record_activity(community, promotion.at)
                    .await
            }
            None => Ok(()),
        }
    }
}

/// What promoting `practice` causes: reputation, and the event saying so.
fn promotion_effects(
    rules: &ReputationRules,
    practice: &Practice,
    promotion: Promotion,
) -> Effects {
    rules
        .promoted(practice, promotion.at)
        .and_raise(HubEvent::PracticePromoted {
            practice: practice.id,
            community: practice.community,
            author: practice.author,
            promotion,
        })
}

fn organisation_of(person: &Person) -> Option<crate::organisation::OrganisationId> {
    person.organisation.map(|(org, _)| org)
}

/// Who reads, as visibility rules see them.
fn reader(actor: &Actor) -> Option<PersonId> {
    actor.person().map(|p| p.id)
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
