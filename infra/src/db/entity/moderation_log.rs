use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Option<Uuid>,
    pub actor_id: Uuid,
    pub action: String,
    pub content_id: Option<Uuid>,
    pub content_kind: Option<String>,
    pub subject_id: Option<Uuid>,
    pub reason: Option<String>,
    pub until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
