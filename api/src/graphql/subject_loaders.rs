//! Threads and communities as a reader may see them, batched per reader: what notifications
//! (a page of twenty, each about a thread in a community) point at; and the watch levels a
//! person chose on a page of threads or communities.

use std::collections::{HashMap, HashSet};

use async_graphql::dataloader::Loader;
use khub_domain::community::{Community, CommunityId, Standing};
use khub_domain::conversation::{ThreadId, ThreadView};
use khub_domain::notification::WatchLevel;
use khub_domain::person::PersonId;
use khub_domain::search::{SavedSearch, SavedSearchId};

use super::context::HubContext;
use super::loaders::{LoadError, per_reader, shared};

/// Threads as (reader, thread) may read them. Batched by reader (a notification list: one
/// reader, twenty threads), or by thread when a batch has more readers than threads (a push:
/// thousands told of one thread, each on their own socket).
pub struct ThreadLoader(pub HubContext);

type ThreadKey = (Option<PersonId>, ThreadId);

impl Loader<ThreadKey> for ThreadLoader {
    type Value = ThreadView;
    type Error = LoadError;

    async fn load(&self, keys: &[ThreadKey]) -> Result<HashMap<ThreadKey, ThreadView>, LoadError> {
        let grouped = per_reader(keys);
        let threads: HashSet<ThreadId> = keys.iter().map(|(_, thread)| *thread).collect();
        if threads.len() < grouped.len() {
            return self.by_thread(keys).await;
        }
        let mut answers = HashMap::new();
        for (reader, threads) in grouped {
            let seen = self
                .0
                .conversations()
                .visible_threads_to(reader, &threads)
                .await
                .map_err(shared)?;
            answers.extend(
                seen.into_iter()
                    .map(|view| ((reader, view.thread.id), view)),
            );
        }
        Ok(answers)
    }
}

impl ThreadLoader {
    async fn by_thread(
        &self,
        keys: &[ThreadKey],
    ) -> Result<HashMap<ThreadKey, ThreadView>, LoadError> {
        let mut readers: HashMap<ThreadId, Vec<PersonId>> = HashMap::new();
        let mut anonymous = Vec::new();
        for (reader, thread) in keys {
            match reader {
                Some(reader) => readers.entry(*thread).or_default().push(*reader),
                None => anonymous.push(*thread),
            }
        }
        let conversations = self.0.conversations();
        let mut answers = HashMap::new();
        for (thread, readers) in readers {
            let seen = conversations
                .visible_thread_to_each(thread, &readers)
                .await
                .map_err(shared)?;
            answers.extend(
                seen.into_iter()
                    .map(|(reader, view)| ((Some(reader), thread), view)),
            );
        }
        if !anonymous.is_empty() {
            let seen = conversations
                .visible_threads_to(None, &anonymous)
                .await
                .map_err(shared)?;
            answers.extend(seen.into_iter().map(|view| ((None, view.thread.id), view)));
        }
        Ok(answers)
    }
}

/// Communities as (reader, community) may see them, with the reader's standing.
pub struct CommunityLoader(pub HubContext);

impl Loader<(Option<PersonId>, CommunityId)> for CommunityLoader {
    type Value = (Community, Standing);
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(Option<PersonId>, CommunityId)],
    ) -> Result<HashMap<(Option<PersonId>, CommunityId), (Community, Standing)>, LoadError> {
        let mut answers = HashMap::new();
        for (reader, communities) in per_reader(keys) {
            let seen = self
                .0
                .communities()
                .visible_to(reader, &communities)
                .await
                .map_err(shared)?;
            answers.extend(seen.into_iter().map(|seen| ((reader, seen.0.id), seen)));
        }
        Ok(answers)
    }
}

/// The watch level (person, thread) chose, batched per person; unchosen ones are absent.
pub struct ThreadWatchLoader(pub HubContext);

impl Loader<(PersonId, ThreadId)> for ThreadWatchLoader {
    type Value = WatchLevel;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, ThreadId)],
    ) -> Result<HashMap<(PersonId, ThreadId), WatchLevel>, LoadError> {
        let mut answers = HashMap::new();
        for (person, threads) in per_reader(keys) {
            let chosen = self
                .0
                .notifications()
                .chosen_thread_levels(person, &threads)
                .await
                .map_err(shared)?;
            answers.extend(chosen.into_iter().map(|(t, level)| ((person, t), level)));
        }
        Ok(answers)
    }
}

/// The watch level (person, community) chose, batched per person; unchosen ones are absent.
pub struct CommunityWatchLoader(pub HubContext);

impl Loader<(PersonId, CommunityId)> for CommunityWatchLoader {
    type Value = WatchLevel;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, CommunityId)],
    ) -> Result<HashMap<(PersonId, CommunityId), WatchLevel>, LoadError> {
        let mut answers = HashMap::new();
        for (person, communities) in per_reader(keys) {
            let chosen = self
                .0
                .notifications()
                .chosen_community_levels(person, &communities)
                .await
                .map_err(shared)?;
            answers.extend(chosen.into_iter().map(|(c, level)| ((person, c), level)));
        }
        Ok(answers)
    }
}

/// Saved searches by (owner, id): only their owner's.
pub struct SavedSearchLoader(pub HubContext);

impl Loader<(PersonId, SavedSearchId)> for SavedSearchLoader {
    type Value = SavedSearch;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, SavedSearchId)],
    ) -> Result<HashMap<(PersonId, SavedSearchId), SavedSearch>, LoadError> {
        let mut answers = HashMap::new();
        for (owner, searches) in per_reader(keys) {
            let found = self
                .0
                .search()
                .saved_searches_of(owner, &searches)
                .await
                .map_err(shared)?;
            answers.extend(found.into_iter().map(|search| ((owner, search.id), search)));
        }
        Ok(answers)
    }
}
