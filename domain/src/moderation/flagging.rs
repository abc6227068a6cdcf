//! Flagging and dismissing flags: a reader flags a thread, post or practice once; enough
//! members' open flags hide it pending review; a facilitator may close them unacted.

use super::Moderation;
use super::flags::{self, Flag, FlagId, FlagNote, FlagReason};
use super::model::{ContentRef, ModerationAction};
use crate::access::Actor;
use crate::community::DEFAULT_FLAG_THRESHOLD;
use crate::conversation::{PostStatus, content_of};
use crate::error::{DomainError, DomainResult};
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::practice::{PracticeId, PracticeStatus};
use crate::reputation::Effects;

/// What flagging did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flagged {
    /// Recorded for the facilitators.
    Noted,
    /// Recorded, and the content is now hidden pending review.
    Hidden,
}

/// A reader's flag as asked.
struct Asked {
    flagger: PersonId,
    reason: FlagReason,
    note: Option<FlagNote>,
}

impl Moderation {
    /// Flags content the actor may read, once; not their own, not where they are banned.
    /// When distinct members' open flags reach the community's threshold, the content is
    /// hidden pending review.
    #[tracing::instrument(skip_all)]
    pub async fn flag(
        &self,
        actor: &Actor,
        content: ContentRef,
        reason: FlagReason,
        note: Option<FlagNote>,
    ) -> DomainResult<Flagged> {
        let flagger = policy::authorize(actor, Action::FlagContent)?.id;
        let asked = Asked {
            flagger,
            reason,
            note,
        };
        match content {
            ContentRef::Practice(id) => self.flag_practice(actor, id, asked).await,
            _ => self.flag_conversation(actor, content, asked).await,
        }
    }

    async fn flag_conversation(
        &self,
        actor: &Actor,
        content: ContentRef,
        asked: Asked,
    ) -> DomainResult<Flagged> {
        let (post, view) = self.conversations.readable_content(actor, content).await?;
        let shown = post.status == PostStatus::Approved && !post.is_deleted();
        check_flaggable(post.author, asked.flagger, shown)?;
        let community = &view.community;
        self.communities
            .check_not_banned(community.id, asked.flagger)
            .await?;
        let flag = self.flag_of(asked, Some(community.id), content_of(&post));
        if !self.reaches(&flag, community.flag_threshold).await? {
            return Ok(Flagged::Noted);
        }
        let (reason, log) = (flags::hidden_by_flags(), flags::hidden_by(&flag));
        let hidden = self
            .conversations
            .take_down(&post, &view, flag.flagger, reason, log, false)
            .await;
        settled(hidden)
    }

    async fn flag_practice(
        &self,
        actor: &Actor,
        id: PracticeId,
        asked: Asked,
    ) -> DomainResult<Flagged> {
        let view = self
            .practices
            .find(actor, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let practice = &view.practice;
        let shown = practice.status != PracticeStatus::Draft && practice.hidden.is_none();
        check_flaggable(practice.author, asked.flagger, shown)?;
        if let Some(community) = practice.community {
            self.communities
                .check_not_banned(community, asked.flagger)
                .await?;
        }
        let threshold = view
            .community
            .as_ref()
            .map_or(DEFAULT_FLAG_THRESHOLD, |(community, _)| {
                community.flag_threshold
            });
        let flag = self.flag_of(asked, practice.community, ContentRef::Practice(id));
        if !self.reaches(&flag, threshold).await? {
            return Ok(Flagged::Noted);
        }
        let (reason, log) = (flags::hidden_by_flags(), flags::hidden_by(&flag));
        settled(self.practices.take_down(&view, reason, log, false).await)
    }

    fn flag_of(
        &self,
        asked: Asked,
        community: Option<crate::community::CommunityId>,
        content: ContentRef,
    ) -> Flag {
        Flag {
            id: FlagId::generate(),
            community,
            content,
            flagger: asked.flagger,
            reason: asked.reason,
            note: asked.note,
            at: self.clock.now(),
        }
    }

    /// Records `flag`; whether its item's open flags now reach `threshold`.
    async fn reaches(&self, flag: &Flag, threshold: u32) -> DomainResult<bool> {
        Ok(self.repo.add_flag(flag).await? >= threshold)
    }

    /// Closes an item's open flags without acting on it (hidden content stays hidden until
    /// restored): facilitators. Returns the item as flags name it.
    pub async fn dismiss_flags(
        &self,
        actor: &Actor,
        content: ContentRef,
    ) -> DomainResult<ContentRef> {
        let (content, log) = match content {
            ContentRef::Practice(id) => {
                let (facilitator, view) = self.practices.facilitated(actor, id).await?;
                let action = ModerationAction::DismissFlags;
                let log = crate::practice::moderation_log(
                    &view,
                    facilitator,
                    action,
                    None,
                    self.clock.now(),
                );
                (content, log)
            }
            _ => {
                let target = self.conversations.facilitated(actor, content).await?;
                let log = target.log(ModerationAction::DismissFlags, None, self.clock.now());
                (content_of(&target.post), log)
            }
        };
        let at = log.at;
        if !self
            .repo
            .resolve_flags(content, at, &Effects::default().and_log(log))
            .await?
        {
            return Err(DomainError::invalid(
                "contentId",
                "NO_OPEN_FLAGS",
                "this content has no open flags",
            ));
        }
        Ok(content)
    }
}

fn check_flaggable(author: PersonId, flagger: PersonId, shown: bool) -> DomainResult<()> {
    if author == flagger {
        return Err(DomainError::invalid(
            "contentId",
            "OWN_CONTENT",
            "you cannot flag your own content",
        ));
    }
    if !shown {
        return Err(DomainError::invalid(
            "contentId",
            "NOT_VISIBLE",
            "only content shown to readers can be flagged",
        ));
    }
    Ok(())
}

/// A take-down after flags: content already hidden meanwhile (by another flag or a
/// facilitator) leaves the flag noted.
fn settled(hidden: DomainResult<()>) -> DomainResult<Flagged> {
    match hidden {
        Ok(()) => Ok(Flagged::Hidden),
        Err(DomainError::Invalid(_)) => Ok(Flagged::Noted),
        Err(other) => Err(other),
    }
}
