use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "threads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Uuid,
    pub practice_id: Option<Uuid>,
    pub author_id: Uuid,
    pub title: String,
    pub kind: String,
    pub status: String,
    /// 0 or 1.
    pub pinned: i32,
    pub locked: bool,
    pub opening_post_id: Uuid,
    pub accepted_answer_id: Option<Uuid>,
    pub reply_count: i64,
    pub post_count: i64,
    pub last_reply_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub last_activity_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
