//! GraphQL output types: thin wrappers over domain values whose doc comments are the schema's
//! descriptions.

/// Maps a GraphQL enum to the domain enum of the same variants, both ways.
macro_rules! mirror_enum {
    ($api:ident <=> $domain:path { $($variant:ident),+ }) => {
        impl From<$domain> for $api {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => Self::$variant),+ }
            }
        }

        impl From<$api> for $domain {
            fn from(value: $api) -> Self {
                match value { $($api::$variant => Self::$variant),+ }
            }
        }
    };
}

mod api_token;
mod community;
mod moderation;
mod node;
mod notification;
mod organisation;
mod person;
mod person_values;
mod post;
mod practice;
mod practice_history;
mod practice_peers;
mod practice_values;
mod reputation;
mod saved_search;
mod search;
mod search_hits;
mod session;
mod thread;
mod webhook;

pub use api_token::{ApiToken, ApiTokenScope};
pub use community::{
    Community, CommunityFilter, CommunityMember, CommunityOrder, CommunityRole,
    CommunityVisibility, DiscussionMode, MembershipRequest,
};
pub use moderation::{FlagReason, FlaggedItem, ModerationAction, ModerationLogEntry};
pub use node::Node;
pub use notification::{EmailFrequency, Notification, NotificationKind, WatchLevel};
pub use organisation::{Organisation, OrganisationFilter, OrganisationKind};
pub use person::Person;
pub use person_values::{OrganisationRole, PersonFilter, PersonKind};
pub use post::{Post, ReactionCounts, ReactionKind};
pub use practice::Practice;
pub use practice_peers::{Adoption, Endorsement};
pub use practice_values::{
    AdoptionOutcome, EvidenceLinkInput, PracticeFilter, PracticeOrder, PracticeStatus,
};
pub use reputation::{LeaderboardPeriod, ReputationStanding};
pub use saved_search::SavedSearch;
pub use search::{
    SearchFilter, SearchResult, SearchResultConnection, SearchResultEdge, SearchType,
};
pub use search_hits::connection as search_connection;
pub use session::Session;
pub use thread::{PostStatus, Thread, ThreadKind};
pub use webhook::{Webhook, WebhookDelivery, WebhookDeliveryStatus, WebhookEventType};
