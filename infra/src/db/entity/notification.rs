use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub recipient_id: Uuid,
    pub kind: String,
    pub group_key: String,
    pub count: i64,
    pub event_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub community_id: Option<Uuid>,
    pub thread_id: Option<Uuid>,
    pub post_id: Option<Uuid>,
    pub practice_id: Option<Uuid>,
    pub saved_search_id: Option<Uuid>,
    /// The badge awarded, or APPROVED / REJECTED.
    pub detail: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
