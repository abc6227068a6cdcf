//! Atom feeds of what people follow without visiting: a community's new threads and
//! practices, practices promoted hub-wide, practices with a tag, a person's published practices,
//! a saved search's matches. Each is read through the same use cases (and visibility rules) as
//! the API, as its reader: anyone, or the person whose feed token is in the address. A feed
//! for something missing or not readable by its reader does not exist.

mod entries;
mod hits;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::community::{Communities, can_read_content};
use crate::conversation::Conversations;
use crate::error::{DomainError, DomainResult};
use crate::pagination::{Page, PageRequest};
use crate::ports::PersonRepository;
use crate::practice::{PracticeFilter, PracticeOrder, PracticeStatus, Practices};
use crate::search::{SavedSearchId, Search};

/// How many entries a feed holds: the newest.
pub const FEED_ENTRIES: usize = 30;

/// What a feed follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedSource {
    /// A community's new threads and practices, by slug: anyone's if it is OPEN, else its
    /// members'.
    Community(String),
    /// Practices promoted anywhere on the hub.
    Promoted,
    /// Published practices with a tag.
    Tag(String),
    /// A person's published practices, by handle.
    Person(String),
    /// A saved search's matches, newest first: its owner's alone.
    SavedSearch(SavedSearchId),
}

/// A feed's item.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// Stable: `practice/<uuid>`, `thread/<uuid>`, `post/<uuid>`, ….
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
    search: Search,
    people: Arc<dyn PersonRepository>,
}

impl Feeds {
    pub fn new(
        practices: Practices,
        conversations: Conversations,
        communities: Communities,
        search: Search,
        people: Arc<dyn PersonRepository>,
    ) -> Self {
        Self {
            practices,
            conversations,
            communities,
            search,
            people,
        }
    }

    /// The feed, if what it follows exists and `reader` may read it.
    #[tracing::instrument(skip_all)]
    pub async fn feed(&self, reader: &Actor, source: &FeedSource) -> DomainResult<Option<Feed>> {
        match source {
            FeedSource::Community(slug) => self.community(reader, slug).await,
            FeedSource::SavedSearch(id) => self.saved_search(reader, *id).await,
            FeedSource::Promoted => {
                let filter = PracticeFilter {
                    statuses: vec![PracticeStatus::Promoted],
                    ..PracticeFilter::default()
                };
                let title = "Practice worth repeating".to_owned();
                let path = "/practices?status=PROMOTED".to_owned();
                self.practice_feed(title, path, filter).await.map(Some)
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

    async fn community(&self, actor: &Actor, slug: &str) -> DomainResult<Option<Feed>> {
        let found = self.communities.find_by_slug(actor, slug).await?;
        let Some((community, standing)) = found else {
            return Ok(None);
        };
        if !can_read_content(&community, &standing) {
            return Ok(None);
        }
        let page = PageRequest::first(FEED_ENTRIES);
        let filter = PracticeFilter {
            community: Some(community.id),
            ..PracticeFilter::default()
        };
        let practices = self
            .practices
            .list(actor, filter, PracticeOrder::Newest, &page)
            .await?;
        let threads = self
            .conversations
            .community_threads(actor, &community, standing, &page)
            .await?;
        let people = self.people.as_ref();
        let mut entries = entries::of_practices(people, items(practices)).await?;
        let threads = items(threads);
        entries.extend(entries::of_threads(&self.conversations, people, actor, threads).await?);
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.updated));
        entries.truncate(FEED_ENTRIES);
        Ok(Some(Feed {
            title: community.name,
            path: format!("/communities/{}", community.slug.as_str()),
            entries,
        }))
    }

    async fn saved_search(&self, actor: &Actor, id: SavedSearchId) -> DomainResult<Option<Feed>> {
        let search = match self.search.saved_search(actor, id).await {
            Ok(search) => search,
            Err(
                DomainError::NotFound | DomainError::Unauthenticated | DomainError::Forbidden(_),
            ) => {
                return Ok(None);
            }
            Err(other) => return Err(other),
        };
        let page = PageRequest::first(FEED_ENTRIES);
        let query = search.query.query().clone();
        let found = self
            .search
            .search(actor, query, search.filter.clone(), &page)
            .await?;
        let hits = items(found).into_iter().map(|hit| hit.item).collect();
        let readers = hits::Readers {
            practices: &self.practices,
            conversations: &self.conversations,
            communities: &self.communities,
            people: self.people.as_ref(),
        };
        let mut entries = readers.entries(actor, hits).await?;
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.updated));
        Ok(Some(Feed {
            title: search.name.as_str().to_owned(),
            path: format!("/search?q={}", search.query.text()),
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
            entries: entries::of_practices(self.people.as_ref(), items(practices)).await?,
        })
    }
}

/// The items of a page.
fn items<T>(page: Page<T>) -> Vec<T> {
    page.items.into_iter().map(|(_, item)| item).collect()
}
