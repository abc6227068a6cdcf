use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "practices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub context: String,
    pub approach: String,
    pub outcomes: String,
    /// JSON list of evidence links.
    pub evidence: String,
    pub service_area: Option<String>,
    pub author_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub community_id: Option<Uuid>,
    pub status: String,
    pub endorsement_count: i64,
    pub adoption_count: i64,
    pub revision: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub listed_at: DateTimeUtc,
    /// JSON: when and why it was promoted.
    pub promotion: Option<String>,
    pub hidden_reason: Option<String>,
    pub hidden_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
