use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "practice_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub practice_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: i32,
    pub editor_id: Uuid,
    pub created_at: DateTimeUtc,
    /// Comma-separated field names.
    pub changed: String,
    /// JSON: the content as of this revision.
    pub content: String,
    /// JSON: the changed fields' text before it.
    pub previous: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
