use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    #[sea_orm(unique)]
    pub handle: String,
    pub display_name: String,
    pub password_hash: String,
    pub job_title: Option<String>,
    pub bio: Option<String>,
    pub area: Option<String>,
    pub interests: Json,
    pub organisation_id: Option<Uuid>,
    pub organisation_role: Option<String>,
    pub hub_administrator: bool,
    /// An organisation's service identity, which its API tokens act as.
    pub service: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
