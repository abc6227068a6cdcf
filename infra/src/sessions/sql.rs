//! Sessions in the hub's own database, for hubs without Redis: an embedded hub's sessions,
//! refresh tokens and pending registrations survive its restart. Values expire as in Redis
//! (real time, epoch milliseconds), checked on every read; expired rows are swept now and then.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use khub_domain::DomainResult;
use khub_domain::ports::{HealthCheck, SessionStore};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, Value};

use crate::error::ResultExt;

/// How many writes between sweeps of expired rows.
const SWEEP_EVERY: u64 = 1_024;

/// A [`SessionStore`] over the `session_values` and `session_members` tables.
pub struct SqlSessions {
    db: DatabaseConnection,
    writes: AtomicU64,
}

impl SqlSessions {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            writes: AtomicU64::new(0),
        }
    }

    /// `sql` written with `$1, $2, …` (each once, in order), for this database.
    fn statement(&self, sql: &str, values: Vec<Value>) -> Statement {
        let backend = self.db.get_database_backend();
        let sql = match backend {
            DatabaseBackend::Postgres => sql.to_owned(),
            _ => numbered_to_question_marks(sql),
        };
        Statement::from_sql_and_values(backend, sql, values)
    }

    async fn execute(&self, sql: &str, values: Vec<Value>, what: &str) -> DomainResult<()> {
        self.db
            .execute_raw(self.statement(sql, values))
            .await
            .context(what)?;
        Ok(())
    }

    /// Every [`SWEEP_EVERY`] writes, deletes what has expired.
    async fn wrote(&self) -> DomainResult<()> {
        if !(self.writes.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(SWEEP_EVERY) {
            return Ok(());
        }
        let now = now();
        let sweep = "DELETE FROM session_values WHERE expires_at <= $1";
        self.execute(sweep, vec![now.into()], "sweep sessions")
            .await?;
        let sweep = "DELETE FROM session_members WHERE expires_at <= $1";
        self.execute(sweep, vec![now.into()], "sweep session sets")
            .await
    }
}

fn now() -> i64 {
    Utc::now().timestamp_millis()
}

fn expiry(ttl: Duration) -> i64 {
    now().saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX))
}

/// `$1`, `$2`, … become `?` (SQLite binds by position).
fn numbered_to_question_marks(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[async_trait]
impl HealthCheck for SqlSessions {
    fn component(&self) -> &'static str {
        "sessions"
    }

    async fn ping(&self) -> DomainResult<()> {
        self.db.ping().await.context("session store ping")
    }
}

#[async_trait]
impl SessionStore for SqlSessions {
    async fn put(&self, key: &str, value: &str, ttl: Duration) -> DomainResult<()> {
        let sql = r#"INSERT INTO session_values ("key", "value", expires_at) VALUES ($1, $2, $3)
            ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", expires_at = excluded.expires_at"#;
        let values = vec![key.into(), value.into(), expiry(ttl).into()];
        self.execute(sql, values, "store session value").await?;
        self.wrote().await
    }

    async fn get(&self, key: &str) -> DomainResult<Option<String>> {
        Ok(self.get_many(&[key]).await?.pop().flatten())
    }

    async fn get_many(&self, keys: &[&str]) -> DomainResult<Vec<Option<String>>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=keys.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            r#"SELECT "key", "value" FROM session_values WHERE "key" IN ({}) AND expires_at > ${}"#,
            placeholders.join(", "),
            keys.len() + 1
        );
        let mut values: Vec<Value> = keys.iter().map(|key| (*key).into()).collect();
        values.push(now().into());
        let rows = self
            .db
            .query_all_raw(self.statement(&sql, values))
            .await
            .context("read session values")?;
        let mut found = std::collections::HashMap::with_capacity(rows.len());
        for row in rows {
            let key: String = row.try_get("", "key").context("read session key")?;
            let value: String = row.try_get("", "value").context("read session value")?;
            found.insert(key, value);
        }
        Ok(keys.iter().map(|key| found.remove(*key)).collect())
    }

    async fn take(&self, key: &str) -> DomainResult<Option<String>> {
        let sql =
            r#"DELETE FROM session_values WHERE "key" = $1 AND expires_at > $2 RETURNING "value""#;
        let row = self
            .db
            .query_one_raw(self.statement(sql, vec![key.into(), now().into()]))
            .await
            .context("take session value")?;
        row.map(|row| row.try_get::<String>("", "value"))
            .transpose()
            .context("read taken session value")
    }

    async fn remove(&self, key: &str) -> DomainResult<()> {
        let sql = r#"DELETE FROM session_values WHERE "key" = $1"#;
        self.execute(sql, vec![key.into()], "remove session value")
            .await
    }

    async fn increment(&self, key: &str, by: u64, ttl: Duration) -> DomainResult<(u64, Duration)> {
        let integer = match self.db.get_database_backend() {
            DatabaseBackend::Postgres => "BIGINT",
            _ => "INTEGER",
        };
        // One statement: add to a live counter, or start a new window.
        let sql = format!(
            r#"INSERT INTO session_values ("key", "value", expires_at) VALUES ($1, $2, $3)
            ON CONFLICT ("key") DO UPDATE SET
              "value" = CASE WHEN session_values.expires_at > $4
                THEN CAST(CAST(session_values."value" AS {integer}) + $5 AS TEXT)
                ELSE excluded."value" END,
              expires_at = CASE WHEN session_values.expires_at > $6
                THEN session_values.expires_at ELSE excluded.expires_at END
            RETURNING "value", expires_at"#
        );
        let by = i64::try_from(by).unwrap_or(i64::MAX);
        let now = now();
        let values = vec![
            key.into(),
            by.to_string().into(),
            expiry(ttl).into(),
            now.into(),
            by.into(),
            now.into(),
        ];
        let row = self
            .db
            .query_one_raw(self.statement(&sql, values))
            .await
            .context("count in session store")?;
        let Some(row) = row else {
            return Ok((0, ttl));
        };
        let total: String = row.try_get("", "value").context("read counter")?;
        let expires_at: i64 = row
            .try_get("", "expires_at")
            .context("read counter expiry")?;
        self.wrote().await?;
        let left = u64::try_from(expires_at.saturating_sub(now)).unwrap_or(0);
        Ok((total.parse().unwrap_or(0), Duration::from_millis(left)))
    }

    async fn add_member(&self, key: &str, member: &str, ttl: Duration) -> DomainResult<()> {
        let expires_at = expiry(ttl);
        // An expired set starts again empty; a live one is renewed as a whole, as in Redis.
        let sql = r#"DELETE FROM session_members WHERE "key" = $1 AND expires_at <= $2"#;
        self.execute(sql, vec![key.into(), now().into()], "expire session set")
            .await?;
        let sql = r#"UPDATE session_members SET expires_at = $1 WHERE "key" = $2"#;
        self.execute(
            sql,
            vec![expires_at.into(), key.into()],
            "renew session set",
        )
        .await?;
        let sql = r#"INSERT INTO session_members ("key", member, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT ("key", member) DO UPDATE SET expires_at = excluded.expires_at"#;
        let values = vec![key.into(), member.into(), expires_at.into()];
        self.execute(sql, values, "add to session set").await?;
        self.wrote().await
    }

    async fn remove_member(&self, key: &str, member: &str) -> DomainResult<()> {
        let sql = r#"DELETE FROM session_members WHERE "key" = $1 AND member = $2"#;
        self.execute(
            sql,
            vec![key.into(), member.into()],
            "remove from session set",
        )
        .await
    }

    async fn members(&self, key: &str) -> DomainResult<Vec<String>> {
        let sql = r#"SELECT member FROM session_members WHERE "key" = $1 AND expires_at > $2"#;
        let rows = self
            .db
            .query_all_raw(self.statement(sql, vec![key.into(), now().into()]))
            .await
            .context("read session set")?;
        rows.iter()
            .map(|row| row.try_get::<String>("", "member"))
            .collect::<Result<_, _>>()
            .context("read session set member")
    }
}

#[cfg(test)]
mod tests {
    use super::numbered_to_question_marks;

    #[test]
    fn numbered_placeholders_become_question_marks() {
        assert_eq!(
            numbered_to_question_marks("a = $1 AND b IN ($2, $10) AND c = '$'"),
            "a = ? AND b IN (?, ?) AND c = '$'"
        );
    }
}
