//! `moderate`: one mutation for every facilitator's action. It reads the input into the
//! action's domain call; each call checks who may act.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::community::{CommunityId, Exclusion};
use khub_domain::conversation::{PostId, ThreadId, ThreadView};
use khub_domain::moderation::{ContentRef, FlagNote, Flagged, Reason};
use khub_domain::person::PersonId;
use khub_domain::practice::{PracticeId, PracticeView};
use khub_domain::{DomainError, DomainResult};

use super::conversation::fresh_post;
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{Community, FlagReason, ModerationAction, Post, Practice, Thread};

/// A facilitator's action and what it acts on.
#[derive(InputObject)]
pub struct ModerateInput {
    /// What to do (HIDDEN_BY_FLAGS is recorded by the hub, never taken).
    pub action: ModerationAction,
    /// The thread or post for APPROVE and REJECT; the thread, post or practice for HIDE,
    /// RESTORE and DISMISS_FLAGS; the thread for LOCK, UNLOCK, PIN and UNPIN.
    pub content_id: Option<ID>,
    /// The community, for REMOVE_MEMBER, BAN_MEMBER and UNBAN.
    pub community_id: Option<ID>,
    /// The person, for REMOVE_MEMBER, BAN_MEMBER and UNBAN.
    pub person_id: Option<ID>,
    /// Why, 1–500 characters: required to REJECT (shown to the author) and to HIDE; kept in
    /// the moderation log for every action.
    pub reason: Option<String>,
    /// When a BAN_MEMBER ends; without it the ban is for good.
    pub until: Option<DateTime<Utc>>,
}

/// A reader's flag on a thread, post or practice.
#[derive(InputObject)]
pub struct FlagContentInput {
    /// The thread, post or practice.
    pub content_id: ID,
    /// Why it needs a facilitator.
    pub reason: FlagReason,
    /// Anything the facilitators should know, at most 500 characters.
    #[graphql(default)]
    pub note: String,
}

/// The flag recorded.
#[derive(SimpleObject, Default)]
pub struct FlagContentPayload {
    /// True once flagged (each person flags an item once).
    pub flagged: bool,
    /// True if this flag brought the item to its community's threshold and hid it pending
    /// review (the viewer no longer sees it).
    pub hidden: bool,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// What the action left, as the viewer now sees it.
#[derive(SimpleObject, Default)]
pub struct ModeratePayload {
    /// The post acted on (a thread's opening post for thread content).
    pub post: Option<Post>,
    /// The thread acted on, or the post's thread.
    pub thread: Option<Thread>,
    /// The practice acted on.
    pub practice: Option<Practice>,
    /// The community, for actions on members.
    pub community: Option<Community>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// What an action acted on.
enum Acted {
    Post(PostId, ThreadId),
    Thread(Box<ThreadView>),
    Practice(Box<PracticeView>),
    /// Content whose flags were dismissed, read again as the viewer sees it.
    Dismissed(ContentRef),
    Community(CommunityId),
}

#[derive(Default)]
pub struct ModerationMutation;

#[Object]
impl ModerationMutation {
    /// Flags a thread, post or practice the viewer may read for its community's facilitators:
    /// once per person and item, never one's own. Enough members' flags (the community's
    /// `flagThreshold`) hide it pending review.
    async fn flag_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The flag content input; each of its fields is described on its type.")]
        input: FlagContentInput,
    ) -> Result<FlagContentPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let flagged = async {
            let (content, note) = (
                content_id(&input.content_id)?,
                FlagNote::parse(&input.note)?,
            );
            hub.moderation()
                .flag(actor, content, input.reason.into(), note)
                .await
        };
        Ok(match Outcome::of(flagged.await)? {
            Outcome::Done(flagged) => FlagContentPayload {
                flagged: true,
                hidden: flagged == Flagged::Hidden,
                user_errors: Vec::new(),
            },
            Outcome::Refused(user_errors) => FlagContentPayload {
                user_errors,
                ..FlagContentPayload::default()
            },
        })
    }

    /// Approves, rejects, hides or restores content; locks, unlocks, pins or unpins a thread;
    /// removes, bans or unbans a person. Facilitators of the community (owners to act on
    /// facilitators and owners); each action is kept in the community's moderation log.
    async fn moderate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The moderate input; each of its fields is described on its type.")]
        input: ModerateInput,
    ) -> Result<ModeratePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        match Outcome::of(act(hub, actor, &input).await)? {
            Outcome::Done(acted) => payload(ctx, acted).await,
            Outcome::Refused(user_errors) => Ok(ModeratePayload {
                user_errors,
                ..ModeratePayload::default()
            }),
        }
    }
}

async fn act(hub: &HubContext, actor: &Actor, input: &ModerateInput) -> DomainResult<Acted> {
    let communities = hub.communities();
    match input.action {
        ModerationAction::Lock | ModerationAction::Unlock => {
            let locked = input.action == ModerationAction::Lock;
            let conversations = hub.conversations();
            let view = conversations.set_locked(actor, thread(input)?, locked);
            Ok(Acted::Thread(Box::new(view.await?)))
        }
        ModerationAction::Pin | ModerationAction::Unpin => {
            let pinned = input.action == ModerationAction::Pin;
            let conversations = hub.conversations();
            let view = conversations.set_pinned(actor, thread(input)?, pinned);
            Ok(Acted::Thread(Box::new(view.await?)))
        }
        ModerationAction::RemoveMember => {
            let exclusion = exclusion(input)?;
            let community = exclusion.community;
            communities.remove_member(actor, exclusion).await?;
            Ok(Acted::Community(community))
        }
        ModerationAction::BanMember => {
            let exclusion = exclusion(input)?;
            let community = exclusion.community;
            communities.ban(actor, exclusion, input.until).await?;
            Ok(Acted::Community(community))
        }
        ModerationAction::Unban => {
            let exclusion = exclusion(input)?;
            let community = exclusion.community;
            communities.unban(actor, exclusion).await?;
            Ok(Acted::Community(community))
        }
        ModerationAction::HiddenByFlags => Err(DomainError::invalid(
            "action",
            "NOT_AN_ACTION",
            "HIDDEN_BY_FLAGS is recorded by the hub when flags hide content; use HIDE",
        )),
        _ => act_on_content(hub, actor, input).await,
    }
}

/// APPROVE, REJECT, HIDE, RESTORE and DISMISS_FLAGS: on a thread, post or practice.
async fn act_on_content(
    hub: &HubContext,
    actor: &Actor,
    input: &ModerateInput,
) -> DomainResult<Acted> {
    let conversations = hub.conversations();
    let practices = hub.practices();
    let content = content(input)?;
    let posted = |post: khub_domain::conversation::Post| Acted::Post(post.id, post.thread);
    let practice = |view: PracticeView| Acted::Practice(Box::new(view));
    match (input.action, content) {
        (ModerationAction::Hide, ContentRef::Practice(id)) => {
            let reason = required_reason(input)?;
            practices.hide(actor, id, reason).await.map(practice)
        }
        (ModerationAction::Restore, ContentRef::Practice(id)) => practices
            .restore(actor, id, reason(input)?)
            .await
            .map(practice),
        (ModerationAction::Approve, _) => conversations.approve(actor, content).await.map(posted),
        (ModerationAction::Reject, _) => {
            let reason = required_reason(input)?;
            conversations
                .reject(actor, content, reason)
                .await
                .map(posted)
        }
        (ModerationAction::Hide, _) => {
            let reason = required_reason(input)?;
            conversations.hide(actor, content, reason).await.map(posted)
        }
        (ModerationAction::Restore, _) => conversations
            .restore(actor, content, reason(input)?)
            .await
            .map(posted),
        _ => {
            let dismissed = hub.moderation().dismiss_flags(actor, content).await?;
            Ok(Acted::Dismissed(dismissed))
        }
    }
}

/// The payload for what was acted on, read again as the viewer now sees it.
async fn payload(ctx: &Context<'_>, acted: Acted) -> Result<ModeratePayload> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let mut payload = ModeratePayload::default();
    match acted {
        Acted::Post(post, thread) => {
            payload.post = fresh_post(ctx, post).await?;
            let view = hub.conversations().thread(actor, thread).await;
            payload.thread = view.map_err(ApiError)?.map(Thread::new);
        }
        Acted::Thread(view) => payload.thread = Some(Thread::new(*view)),
        Acted::Practice(view) => payload.practice = Some(Practice::new(*view)),
        Acted::Dismissed(ContentRef::Practice(id)) => {
            let view = hub.practices().find(actor, id).await.map_err(ApiError)?;
            payload.practice = view.map(Practice::new);
        }
        Acted::Dismissed(ContentRef::Thread(id)) => {
            let view = hub.conversations().thread(actor, id).await;
            payload.thread = view.map_err(ApiError)?.map(Thread::new);
        }
        Acted::Dismissed(ContentRef::Post(id)) => payload.post = fresh_post(ctx, id).await?,
        Acted::Community(id) => {
            let seen = hub.communities().visible(actor, &[id]).await;
            payload.community =
                seen.map_err(ApiError)?
                    .pop()
                    .map(|(community, standing)| Community {
                        community,
                        standing,
                    });
        }
    }
    Ok(payload)
}

/// The thread or post named by `contentId`.
fn content(input: &ModerateInput) -> DomainResult<ContentRef> {
    content_id(required(input.content_id.as_ref(), "contentId")?)
}

fn content_id(raw: &str) -> DomainResult<ContentRef> {
    match id::decode(raw) {
        Some((NodeKind::Thread, id)) => Ok(ContentRef::Thread(ThreadId::from_uuid(id))),
        Some((NodeKind::Post, id)) => Ok(ContentRef::Post(PostId::from_uuid(id))),
        Some((NodeKind::Practice, id)) => Ok(ContentRef::Practice(PracticeId::from_uuid(id))),
        _ => Err(DomainError::invalid(
            "contentId",
            "INVALID_ID",
            "expected a Thread, Post or Practice id",
        )),
    }
}

fn thread(input: &ModerateInput) -> DomainResult<ThreadId> {
    let raw = required(input.content_id.as_ref(), "contentId")?;
    id::expect(NodeKind::Thread, "contentId", raw).map(ThreadId::from_uuid)
}

fn exclusion(input: &ModerateInput) -> DomainResult<Exclusion> {
    let community = required(input.community_id.as_ref(), "communityId")?;
    let person = required(input.person_id.as_ref(), "personId")?;
    Ok(Exclusion {
        community: id::expect(NodeKind::Community, "communityId", community)
            .map(CommunityId::from_uuid)?,
        person: id::expect(NodeKind::Person, "personId", person).map(PersonId::from_uuid)?,
        reason: reason(input)?,
    })
}

fn reason(input: &ModerateInput) -> DomainResult<Option<Reason>> {
    input.reason.as_deref().map(Reason::parse).transpose()
}

fn required_reason(input: &ModerateInput) -> DomainResult<Reason> {
    reason(input)?.ok_or_else(|| {
        DomainError::invalid("reason", "REQUIRED", "give a reason: the author sees it")
    })
}

fn required<'a>(value: Option<&'a ID>, field: &str) -> DomainResult<&'a str> {
    value.map(|id| id.as_str()).ok_or_else(|| {
        DomainError::invalid(
            field,
            "REQUIRED",
            format!("{field} is needed for this action"),
        )
    })
}
