//! Threads and replies: starting, replying, editing, deleting, reacting, answering, and the
//! facilitators' approving, pinning and locking.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::DomainResult;
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::conversation::{PostId, ThreadId, ThreadStart, post_scope};
use khub_domain::practice::PracticeId;

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{Post, ReactionKind, Thread, ThreadKind};

/// A new thread.
#[derive(InputObject)]
pub struct StartThreadInput {
    /// The community to start it in; the viewer must be a member.
    pub community_id: ID,
    /// 3–200 characters.
    pub title: String,
    /// The opening post (Markdown), 1–20000 characters; `@handle` mentions a person.
    pub body: String,
    /// DISCUSSION unless given.
    #[graphql(default_with = "ThreadKind::Discussion")]
    pub kind: ThreadKind,
    /// The practice the thread is about.
    pub practice_id: Option<ID>,
}

/// A reply.
#[derive(InputObject)]
pub struct PostReplyInput {
    /// The thread to reply in.
    pub thread_id: ID,
    /// The reply (Markdown), 1–20000 characters; `@handle` mentions a person.
    pub body: String,
    /// The post this reply answers, in the same thread.
    pub reply_to_id: Option<ID>,
}

/// A new body for one's own post.
#[derive(InputObject)]
pub struct EditPostInput {
    /// The post.
    pub post_id: ID,
    /// The new body (Markdown); the previous one is kept in the post's edits.
    pub body: String,
}

/// The post to delete.
#[derive(InputObject)]
pub struct DeletePostInput {
    /// The post.
    pub post_id: ID,
}

/// A reaction to toggle.
#[derive(InputObject)]
pub struct ReactInput {
    /// The post.
    pub post_id: ID,
    /// The reaction: added if the viewer has not given it, taken back if they have.
    pub reaction: ReactionKind,
}

/// The reply to accept as the answer.
#[derive(InputObject)]
pub struct AcceptAnswerInput {
    /// The reply.
    pub post_id: ID,
}

/// The pending post to approve.
#[derive(InputObject)]
pub struct ApprovePostInput {
    /// The post.
    pub post_id: ID,
}

/// Pin or unpin a thread.
#[derive(InputObject)]
pub struct PinThreadInput {
    /// The thread.
    pub thread_id: ID,
    /// True to pin, false to unpin.
    pub pinned: bool,
}

/// Lock or reopen a thread.
#[derive(InputObject)]
pub struct LockThreadInput {
    /// The thread.
    pub thread_id: ID,
    /// True to lock, false to reopen.
    pub locked: bool,
}

/// Declares payloads answering with one object as it now stands.
macro_rules! payloads {
    ($field:ident: $type:ty { $($(#[$doc:meta])* $name:ident;)+ }) => {$(
        $(#[$doc])*
        #[derive(SimpleObject)]
        pub struct $name {
            /// As it now stands.
            pub $field: Option<$type>,
            /// Why the input was refused (nothing changed); empty on success.
            pub user_errors: Vec<UserError>,
        }

        impl $name {
            fn of(outcome: (Option<$type>, Vec<UserError>)) -> Self {
                Self { $field: outcome.0, user_errors: outcome.1 }
            }
        }
    )+};
}

payloads!(thread: Thread {
    /// The new thread.
    StartThreadPayload;
    /// The thread, with its accepted answer.
    AcceptAnswerPayload;
    /// The thread, pinned or not.
    PinThreadPayload;
    /// The thread, locked or not.
    LockThreadPayload;
});

payloads!(post: Post {
    /// The new reply.
    PostReplyPayload;
    /// The edited post.
    EditPostPayload;
    /// The deleted post's tombstone.
    DeletePostPayload;
    /// The approved post.
    ApprovePostPayload;
});

/// The post with its reaction counts, and whether the viewer's reaction is now on.
#[derive(SimpleObject)]
pub struct ReactPayload {
    /// The post as it now stands.
    pub post: Option<Post>,
    /// True if the reaction was added, false if it was taken back.
    pub active: bool,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct ConversationMutation;

#[Object]
impl ConversationMutation {
    /// Starts a thread in a community the viewer belongs to. In FACILITATED communities and
    /// DEBATE threads a member's thread waits for a facilitator's approval.
    async fn start_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The start thread input; each of its fields is described on its type.")]
        input: StartThreadInput,
    ) -> Result<StartThreadPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let start = |community, practice| ThreadStart {
            community,
            title: input.title.clone(),
            body: input.body.clone(),
            kind: input.kind.into(),
            practice,
        };
        let result = match ids_for_start(&input) {
            Ok((community, practice)) => {
                hub.conversations()
                    .start_thread(actor, start(community, practice))
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        Ok(StartThreadPayload::of(
            Outcome::of(result.map(Thread::new))?.split(),
        ))
    }

    /// Replies in a thread. In facilitated spaces a member's reply waits for approval.
    async fn post_reply(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The post reply input; each of its fields is described on its type.")]
        input: PostReplyInput,
    ) -> Result<PostReplyPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let thread = thread_id(&input.thread_id).map_err(ApiError)?;
        let reply_to = input
            .reply_to_id
            .map(|raw| id::expect(NodeKind::Post, "replyToId", &raw).map(PostId::from_uuid))
            .transpose();
        let result = match reply_to {
            Ok(reply_to) => {
                hub.conversations()
                    .post_reply(actor, thread, &input.body, reply_to)
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (posted, user_errors) = Outcome::of(result)?.split();
        let reader = actor.person().map(|p| p.id);
        // Just written: the reply is as the author sees it, with no need to read it back.
        let post = posted.map(|(post, view)| Post::new(post, post_scope(reader, &view.standing)));
        Ok(PostReplyPayload::of((post, user_errors)))
    }

    /// Edits the viewer's own post; the previous body is kept in its edits.
    async fn edit_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The edit post input; each of its fields is described on its type.")]
        input: EditPostInput,
    ) -> Result<EditPostPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = post_id(&input.post_id).map_err(ApiError)?;
        let result = hub.conversations().edit_post(actor, id, &input.body).await;
        let (_, user_errors) = Outcome::of(result)?.split();
        Ok(EditPostPayload::of((
            fresh_post(ctx, id).await?,
            user_errors,
        )))
    }

    /// Deletes a post, leaving a tombstone so the thread stays readable: its author or a
    /// facilitator.
    async fn delete_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The delete post input; each of its fields is described on its type.")]
        input: DeletePostInput,
    ) -> Result<DeletePostPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = post_id(&input.post_id).map_err(ApiError)?;
        let result = hub.conversations().delete_post(actor, id).await;
        let (_, user_errors) = Outcome::of(result)?.split();
        Ok(DeletePostPayload::of((
            fresh_post(ctx, id).await?,
            user_errors,
        )))
    }

    /// Toggles the viewer's reaction to a post.
    async fn react(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The react input; each of its fields is described on its type.")]
        input: ReactInput,
    ) -> Result<ReactPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = post_id(&input.post_id).map_err(ApiError)?;
        let result = hub
            .conversations()
            .react(actor, id, input.reaction.into())
            .await;
        let (reacted, user_errors) = Outcome::of(result)?.split();
        Ok(ReactPayload {
            active: reacted.is_some_and(|(_, active)| active),
            post: fresh_post(ctx, id).await?,
            user_errors,
        })
    }

    /// Accepts a reply as the answer to a QUESTION thread: its author or a facilitator.
    async fn accept_answer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The accept answer input; each of its fields is described on its type.")]
        input: AcceptAnswerInput,
    ) -> Result<AcceptAnswerPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = post_id(&input.post_id).map_err(ApiError)?;
        let result = hub.conversations().accept_answer(actor, id).await;
        Ok(AcceptAnswerPayload::of(
            Outcome::of(result.map(Thread::new))?.split(),
        ))
    }

    /// Approves a pending post (or thread): facilitators.
    #[graphql(
        deprecation = "Use `moderate` with action APPROVE, which also rejects, hides and restores."
    )]
    async fn approve_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The approve post input; each of its fields is described on its type.")]
        input: ApprovePostInput,
    ) -> Result<ApprovePostPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = post_id(&input.post_id).map_err(ApiError)?;
        let result = hub.conversations().approve_post(actor, id).await;
        let (_, user_errors) = Outcome::of(result)?.split();
        Ok(ApprovePostPayload::of((
            fresh_post(ctx, id).await?,
            user_errors,
        )))
    }

    /// Pins or unpins a thread: facilitators.
    #[graphql(deprecation = "Use `moderate` with action PIN or UNPIN.")]
    async fn pin_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The pin thread input; each of its fields is described on its type.")]
        input: PinThreadInput,
    ) -> Result<PinThreadPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = thread_id(&input.thread_id).map_err(ApiError)?;
        let result = hub
            .conversations()
            .set_pinned(actor, id, input.pinned)
            .await;
        Ok(PinThreadPayload::of(
            Outcome::of(result.map(Thread::new))?.split(),
        ))
    }

    /// Locks a thread against new replies, or reopens it: facilitators.
    #[graphql(deprecation = "Use `moderate` with action LOCK or UNLOCK.")]
    async fn lock_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The lock thread input; each of its fields is described on its type.")]
        input: LockThreadInput,
    ) -> Result<LockThreadPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = thread_id(&input.thread_id).map_err(ApiError)?;
        let result = hub
            .conversations()
            .set_locked(actor, id, input.locked)
            .await;
        Ok(LockThreadPayload::of(
            Outcome::of(result.map(Thread::new))?.split(),
        ))
    }
}

fn ids_for_start(input: &StartThreadInput) -> DomainResult<(CommunityId, Option<PracticeId>)> {
    let community = id::expect(NodeKind::Community, "communityId", &input.community_id)
        .map(CommunityId::from_uuid)?;
    let practice = input
        .practice_id
        .as_deref()
        .map(|raw| id::expect(NodeKind::Practice, "practiceId", raw).map(PracticeId::from_uuid))
        .transpose()?;
    Ok((community, practice))
}

fn thread_id(global: &str) -> DomainResult<ThreadId> {
    id::expect(NodeKind::Thread, "threadId", global).map(ThreadId::from_uuid)
}

fn post_id(global: &str) -> DomainResult<PostId> {
    id::expect(NodeKind::Post, "postId", global).map(PostId::from_uuid)
}

/// The post as the viewer now sees it.
pub(super) async fn fresh_post(ctx: &Context<'_>, id: PostId) -> Result<Option<Post>> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let found = hub
        .conversations()
        .posts(actor, &[id])
        .await
        .map_err(ApiError)?
        .pop();
    let reader = actor.person().map(|p| p.id);
    Ok(found.map(|(post, view)| Post::new(post, post_scope(reader, &view.standing))))
}
