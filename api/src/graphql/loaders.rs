//! DataLoaders: objects referenced from many places in one response load in one batch.
//! They keep no cache between requests, so nothing stale is served.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use khub_domain::DomainError;
use khub_domain::api_token::ApiTokenId;
use khub_domain::community::CommunityId;
use khub_domain::conversation::{Post, PostId, PostScope, ReactionKind, ThreadId};
use khub_domain::organisation::{Organisation, OrganisationId};
use khub_domain::pagination::{Direction, Page, PageRequest};
use khub_domain::person::{Person, PersonId};
use khub_domain::ports::FollowCounts;
use khub_domain::practice::{PracticeId, PracticeView};
use khub_domain::reputation::HeldBadge;
use khub_domain::token_usage::DailyUsage;
use khub_domain::webhook::{Attempt, DeliveryId};

use super::context::HubContext;

/// A loader error is shared by every key of the failed batch.
#[derive(Clone)]
pub struct LoadError(pub Arc<DomainError>);

impl From<LoadError> for async_graphql::Error {
    fn from(LoadError(error): LoadError) -> Self {
        let error = Arc::try_unwrap(error)
            .unwrap_or_else(|shared| DomainError::unavailable("batch load", shared.to_string()));
        super::error::ApiError(error).into()
    }
}

/// Each reader's keys, grouped: what depends on who asks is read once per reader.
pub(crate) fn per_reader<R: Copy + Eq + Hash, K: Copy>(keys: &[(R, K)]) -> HashMap<R, Vec<K>> {
    let mut grouped: HashMap<R, Vec<K>> = HashMap::new();
    for (reader, key) in keys {
        grouped.entry(*reader).or_default().push(*key);
    }
    grouped
}

pub(crate) fn shared(error: DomainError) -> LoadError {
    LoadError(Arc::new(error))
}

/// Organisations by id.
pub struct OrganisationLoader(pub HubContext);

impl Loader<OrganisationId> for OrganisationLoader {
    type Value = Organisation;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganisationId],
    ) -> Result<HashMap<OrganisationId, Organisation>, LoadError> {
        let found = self
            .0
            .organisations()
            .find_by_ids(keys)
            .await
            .map_err(shared)?;
        Ok(found.into_iter().map(|org| (org.id, org)).collect())
    }
}

/// People by id.
pub struct PersonLoader(pub HubContext);

impl Loader<PersonId> for PersonLoader {
    type Value = Person;
    type Error = LoadError;

    async fn load(&self, keys: &[PersonId]) -> Result<HashMap<PersonId, Person>, LoadError> {
        let found = self.0.people().find_by_ids(keys).await.map_err(shared)?;
        Ok(found
            .into_iter()
            .map(|person| (person.id, person))
            .collect())
    }
}

/// People by handle (lowercase), for linking mentions.
pub struct HandleLoader(pub HubContext);

impl Loader<String> for HandleLoader {
    type Value = PersonId;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, PersonId>, LoadError> {
        let found = self
            .0
            .people()
            .find_by_handles(keys)
            .await
            .map_err(shared)?;
        Ok(found
            .into_iter()
            .map(|person| (person.handle, person.id))
            .collect())
    }
}

/// Follower and following counts by person.
pub struct FollowCountLoader(pub HubContext);

impl Loader<PersonId> for FollowCountLoader {
    type Value = FollowCounts;
    type Error = LoadError;

    async fn load(&self, keys: &[PersonId]) -> Result<HashMap<PersonId, FollowCounts>, LoadError> {
        self.0.people().follow_counts(keys).await.map_err(shared)
    }
}

/// Whether (follower, followee) follows, batched per follower.
pub struct FollowLoader(pub HubContext);

impl Loader<(PersonId, PersonId)> for FollowLoader {
    type Value = bool;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, PersonId)],
    ) -> Result<HashMap<(PersonId, PersonId), bool>, LoadError> {
        let mut by_follower: HashMap<PersonId, Vec<PersonId>> = HashMap::new();
        for (follower, followee) in keys {
            by_follower.entry(*follower).or_default().push(*followee);
        }
        let mut answers = HashMap::new();
        for (follower, followees) in by_follower {
            let follows: HashSet<PersonId> = self
                .0
                .people()
                .follows_among(follower, &followees)
                .await
                .map_err(shared)?;
            for followee in followees {
                answers.insert((follower, followee), follows.contains(&followee));
            }
        }
        Ok(answers)
    }
}

/// Whether (reader, practice) is endorsed, batched per reader.
pub struct EndorsedLoader(pub HubContext);

impl Loader<(PersonId, PracticeId)> for EndorsedLoader {
    type Value = bool;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, PracticeId)],
    ) -> Result<HashMap<(PersonId, PracticeId), bool>, LoadError> {
        let mut answers = HashMap::new();
        for (reader, practices) in per_reader(keys) {
            let endorsed = self
                .0
                .practices()
                .endorsed_among(reader, &practices)
                .await
                .map_err(shared)?;
            for practice in practices {
                answers.insert((reader, practice), endorsed.contains(&practice));
            }
        }
        Ok(answers)
    }
}

/// Posts by id, for the posts a readable thread points at (opening post, latest reply,
/// accepted answer). Their visibility follows from the thread's.
pub struct PostLoader(pub HubContext);

impl Loader<PostId> for PostLoader {
    type Value = Post;
    type Error = LoadError;

    async fn load(&self, keys: &[PostId]) -> Result<HashMap<PostId, Post>, LoadError> {
        let found = self
            .0
            .conversations()
            .posts_of_readable_threads(keys)
            .await
            .map_err(shared)?;
        Ok(found.into_iter().map(|post| (post.id, post)).collect())
    }
}

/// The reactions (reader, post) has, batched per reader.
pub struct ReactionsLoader(pub HubContext);

impl Loader<(PersonId, PostId)> for ReactionsLoader {
    type Value = Vec<ReactionKind>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, PostId)],
    ) -> Result<HashMap<(PersonId, PostId), Vec<ReactionKind>>, LoadError> {
        let mut answers = HashMap::new();
        for (reader, posts) in per_reader(keys) {
            let mut found = self
                .0
                .conversations()
                .reactions_by(reader, &posts)
                .await
                .map_err(shared)?;
            for post in posts {
                answers.insert((reader, post), found.remove(&post).unwrap_or_default());
            }
        }
        Ok(answers)
    }
}

/// All-time points by (person, community); `None` is overall.
pub struct ScoreLoader(pub HubContext);

impl Loader<(PersonId, Option<CommunityId>)> for ScoreLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, Option<CommunityId>)],
    ) -> Result<HashMap<(PersonId, Option<CommunityId>), i64>, LoadError> {
        self.0.reputation().scores(keys).await.map_err(shared)
    }
}

/// Badges by person.
pub struct BadgesLoader(pub HubContext);

impl Loader<PersonId> for BadgesLoader {
    type Value = Vec<HeldBadge>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PersonId],
    ) -> Result<HashMap<PersonId, Vec<HeldBadge>>, LoadError> {
        self.0.reputation().badges(keys).await.map_err(shared)
    }
}

/// How many days of an API token's use `ApiToken.usage` shows.
pub const USAGE_DAYS: u32 = 30;

/// API tokens' use over the last [`USAGE_DAYS`], newest day first, by token.
pub struct TokenUsageLoader(pub HubContext);

impl Loader<ApiTokenId> for TokenUsageLoader {
    type Value = Vec<DailyUsage>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ApiTokenId],
    ) -> Result<HashMap<ApiTokenId, Vec<DailyUsage>>, LoadError> {
        let usage = self.0.identity().token_usage(keys, USAGE_DAYS).await;
        let mut by_token: HashMap<ApiTokenId, Vec<DailyUsage>> = HashMap::new();
        for day in usage.map_err(shared)? {
            by_token.entry(day.token).or_default().push(day);
        }
        Ok(by_token)
    }
}

/// Webhook deliveries' attempts, in order, by delivery (of deliveries already shown to their
/// webhook's managers).
pub struct DeliveryAttemptsLoader(pub HubContext);

impl Loader<DeliveryId> for DeliveryAttemptsLoader {
    type Value = Vec<Attempt>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[DeliveryId],
    ) -> Result<HashMap<DeliveryId, Vec<Attempt>>, LoadError> {
        let mut by_delivery: HashMap<DeliveryId, Vec<Attempt>> = HashMap::new();
        for attempt in self.0.webhooks().attempts(keys).await.map_err(shared)? {
            by_delivery
                .entry(attempt.delivery)
                .or_default()
                .push(attempt);
        }
        Ok(by_delivery)
    }
}

/// The opening page of replies by (thread, scope, direction, size), batched per scope and size.
pub struct RepliesLoader(pub HubContext);

/// A thread's opening reply page: which thread, seen by whom, from which end, how many.
pub type ReplyPageKey = (ThreadId, PostScope, Direction, usize);

impl Loader<ReplyPageKey> for RepliesLoader {
    type Value = Page<Post>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ReplyPageKey],
    ) -> Result<HashMap<ReplyPageKey, Page<Post>>, LoadError> {
        let mut groups: HashMap<(PostScope, Direction, usize), Vec<ThreadId>> = HashMap::new();
        for (thread, scope, direction, limit) in keys {
            groups
                .entry((*scope, *direction, *limit))
                .or_default()
                .push(*thread);
        }
        let mut answers = HashMap::new();
        for ((scope, direction, limit), threads) in groups {
            let request = PageRequest {
                after: None,
                before: None,
                limit,
                direction,
                with_total: false,
            };
            let pages = self
                .0
                .conversations()
                .reply_pages(&threads, scope, &request)
                .await
                .map_err(shared)?;
            for (thread, page) in pages {
                answers.insert((thread, scope, direction, limit), page);
            }
        }
        Ok(answers)
    }
}

/// Practices as (reader, practice) may read them, batched per reader.
pub struct PracticeLoader(pub HubContext);

impl Loader<(Option<PersonId>, PracticeId)> for PracticeLoader {
    type Value = PracticeView;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(Option<PersonId>, PracticeId)],
    ) -> Result<HashMap<(Option<PersonId>, PracticeId), PracticeView>, LoadError> {
        let mut answers = HashMap::new();
        for (reader, practices) in per_reader(keys) {
            let seen = self
                .0
                .practices()
                .visible_to(reader, &practices)
                .await
                .map_err(shared)?;
            for view in seen {
                answers.insert((reader, view.practice.id), view);
            }
        }
        Ok(answers)
    }
}
