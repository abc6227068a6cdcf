//! Sessions kept in this process: right for one instance, lost on restart.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use khub_domain::ports::{HealthCheck, SessionStore};
use khub_domain::{DomainError, DomainResult};
use tokio::time::Instant;

/// How many writes between sweeps of expired entries.
const SWEEP_EVERY: u64 = 1_024;

#[derive(Default)]
struct Entries {
    values: HashMap<String, (String, Instant)>,
    sets: HashMap<String, (HashSet<String>, Instant)>,
    writes: u64,
}

impl Entries {
    fn live(&mut self, key: &str, now: Instant) -> Option<&mut (String, Instant)> {
        if self
            .values
            .get(key)
            .is_some_and(|(_, expires)| *expires <= now)
        {
            self.values.remove(key);
        }
        self.values.get_mut(key)
    }

    fn note_write(&mut self, now: Instant) {
        self.writes += 1;
        if self.writes.is_multiple_of(SWEEP_EVERY) {
            self.values.retain(|_, (_, expires)| *expires > now);
            self.sets.retain(|_, (_, expires)| *expires > now);
        }
    }
}

/// An in-process [`SessionStore`]; expiry follows Tokio's clock so tests can pause time.
#[derive(Default)]
pub struct MemorySessions {
    entries: Mutex<Entries>,
}

impl MemorySessions {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> DomainResult<std::sync::MutexGuard<'_, Entries>> {
        self.entries
            .lock()
            .map_err(|_| DomainError::unavailable("session store", "lock poisoned"))
    }
}

#[async_trait]
impl HealthCheck for MemorySessions {
    fn component(&self) -> &'static str {
        "sessions"
    }

    async fn ping(&self) -> DomainResult<()> {
        self.lock().map(|_| ())
    }
}

#[async_trait]
impl SessionStore for MemorySessions {
    async fn put(&self, key: &str, value: &str, ttl: Duration) -> DomainResult<()> {
        let now = Instant::now();
        let mut entries = self.lock()?;
        entries
            .values
            .insert(key.to_owned(), (value.to_owned(), now + ttl));
        entries.note_write(now);
        Ok(())
    }

    async fn get(&self, key: &str) -> DomainResult<Option<String>> {
        Ok(self
            .lock()?
            .live(key, Instant::now())
            .map(|(v, _)| v.clone()))
    }

    async fn get_many(&self, keys: &[&str]) -> DomainResult<Vec<Option<String>>> {
        let now = Instant::now();
        let mut entries = self.lock()?;
        Ok(keys
            .iter()
            .map(|key| entries.live(key, now).map(|(v, _)| v.clone()))
            .collect())
    }

    async fn take(&self, key: &str) -> DomainResult<Option<String>> {
        let mut entries = self.lock()?;
        let live = entries.live(key, Instant::now()).is_some();
        Ok(live
            .then(|| entries.values.remove(key))
            .flatten()
            .map(|(v, _)| v))
    }

    async fn remove(&self, key: &str) -> DomainResult<()> {
        self.lock()?.values.remove(key);
        Ok(())
    }

    async fn increment(&self, key: &str, by: u64, ttl: Duration) -> DomainResult<(u64, Duration)> {
        let now = Instant::now();
        let mut entries = self.lock()?;
        let (total, expires) = match entries.live(key, now) {
            Some((value, expires)) => {
                let total = value.parse::<u64>().unwrap_or(0).saturating_add(by);
                *value = total.to_string();
                (total, *expires)
            }
            None => {
                entries
                    .values
                    .insert(key.to_owned(), (by.to_string(), now + ttl));
                (by, now + ttl)
            }
        };
        entries.note_write(now);
        Ok((total, expires.saturating_duration_since(now)))
    }

    async fn add_member(&self, key: &str, member: &str, ttl: Duration) -> DomainResult<()> {
        let now = Instant::now();
        let mut entries = self.lock()?;
        let set = entries
            .sets
            .entry(key.to_owned())
            .or_insert_with(|| (HashSet::new(), now));
        if set.1 <= now {
            set.0.clear();
        }
        set.0.insert(member.to_owned());
        set.1 = now + ttl;
        entries.note_write(now);
        Ok(())
    }

    async fn remove_member(&self, key: &str, member: &str) -> DomainResult<()> {
        if let Some((set, _)) = self.lock()?.sets.get_mut(key) {
            set.remove(member);
        }
        Ok(())
    }

    async fn members(&self, key: &str) -> DomainResult<Vec<String>> {
        let now = Instant::now();
        Ok(match self.lock()?.sets.get(key) {
            Some((set, expires)) if *expires > now => set.iter().cloned().collect(),
            _ => Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use khub_domain::ports::SessionStore;

    use super::MemorySessions;

    #[tokio::test(start_paused = true)]
    async fn a_value_expires_after_its_time_to_live() {
        let store = MemorySessions::new();
        store
            .put("k", "v", Duration::from_secs(10))
            .await
            .expect("put");
        assert_eq!(store.get("k").await.expect("get").as_deref(), Some("v"));
        tokio::time::advance(Duration::from_secs(11)).await;
        assert_eq!(store.get("k").await.expect("get"), None);
    }

    #[tokio::test]
    async fn only_one_taker_gets_a_value() {
        let store = MemorySessions::new();
        store
            .put("k", "v", Duration::from_secs(10))
            .await
            .expect("put");
        assert!(store.take("k").await.expect("take").is_some());
        assert!(store.take("k").await.expect("take").is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_counter_restarts_when_its_window_ends() {
        let store = MemorySessions::new();
        let window = Duration::from_secs(60);
        assert_eq!(store.increment("c", 5, window).await.expect("incr").0, 5);
        assert_eq!(store.increment("c", 5, window).await.expect("incr").0, 10);
        tokio::time::advance(Duration::from_secs(61)).await;
        assert_eq!(store.increment("c", 1, window).await.expect("incr").0, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_set_keeps_its_members_until_it_expires() {
        let store = MemorySessions::new();
        let ttl = Duration::from_secs(10);
        store.add_member("s", "a", ttl).await.expect("add");
        store.add_member("s", "b", ttl).await.expect("add");
        store.remove_member("s", "a").await.expect("remove");
        assert_eq!(store.members("s").await.expect("members"), ["b"]);
        tokio::time::advance(Duration::from_secs(11)).await;
        assert!(store.members("s").await.expect("members").is_empty());
    }
}
