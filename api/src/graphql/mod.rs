//! The GraphQL schema: roots merged from one file per aggregate, the types the API shows, and
//! the request pipeline shared by HTTP and websockets.

pub mod connection;
pub mod context;
pub mod error;
pub mod id;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod payload;
pub mod pipeline;
pub mod query;
pub mod rate_limit;
pub mod types;

use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptySubscription, Schema};
use khub_infra::config::Limits;

pub use context::HubContext;

/// The served schema.
pub type HubSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// What the schema is built with.
pub struct SchemaOptions<'a> {
    pub limits: &'a Limits,
    pub introspection: bool,
}

/// Builds the schema around the hub's ports.
pub fn build(hub: HubContext, options: SchemaOptions<'_>) -> HubSchema {
    let roots = (
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    );
    let mut builder = Schema::build(roots.0, roots.1, roots.2)
        .data(DataLoader::new(
            loaders::OrganisationLoader(hub.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            loaders::PersonLoader(hub.clone()),
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
        .data(hub)
        .extension(rate_limit::QueryCostBudget)
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
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
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
