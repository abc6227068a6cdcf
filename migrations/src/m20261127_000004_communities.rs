use sea_orm_migration::prelude::*;

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Communities {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Visibility,
    DiscussionMode,
    PromotionThreshold,
    MemberCount,
    CreatedAt,
    LastActivityAt,
}

#[derive(DeriveIden, Clone)]
enum CommunityMembers {
    Table,
    CommunityId,
    PersonId,
    Role,
    JoinedAt,
}

#[derive(DeriveIden, Clone)]
enum CommunityPending {
    Table,
    CommunityId,
    PersonId,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(communities()).await?;
        // Lists: by name, and most recently active first.
        create_index(
            manager,
            "communities_name_id",
            Communities::Table,
            &[Communities::Name, Communities::Id],
        )
        .await?;
        create_index(
            manager,
            "communities_activity_id",
            Communities::Table,
            &[Communities::LastActivityAt, Communities::Id],
        )
        .await?;
        manager.create_table(members()).await?;
        // "My communities" and standings look up by person; member lists by community and role.
        create_index(
            manager,
            "community_members_person",
            CommunityMembers::Table,
            &[CommunityMembers::PersonId],
        )
        .await?;
        create_index(
            manager,
            "community_members_listing",
            CommunityMembers::Table,
            &[
                CommunityMembers::CommunityId,
                CommunityMembers::JoinedAt,
                CommunityMembers::PersonId,
            ],
        )
        .await?;
        manager.create_table(pending()).await?;
        create_index(
            manager,
            "community_pending_person",
            CommunityPending::Table,
            &[CommunityPending::PersonId],
        )
        .await?;
        create_index(
            manager,
            "community_pending_listing",
            CommunityPending::Table,
            &[
                CommunityPending::CommunityId,
                CommunityPending::Kind,
                CommunityPending::CreatedAt,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CommunityPending::Table.into_iden(),
            CommunityMembers::Table.into_iden(),
            Communities::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn communities() -> TableCreateStatement {
    Table::create()
        .table(Communities::Table)
        .col(
            ColumnDef::new(Communities::Id)
                .uuid()
                .not_null()
                .primary_key(),
        )
        .col(
            ColumnDef::new(Communities::Slug)
                .string_len(64)
                .not_null()
                .unique_key(),
        )
        .col(ColumnDef::new(Communities::Name).string_len(120).not_null())
        .col(ColumnDef::new(Communities::Description).text().not_null())
        .col(
            ColumnDef::new(Communities::Visibility)
                .string_len(16)
                .not_null(),
        )
        .col(
            ColumnDef::new(Communities::DiscussionMode)
                .string_len(16)
                .not_null(),
        )
        .col(
            ColumnDef::new(Communities::PromotionThreshold)
                .integer()
                .not_null(),
        )
        .col(
            ColumnDef::new(Communities::MemberCount)
                .big_integer()
                .not_null()
                .default(0),
        )
        .col(
            ColumnDef::new(Communities::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(Communities::LastActivityAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .to_owned()
}

fn members() -> TableCreateStatement {
    Table::create()
        .table(CommunityMembers::Table)
        .col(
            ColumnDef::new(CommunityMembers::CommunityId)
                .uuid()
                .not_null(),
        )
        .col(ColumnDef::new(CommunityMembers::PersonId).uuid().not_null())
        .col(
            ColumnDef::new(CommunityMembers::Role)
                .string_len(16)
                .not_null(),
        )
        .col(
            ColumnDef::new(CommunityMembers::JoinedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .primary_key(
            Index::create()
                .col(CommunityMembers::CommunityId)
                .col(CommunityMembers::PersonId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(CommunityMembers::Table, CommunityMembers::CommunityId)
                .to(Communities::Table, Communities::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(CommunityMembers::Table, CommunityMembers::PersonId)
                .to(People::Table, People::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn pending() -> TableCreateStatement {
    Table::create()
        .table(CommunityPending::Table)
        .col(
            ColumnDef::new(CommunityPending::CommunityId)
                .uuid()
                .not_null(),
        )
        .col(ColumnDef::new(CommunityPending::PersonId).uuid().not_null())
        .col(
            ColumnDef::new(CommunityPending::Kind)
                .string_len(16)
                .not_null(),
        )
        .col(
            ColumnDef::new(CommunityPending::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .primary_key(
            Index::create()
                .col(CommunityPending::CommunityId)
                .col(CommunityPending::PersonId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(CommunityPending::Table, CommunityPending::CommunityId)
                .to(Communities::Table, Communities::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(CommunityPending::Table, CommunityPending::PersonId)
                .to(People::Table, People::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}
