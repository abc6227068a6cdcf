//! The GraphQL schema: roots merged from one file per aggregate, the types the API shows, and
//! the request pipeline shared by HTTP and websockets.

pub mod connection;
pub mod context;
pub mod error;
pub mod id;
pub mod limits;
pub mod loaders;
pub mod pipeline;
pub mod query;
pub mod types;

use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use khub_infra::config::Limits;

pub use context::HubContext;

/// The served schema.
pub type HubSchema = Schema<query::Query, EmptyMutation, EmptySubscription>;

/// What the schema is built with.
pub struct SchemaOptions<'a> {
    pub limits: &'a Limits,
    pub introspection: bool,
}

/// Builds the schema around the hub's ports.
pub fn build(hub: HubContext, options: SchemaOptions<'_>) -> HubSchema {
    let organisations =
        DataLoader::new(loaders::OrganisationLoader::new(hub.clone()), tokio::spawn);
    let mut builder = Schema::build(query::Query::default(), EmptyMutation, EmptySubscription)
        .data(hub)
        .data(organisations)
        .limit_depth(options.limits.max_depth)
        .limit_complexity(options.limits.max_complexity)
        .limit_directives(10)
        .extension(async_graphql::extensions::Tracing);
    if !options.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(query::Query::default(), EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_schema_is_the_served_schema() {
        let committed = include_str!("../../../schema.graphql");
        assert!(
            committed == super::sdl(),
            "schema.graphql is stale: run `cargo run -q -- schema > schema.graphql`"
        );
    }
}
