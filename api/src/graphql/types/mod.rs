//! GraphQL output types: thin wrappers over domain values whose doc comments are the schema's
//! descriptions.

mod node;
mod organisation;

pub use node::Node;
pub use organisation::{Organisation, OrganisationFilter, OrganisationKind};
