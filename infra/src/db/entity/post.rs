use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub thread_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub reply_to_id: Option<Uuid>,
    pub position: i64,
    pub status: String,
    /// JSON list of person ids.
    pub mentions: String,
    pub like_count: i64,
    pub insightful_count: i64,
    pub helpful_count: i64,
    pub support_count: i64,
    pub created_at: DateTimeUtc,
    pub edited_at: Option<DateTimeUtc>,
    pub edit_count: i32,
    pub deleted_at: Option<DateTimeUtc>,
    pub moderation_reason: Option<String>,
    pub moderated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
