//! Reading: every path applies the visibility rules, in batches.

use std::collections::HashMap;

use super::{Conversations, ThreadView, reply_cursor};
use crate::access::Actor;
use crate::community::{Community, CommunityId, Role, Standing, Visibility};
use crate::conversation::model::{
    Post, PostEdit, PostId, PostScope, PostStatus, ReactionKind, Thread, ThreadId, ThreadQuery,
};
use crate::conversation::rules::{in_scope, post_scope};
use crate::error::DomainResult;
use crate::events::HubEvent;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::practice::PracticeId;

impl Conversations {
    /// The thread, if the actor may read it.
    pub async fn thread(&self, actor: &Actor, id: ThreadId) -> DomainResult<Option<ThreadView>> {
        Ok(self.visible_threads(actor, &[id]).await?.pop())
    }

    /// The threads among `ids` the actor may read.
    pub async fn visible_threads(
        &self,
        actor: &Actor,
        ids: &[ThreadId],
    ) -> DomainResult<Vec<ThreadView>> {
        self.visible_threads_to(actor.person().map(|p| p.id), ids)
            .await
    }

    /// The threads among `ids` that `reader` (anonymous: `None`) may read.
    pub async fn visible_threads_to(
        &self,
        reader: Option<PersonId>,
        ids: &[ThreadId],
    ) -> DomainResult<Vec<ThreadView>> {
        let found = self.repo.find_threads_with_standings(ids, reader).await?;
        Ok(found
            .into_iter()
            .filter_map(|(thread, community, standing)| {
                ThreadView::if_readable(thread, community, standing, reader)
            })
            .collect())
    }

    /// One thread as each of `readers` may see it: those who may not read it are absent.
    pub async fn visible_thread_to_each(
        &self,
        id: ThreadId,
        readers: &[PersonId],
    ) -> DomainResult<Vec<(PersonId, ThreadView)>> {
        let found = self.repo.find_thread_with_standings_of(id, readers).await?;
        Ok(found
            .into_iter()
            .filter_map(|(reader, thread, community, standing)| {
                let view = ThreadView::if_readable(thread, community, standing, Some(reader))?;
                Some((reader, view))
            })
            .collect())
    }

    /// A page of the threads about a practice that the actor may read: pinned first, then by
    /// latest activity.
    pub async fn practice_threads(
        &self,
        actor: &Actor,
        practice: PracticeId,
        page: &PageRequest,
    ) -> DomainResult<Page<ThreadView>> {
        let query = ThreadQuery {
            community: None,
            practice: Some(practice),
            reader: actor.person().map(|p| p.id),
        };
        let page = self.repo.threads(&query, page).await?;
        let threads: Vec<Thread> = page.items.iter().map(|(_, t)| t.clone()).collect();
        // One batch for the page's communities; the list query already applied visibility.
        let mut views: HashMap<ThreadId, ThreadView> = self
            .readable(actor, threads)
            .await?
            .into_iter()
            .map(|view| (view.thread.id, view))
            .collect();
        Ok(page.filter_map(|thread| views.remove(&thread.id)))
    }

    /// A page of the threads in `community` that the actor, standing as `standing` there (as
    /// the community was read for them), may read: pinned first, then by latest activity.
    pub async fn community_threads(
        &self,
        actor: &Actor,
        community: &Community,
        standing: Standing,
        page: &PageRequest,
    ) -> DomainResult<Page<ThreadView>> {
        let reader = actor.person().map(|p| p.id);
        let query = ThreadQuery {
            community: Some(community.id),
            practice: None,
            reader,
        };
        let page = self.repo.threads(&query, page).await?;
        Ok(page.filter_map(|thread| {
            let ours = thread.community == community.id;
            ours.then_some(thread).and_then(|thread| {
                ThreadView::if_readable(thread, community.clone(), standing, reader)
            })
        }))
    }

    /// The replies of a readable thread the actor may see, in the order posted.
    pub async fn replies(
        &self,
        actor: &Actor,
        view: &ThreadView,
        page: &PageRequest,
    ) -> DomainResult<Page<Post>> {
        let scope = post_scope(actor.person().map(|p| p.id), &view.standing);
        self.repo.replies(view.thread.id, scope, page).await
    }

    /// The opening page (`request` has no cursor) of the replies of many readable threads, each
    /// in `scope`, in one batch.
    pub async fn reply_pages(
        &self,
        threads: &[ThreadId],
        scope: PostScope,
        request: &PageRequest,
    ) -> DomainResult<HashMap<ThreadId, Page<Post>>> {
        let mut found = self
            .repo
            .reply_pages(threads, scope, request.direction, request.limit)
            .await?;
        Ok(threads
            .iter()
            .map(|thread| {
                let posts = found.remove(thread).unwrap_or_default();
                let rows = posts
                    .into_iter()
                    .map(|post| (reply_cursor(&post), post))
                    .collect();
                (*thread, Page::from_overfetch(rows, request, None))
            })
            .collect())
    }

    /// The posts among `ids` the actor may see, each with its thread.
    pub async fn posts(
        &self,
        actor: &Actor,
        ids: &[PostId],
    ) -> DomainResult<Vec<(Post, ThreadView)>> {
        let posts = self.repo.find_posts(ids).await?;
        let mut thread_ids: Vec<ThreadId> = posts.iter().map(|p| p.thread).collect();
        thread_ids.sort();
        thread_ids.dedup();
        let threads: HashMap<ThreadId, ThreadView> = self
            .visible_threads(actor, &thread_ids)
            .await?
            .into_iter()
            .map(|view| (view.thread.id, view))
            .collect();
        let reader = actor.person().map(|p| p.id);
        Ok(posts
            .into_iter()
            .filter_map(|post| {
                let view = threads.get(&post.thread)?;
                in_scope(&post, post_scope(reader, &view.standing)).then(|| (post, view.clone()))
            })
            .collect())
    }

    /// Posts by id, for the posts a thread the caller already holds as readable points at
    /// (opening post, latest reply, accepted answer): no further check.
    pub async fn posts_of_readable_threads(&self, ids: &[PostId]) -> DomainResult<Vec<Post>> {
        self.repo.find_posts(ids).await
    }

    /// Earlier versions of a post the actor may see, most recent first.
    pub async fn edits(&self, post: &Post, page: &PageRequest) -> DomainResult<Page<PostEdit>> {
        self.repo.edits(post.id, page).await
    }

    /// The reactions `reader` has on each of `posts`.
    pub async fn reactions_by(
        &self,
        reader: PersonId,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<ReactionKind>>> {
        self.repo.reactions_by(reader, posts).await
    }

    /// Whether the actor may see `event` from `community` now. Their standing is read again, so
    /// someone removed from a community stops seeing its events; OPEN communities' approved
    /// content needs no lookup.
    pub async fn may_see(
        &self,
        actor: &Actor,
        community: &Community,
        event: &HubEvent,
    ) -> DomainResult<bool> {
        // Posts not shown to readers reach only their author and facilitators; word that a
        // post was hidden reaches every reader, so they drop it.
        let pending = event
            .post()
            .filter(|p| p.status != PostStatus::Approved)
            .filter(|_| !matches!(event, HubEvent::PostHidden { .. }));
        if community.visibility == Visibility::Open && pending.is_none() {
            return Ok(true);
        }
        let standing = self
            .communities
            .standings(actor, &[community.id])
            .await?
            .pop()
            .unwrap_or_default();
        if !crate::community::can_read_content(community, &standing) {
            return Ok(false);
        }
        Ok(match pending {
            None => true,
            Some(post) => {
                standing.at_least(Role::Facilitator)
                    || actor.person().map(|p| p.id) == Some(post.author)
            }
        })
    }

    /// The community whose activity the actor may follow.
    pub async fn readable_community(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<Option<Community>> {
        let readable = self.communities.readable(actor, id).await?;
        Ok(readable.map(|(community, _)| community))
    }
}
