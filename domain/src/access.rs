//! Who is acting, and with what authority.

use chrono::{DateTime, Utc};

use crate::api_token::ApiTokenId;
use crate::person::Person;

/// What an API token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Read whatever the owner may read.
    Read,
    /// Edit the owner's profile and follow people.
    WriteProfile,
    /// Start threads, reply, react.
    WriteConversations,
    /// Create, edit, endorse and adopt practices.
    WritePractices,
    /// Facilitate communities the owner facilitates.
    AdminCommunity,
}

impl Scope {
    pub const ALL: [Self; 5] = [
        Self::Read,
        Self::WriteProfile,
        Self::WriteConversations,
        Self::WritePractices,
        Self::AdminCommunity,
    ];

    /// The spelling partners use (`write:practices`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::WriteProfile => "write:profile",
            Self::WriteConversations => "write:conversations",
            Self::WritePractices => "write:practices",
            Self::AdminCommunity => "admin:community",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// How the actor proved who they are.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    /// A signed-in session (the hub's own clients): the person's full authority.
    Session { session_id: String },
    /// A partner system's API token: no more than its scopes allow.
    ApiToken {
        token_id: ApiTokenId,
        scopes: Vec<Scope>,
        /// When the token stops working, if it was given an end.
        expires_at: Option<DateTime<Utc>>,
        /// Whether it runs only the documents registered for it.
        trusted_documents_only: bool,
    },
    /// The token in a private feed's address: reading only.
    FeedToken,
}

/// The actor behind a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Actor {
    Anonymous,
    Person {
        person: Box<Person>,
        credential: Credential,
    },
}

impl Actor {
    /// `person` with their reading authority and no more, as their private feeds have: for
    /// work done on their behalf in the background (saved searches, webhook deliveries).
    pub fn reading_as(person: Person) -> Self {
        Self::Person {
            person: Box::new(person),
            credential: Credential::FeedToken,
        }
    }

    pub fn person(&self) -> Option<&Person> {
        match self {
            Self::Anonymous => None,
            Self::Person { person, .. } => Some(person),
        }
    }

    /// Whether the credential carries `scope` (sessions carry every scope).
    pub fn has_scope(&self, scope: Scope) -> bool {
        match self {
            Self::Anonymous => false,
            Self::Person {
                credential: Credential::Session { .. },
                ..
            } => true,
            Self::Person {
                credential: Credential::ApiToken { scopes, .. },
                ..
            } => scopes.contains(&scope),
            Self::Person {
                credential: Credential::FeedToken,
                ..
            } => scope == Scope::Read,
        }
    }

    pub fn session_id(&self) -> Option<&str> {
        match self {
            Self::Person {
                credential: Credential::Session { session_id },
                ..
            } => Some(session_id),
            _ => None,
        }
    }
}
