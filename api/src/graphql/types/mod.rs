//! GraphQL output types: thin wrappers over domain values whose doc comments are the schema's
//! descriptions.

mod api_token;
mod community;
mod node;
mod organisation;
mod person;

pub use api_token::{ApiToken, ApiTokenScope};
pub use community::{
    Community, CommunityFilter, CommunityMember, CommunityOrder, CommunityRole,
    CommunityVisibility, DiscussionMode, MembershipRequest,
};
pub use node::Node;
pub use organisation::{Organisation, OrganisationFilter, OrganisationKind};
pub use person::{OrganisationRole, Person, PersonFilter};
