//! Who moderates a conversation's content: its community's facilitators, hub administrators
//! anywhere, and organisation administrators for what their people wrote.

use chrono::{DateTime, Utc};

use super::{Conversations, ThreadView};
use crate::access::Actor;
use crate::community::{Role, Standing};
use crate::conversation::model::Post;
use crate::error::{DomainError, DomainResult};
use crate::moderation::{ContentRef, LogEntry, ModerationAction, Reason, administers};
use crate::person::{Person, PersonId};
use crate::policy::{self, Action};

/// Content as a facilitator of its community sees it: the post behind it (a thread's opening
/// post) and its thread.
pub(crate) struct Facilitated {
    pub(crate) facilitator: PersonId,
    pub(crate) post: Post,
    pub(crate) view: ThreadView,
}

impl Facilitated {
    /// A log entry for `action` on this content at `at`.
    pub(crate) fn log(
        &self,
        action: ModerationAction,
        reason: Option<Reason>,
        at: DateTime<Utc>,
    ) -> LogEntry {
        LogEntry::new(Some(self.view.community.id), self.facilitator, action, at)
            .about(content_of(&self.post))
            .because(reason)
    }
}

/// What flags and the log name `post` by: its thread for an opening post.
pub(crate) fn content_of(post: &Post) -> ContentRef {
    match post.is_opening() {
        true => ContentRef::Thread(post.thread),
        false => ContentRef::Post(post.id),
    }
}

impl Conversations {
    /// The post behind `content` (a thread's opening post) and its thread, as the actor may
    /// read them.
    pub(crate) async fn readable_content(
        &self,
        actor: &Actor,
        content: ContentRef,
    ) -> DomainResult<(Post, ThreadView)> {
        match content {
            ContentRef::Post(id) => self.seen_post(actor, id).await,
            ContentRef::Thread(id) => {
                let view = self.thread(actor, id).await?.ok_or(DomainError::NotFound)?;
                Ok((self.fresh_post(view.thread.opening_post).await?, view))
            }
            ContentRef::Practice(_) => Err(not_a_conversation()),
        }
    }

    /// `content` as a facilitator of its community sees it; refused to anyone else.
    pub(crate) async fn facilitated(
        &self,
        actor: &Actor,
        content: ContentRef,
    ) -> DomainResult<Facilitated> {
        let person = policy::authorize(actor, Action::FacilitateCommunities)?;
        let (post, mut view) = match person.hub_administrator {
            true => self.any_content(person.id, content).await?,
            false => self.readable_content(actor, content).await?,
        };
        if !view.facilitated_by_reader() {
            if !self.administers_author(person, &post).await? {
                return Err(DomainError::Forbidden(
                    "only the community's facilitators moderate its content",
                ));
            }
            // Acting for their organisation, as a facilitator would.
            view.standing.role = Some(Role::Facilitator);
        }
        Ok(Facilitated {
            facilitator: person.id,
            post,
            view,
        })
    }

    /// Whether `person` administers the organisation of `post`'s author.
    async fn administers_author(&self, person: &Person, post: &Post) -> DomainResult<bool> {
        if person.organisation.is_none() {
            return Ok(false);
        }
        let author = self.people.find_by_ids(&[post.author]).await?.pop();
        let organisation = author.and_then(|a| a.organisation).map(|(org, _)| org);
        Ok(administers(person, organisation))
    }

    /// `content` wherever it is, for a hub administrator, who acts in every community as its
    /// owners do.
    async fn any_content(
        &self,
        administrator: PersonId,
        content: ContentRef,
    ) -> DomainResult<(Post, ThreadView)> {
        let (post, thread) = match content {
            ContentRef::Post(id) => {
                let post = self.fresh_post(id).await?;
                let thread = post.thread;
                (Some(post), thread)
            }
            ContentRef::Thread(id) => (None, id),
            ContentRef::Practice(_) => return Err(not_a_conversation()),
        };
        let found = self
            .repo
            .find_threads_with_standings(&[thread], Some(administrator))
            .await?;
        let (thread, community, standing) =
            found.into_iter().next().ok_or(DomainError::NotFound)?;
        let post = match post {
            Some(post) => post,
            None => self.fresh_post(thread.opening_post).await?,
        };
        let standing = Standing {
            role: Some(Role::Owner),
            ..standing
        };
        Ok((
            post,
            ThreadView {
                thread,
                community,
                standing,
            },
        ))
    }
}

fn not_a_conversation() -> DomainError {
    DomainError::invalid(
        "contentId",
        "NOT_A_CONVERSATION",
        "this is for threads and posts",
    )
}
