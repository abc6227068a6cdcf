use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use khub_domain::practice as domain;

use super::Person;
use crate::graphql::loaders::PersonLoader;

/// One published state of a practice: who changed what, when, and what it said before.
pub struct PracticeRevision(pub domain::Revision);

/// One published state of a practice: who changed what, when, and what it said before.
#[Object]
impl PracticeRevision {
    /// 1 is the text as published; each edit adds one.
    async fn number(&self) -> u32 {
        self.0.number
    }

    /// Who made the change.
    async fn editor(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.0.editor).await?.map(Person))
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The fields this revision changed (every field for revision 1).
    async fn changed_fields(&self) -> Vec<PracticeField> {
        self.0.changed.iter().map(|f| (*f).into()).collect()
    }

    /// Each changed field's text before and after this revision (empty for revision 1).
    async fn changes(&self) -> Vec<FieldChange> {
        self.0
            .previous
            .iter()
            .map(|(field, before)| FieldChange {
                field: (*field).into(),
                before: before.clone(),
                after: self.0.content.field_text(*field),
            })
            .collect()
    }

    /// The title as of this revision.
    async fn title(&self) -> &str {
        &self.0.content.title
    }

    /// The summary as of this revision.
    async fn summary(&self) -> &str {
        &self.0.content.summary
    }

    /// The context as of this revision (Markdown).
    async fn context(&self) -> &str {
        &self.0.content.context
    }

    /// The approach as of this revision (Markdown).
    async fn approach(&self) -> &str {
        &self.0.content.approach
    }

    /// The outcomes as of this revision (Markdown).
    async fn outcomes(&self) -> &str {
        &self.0.content.outcomes
    }
}

/// A field's text before and after a revision. Evidence reads one link per line as
/// `title <url>`; tags comma-separated.
#[derive(SimpleObject)]
pub struct FieldChange {
    /// The field.
    pub field: PracticeField,
    /// Its text before.
    pub before: String,
    /// Its text after.
    pub after: String,
}

/// How one field differs between two revisions.
pub struct PracticeFieldDiff(pub domain::FieldDiff);

/// How one field differs between two revisions.
#[Object]
impl PracticeFieldDiff {
    /// The field.
    async fn field(&self) -> PracticeField {
        self.0.field.into()
    }

    /// Its text in the earlier revision.
    async fn before(&self) -> &str {
        &self.0.before
    }

    /// Its text in the later revision.
    async fn after(&self) -> &str {
        &self.0.after
    }

    /// A unified diff of the two, line by line.
    async fn unified(&self) -> &str {
        &self.0.unified
    }
}

/// A field of a practice's content.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PracticeField {
    /// The title.
    Title,
    /// The summary.
    Summary,
    /// The problem.
    Context,
    /// What was done.
    Approach,
    /// What changed.
    Outcomes,
    /// The evidence links.
    Evidence,
    /// The service area.
    ServiceArea,
    /// The tags.
    Tags,
}

mirror_enum!(PracticeField <=> domain::PracticeField {
    Title, Summary, Context, Approach, Outcomes, Evidence, ServiceArea, Tags
});
