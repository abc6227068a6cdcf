//! Facilitating practices: hiding one pending review and restoring it. Its community's
//! facilitators act, and hub administrators for any practice (the only ones for a practice
//! with no community).

use chrono::{DateTime, Utc};

use super::{PracticeView, Practices};
use crate::access::Actor;
use crate::community::{Role, Standing};
use crate::error::{DomainError, DomainResult};
use crate::moderation::{ContentRef, LogEntry, Moderated, ModerationAction, Reason, administers};
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::ports::PracticeHiding;
use crate::practice::PracticeId;
use crate::reputation::Effects;

impl Practices {
    /// Takes a practice down pending review: gone for every reader but its author and the
    /// facilitators, its reputation taken back; on a practice flags hid, confirms it with the
    /// facilitator's reason. Its flags are closed.
    pub async fn hide(
        &self,
        actor: &Actor,
        id: PracticeId,
        reason: Reason,
    ) -> DomainResult<PracticeView> {
        let (facilitator, view) = self.facilitated(actor, id).await?;
        let log = log(
            &view,
            facilitator,
            ModerationAction::Hide,
            Some(reason.clone()),
            self.clock.now(),
        );
        match &view.practice.hidden {
            Some(hidden) => {
                let change = PracticeHiding {
                    practice: id,
                    hidden: Some(Moderated {
                        reason: reason.as_str().to_owned(),
                        at: hidden.at,
                    }),
                    was_hidden: true,
                    resolves_flags: true,
                    at: log.at,
                };
                self.repo
                    .set_hidden(&change, &Effects::default().and_log(log))
                    .await?;
            }
            None => self.take_down(&view, reason, log, true).await?,
        }
        self.view_for(actor, id).await
    }

    /// Hides the practice for `reason` with `log` as the record: a facilitator's HIDE
    /// (`reviewed`: its flags closed) or members' flags reaching the threshold.
    pub(crate) async fn take_down(
        &self,
        view: &PracticeView,
        reason: Reason,
        log: LogEntry,
        reviewed: bool,
    ) -> DomainResult<()> {
        let at = log.at;
        let effects = self
            .reputation
            .practice_removed(&view.practice, at)
            .and_log(log);
        let change = PracticeHiding {
            practice: view.practice.id,
            hidden: Some(Moderated {
                reason: reason.as_str().to_owned(),
                at,
            }),
            was_hidden: false,
            resolves_flags: reviewed,
            at,
        };
        if !self.repo.set_hidden(&change, &effects).await? {
            return Err(DomainError::invalid(
                "contentId",
                "NOT_VISIBLE",
                "this content is not shown to readers",
            ));
        }
        Ok(())
    }

    /// Shows a hidden practice again, with the reputation hiding took, and closes its flags.
    pub async fn restore(
        &self,
        actor: &Actor,
        id: PracticeId,
        reason: Option<Reason>,
    ) -> DomainResult<PracticeView> {
        let (facilitator, view) = self.facilitated(actor, id).await?;
        let Some(hidden) = &view.practice.hidden else {
            return Err(DomainError::invalid(
                "contentId",
                "NOT_HIDDEN",
                "this content is not hidden",
            ));
        };
        let log = log(
            &view,
            facilitator,
            ModerationAction::Restore,
            reason,
            self.clock.now(),
        );
        let at = log.at;
        let effects = self
            .reputation
            .practice_restored(&view.practice, hidden.at, at)
            .and_log(log);
        let change = PracticeHiding {
            practice: id,
            hidden: None,
            was_hidden: true,
            resolves_flags: true,
            at,
        };
        self.repo.set_hidden(&change, &effects).await?;
        self.view_for(actor, id).await
    }

    /// The practice as its community's facilitators (or a hub administrator) see it; refused
    /// to anyone else.
    pub(crate) async fn facilitated(
        &self,
        actor: &Actor,
        id: PracticeId,
    ) -> DomainResult<(PersonId, PracticeView)> {
        let person = policy::authorize(actor, Action::FacilitateCommunities)?;
        if person.hub_administrator {
            return Ok((person.id, self.as_owner(id).await?));
        }
        let view = self.find(actor, id).await?.ok_or(DomainError::NotFound)?;
        let facilitates = view
            .community
            .as_ref()
            .is_some_and(|(_, standing)| standing.at_least(Role::Facilitator));
        if !facilitates && !administers(person, view.practice.organisation) {
            return Err(DomainError::Forbidden(
                "only its community's facilitators, its organisation's administrators and hub \
                 administrators moderate a practice",
            ));
        }
        Ok((person.id, view))
    }

    /// The practice as the facilitator now sees it, after acting on it.
    async fn view_for(&self, actor: &Actor, id: PracticeId) -> DomainResult<PracticeView> {
        match self.find(actor, id).await? {
            Some(view) => Ok(view),
            None => self.as_owner(id).await,
        }
    }

    /// The practice wherever it is, standing as its community's owners do: for hub
    /// administrators, who act in every community.
    async fn as_owner(&self, id: PracticeId) -> DomainResult<PracticeView> {
        let practice = self
            .repo
            .find_by_ids(&[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound)?;
        let community = match practice.community {
            Some(community) => self.communities.by_id(community).await?.map(|community| {
                let owner = Standing {
                    role: Some(Role::Owner),
                    ..Standing::default()
                };
                (community, owner)
            }),
            None => None,
        };
        Ok(PracticeView {
            practice,
            community,
        })
    }
}

/// A log entry for `action` on the practice by `facilitator` at `at`.
pub(crate) fn log(
    view: &PracticeView,
    facilitator: PersonId,
    action: ModerationAction,
    reason: Option<Reason>,
    at: DateTime<Utc>,
) -> LogEntry {
    let community = view.practice.community;
    LogEntry::new(community, facilitator, action, at)
        .about(ContentRef::Practice(view.practice.id))
        .because(reason)
}
