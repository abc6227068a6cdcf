//! A saved search's hits as feed entries: each item read through its own visibility-checked
//! use case, one batch per kind.

use super::FeedEntry;
use super::entries::{names, of_practices, of_threads, shorten};
use crate::access::Actor;
use crate::community::{Communities, CommunityId};
use crate::conversation::{Conversations, PostId, ThreadId};
use crate::error::DomainResult;
use crate::markdown;
use crate::person::PersonId;
use crate::ports::PersonRepository;
use crate::practice::{PracticeId, Practices};
use crate::search::SearchItem;

/// The use cases that read each kind of item.
pub(super) struct Readers<'a> {
    pub practices: &'a Practices,
    pub conversations: &'a Conversations,
    pub communities: &'a Communities,
    pub people: &'a dyn PersonRepository,
}

/// Hits sorted by kind.
#[derive(Default)]
struct Kinds {
    practices: Vec<PracticeId>,
    threads: Vec<ThreadId>,
    posts: Vec<PostId>,
    people: Vec<PersonId>,
    communities: Vec<CommunityId>,
}

impl Kinds {
    fn of(items: Vec<SearchItem>) -> Self {
        let mut kinds = Self::default();
        for item in items {
            match item {
                SearchItem::Practice(id) => kinds.practices.push(id),
                SearchItem::Thread(id) => kinds.threads.push(id),
                SearchItem::Post(id) => kinds.posts.push(id),
                SearchItem::Person(id) => kinds.people.push(id),
                SearchItem::Community(id) => kinds.communities.push(id),
            }
        }
        kinds
    }
}

impl Readers<'_> {
    /// The entries of the items `actor` may still read.
    pub async fn entries(
        &self,
        actor: &Actor,
        items: Vec<SearchItem>,
    ) -> DomainResult<Vec<FeedEntry>> {
        let kinds = Kinds::of(items);
        let practices = self.practices.visible(actor, &kinds.practices).await?;
        let mut entries = of_practices(self.people, practices).await?;
        let threads = self
            .conversations
            .visible_threads(actor, &kinds.threads)
            .await?;
        entries.extend(of_threads(self.conversations, self.people, actor, threads).await?);
        entries.extend(self.replies(actor, &kinds.posts).await?);
        entries.extend(self.people_entries(&kinds.people).await?);
        entries.extend(self.community_entries(actor, &kinds.communities).await?);
        Ok(entries)
    }

    async fn replies(&self, actor: &Actor, ids: &[PostId]) -> DomainResult<Vec<FeedEntry>> {
        let found = self.conversations.posts(actor, ids).await?;
        let authors = names(self.people, found.iter().map(|(post, _)| post.author)).await?;
        Ok(found
            .into_iter()
            .map(|(post, view)| {
                let thread = view.thread.id.as_uuid();
                FeedEntry {
                    key: format!("post/{}", post.id.as_uuid()),
                    title: format!("Re: {}", view.thread.title),
                    path: format!("/threads/{thread}#post-{}", post.id.as_uuid()),
                    author: authors.get(&post.author).cloned(),
                    updated: post.edited_at.unwrap_or(post.created_at),
                    summary: shorten(&markdown::to_plain_text(&post.body)),
                }
            })
            .collect())
    }

    async fn people_entries(&self, ids: &[PersonId]) -> DomainResult<Vec<FeedEntry>> {
        let found = self.people.find_by_ids(ids).await?;
        Ok(found
            .into_iter()
            .map(|person| FeedEntry {
                key: format!("person/{}", person.id.as_uuid()),
                path: format!("/people/{}", person.handle),
                author: Some(person.display_name.clone()),
                updated: person.created_at,
                summary: person.job_title.clone().unwrap_or_default(),
                title: person.display_name,
            })
            .collect())
    }

    async fn community_entries(
        &self,
        actor: &Actor,
        ids: &[CommunityId],
    ) -> DomainResult<Vec<FeedEntry>> {
        let found = self.communities.visible(actor, ids).await?;
        Ok(found
            .into_iter()
            .map(|(community, _)| FeedEntry {
                key: format!("community/{}", community.id.as_uuid()),
                path: format!("/communities/{}", community.slug.as_str()),
                author: None,
                updated: community.last_activity_at,
                summary: shorten(&community.description),
                title: community.name,
            })
            .collect())
    }
}
