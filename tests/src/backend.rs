//! An isolated database (and Redis prefix) per test.

use std::path::PathBuf;
use std::sync::Arc;

use khub_infra::Settings;
use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;
use uuid::Uuid;

/// Where one test's data lives; dropped with the last app that uses it.
#[derive(Clone)]
pub struct TestBackend(Arc<Inner>);

struct Inner {
    data_dir: TempDir,
    /// Unique per backend, so this test's mail can be told from others' in a shared mailbox.
    public_url: String,
    /// The development SMTP server and the maildir it delivers to, when the environment names
    /// them (`KHUB_TEST_SMTP_URL`, `KHUB_TEST_MAILDIR`); else mail is written as files.
    smtp: Option<(String, PathBuf)>,
    jwt_secret: String,
    postgres: Option<Postgres>,
    redis: Option<(String, String)>,
}

struct Postgres {
    admin_url: String,
    database: String,
}

impl TestBackend {
    /// A fresh backend of the kind the environment asks for.
    pub async fn create() -> Self {
        let data_dir = tempfile::tempdir().expect("temporary directory");
        let postgres = match std::env::var("DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => Some(Postgres::create(url).await),
            _ => None,
        };
        let redis = std::env::var("REDIS_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .map(|url| (url, format!("khub_t_{}:", Uuid::new_v4().simple())));
        let smtp = match (
            std::env::var("KHUB_TEST_SMTP_URL"),
            std::env::var("KHUB_TEST_MAILDIR"),
        ) {
            (Ok(url), Ok(dir)) if !url.is_empty() => Some((url, PathBuf::from(dir))),
            _ => None,
        };
        Self(Arc::new(Inner {
            public_url: format!("http://hub-{}.test", Uuid::new_v4().simple()),
            smtp,
            data_dir,
            jwt_secret: format!("test-secret-{}", Uuid::new_v4().simple()),
            postgres,
            redis,
        }))
    }

    /// The same backend, for a second instance.
    pub fn sibling(&self) -> Self {
        self.clone()
    }

    /// Whether sessions and events go through Redis (and so are shared between instances).
    pub fn has_redis(&self) -> bool {
        self.0.redis.is_some()
    }

    /// Where the mail this backend's hubs send can be read, and what marks it as theirs.
    pub fn mailbox(&self) -> (PathBuf, &str) {
        let directory = match &self.0.smtp {
            Some((_, maildir)) => maildir.join("new"),
            None => self.0.data_dir.path().join("mail"),
        };
        (directory, &self.0.public_url)
    }

    /// Settings pointing at this backend, quiet and quick to time out.
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::embedded(self.0.data_dir.path());
        settings.database_url = self.0.postgres.as_ref().map(Postgres::url);
        settings.db_max_connections = 5;
        settings.jwt_secret = Some(self.0.jwt_secret.clone());
        settings.mail.public_url = Some(self.0.public_url.clone());
        settings.mail.smtp_url = self.0.smtp.as_ref().map(|(url, _)| url.clone());
        if let Some((url, prefix)) = &self.0.redis {
            settings.redis_url = Some(url.clone());
            settings.redis_prefix = prefix.clone();
        }
        settings
    }
}

impl Postgres {
    async fn create(admin_url: String) -> Self {
        let database = format!("khub_t_{}", Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .expect("PostgreSQL reachable");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{database}\""))
            .await
            .expect("test database created");
        let _ = admin.close().await;
        Self {
            admin_url,
            database,
        }
    }

    fn url(&self) -> String {
        let base = self.admin_url.split('?').next().unwrap_or(&self.admin_url);
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        format!("{server}/{}", self.database)
    }
}

impl Drop for Postgres {
    /// Drops the test database from a thread of its own: `Drop` cannot await, and the test's
    /// runtime may already be shutting down.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let statement = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.database);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await?;
                admin.execute_unprepared(&statement).await?;
                admin.close().await
            })?;
            anyhow::Ok(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.database);
        }
    }
}
