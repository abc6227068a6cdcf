//! The GraphQL schema: roots merged from one file per aggregate, the types the API shows, and
//! the request pipeline shared by HTTP and websockets.

pub mod connection;
pub mod context;
pub mod documents;
pub mod engine;
pub mod error;
mod heard;
pub(crate) mod html;
pub mod id;
pub mod limits;
mod live;
pub(crate) mod live_source;
pub mod loaders;
pub mod mutation;
mod notification_live;
pub mod payload;
pub mod pipeline;
pub mod query;
pub mod rate_limit;
pub(crate) mod selection_order;
mod subject_loaders;
pub mod subscription;
pub mod types;
mod webhook_body;

use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Schema, SchemaBuilder, ValidationMode};
use khub_infra::config::Limits;

use crate::http::feeds::FeedService;

pub use context::HubContext;

/// The served schema.
pub type HubSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// What the schema is built with.
pub struct SchemaOptions<'a> {
    pub limits: &'a Limits,
    pub introspection: bool,
    /// A span per resolved field: worth its cost (a span and a boxed future for every field of
    /// every response) only when traces are exported.
    pub field_spans: bool,
}

type HubSchemaBuilder = SchemaBuilder<query::Query, mutation::Mutation, subscription::Subscription>;

/// Builds the schema around the hub's ports; `feeds` says where feeds are served. It runs on
/// an [`engine::Engine`]: a gate that validates and charges each operation, and a runner.
pub fn build(hub: HubContext, feeds: FeedService, options: SchemaOptions<'_>) -> engine::Engine {
    let gate = limited(roots(), &options)
        .data(hub.clone())
        .extension(rate_limit::QueryCostBudget)
        .extension(engine::Halt)
        .finish();
    let mut runner = limited(with_loaders(roots(), &hub), &options)
        .data(hub)
        .data(feeds)
        .validation_mode(ValidationMode::Fast);
    if options.field_spans {
        runner = runner.extension(async_graphql::extensions::Tracing);
    }
    engine::Engine::new(gate, runner.finish())
}

fn roots() -> HubSchemaBuilder {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        subscription::Subscription::default(),
    )
}

/// The limits every operation is checked against, and introspection as configured.
fn limited(builder: HubSchemaBuilder, options: &SchemaOptions<'_>) -> HubSchemaBuilder {
    let builder = builder
        .limit_depth(options.limits.max_depth)
        .limit_complexity(options.limits.max_complexity)
        .limit_directives(10);
    match options.introspection {
        true => builder,
        false => builder.disable_introspection(),
    }
}

/// The request-wide loaders: each batches the look-ups of every request running at once.
fn with_loaders(builder: HubSchemaBuilder, hub: &HubContext) -> HubSchemaBuilder {
    builder
        .data(DataLoader::new(
            loaders::OrganisationLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::PersonLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::HandleLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::FollowCountLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::FollowLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::EndorsedLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::PostLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::ReactionsLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::ScoreLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::RepliesLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::PracticeLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::BadgesLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::TokenUsageLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::DeliveryAttemptsLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            subject_loaders::ThreadLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            subject_loaders::CommunityLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            subject_loaders::ThreadWatchLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            subject_loaders::CommunityWatchLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            subject_loaders::SavedSearchLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(Arc::new(DataLoader::new(
            notification_live::ToldLoader(hub.clone()),
            tokio::spawn,
        )))
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    roots().finish().sdl()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    const INTROSPECT: &str = "{ __schema { types { name description
        fields { name description } inputFields { name description }
        enumValues { name description } } } }";

    /// The contract: every type and field has a description. async-graphql gives connection
    /// types none (their fields have them), so those are the one exception.
    #[tokio::test]
    async fn every_type_and_field_has_a_description() {
        let schema = async_graphql::Schema::build(
            super::query::Query::default(),
            super::mutation::Mutation::default(),
            super::subscription::Subscription::default(),
        )
        .finish();
        let response = schema.execute(INTROSPECT).await;
        let data = response.data.into_json().unwrap_or_default();
        let mut missing = Vec::new();
        for ty in data["__schema"]["types"].as_array().into_iter().flatten() {
            let name = ty["name"].as_str().unwrap_or_default();
            if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name)
            {
                continue;
            }
            if undescribed(ty) && !name.ends_with("Connection") {
                missing.push(name.to_owned());
            }
            for list in ["fields", "inputFields", "enumValues"] {
                for member in ty[list].as_array().into_iter().flatten() {
                    if undescribed(member) {
                        missing.push(format!(
                            "{name}.{}",
                            member["name"].as_str().unwrap_or_default()
                        ));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "undescribed: {missing:#?}");
    }

    fn undescribed(item: &Value) -> bool {
        item["description"]
            .as_str()
            .is_none_or(|d| d.trim().is_empty())
    }

    #[test]
    fn the_committed_schema_is_the_served_schema() {
        let committed = include_str!("../../../schema.graphql");
        assert!(
            committed == super::sdl(),
            "schema.graphql is stale: run `cargo run -q -- schema > schema.graphql`"
        );
    }
}
