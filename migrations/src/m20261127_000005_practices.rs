use sea_orm_migration::prelude::*;

use crate::{counter, create_index, references, text, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Practices {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    Context,
    Approach,
    Outcomes,
    Evidence,
    ServiceArea,
    AuthorId,
    OrganisationId,
    CommunityId,
    Status,
    EndorsementCount,
    AdoptionCount,
    Revision,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    ListedAt,
    Promotion,
}

#[derive(DeriveIden, Clone)]
enum PracticeTags {
    Table,
    PracticeId,
    Tag,
}

#[derive(DeriveIden, Clone)]
enum PracticeRevisions {
    Table,
    PracticeId,
    Number,
    EditorId,
    CreatedAt,
    Changed,
    Content,
    Previous,
}

#[derive(DeriveIden, Clone)]
enum PracticeEndorsements {
    Table,
    PracticeId,
    PersonId,
    OrganisationId,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum PracticeAdoptions {
    Table,
    PracticeId,
    OrganisationId,
    PersonId,
    Outcome,
    Notes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(practices()).await?;
        // The three list orders, each with the filters most often combined with them.
        for (name, columns) in [
            ("practices_newest", vec![Practices::ListedAt, Practices::Id]),
            (
                "practices_most_endorsed",
                vec![Practices::EndorsementCount, Practices::Id],
            ),
            (
                "practices_most_adopted",
                vec![Practices::AdoptionCount, Practices::Id],
            ),
            (
                "practices_community_newest",
                vec![Practices::CommunityId, Practices::ListedAt, Practices::Id],
            ),
            (
                "practices_author_newest",
                vec![Practices::AuthorId, Practices::ListedAt, Practices::Id],
            ),
            (
                "practices_organisation_newest",
                vec![
                    Practices::OrganisationId,
                    Practices::ListedAt,
                    Practices::Id,
                ],
            ),
            (
                "practices_service_area",
                vec![Practices::ServiceArea, Practices::ListedAt],
            ),
        ] {
            create_index(manager, name, Practices::Table, &columns).await?;
        }
        manager.create_table(tags()).await?;
        create_index(
            manager,
            "practice_tags_tag",
            PracticeTags::Table,
            &[PracticeTags::Tag, PracticeTags::PracticeId],
        )
        .await?;
        manager.create_table(revisions()).await?;
        manager.create_table(endorsements()).await?;
        create_index(
            manager,
            "practice_endorsements_listing",
            PracticeEndorsements::Table,
            &[
                PracticeEndorsements::PracticeId,
                PracticeEndorsements::CreatedAt,
                PracticeEndorsements::PersonId,
            ],
        )
        .await?;
        create_index(
            manager,
            "practice_endorsements_person",
            PracticeEndorsements::Table,
            &[PracticeEndorsements::PersonId],
        )
        .await?;
        manager.create_table(adoptions()).await?;
        create_index(
            manager,
            "practice_adoptions_listing",
            PracticeAdoptions::Table,
            &[
                PracticeAdoptions::PracticeId,
                PracticeAdoptions::CreatedAt,
                PracticeAdoptions::OrganisationId,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PracticeAdoptions::Table.into_iden(),
            PracticeEndorsements::Table.into_iden(),
            PracticeRevisions::Table.into_iden(),
            PracticeTags::Table.into_iden(),
            Practices::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn practices() -> TableCreateStatement {
    Table::create()
        .table(Practices::Table)
        .col(uuid(Practices::Id).primary_key())
        .col(
            ColumnDef::new(Practices::Slug)
                .string_len(64)
                .not_null()
                .unique_key(),
        )
        .col(ColumnDef::new(Practices::Title).string_len(160).not_null())
        .col(text(Practices::Summary))
        .col(text(Practices::Context))
        .col(text(Practices::Approach))
        .col(text(Practices::Outcomes))
        // JSON: [{title, url}].
        .col(text(Practices::Evidence))
        .col(ColumnDef::new(Practices::ServiceArea).string_len(80).null())
        .col(uuid(Practices::AuthorId))
        .col(ColumnDef::new(Practices::OrganisationId).uuid().null())
        .col(ColumnDef::new(Practices::CommunityId).uuid().null())
        .col(ColumnDef::new(Practices::Status).string_len(16).not_null())
        .col(counter(Practices::EndorsementCount))
        .col(counter(Practices::AdoptionCount))
        .col(
            ColumnDef::new(Practices::Revision)
                .integer()
                .not_null()
                .default(0),
        )
        .col(time(Practices::CreatedAt))
        .col(time(Practices::UpdatedAt))
        .col(
            ColumnDef::new(Practices::PublishedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        // When it entered the listing: publication, or creation for drafts.
        .col(time(Practices::ListedAt))
        // JSON: when and why it was promoted, once.
        .col(ColumnDef::new(Practices::Promotion).text().null())
        .foreign_key(&mut references(
            (Practices::Table, Practices::AuthorId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (Practices::Table, Practices::OrganisationId),
            (Organisations::Table, Organisations::Id),
            ForeignKeyAction::SetNull,
        ))
        .foreign_key(&mut references(
            (Practices::Table, Practices::CommunityId),
            (Communities::Table, Communities::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn tags() -> TableCreateStatement {
    Table::create()
        .table(PracticeTags::Table)
        .col(uuid(PracticeTags::PracticeId))
        .col(ColumnDef::new(PracticeTags::Tag).string_len(40).not_null())
        .primary_key(
            Index::create()
                .col(PracticeTags::PracticeId)
                .col(PracticeTags::Tag),
        )
        .foreign_key(&mut references(
            (PracticeTags::Table, PracticeTags::PracticeId),
            (Practices::Table, Practices::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn revisions() -> TableCreateStatement {
    Table::create()
        .table(PracticeRevisions::Table)
        .col(uuid(PracticeRevisions::PracticeId))
        .col(
            ColumnDef::new(PracticeRevisions::Number)
                .integer()
                .not_null(),
        )
        .col(uuid(PracticeRevisions::EditorId))
        .col(time(PracticeRevisions::CreatedAt))
        // Comma-separated field names.
        .col(text(PracticeRevisions::Changed))
        // JSON: the whole content as of this revision.
        .col(text(PracticeRevisions::Content))
        // JSON: the changed fields' text before it.
        .col(text(PracticeRevisions::Previous))
        .primary_key(
            Index::create()
                .col(PracticeRevisions::PracticeId)
                .col(PracticeRevisions::Number),
        )
        .foreign_key(&mut references(
            (PracticeRevisions::Table, PracticeRevisions::PracticeId),
            (Practices::Table, Practices::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (PracticeRevisions::Table, PracticeRevisions::EditorId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn endorsements() -> TableCreateStatement {
    Table::create()
        .table(PracticeEndorsements::Table)
        .col(uuid(PracticeEndorsements::PracticeId))
        .col(uuid(PracticeEndorsements::PersonId))
        .col(
            ColumnDef::new(PracticeEndorsements::OrganisationId)
                .uuid()
                .null(),
        )
        .col(text(PracticeEndorsements::Comment))
        .col(time(PracticeEndorsements::CreatedAt))
        .primary_key(
            Index::create()
                .col(PracticeEndorsements::PracticeId)
                .col(PracticeEndorsements::PersonId),
        )
        .foreign_key(&mut references(
            (
                PracticeEndorsements::Table,
                PracticeEndorsements::PracticeId,
            ),
            (Practices::Table, Practices::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (PracticeEndorsements::Table, PracticeEndorsements::PersonId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn adoptions() -> TableCreateStatement {
    Table::create()
        .table(PracticeAdoptions::Table)
        .col(uuid(PracticeAdoptions::PracticeId))
        .col(uuid(PracticeAdoptions::OrganisationId))
        .col(uuid(PracticeAdoptions::PersonId))
        .col(
            ColumnDef::new(PracticeAdoptions::Outcome)
                .string_len(16)
                .not_null(),
        )
        .col(text(PracticeAdoptions::Notes))
        .col(time(PracticeAdoptions::CreatedAt))
        .primary_key(
            Index::create()
                .col(PracticeAdoptions::PracticeId)
                .col(PracticeAdoptions::OrganisationId),
        )
        .foreign_key(&mut references(
            (PracticeAdoptions::Table, PracticeAdoptions::PracticeId),
            (Practices::Table, Practices::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (PracticeAdoptions::Table, PracticeAdoptions::OrganisationId),
            (Organisations::Table, Organisations::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut references(
            (PracticeAdoptions::Table, PracticeAdoptions::PersonId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}
