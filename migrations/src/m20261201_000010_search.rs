//! The search index: one document per findable item (see `khub_domain::search::SearchDocument`),
//! with each backend's own full-text index over it. PostgreSQL keeps a weighted `tsvector`
//! (title A, summary B, body C, keywords D; English stemming) as a generated column under a
//! GIN index; SQLite keeps an FTS5 table (porter stemming) over the documents, which triggers
//! keep in step, so both change in the writing transaction. `search_index_state` records that
//! the documents were built from the content, which the hub does at start when it is empty.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES: &[&str] = &[
    r"CREATE TABLE search_documents (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        community_id uuid NULL,
        author_id uuid NULL,
        organisation_id uuid NULL,
        practice_status text NULL,
        service_area text NULL,
        promoted boolean NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        body text NOT NULL,
        keywords text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        terms tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', summary), 'B')
            || setweight(to_tsvector('english', body), 'C')
            || setweight(to_tsvector('english', keywords), 'D')
        ) STORED
    )",
    "CREATE INDEX search_documents_terms ON search_documents USING gin (terms)",
];

const SQLITE: &[&str] = &[
    // `seq` is the FTS5 row id: an INTEGER PRIMARY KEY, which VACUUM never renumbers.
    r"CREATE TABLE search_documents (
        seq integer PRIMARY KEY,
        id uuid_text NOT NULL UNIQUE,
        kind text NOT NULL,
        community_id uuid_text NULL,
        author_id uuid_text NULL,
        organisation_id uuid_text NULL,
        practice_status text NULL,
        service_area text NULL,
        promoted boolean NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        body text NOT NULL,
        keywords text NOT NULL,
        created_at timestamp_with_timezone_text NOT NULL,
        updated_at timestamp_with_timezone_text NOT NULL
    )",
    r"CREATE VIRTUAL TABLE search_terms USING fts5(
        title, summary, body, keywords,
        content = 'search_documents', content_rowid = 'seq',
        tokenize = 'porter unicode61 remove_diacritics 2'
    )",
    r"CREATE TRIGGER search_documents_added AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_terms (rowid, title, summary, body, keywords)
        VALUES (new.seq, new.title, new.summary, new.body, new.keywords);
    END",
    r"CREATE TRIGGER search_documents_removed AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_terms (search_terms, rowid, title, summary, body, keywords)
        VALUES ('delete', old.seq, old.title, old.summary, old.body, old.keywords);
    END",
    r"CREATE TRIGGER search_documents_changed AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_terms (search_terms, rowid, title, summary, body, keywords)
        VALUES ('delete', old.seq, old.title, old.summary, old.body, old.keywords);
        INSERT INTO search_terms (rowid, title, summary, body, keywords)
        VALUES (new.seq, new.title, new.summary, new.body, new.keywords);
    END",
];

/// Both backends: the filters' indexes and the build marker.
const COMMON: &[&str] = &[
    "CREATE INDEX search_documents_community ON search_documents (community_id)",
    "CREATE INDEX search_documents_author ON search_documents (author_id)",
    "CREATE TABLE search_index_state (id integer PRIMARY KEY, built_at text NOT NULL)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let own = match db.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES,
            _ => SQLITE,
        };
        for statement in own.iter().chain(COMMON) {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            db.execute_unprepared("DROP TABLE IF EXISTS search_terms")
                .await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS search_index_state")
            .await?;
        db.execute_unprepared("DROP TABLE IF EXISTS search_documents")
            .await?;
        Ok(())
    }
}
