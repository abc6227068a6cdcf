//! Facilitation as readers see it: the moderation log, and the content it names resolved for
//! the viewer (content they may not read comes back null, so the log never shows its text).

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result, Union};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::conversation::{in_scope, post_scope};
use khub_domain::moderation as domain;

use super::{Community, Person, Post, Practice, Thread};
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{PersonLoader, PostLoader, PracticeLoader};
use crate::graphql::subject_loaders::{CommunityLoader, ThreadLoader};

/// What a facilitator does (and, in the log, what members' flags did).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ModerationAction {
    /// Shows a pending post or thread to every reader.
    Approve,
    /// Turns down a pending post or thread, with a reason its author sees.
    Reject,
    /// Takes a post or thread down pending review, with a reason; its reputation is taken back.
    Hide,
    /// In the log only: members' flags reached the community's threshold and hid the content.
    HiddenByFlags,
    /// Shows hidden content again, with the reputation hiding took.
    Restore,
    /// Closes a thread to new replies.
    Lock,
    /// Reopens a locked thread.
    Unlock,
    /// Keeps a thread at the top of its community's list.
    Pin,
    /// Lets a pinned thread move with activity again.
    Unpin,
    /// Removes a member, who may rejoin by the normal path.
    RemoveMember,
    /// Keeps a person out until `until` (for good without one): no joining, posting,
    /// reacting, endorsing or flagging there.
    BanMember,
    /// Lifts a ban.
    Unban,
    /// Closes an item's open flags without acting on it.
    DismissFlags,
}

mirror_enum!(ModerationAction <=> domain::ModerationAction {
    Approve, Reject, Hide, HiddenByFlags, Restore, Lock, Unlock, Pin, Unpin, RemoveMember,
    BanMember, Unban, DismissFlags
});

/// Content a facilitator acted on.
#[derive(Union)]
pub enum ModeratedContent {
    Thread(Thread),
    Post(Box<Post>),
    Practice(Practice),
}

/// One line of a community's moderation log: who did what to what, when and why.
pub struct ModerationLogEntry(pub domain::LogEntry);

/// One line of a community's moderation log: who did what to what, when and why.
#[Object]
impl ModerationLogEntry {
    /// The entry's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// What was done.
    async fn action(&self) -> ModerationAction {
        self.0.action.into()
    }

    /// The community it was done in, if the viewer may see it (null for a practice with no
    /// community).
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        let Some(community) = self.0.community else {
            return Ok(None);
        };
        let reader = ctx.data::<Actor>()?.person().map(|p| p.id);
        let loader = ctx.data::<DataLoader<CommunityLoader>>()?;
        let found = loader.load_one((reader, community)).await?;
        Ok(found.map(|(community, standing)| Community {
            community,
            standing,
        }))
    }

    /// The facilitator who did it (for HIDDEN_BY_FLAGS, the member whose flag reached the
    /// threshold).
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        person(ctx, self.0.actor).await
    }

    /// The content acted on, if the viewer may read it; null for actions on people.
    async fn content(&self, ctx: &Context<'_>) -> Result<Option<ModeratedContent>> {
        resolve_content(ctx, self.0.content).await
    }

    /// The global id of the content acted on, even when the viewer may not read it.
    async fn content_id(&self) -> Option<ID> {
        content_id(self.0.content)
    }

    /// The person removed, banned or unbanned.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        match self.0.subject {
            Some(person_id) => person(ctx, person_id).await,
            None => Ok(None),
        }
    }

    /// Why, as the facilitator put it.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_ref().map(domain::Reason::as_str)
    }

    /// When a ban ends (null: for good, or not a ban).
    async fn until(&self) -> Option<DateTime<Utc>> {
        self.0.until
    }

    /// When it was done.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// `content` as the viewer may read it: none when they may not.
async fn resolve_content(
    ctx: &Context<'_>,
    content: Option<domain::ContentRef>,
) -> Result<Option<ModeratedContent>> {
    let reader = ctx.data::<Actor>()?.person().map(|p| p.id);
    let threads = ctx.data::<DataLoader<ThreadLoader>>()?;
    match content {
        Some(domain::ContentRef::Thread(thread)) => Ok(threads
            .load_one((reader, thread))
            .await?
            .map(|view| ModeratedContent::Thread(Thread::new(view)))),
        Some(domain::ContentRef::Post(post)) => {
            let posts = ctx.data::<DataLoader<PostLoader>>()?;
            let Some(post) = posts.load_one(post).await? else {
                return Ok(None);
            };
            let Some(view) = threads.load_one((reader, post.thread)).await? else {
                return Ok(None);
            };
            let scope = post_scope(reader, &view.standing);
            Ok(in_scope(&post, scope)
                .then(|| ModeratedContent::Post(Box::new(Post::new(post, scope)))))
        }
        Some(domain::ContentRef::Practice(practice)) => {
            let practices = ctx.data::<DataLoader<PracticeLoader>>()?;
            let found = practices.load_one((reader, practice)).await?;
            Ok(found.map(|view| ModeratedContent::Practice(Practice::new(view))))
        }
        None => Ok(None),
    }
}

fn content_id(content: Option<domain::ContentRef>) -> Option<ID> {
    Some(match content? {
        domain::ContentRef::Thread(id) => id::encode(NodeKind::Thread, id.as_uuid()),
        domain::ContentRef::Post(id) => id::encode(NodeKind::Post, id.as_uuid()),
        domain::ContentRef::Practice(id) => id::encode(NodeKind::Practice, id.as_uuid()),
    })
}

async fn person(ctx: &Context<'_>, id: khub_domain::person::PersonId) -> Result<Option<Person>> {
    let loader = ctx.data::<DataLoader<PersonLoader>>()?;
    Ok(loader.load_one(id).await?.map(Person))
}

/// Why a reader flagged content.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum FlagReason {
    /// Advertising or unsolicited promotion.
    Spam,
    /// Abuse, harassment or hate.
    Abusive,
    /// Not about what the community or thread is for.
    OffTopic,
    /// Someone's personal data that should not be shared.
    PersonalData,
    /// Something else: the note says what.
    Other,
}

mirror_enum!(FlagReason <=> domain::FlagReason { Spam, Abusive, OffTopic, PersonalData, Other });

/// One reader's flag.
pub struct Flag(domain::Flag);

/// One reader's flag.
#[Object]
impl Flag {
    /// Why.
    async fn reason(&self) -> FlagReason {
        self.0.reason.into()
    }

    /// What the reader added.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_ref().map(domain::FlagNote::as_str)
    }

    /// Who flagged it.
    async fn flagger(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        person(ctx, self.0.flagger).await
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// An item in a community's moderation queue, with its open flags, oldest first.
pub struct FlaggedItem(pub domain::FlaggedItem);

/// An item in a community's moderation queue, with its open flags, oldest first.
#[Object]
impl FlaggedItem {
    /// The thread or post, as the facilitator sees it (HIDDEN if the flags hid it).
    async fn content(&self, ctx: &Context<'_>) -> Result<Option<ModeratedContent>> {
        resolve_content(ctx, Some(self.0.content)).await
    }

    /// The content's global id.
    async fn content_id(&self) -> Option<ID> {
        content_id(Some(self.0.content))
    }

    /// How many open flags it has.
    async fn flag_count(&self) -> usize {
        self.0.flags.len()
    }

    /// When it was first flagged (of its open flags).
    async fn first_flagged_at(&self) -> DateTime<Utc> {
        self.0.first_flagged_at
    }

    /// Its open flags, oldest first.
    async fn flags(&self) -> Vec<Flag> {
        self.0.flags.iter().cloned().map(Flag).collect()
    }
}
