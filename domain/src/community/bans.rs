//! Keeping people out: facilitators remove members and ban them, for a time or for good.
//! Facilitators (and an organisation's administrators, for its people) act on members only;
//! owners act on anyone; a ban is lifted by whoever set it or by an owner.

use chrono::{DateTime, Utc};

use super::model::{CommunityId, Role, Standing};
use super::service::Communities;
use crate::access::Actor;
use crate::error::{DomainError, DomainResult};
use crate::moderation::{Ban, LogEntry, ModerationAction, Reason, administers};
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::reputation::Effects;

/// How a facilitator keeps someone out.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    pub community: CommunityId,
    pub person: PersonId,
    pub reason: Option<Reason>,
}

impl Communities {
    /// Removes a member, who may rejoin by the normal path.
    #[tracing::instrument(skip_all)]
    pub async fn remove_member(
        &self,
        actor: &Actor,
        exclusion: Exclusion,
    ) -> DomainResult<LogEntry> {
        let (actor_id, standing) = self.acting(actor, &exclusion).await?;
        let target = self
            .standing_of(exclusion.person, exclusion.community)
            .await?;
        if !target.is_member() {
            return Err(not_a_member());
        }
        check_may_act_on(&standing, &target, actor_id, exclusion.person)?;
        let entry = self.entry(actor_id, ModerationAction::RemoveMember, &exclusion);
        self.repo
            .remove_member(
                exclusion.community,
                exclusion.person,
                &Effects::default().and_log(entry.clone()),
            )
            .await?;
        Ok(entry)
    }

    /// Bans someone, member or not, until `until` (for good when none): they lose their
    /// membership and cannot rejoin, post, react, endorse or flag there until it ends.
    #[tracing::instrument(skip_all)]
    pub async fn ban(
        &self,
        actor: &Actor,
        exclusion: Exclusion,
        until: Option<DateTime<Utc>>,
    ) -> DomainResult<LogEntry> {
        let (actor_id, standing) = self.acting(actor, &exclusion).await?;
        let now = self.clock.now();
        if until.is_some_and(|until| until <= now) {
            return Err(DomainError::invalid(
                "until",
                "IN_THE_PAST",
                "a ban must end in the future",
            ));
        }
        if self
            .people
            .find_by_ids(&[exclusion.person])
            .await?
            .is_empty()
        {
            return Err(DomainError::invalid(
                "personId",
                "NOT_FOUND",
                "no such person",
            ));
        }
        let target = self
            .standing_of(exclusion.person, exclusion.community)
            .await?;
        check_may_act_on(&standing, &target, actor_id, exclusion.person)?;
        self.check_may_change_ban(&standing, actor_id, &exclusion)
            .await?;
        let entry = self
            .entry(actor_id, ModerationAction::BanMember, &exclusion)
            .until(until);
        let ban = Ban {
            community: exclusion.community,
            person: exclusion.person,
            by: actor_id,
            reason: exclusion.reason,
            until,
            at: now,
        };
        self.repo
            .ban(&ban, &Effects::default().and_log(entry.clone()))
            .await?;
        Ok(entry)
    }

    /// Lifts a ban: whoever set it, or an owner.
    #[tracing::instrument(skip_all)]
    pub async fn unban(&self, actor: &Actor, exclusion: Exclusion) -> DomainResult<LogEntry> {
        let (actor_id, standing) = self.acting(actor, &exclusion).await?;
        if self
            .ban_of(exclusion.community, exclusion.person)
            .await?
            .is_none()
        {
            return Err(DomainError::invalid(
                "personId",
                "NOT_BANNED",
                "this person is not banned here",
            ));
        }
        self.check_may_change_ban(&standing, actor_id, &exclusion)
            .await?;
        let entry = self.entry(actor_id, ModerationAction::Unban, &exclusion);
        self.repo
            .unban(
                exclusion.community,
                exclusion.person,
                &Effects::default().and_log(entry.clone()),
            )
            .await?;
        Ok(entry)
    }

    /// The ban in force on `person` in `community`, if any.
    pub async fn ban_of(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> DomainResult<Option<Ban>> {
        let ban = self.repo.ban_of(community, person).await?;
        Ok(ban.filter(|ban| ban.in_force(self.clock.now())))
    }

    /// Refuses a banned person with a clear message naming when the ban ends.
    pub async fn check_not_banned(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> DomainResult<()> {
        match self.ban_of(community, person).await? {
            None => Ok(()),
            Some(ban) => Err(DomainError::invalid(
                "communityId",
                "BANNED",
                match ban.until {
                    Some(until) => format!("you are banned from this community until {until}"),
                    None => "you are banned from this community".to_owned(),
                },
            )),
        }
    }

    /// Who acts on `exclusion.person`, standing as what: a facilitator or owner of the
    /// community, or an administrator of the person's organisation (as a facilitator).
    async fn acting(
        &self,
        actor: &Actor,
        exclusion: &Exclusion,
    ) -> DomainResult<(PersonId, Standing)> {
        let person = policy::authorize(actor, Action::FacilitateCommunities)?;
        match self.facilitating(actor, exclusion.community).await {
            Err(DomainError::Forbidden(why)) => {
                let target = self.people.find_by_ids(&[exclusion.person]).await?.pop();
                let organisation = target.and_then(|t| t.organisation).map(|(org, _)| org);
                if !administers(person, organisation) {
                    return Err(DomainError::Forbidden(why));
                }
                let standing = self.standing_of(person.id, exclusion.community).await?;
                let role = Some(Role::Facilitator);
                Ok((person.id, Standing { role, ..standing }))
            }
            other => Ok((person.id, other?)),
        }
    }

    /// Facilitators may not replace or lift another's ban; owners may.
    async fn check_may_change_ban(
        &self,
        standing: &Standing,
        actor: PersonId,
        exclusion: &Exclusion,
    ) -> DomainResult<()> {
        let existing = self.ban_of(exclusion.community, exclusion.person).await?;
        match existing {
            Some(ban) if ban.by != actor && !standing.at_least(Role::Owner) => Err(
                DomainError::Forbidden("only owners change a ban another facilitator set"),
            ),
            _ => Ok(()),
        }
    }

    fn entry(&self, actor: PersonId, action: ModerationAction, exclusion: &Exclusion) -> LogEntry {
        LogEntry::new(Some(exclusion.community), actor, action, self.clock.now())
            .of_person(exclusion.person)
            .because(exclusion.reason.clone())
    }
}

/// Facilitators act on members only, owners on anyone; nobody on themselves.
fn check_may_act_on(
    actor: &Standing,
    target: &Standing,
    actor_id: PersonId,
    target_id: PersonId,
) -> DomainResult<()> {
    if actor_id == target_id {
        return Err(DomainError::invalid(
            "personId",
            "SELF",
            "you cannot remove or ban yourself",
        ));
    }
    let target_role = target.role.unwrap_or(Role::Member);
    if target_role >= Role::Facilitator && !actor.at_least(Role::Owner) {
        return Err(DomainError::Forbidden(
            "only owners remove or ban facilitators and owners",
        ));
    }
    Ok(())
}

fn not_a_member() -> DomainError {
    DomainError::invalid("personId", "NOT_A_MEMBER", "this person is not a member")
}
