use sea_orm_migration::prelude::*;

use crate::{counter, create_index, references, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Threads {
    Table,
    Id,
    CommunityId,
    PracticeId,
    AuthorId,
    Title,
    Kind,
    Status,
    Pinned,
    Locked,
    OpeningPostId,
    AcceptedAnswerId,
    ReplyCount,
    PostCount,
    LastReplyId,
    CreatedAt,
    LastActivityAt,
}

#[derive(DeriveIden, Clone)]
enum Posts {
    Table,
    Id,
    ThreadId,
    AuthorId,
    Body,
    ReplyToId,
    Position,
    Status,
    Mentions,
    LikeCount,
    InsightfulCount,
    HelpfulCount,
    SupportCount,
    CreatedAt,
    EditedAt,
    EditCount,
    DeletedAt,
}

#[derive(DeriveIden, Clone)]
enum PostEdits {
    Table,
    PostId,
    Number,
    PreviousBody,
    EditedBy,
    EditedAt,
}

#[derive(DeriveIden, Clone)]
enum PostReactions {
    Table,
    PostId,
    PersonId,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Practices {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(threads()).await?;
        // A community's threads and a practice's threads: pinned first, then latest activity.
        let order = [Threads::Pinned, Threads::LastActivityAt, Threads::Id];
        let by = |first: Threads| [vec![first], order.to_vec()].concat();
        create_index(
            manager,
            "threads_community_listing",
            Threads::Table,
            &by(Threads::CommunityId),
        )
        .await?;
        create_index(
            manager,
            "threads_practice_listing",
            Threads::Table,
            &by(Threads::PracticeId),
        )
        .await?;
        manager.create_table(posts()).await?;
        // Replies in order; positions are unique within a thread.
        let mut listing = Index::create();
        listing
            .name("posts_thread_position")
            .table(Posts::Table)
            .col(Posts::ThreadId)
            .col(Posts::Position)
            .unique();
        manager.create_index(listing.to_owned()).await?;
        manager.create_table(edits()).await?;
        manager.create_table(reactions()).await?;
        create_index(
            manager,
            "post_reactions_person",
            PostReactions::Table,
            &[PostReactions::PersonId, PostReactions::PostId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PostReactions::Table.into_iden(),
            PostEdits::Table.into_iden(),
            Posts::Table.into_iden(),
            Threads::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn threads() -> TableCreateStatement {
    Table::create()
        .table(Threads::Table)
        .col(uuid(Threads::Id).primary_key())
        .col(uuid(Threads::CommunityId))
        .col(ColumnDef::new(Threads::PracticeId).uuid().null())
        .col(uuid(Threads::AuthorId))
        .col(ColumnDef::new(Threads::Title).string_len(200).not_null())
        .col(ColumnDef::new(Threads::Kind).string_len(16).not_null())
        .col(ColumnDef::new(Threads::Status).string_len(16).not_null())
        // 0 or 1, an integer so it can lead the keyset order.
        .col(
            ColumnDef::new(Threads::Pinned)
                .integer()
                .not_null()
                .default(0),
        )
        .col(
            ColumnDef::new(Threads::Locked)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(uuid(Threads::OpeningPostId))
        .col(ColumnDef::new(Threads::AcceptedAnswerId).uuid().null())
        .col(counter(Threads::ReplyCount))
        // The last position handed out to a post of the thread.
        .col(counter(Threads::PostCount))
        .col(ColumnDef::new(Threads::LastReplyId).uuid().null())
        .col(time(Threads::CreatedAt))
        .col(time(Threads::LastActivityAt))
        .foreign_key(&mut references(
            (Threads::Table, Threads::CommunityId),
            (Communities::Table, Communities::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (Threads::Table, Threads::PracticeId),
            (Practices::Table, Practices::Id),
            ForeignKeyAction::SetNull,
        ))
        .foreign_key(&mut references(
            (Threads::Table, Threads::AuthorId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn posts() -> TableCreateStatement {
    Table::create()
        .table(Posts::Table)
        .col(uuid(Posts::Id).primary_key())
        .col(uuid(Posts::ThreadId))
        .col(uuid(Posts::AuthorId))
        .col(ColumnDef::new(Posts::Body).text().not_null())
        .col(ColumnDef::new(Posts::ReplyToId).uuid().null())
        .col(ColumnDef::new(Posts::Position).big_integer().not_null())
        .col(ColumnDef::new(Posts::Status).string_len(16).not_null())
        // JSON list of the mentioned people's ids.
        .col(ColumnDef::new(Posts::Mentions).text().not_null())
        .col(counter(Posts::LikeCount))
        .col(counter(Posts::InsightfulCount))
        .col(counter(Posts::HelpfulCount))
        .col(counter(Posts::SupportCount))
        .col(time(Posts::CreatedAt))
        .col(
            ColumnDef::new(Posts::EditedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Posts::EditCount)
                .integer()
                .not_null()
                .default(0),
        )
        .col(
            ColumnDef::new(Posts::DeletedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut references(
            (Posts::Table, Posts::ThreadId),
            (Threads::Table, Threads::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (Posts::Table, Posts::AuthorId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn edits() -> TableCreateStatement {
    Table::create()
        .table(PostEdits::Table)
        .col(uuid(PostEdits::PostId))
        .col(ColumnDef::new(PostEdits::Number).integer().not_null())
        .col(ColumnDef::new(PostEdits::PreviousBody).text().not_null())
        .col(uuid(PostEdits::EditedBy))
        .col(time(PostEdits::EditedAt))
        .primary_key(
            Index::create()
                .col(PostEdits::PostId)
                .col(PostEdits::Number),
        )
        .foreign_key(&mut references(
            (PostEdits::Table, PostEdits::PostId),
            (Posts::Table, Posts::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (PostEdits::Table, PostEdits::EditedBy),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn reactions() -> TableCreateStatement {
    Table::create()
        .table(PostReactions::Table)
        .col(uuid(PostReactions::PostId))
        .col(uuid(PostReactions::PersonId))
        .col(
            ColumnDef::new(PostReactions::Kind)
                .string_len(16)
                .not_null(),
        )
        .col(time(PostReactions::CreatedAt))
        .primary_key(
            Index::create()
                .col(PostReactions::PostId)
                .col(PostReactions::PersonId)
                .col(PostReactions::Kind),
        )
        .foreign_key(&mut references(
            (PostReactions::Table, PostReactions::PostId),
            (Posts::Table, Posts::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (PostReactions::Table, PostReactions::PersonId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}
