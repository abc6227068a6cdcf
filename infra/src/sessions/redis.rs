//! Sessions in Redis, shared by every instance; keys carry the configured prefix.

use std::time::Duration;

use async_trait::async_trait;
use khub_domain::DomainResult;
use khub_domain::ports::{HealthCheck, SessionStore};
use redis::AsyncCommands;
use redis::aio::ConnectionManager;

use crate::error::ResultExt;

/// A Redis-backed [`SessionStore`]. The connection manager reconnects on its own.
#[derive(Clone)]
pub struct RedisSessions {
    conn: ConnectionManager,
    prefix: String,
}

impl RedisSessions {
    pub fn new(conn: ConnectionManager, prefix: &str) -> Self {
        Self {
            conn,
            prefix: format!("{prefix}s:"),
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl HealthCheck for RedisSessions {
    fn component(&self) -> &'static str {
        "sessions"
    }

    async fn ping(&self) -> DomainResult<()> {
        crate::redis_health::ping(&self.conn).await
    }
}

#[async_trait]
impl SessionStore for RedisSessions {
    async fn put(&self, key: &str, value: &str, ttl: Duration) -> DomainResult<()> {
        let mut conn = self.conn.clone();
        redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("PX")
            .arg(millis(ttl))
            .query_async::<()>(&mut conn)
            .await
            .context("redis SET")
    }

    async fn get(&self, key: &str) -> DomainResult<Option<String>> {
        let mut conn = self.conn.clone();
        conn.get(self.key(key)).await.context("redis GET")
    }

    async fn get_many(&self, keys: &[&str]) -> DomainResult<Vec<Option<String>>> {
        let mut conn = self.conn.clone();
        let keys: Vec<String> = keys.iter().map(|key| self.key(key)).collect();
        redis::cmd("MGET")
            .arg(keys)
            .query_async(&mut conn)
            .await
            .context("redis MGET")
    }

    async fn take(&self, key: &str) -> DomainResult<Option<String>> {
        let mut conn = self.conn.clone();
        redis::cmd("GETDEL")
            .arg(self.key(key))
            .query_async(&mut conn)
            .await
            .context("redis GETDEL")
    }

    async fn remove(&self, key: &str) -> DomainResult<()> {
        let mut conn = self.conn.clone();
        conn.del::<_, ()>(self.key(key)).await.context("redis DEL")
    }

    async fn increment(&self, key: &str, by: u64, ttl: Duration) -> DomainResult<(u64, Duration)> {
        let mut conn = self.conn.clone();
        let key = self.key(key);
        // One atomic round trip: add, start the window if this created the key, read what is left.
        let (total, left): (u64, i64) = redis::pipe()
            .atomic()
            .incr(&key, by)
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(millis(ttl))
            .arg("NX")
            .ignore()
            .cmd("PTTL")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .context("redis INCRBY")?;
        let left = Duration::from_millis(u64::try_from(left).unwrap_or(0));
        Ok((total, left))
    }

    async fn add_member(&self, key: &str, member: &str, ttl: Duration) -> DomainResult<()> {
        let mut conn = self.conn.clone();
        let key = self.key(key);
        redis::pipe()
            .atomic()
            .sadd(&key, member)
            .ignore()
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(millis(ttl))
            .ignore()
            .query_async::<()>(&mut conn)
            .await
            .context("redis SADD")
    }

    async fn remove_member(&self, key: &str, member: &str) -> DomainResult<()> {
        let mut conn = self.conn.clone();
        conn.srem::<_, _, ()>(self.key(key), member)
            .await
            .context("redis SREM")
    }

    async fn members(&self, key: &str) -> DomainResult<Vec<String>> {
        let mut conn = self.conn.clone();
        conn.smembers(self.key(key)).await.context("redis SMEMBERS")
    }
}
