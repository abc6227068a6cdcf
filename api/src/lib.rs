//! Knowledge Hub's GraphQL API: the schema and resolvers ([`graphql`]), the HTTP transport per
//! the GraphQL-over-HTTP spec ([`http`]), websockets for live discussion ([`ws`]), and
//! [`startup::Application`], which wires the domain's ports (from `khub-infra`) into a server.
//! The `khub` binary's command line lives in [`cli`].

pub mod auth;
pub mod cli;
pub mod graphql;
pub mod http;
mod mail_worker;
pub mod startup;
pub mod state;
mod usage_worker;
mod webhook_worker;
pub mod ws;

pub use startup::Application;
