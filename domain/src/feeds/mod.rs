//! Atom feeds of what people follow without visiting: an OPEN community's new threads and
//! practices, practices promoted hub-wide, practices with a tag, a person's published practices.
//! Each is read through the same use cases (and visibility rules) as the API, as an anonymous
//! reader: a feed for something missing or not public does not exist.

mod entries;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::community::Communities;
use crate::community::Visibility;
use crate::conversation::Conversations;
use crate::error::DomainResult;
use crate::pagination::PageRequest;
use crate::ports::PersonRepository;
use crate::practice::{PracticeFilter, PracticeOrder, PracticeStatus, Practices};

/// How many entries a feed holds: the newest.
pub const FEED_ENTRIES: usize = 30;

/// What a feed follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedSource {
    /// An OPEN community's new threads and practices, by slug.
    Community(String),
    /// Practices promoted anywhere on the hub.
    Promoted,
    /// Published practices with a tag.
    Tag(String),
    /// A person's published practices, by handle.
    Person(String),
}

/// A feed's item.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// Stable: `practice/<uuid>` or `thread/<uuid>`.
    pub key: String,
    pub title: String,
    /// Where the item is read, relative to the hub's public URL.
    pub path: String,
    pub author: Option<String>,
    pub updated: DateTime<Utc>,
    /// Plain text.
    pub summary: String,
}

/// A feed, newest entry first.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub title: String,
    /// Where the followed thing is read, relative to the hub's public URL.
    pub path: String,
    pub entries: Vec<FeedEntry>,
}

impl Feed {
    /// When anything in it last changed.
    pub fn updated(&self) -> DateTime<Utc> {
        self.entries
            .iter()
            .map(|entry| entry.updated)
            .max()
            .unwrap_or(DateTime::UNIX_EPOCH)
    }
}

/// The feed use cases.
#[derive(Clone)]
pub struct Feeds {
    practices: Practices,
    conversations: Conversations,
    communities: Communities,
    people: Arc<dyn PersonRepository>,
}

impl Feeds {
    pub fn new(
        practices: Practices,
        conversations: Conversations,
        communities: Communities,
        people: Arc<dyn PersonRepository>,
    ) -> Self {
        Self {
            practices,
            conversations,
            communities,
            people,
        }
    }

    /// The feed, if what it follows exists and is public.
    #[tracing::instrument(skip_all)]
    pub async fn feed(&self, source: &FeedSource) -> DomainResult<Option<Feed>> {
        match source {
            FeedSource::Community(slug) => self.community(slug).await,
            FeedSource::Promoted => {
                let filter = PracticeFilter {
                    statuses: vec![PracticeStatus::Promoted],
                    ..PracticeFilter::default()
                };
                let title = "Practice worth repeating".to_owned();
                self.practice_feed(title, "/practices?status=PROMOTED".to_owned(), filter)
                    .await
                    .map(Some)
            }
            FeedSource::Tag(tag) => {
                let tag = tag.trim().to_lowercase();
                let filter = PracticeFilter {
                    tag: Some(tag.clone()),
                    ..PracticeFilter::default()
                };
                let path = format!("/practices?tag={tag}");
                self.practice_feed(format!("Practices tagged {tag}"), path, filter)
                    .await
                    .map(Some)
            }
            FeedSource::Person(handle) => self.person(handle).await,
        }
    }

    async fn community(&self, slug: &str) -> DomainResult<Option<Feed>> {
        let actor = Actor::Anonymous;
        let Some((community, _)) = self.communities.find_by_slug(&actor, slug).await? else {
            return Ok(None);
        };
        if community.visibility != Visibility::Open {
            return Ok(None);
        }
        let page = PageRequest::first(FEED_ENTRIES);
        let filter = PracticeFilter {
            community: Some(community.id),
            ..PracticeFilter::default()
        };
        let practices = self
            .practices
            .list(&actor, filter, PracticeOrder::Newest, &page)
            .await?;
        let threads = self
            .conversations
            .threads(&actor, Some(community.id), None, &page)
            .await?;
        let mut entries = entries::of_practices(self.people.as_ref(), practices).await?;
        entries
            .extend(entries::of_threads(&self.conversations, self.people.as_ref(), threads).await?);
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.updated));
        entries.truncate(FEED_ENTRIES);
        Ok(Some(Feed {
            title: community.name,
            path: format!("/communities/{}", community.slug.as_str()),
            entries,
        }))
    }

    async fn person(&self, handle: &str) -> DomainResult<Option<Feed>> {
        let Some(person) = self.people.find_by_handle(handle).await? else {
            return Ok(None);
        };
        let filter = PracticeFilter {
            author: Some(person.id),
            ..PracticeFilter::default()
        };
        let title = format!("Practices shared by {}", person.display_name);
        let path = format!("/people/{}", person.handle);
        self.practice_feed(title, path, filter).await.map(Some)
    }

    async fn practice_feed(
        &self,
        title: String,
        path: String,
        filter: PracticeFilter,
    ) -> DomainResult<Feed> {
        let page = PageRequest::first(FEED_ENTRIES);
        let practices = self
            .practices
            .list(&Actor::Anonymous, filter, PracticeOrder::Newest, &page)
            .await?;
        Ok(Feed {
            title,
            path,
            entries: entries::of_practices(self.people.as_ref(), practices).await?,
        })
    }
}
