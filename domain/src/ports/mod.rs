//! Ports: what the domain needs from the outside world. `khub-infra` implements each twice —
//! for the embedded default (SQLite, in-process) and for production (PostgreSQL, Redis).

mod api_tokens;
mod communities;
mod conversations;
mod events;
mod health;
mod mail;
mod moderation;
mod notifications;
mod organisations;
mod people;
mod practices;
mod reputation;
mod saved_searches;
mod search;
mod security;
mod sessions;
mod webhooks;

pub use api_tokens::ApiTokenRepository;
pub use communities::CommunityRepository;
pub use conversations::{ConversationRepository, NewReply, PostChange};
pub use events::{BusDelivery, BusMessage, BusStream, EventBus};
pub use health::HealthCheck;
pub use mail::{Mail, Mailer};
pub use moderation::ModerationRepository;
pub use notifications::{DueDigest, NotificationRepository};
pub use organisations::OrganisationRepository;
pub use people::{FollowCounts, KeptPeople, PersonRepository};
pub use practices::{PracticeHiding, PracticeRepository};
pub use reputation::{RebuildReport, ReputationRepository};
pub use saved_searches::SavedSearchRepository;
pub use search::SearchIndex;
pub use security::{
    AccessClaims, AccessTokenCodec, Clock, FeedTokenSigner, PasswordHasher, PasswordScreen, Secrets,
};
pub use sessions::SessionStore;
pub use webhooks::{
    AttemptOutcome, OutgoingMessage, TargetRefused, WebhookOwners, WebhookPayloads,
    WebhookRepository, WebhookTransport,
};
