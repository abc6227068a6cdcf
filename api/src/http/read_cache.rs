//! Answers to anonymous queries, kept so that one execution answers every anonymous reader
//! until the content changes. Each answer is kept with the content version noted before it
//! ran and is given out only while that version is still current (see
//! [`khub_domain::content_version`]: every write moves it on, on every instance), and never
//! for longer than the configured age.
//!
//! Only answers without errors are kept, and none from an operation that selects a field
//! marked `cache_control(no_cache)` (a leaderboard moves with the clock, not with writes).
//! Every answer given out is still charged to its reader's query budget.

use std::sync::Arc;

use axum::body::Bytes;
use khub_domain::content_version::ContentVersion;
use khub_infra::config::ReadCacheSettings;
use moka::sync::Cache;

use super::cost::Spend;
use crate::graphql::pipeline::RawRequest;

/// Called once a mutation's writes have committed (and at start): answers kept before are
/// stale, on every instance. If the version cannot be moved on, the error is logged and those
/// answers last until their age limit.
pub async fn content_changed(version: &ContentVersion) {
    if let Err(error) = version.advance().await {
        tracing::error!(%error, "cannot move the content version on: anonymous readers may be answered from before this write until the read cache's age limit");
    }
}

/// Held while a mutation runs. [`Writing::done`] moves the content version on before the
/// mutation's answer leaves. Dropped before that (its client went away and the request was
/// cancelled, perhaps after its writes committed), it moves the version on in the background.
pub struct Writing(Option<ContentVersion>);

impl Writing {
    pub fn start(version: &ContentVersion) -> Self {
        Self(Some(version.clone()))
    }

    pub async fn done(mut self) {
        if let Some(version) = &self.0 {
            content_changed(version).await;
        }
        self.0 = None;
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        let runtime = tokio::runtime::Handle::try_current();
        if let (Some(version), Ok(runtime)) = (self.0.take(), runtime) {
            runtime.spawn(async move { content_changed(&version).await });
        }
    }
}

/// An anonymous query as sent: its document, operation name and variables.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct QueryKey {
    query: Box<str>,
    operation_name: Option<Box<str>>,
    variables: Box<str>,
}

impl QueryKey {
    pub fn of(raw: &RawRequest) -> Option<Self> {
        let variables = match &raw.variables {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(variables) => variables.to_string(),
        };
        Some(Self {
            query: raw.query.as_deref()?.into(),
            operation_name: raw.operation_name.as_deref().map(Into::into),
            variables: variables.into(),
        })
    }

    fn size(&self) -> usize {
        self.query.len()
            + self.operation_name.as_ref().map_or(0, |n| n.len())
            + self.variables.len()
    }
}

/// A kept answer: the response body, and the query cost each reader is charged for it.
pub struct Answer {
    version: String,
    pub spend: Spend,
    pub body: Bytes,
}

/// The kept answers, bounded in memory and age.
pub struct ReadCache {
    answers: Option<Cache<QueryKey, Arc<Answer>>>,
}

impl ReadCache {
    pub fn new(settings: &ReadCacheSettings) -> Self {
        let answers = (settings.capacity_bytes > 0).then(|| {
            Cache::builder()
                .max_capacity(settings.capacity_bytes)
                .weigher(|key: &QueryKey, answer: &Arc<Answer>| {
                    let bytes = key.size() + answer.body.len() + answer.version.len();
                    u32::try_from(bytes).unwrap_or(u32::MAX)
                })
                .time_to_live(settings.max_age)
                .build()
        });
        Self { answers }
    }

    pub fn enabled(&self) -> bool {
        self.answers.is_some()
    }

    /// The answer kept for `key`, if it was computed at content version `version`.
    pub fn get(&self, key: &QueryKey, version: &str) -> Option<Arc<Answer>> {
        let answer = self.answers.as_ref()?.get(key)?;
        (answer.version == version).then_some(answer)
    }

    /// Keeps `body` as the answer to `key`, computed at content version `version`.
    pub fn keep(&self, key: QueryKey, version: String, spend: Spend, body: Bytes) {
        if let Some(answers) = &self.answers {
            let answer = Answer {
                version,
                spend,
                body,
            };
            answers.insert(key, Arc::new(answer));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::body::Bytes;
    use khub_infra::config::ReadCacheSettings;

    use std::sync::Arc;

    use khub_domain::content_version::ContentVersion;

    use super::{QueryKey, ReadCache, Spend, Writing, content_changed};
    use crate::graphql::pipeline::RawRequest;

    const ONE: Spend = Spend {
        requested: 1,
        actual: 1,
    };

    fn key(query: &str, variables: Option<serde_json::Value>) -> QueryKey {
        let raw = RawRequest {
            query: Some(query.into()),
            operation_name: None,
            variables,
            extensions: None,
        };
        QueryKey::of(&raw).expect("has a query")
    }

    fn cache(capacity_bytes: u64) -> ReadCache {
        ReadCache::new(&ReadCacheSettings {
            capacity_bytes,
            max_age: Duration::from_secs(60),
        })
    }

    #[test]
    fn an_answer_is_given_only_at_the_version_it_was_computed_at() {
        let cache = cache(1 << 20);
        cache.keep(
            key("{ a }", None),
            "v1".into(),
            Spend {
                requested: 3,
                actual: 2,
            },
            Bytes::from_static(b"{}"),
        );
        let kept = cache.get(&key("{ a }", None), "v1").expect("kept");
        assert_eq!((kept.spend.requested, &kept.body[..]), (3, &b"{}"[..]));
        assert!(cache.get(&key("{ a }", None), "v2").is_none());
    }

    #[test]
    fn other_variables_are_another_query_and_null_is_none() {
        let cache = cache(1 << 20);
        let variables = Some(serde_json::json!({ "slug": "a" }));
        cache.keep(key("{ a }", variables), "v".into(), ONE, Bytes::new());
        assert!(cache.get(&key("{ a }", None), "v").is_none());
        cache.keep(key("{ a }", None), "v".into(), ONE, Bytes::new());
        assert!(
            cache
                .get(&key("{ a }", Some(serde_json::Value::Null)), "v")
                .is_some()
        );
    }

    async fn current(version: &ContentVersion) -> Option<String> {
        version.current().await.expect("the memory store answers")
    }

    #[tokio::test]
    async fn a_mutation_cancelled_before_its_answer_still_moves_the_version_on() {
        let store = Arc::new(khub_infra::sessions::MemorySessions::new());
        let version = ContentVersion::new(store, Arc::new(khub_infra::security::RandomSecrets));
        content_changed(&version).await;
        let before = current(&version).await;
        drop(Writing::start(&version));
        for _ in 0..100 {
            if current(&version).await != before {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the version did not move on");
    }

    #[test]
    fn a_cache_of_no_bytes_keeps_nothing() {
        let cache = cache(0);
        assert!(!cache.enabled());
        cache.keep(key("{ a }", None), "v".into(), ONE, Bytes::new());
        assert!(cache.get(&key("{ a }", None), "v").is_none());
    }
}
