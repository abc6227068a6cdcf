use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_searches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    /// As typed.
    pub query: String,
    /// JSON (see `db::saved_searches::StoredFilter`).
    pub filter: String,
    pub created_at: DateTimeUtc,
    pub seen_at: DateTimeUtc,
    /// When the search last told its owner of new matches (checked every few minutes).
    pub notified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
